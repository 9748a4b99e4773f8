"""Every request body bounded: refused with 413 before it is read, unless its URL is exempt.

`REQUEST_BODY_MAX_BYTES` holds for every URL but those named in
`REQUEST_BODY_LIMIT_EXEMPT_URLS` (the import upload, which streams its file through its own
2 MiB limit). A body within the limit is read here, whole and into memory, so that no upload
handler ever writes it to a temporary file, and a body that ends before its declared
Content-Length (the client gave up or lied) is answered with 400 instead of being parsed.
How long a slow client may take to send is for the server and the proxy in front to bound
(the README's production section).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, UnreadablePostError
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation

logger = logging.getLogger(__name__)


def declared_length(request: HttpRequest) -> int | None:
    """The body's Content-Length; None when it is not a number."""
    value = request.META.get("CONTENT_LENGTH") or "0"
    try:
        length = int(value)
    except ValueError:
        return None
    return length if length >= 0 else None


def is_exempt(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in settings.REQUEST_BODY_LIMIT_EXEMPT_URLS


class RequestBodyLimitMiddleware:
    """Put it above every middleware that could read the body (first is safest)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = declared_length(request)
        if length is None:
            return self.refuse(request, 400, "400.html", "unreadable Content-Length")
        if length and not is_exempt(request):
            if length > settings.REQUEST_BODY_MAX_BYTES:
                return self.refuse(request, 413, "413.html", f"body of {length} bytes")
            try:
                received = len(request.body)
            except UnreadablePostError:
                received = -1
            if received != length:
                return self.refuse(request, 400, "400.html", f"body ended before {length} bytes")
        return self.get_response(request)

    def refuse(self, request: HttpRequest, status: int, template: str, why: str) -> HttpResponse:
        logger.warning("Refused %s %s with %d: %s", request.method, request.path, status, why)
        # This runs before the language, session and user are known: the page is rendered in
        # the language the browser asks for, without the personal navigation.
        language = translation.get_language_from_request(request)
        with translation.override(language):
            content = render_to_string(
                template, {"limit_mib": settings.REQUEST_BODY_MAX_BYTES // (1024 * 1024)}
            )
        response = HttpResponse(content, status=status)
        response._has_been_logged = True  # type: ignore[attr-defined]  # by the line above
        return response
