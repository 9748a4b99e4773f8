"""The one mechanism that gives every view its current organization.

`CurrentOrganizationMiddleware` sets `request.organization` and `request.membership` from the
session (falling back to the user's first organization). Views are wrapped in
`organization_required` (reads) or `role_required(Role.MEMBER)` (writes); objects are fetched with
`get_object_for_organization`, which answers 404 for anything another organization owns.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from .models import Membership, Organization, Role

SESSION_KEY = "organization_id"

M = TypeVar("M", bound=Model)


class CurrentOrganizationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.organization = None
        request.membership = None
        request.memberships = []
        if request.user.is_authenticated:
            memberships = list(
                Membership.objects.filter(user=request.user)
                .select_related("organization")
                .order_by("organization__name")
            )
            request.memberships = memberships
            wanted = request.session.get(SESSION_KEY)
            current = next((m for m in memberships if m.organization_id == wanted), None)
            if current is None and memberships:
                current = memberships[0]
                request.session[SESSION_KEY] = current.organization_id
            if current is not None:
                request.membership = current
                request.organization = current.organization
        return self.get_response(request)


def switch_organization(request: HttpRequest, organization: Organization) -> None:
    request.session[SESSION_KEY] = organization.pk


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def organization_required(view: Callable) -> Callable:
    """Logged in and member of some organization; otherwise login, or a page that says so.

    Viewers read only: whatever the view, a request that could change something is refused.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.organization is None:
            return redirect("accounts:no_organization")
        if request.method not in SAFE_METHODS and not request.membership.has_role(Role.MEMBER):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def role_required(minimum: str, *, for_get: bool = False) -> Callable:
    """Writes need at least `minimum`; reads (GET/HEAD) only membership unless `for_get`."""

    def decorator(view: Callable) -> Callable:
        @organization_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            is_read = request.method in ("GET", "HEAD")
            if (for_get or not is_read) and not request.membership.has_role(minimum):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def can(request: HttpRequest, minimum: str) -> bool:
    return request.membership is not None and request.membership.has_role(minimum)


def scoped(request: HttpRequest, queryset: QuerySet[M]) -> QuerySet[M]:
    """The part of `queryset` that belongs to the current organization."""
    if request.organization is None:
        raise Http404
    return queryset.filter(organization=request.organization)


def get_object_for_organization(request: HttpRequest, queryset: QuerySet[M], **lookup) -> M:
    return get_object_or_404(scoped(request, queryset), **lookup)


__all__ = [
    "CurrentOrganizationMiddleware",
    "Role",
    "can",
    "get_object_for_organization",
    "organization_required",
    "role_required",
    "scoped",
    "switch_organization",
]
