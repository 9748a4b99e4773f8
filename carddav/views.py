"""CardDAV over HTTP: one view class per kind of resource, each answering the WebDAV methods.

    /.well-known/carddav          → redirects to /dav/ (RFC 6764)
    /dav/                         the service: names the current user's principal
    /dav/principal/               the person who logs in (only ever the one asking)
    /dav/books/                   the address-book home: one book per organization
    /dav/books/<slug>/            an organization's address book
    /dav/books/<slug>/<name>      a card

These are not pages: a client logs in with HTTP Basic (e-mail address and app password) on
every request, never with the session cookie, so CSRF protection (which guards cookies) does
not apply and is switched off here. Tenancy: `books.book_for` finds a book only through the
asking person's memberships; a book or card of another organization answers 404, and a person
removed from an organization no longer finds its book at the next request.
"""

from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from . import properties, reports, writing, xml
from .auth import Device, NotAuthenticated, TooManyAttempts, authenticate
from .books import Book, book_entries, book_for, books_of, card_named, latest_change
from .cards import CONTENT_TYPE
from .properties import answer
from .xml import CARDDAV, DAV, BadXml, tag

DAV_METHODS = ["options", "propfind", "report", "get", "head", "put", "delete"]
XML_CONTENT_TYPE = 'application/xml; charset="utf-8"'


def text_response(status: int, message: str) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def multistatus(body: bytes) -> HttpResponse:
    return HttpResponse(body, status=207, content_type=XML_CONTENT_TYPE)


def error_response(status: int, condition: str, message: str = "") -> HttpResponse:
    return HttpResponse(xml.error(condition, message), status=status, content_type=XML_CONTENT_TYPE)


@method_decorator(csrf_exempt, name="dispatch")
class WellKnownCardDav(View):
    """RFC 6764: clients given only the server's name find the service here."""

    http_method_names = [*DAV_METHODS, "post"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(reverse("carddav:root"), status=301)


@method_decorator(csrf_exempt, name="dispatch")
class DavView(View):
    """Basic authentication with an app password, then the method's answer.

    Subclasses implement `properties()` and, for collections, `members()`.
    """

    http_method_names = DAV_METHODS
    device: Device

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            return self.options(request)
        try:
            self.device = authenticate(request)
        except NotAuthenticated:
            response = text_response(401, _("Log in with your e-mail address and an app password."))
            response["WWW-Authenticate"] = 'Basic realm="Kontor", charset="UTF-8"'
            return response
        except TooManyAttempts:
            response = text_response(
                429,
                _("Too many failed login attempts. Please wait %(minutes)s minutes.")
                % {"minutes": settings.LOGIN_FAILURE_WINDOW_SECONDS // 60},
            )
            response["Retry-After"] = str(settings.LOGIN_FAILURE_WINDOW_SECONDS)
            return response
        try:
            self.resolve(**kwargs)
            method = (request.method or "").lower()
            handler = getattr(self, method, None)
            if method not in self.http_method_names or handler is None:
                return self.not_allowed()
            return handler(request)
        except Http404:
            return text_response(404, _("There is no such address book or card."))
        except BadXml as bad:
            return text_response(
                400, _("The request's XML cannot be read: %(error)s") % {"error": bad}
            )

    def resolve(self, **kwargs: Any) -> None:
        """Find the resource the URL names (raise Http404 when the user has none such)."""

    def allowed(self) -> list[str]:
        return [m.upper() for m in self.http_method_names if hasattr(self, m)]

    def not_allowed(self) -> HttpResponse:
        response = text_response(405, _("This method is not allowed here."))
        response["Allow"] = ", ".join(self.allowed())
        return response

    def options(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = HttpResponse(status=200)
        response["DAV"] = "1, 3, addressbook"
        response["Allow"] = ", ".join(self.allowed())
        return response

    @property
    def depth(self) -> str:
        return self.request.META.get("HTTP_DEPTH", "infinity").strip().lower()

    def properties(self) -> properties.Properties:
        raise NotImplementedError

    def members(self, mode: str, names: list[str]) -> list[str]:
        return []

    def propfind(self, request: HttpRequest) -> HttpResponse:
        mode, names = xml.requested_properties(xml.parse(request.body))
        responses = [answer(request.path, self.properties(), mode, names)]
        if self.depth != "0":
            responses += self.members(mode, names)
        return multistatus(xml.multistatus(responses))


class ServiceRoot(DavView):
    def properties(self) -> properties.Properties:
        return properties.root_properties(self.device.user)


class Principal(DavView):
    def properties(self) -> properties.Properties:
        return properties.principal_properties(self.device.user)


class AddressBookHome(DavView):
    def properties(self) -> properties.Properties:
        return properties.home_properties(self.device.user)

    def members(self, mode: str, names: list[str]) -> list[str]:
        user = self.device.user
        answers = []
        for book in books_of(user):
            latest = partial(latest_change, book.organization)
            answers.append(
                answer(
                    properties.book_path(book),
                    properties.book_properties(user, book, latest),
                    mode,
                    names,
                )
            )
        return answers


class BookMixin:
    book: Book
    device: Device

    def find_book(self, slug: str) -> None:
        self.book = book_for(self.device.user, slug)

    def can_write(self) -> HttpResponse | None:
        if self.book.writable:
            return None
        return error_response(
            403, tag(DAV, "need-privileges"), _("You can only read this address book.")
        )


class AddressBook(BookMixin, DavView):
    def resolve(self, **kwargs: Any) -> None:
        self.find_book(kwargs["slug"])
        self._latest: int | None = None

    def latest(self) -> int:
        if self._latest is None:
            self._latest = latest_change(self.book.organization)
        return self._latest

    def properties(self) -> properties.Properties:
        return properties.book_properties(self.device.user, self.book, self.latest)

    def members(self, mode: str, names: list[str]) -> list[str]:
        book = self.book
        return [
            answer(
                properties.card_path(book, entry.name),
                properties.entry_properties(book, entry),
                mode,
                names,
            )
            for entry in book_entries(book.organization)
        ]

    def report(self, request: HttpRequest) -> HttpResponse:
        root = xml.parse(request.body)
        if root is None:
            return text_response(400, _("A REPORT needs a body."))
        report = reports.REPORTS.get(root.tag)
        if report is None:
            return error_response(
                403, tag(DAV, "supported-report"), _("Kontor has no such report.")
            )
        try:
            return multistatus(report(self, root))
        except reports.InvalidSyncToken:
            return error_response(
                403,
                tag(DAV, "valid-sync-token"),
                _("The sync token is unknown to this address book: sync again from the start."),
            )

    def card_name(self, href: str) -> str | None:
        """The name of the book's card an href names, None for an href outside the book."""
        path = unquote(urlsplit(href.strip()).path)
        prefix = properties.book_path(self.book)
        if not path.startswith(prefix) or "/" in path[len(prefix) :]:
            return None
        return path[len(prefix) :] or None


def wanted_version(request: HttpRequest) -> str:
    accept = request.META.get("HTTP_ACCEPT", "")
    return "4.0" if "version=4.0" in accept.replace(" ", "") else "3.0"


class CardResource(BookMixin, DavView):
    def resolve(self, **kwargs: Any) -> None:
        self.find_book(kwargs["slug"])
        self.name = kwargs["name"]

    def card(self, version: str = "3.0"):
        found = card_named(self.book.organization, self.name, version)
        if found is None:
            raise Http404
        return found

    def properties(self) -> properties.Properties:
        return properties.card_properties(self.book, self.card())

    def get(self, request: HttpRequest) -> HttpResponse:
        card = self.card()
        if request.META.get("HTTP_IF_NONE_MATCH", "").strip() in (card.etag, "*"):
            response = HttpResponse(status=304)
        else:
            version = wanted_version(request)
            if version != "3.0":
                card = self.card(version)
            content_type = CONTENT_TYPE if version == "3.0" else f"{CONTENT_TYPE}; version=4.0"
            response = HttpResponse(card.text, content_type=content_type)
        response["ETag"] = card.etag
        return response

    def head(self, request: HttpRequest) -> HttpResponse:
        response = self.get(request)
        response.content = b""
        return response

    def put(self, request: HttpRequest) -> HttpResponse:
        refused = self.can_write()
        if refused:
            return refused
        if len(request.body) > settings.CARDDAV_CARD_MAX_BYTES:
            return text_response(
                413,
                _("A card may have at most %(size)s KiB.")
                % {"size": settings.CARDDAV_CARD_MAX_BYTES // 1024},
            )
        try:
            body = request.body.decode("utf-8")
        except UnicodeDecodeError:
            return error_response(
                400, tag(CARDDAV, "valid-address-data"), _("A card must be written in UTF-8.")
            )
        try:
            status = writing.put(
                self.book,
                self.device,
                self.name,
                body,
                request.META.get("HTTP_IF_MATCH", ""),
                request.META.get("HTTP_IF_NONE_MATCH", ""),
            )
        except writing.Refused as refused_write:
            return self.refusal(refused_write.outcome)
        return HttpResponse(status=status)

    def delete(self, request: HttpRequest) -> HttpResponse:
        refused = self.can_write()
        if refused:
            return refused
        try:
            status = writing.delete(
                self.book, self.device, self.name, request.META.get("HTTP_IF_MATCH", "")
            )
        except writing.Refused as refused_write:
            return self.refusal(refused_write.outcome)
        return HttpResponse(status=status)

    def refusal(self, outcome: writing.Outcome) -> HttpResponse:
        if outcome.condition:
            return error_response(outcome.status, tag(CARDDAV, outcome.condition), outcome.message)
        return text_response(outcome.status, outcome.message)
