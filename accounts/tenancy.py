"""The one mechanism that gives every view its current organization.

`CurrentOrganizationMiddleware` sets `request.organization` and `request.membership` from the
session (falling back to the user's first organization). Every view of the organization's data
is a class on `OrganizationMixin`, which

- sends anonymous visitors to the login page and people without an organization to a page
  that says so;
- answers 404 for an object of another organization, whatever the method, before anything
  else is decided (a 403 or 405 would tell that the object exists somewhere);
- answers 405 for a method the view does not answer (a GET of a POST-only action), for every
  member alike;
- then asks for the role the method needs: `read_role` for GET/HEAD/OPTIONS (viewers read),
  `write_role` for anything else (members write; admins manage users);
- scopes `get_queryset()` to the current organization through `organization_field`.

Function views that cannot be classes use `organization_required`/`role_required` and
`scoped()`; the security audit names them one by one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect

from .models import Membership, Organization, Role, User

SESSION_KEY = "organization_id"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

M = TypeVar("M", bound=Model)


class CurrentOrganizationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.organization = None  # type: ignore[attr-defined]
        request.membership = None  # type: ignore[attr-defined]
        request.memberships = []  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            memberships = list(
                Membership.objects.filter(user=request.user)
                .select_related("organization")
                .order_by("organization__name")
            )
            request.memberships = memberships  # type: ignore[attr-defined]
            wanted = request.session.get(SESSION_KEY)
            current = next((m for m in memberships if m.organization_id == wanted), None)
            if current is None and memberships:
                current = memberships[0]
                request.session[SESSION_KEY] = current.organization_id
            if current is not None:
                request.membership = current  # type: ignore[attr-defined]
                request.organization = current.organization  # type: ignore[attr-defined]
        return self.get_response(request)


def switch_organization(request: HttpRequest, organization: Organization) -> None:
    request.session[SESSION_KEY] = organization.pk


def scoped(organization: Organization | None, queryset: QuerySet[M], field: str = "organization"):
    """The part of `queryset` that belongs to `organization` (through `field`)."""
    if organization is None:
        raise Http404
    return queryset.filter(**{field: organization})


if TYPE_CHECKING:
    from django.views import View

    _Base = View
else:
    _Base = object


class OrganizationMixin(_Base):
    """Login, current organization, role by method and tenancy for a generic view.

    Put it first in the bases: `class ContactUpdate(OrganizationMixin, UpdateView)`.
    """

    read_role: str = Role.VIEWER
    write_role: str = Role.MEMBER
    # How the view's model reaches its organization, e.g. "contact__organization" for notes.
    organization_field: str = "organization"

    request: HttpRequest
    organization: Organization
    membership: Membership
    _object: Any

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.organization is None:  # type: ignore[attr-defined]
            return redirect("accounts:no_organization")
        self.organization = request.organization  # type: ignore[attr-defined]
        self.membership = request.membership  # type: ignore[attr-defined]
        if self.names_an_object():
            self.get_object()  # 404 for a stranger, before the role or the method is checked
        if not self.answers(request.method or ""):
            # A method the view has no answer for is a 405 for every member alike.
            return self.http_method_not_allowed(request, *args, **kwargs)
        needed = self.read_role if request.method in SAFE_METHODS else self.write_role
        if not self.membership.has_role(needed):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def answers(self, method: str) -> bool:
        name = method.lower()
        return name in self.http_method_names and hasattr(self, name)

    def names_an_object(self) -> bool:
        return callable(getattr(self, "get_object", None)) and bool(self.kwargs)

    def get_queryset(self) -> QuerySet:
        return scoped(self.organization, super().get_queryset(), self.organization_field)  # type: ignore[misc]

    def get_object(self, queryset: QuerySet | None = None) -> Any:
        # Looked up once per request: dispatch() asks first, the generic view again.
        if queryset is None and hasattr(self, "_object"):
            return self._object
        found = super().get_object(queryset)  # type: ignore[misc]
        if queryset is None:
            self._object = found
        return found

    @property
    def user(self) -> User:
        """Who is asking: always logged in here (dispatch saw to that)."""
        return cast(User, self.request.user)

    def can(self, role: str) -> bool:
        return self.membership.has_role(role)


class EditorMixin(OrganizationMixin):
    """Pages that exist only to change something (forms, confirmations): members and admins,
    also for reading."""

    read_role = Role.MEMBER


class AdminMixin(OrganizationMixin):
    """User management: admins only, also for reading."""

    read_role = Role.ADMIN
    write_role = Role.ADMIN


def organization_required(view: Callable) -> Callable:
    """For function views: logged in, member of some organization; viewers only read."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.organization is None:  # type: ignore[attr-defined]
            return redirect("accounts:no_organization")
        membership = request.membership  # type: ignore[attr-defined]
        if request.method not in SAFE_METHODS and not membership.has_role(Role.MEMBER):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def role_required(minimum: str, *, for_get: bool = False) -> Callable:
    """For function views: writes need at least `minimum`; reads too if `for_get`."""

    def decorator(view: Callable) -> Callable:
        @organization_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            is_read = request.method in SAFE_METHODS
            membership = request.membership  # type: ignore[attr-defined]
            if (for_get or not is_read) and not membership.has_role(minimum):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def can(request: HttpRequest, minimum: str) -> bool:
    membership = getattr(request, "membership", None)
    return membership is not None and membership.has_role(minimum)


def get_object_for_organization(request: HttpRequest, queryset: QuerySet[M], **lookup) -> M:
    """For function views: the object of the current organization, else 404."""
    return get_object_or_404(scoped(request.organization, queryset), **lookup)  # type: ignore[attr-defined]


__all__ = [
    "AdminMixin",
    "CurrentOrganizationMiddleware",
    "EditorMixin",
    "OrganizationMixin",
    "Role",
    "can",
    "get_object_for_organization",
    "organization_required",
    "role_required",
    "scoped",
    "switch_organization",
]
