"""Every error of the API in one JSON shape, in the language of `Accept-Language`:

    {"status": 400, "error": "Bad Request", "message": "…",
     "details": [{"field": "addresses.billing[0].zip", "violation": "invalid", "message": "…"}]}

`field` is the path of the field in the request's JSON, as the client wrote it; `details` is
empty when the error is not about one field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

Detail = dict[str, str]


class ApiError(exceptions.APIException):
    """An error the views raise themselves: a status, a message and the fields it is about."""

    def __init__(self, status: int, message: str, details: Iterable[Detail] = ()) -> None:
        super().__init__(message)
        self.status_code = status
        self.message = message
        self.details = list(details)


def field_error(field: str, message: str, violation: str = "invalid") -> Detail:
    return {"field": field, "violation": violation, "message": str(message)}


def invalid(details: Iterable[Detail]) -> ApiError:
    return ApiError(400, _("The request is not valid: see details."), details)


def flatten(detail: Any, path: str = "") -> list[Detail]:
    """DRF's nested validation errors as one list with a JSON path for each."""
    if isinstance(detail, Mapping):
        found: list[Detail] = []
        for key, value in detail.items():
            if key in ("non_field_errors", "__all__"):
                found += flatten(value, path)
            elif isinstance(key, int):
                found += flatten(value, f"{path}[{key}]")
            else:
                found += flatten(value, f"{path}.{key}" if path else str(key))
        return found
    if isinstance(detail, list):
        if all(isinstance(item, (str, exceptions.ErrorDetail)) for item in detail):
            return [
                field_error(path, str(item), getattr(item, "code", None) or "invalid")
                for item in detail
            ]
        found = []
        for index, item in enumerate(detail):
            if item:
                found += flatten(item, f"{path}[{index}]")
        return found
    return [field_error(path, str(detail), getattr(detail, "code", None) or "invalid")]


def error_body(status: int, message: str, details: Iterable[Detail] = ()) -> dict[str, Any]:
    return {
        "status": status,
        "error": HTTPStatus(status).phrase,
        "message": message,
        "details": list(details),
    }


def _message(exc: exceptions.APIException) -> str:
    if isinstance(exc, exceptions.ParseError):
        return _("The request body is not valid JSON.")
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        if isinstance(exc, exceptions.NotAuthenticated):
            return _("An API key is needed: send it as “Authorization: Bearer <key>”.")
        return str(exc.detail)
    if isinstance(exc, exceptions.PermissionDenied):
        return _("This API key may only read.")
    if isinstance(exc, exceptions.NotFound):
        return _("Not found.")
    if isinstance(exc, exceptions.Throttled):
        return _("Too many requests: this API key may send %(limit)s a second.") % {
            "limit": _rate_limit()
        }
    return str(exc.detail) if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase


def _rate_limit() -> int:
    from django.conf import settings

    return settings.API_RATE_LIMIT_PER_SECOND


def handle_exception(exc: Exception, context: Mapping[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every error in the shape above."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: Django's 500
    headers: dict[str, str] = {}
    if auth_header := getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = auth_header
    wait = getattr(exc, "wait", None)
    if isinstance(exc, exceptions.Throttled) and wait is not None:
        headers["Retry-After"] = str(max(1, int(wait)))
    if isinstance(exc, ApiError):
        body = error_body(exc.status_code, exc.message, exc.details)
    elif isinstance(exc, exceptions.ValidationError):
        body = error_body(400, _("The request is not valid: see details."), flatten(exc.detail))
    else:
        body = error_body(exc.status_code, _message(exc))
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)
