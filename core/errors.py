"""Error pages that say what happened and what to do: 403, 404, 503 (and 500 left to Django).

A service that fails (the database, the cache) is not a bug of the page that met it: the
person gets a translated "temporarily unavailable" page with status 503 and Retry-After, the
log one line. `ServiceUnavailableMiddleware` catches such failures in views (also with
DEBUG on); `server_error` (handler500) catches them wherever else they happen.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template.loader import render_to_string
from django.views import defaults
from redis.exceptions import RedisError

from .cache import CacheUnavailable

logger = logging.getLogger(__name__)

SERVICE_FAILURES = (CacheUnavailable, RedisError, OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def is_service_failure(error: BaseException | None) -> bool:
    return isinstance(error, SERVICE_FAILURES)


def service_unavailable(request: HttpRequest, error: BaseException) -> HttpResponse:
    logger.error(
        "Service unavailable: %s %s (%s: %s)",
        request.method,
        request.path,
        type(error).__name__,
        str(error).strip().splitlines()[0] if str(error).strip() else "",
    )
    # Rendered without the request: its session and user may need the service that failed.
    content = render_to_string("503.html")
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response._has_been_logged = True  # type: ignore[attr-defined]  # the line above says it
    return response


class ServiceUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_service_failure(exception):
            return service_unavailable(request, exception)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    error = sys.exc_info()[1]
    if is_service_failure(error):
        assert error is not None
        return service_unavailable(request, error)
    return defaults.server_error(request)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """What the person may do in this organization, and who can give them more."""
    from accounts.models import Membership, Role

    organization = getattr(request, "organization", None)
    admins: list[Membership] = []
    if organization is not None:
        admins = list(
            Membership.objects.filter(organization=organization, role=Role.ADMIN)
            .select_related("user")
            .order_by("user__first_name", "user__last_name", "user__email")
        )
    return HttpResponseForbidden(render_to_string("403.html", {"admins": admins}, request=request))
