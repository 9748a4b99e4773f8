"""The WebDAV properties of each kind of resource: the service, the principal, the address-book
home, a book, a card. Each is a mapping of property name → function giving its value as XML,
so a PROPFIND computes only what it is asked for."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User

from . import xml
from .books import Book, Entry, sync_token
from .cards import CONTENT_TYPE, Card
from .xml import CALENDARSERVER, CARDDAV, DAV, tag

Properties = dict[str, Callable[[], str]]


def root_path() -> str:
    return reverse("carddav:root")


def principal_path() -> str:
    return reverse("carddav:principal")


def home_path() -> str:
    return reverse("carddav:home")


def book_path(book: Book) -> str:
    if book.path is None:
        book.path = reverse("carddav:book", kwargs={"slug": book.slug})
    return book.path


def card_path(book: Book, name: str) -> str:
    # As reverse() would write it (slug and name quoted), without its cost per card.
    return book_path(book) + quote(name, safe="!$&'()*+,;=:@")


def _collection(*types: str) -> Callable[[], str]:
    return lambda: xml.element(tag(DAV, "collection")) + "".join(xml.element(t) for t in types)


def _privileges(*names: str) -> str:
    return "".join(
        xml.element(tag(DAV, "privilege"), xml.element(tag(DAV, name))) for name in names
    )


READ = ("read", "read-current-user-privilege-set")
WRITE = ("write", "write-content", "bind", "unbind")


def _user_properties(user: User) -> Properties:
    return {
        tag(DAV, "current-user-principal"): lambda: xml.href(principal_path()),
        tag(CARDDAV, "addressbook-home-set"): lambda: xml.href(home_path()),
        tag(DAV, "principal-collection-set"): lambda: xml.href(principal_path()),
    }


def root_properties(user: User) -> Properties:
    return {
        tag(DAV, "resourcetype"): _collection(),
        tag(DAV, "displayname"): lambda: "Kontor",
        **_user_properties(user),
    }


def principal_properties(user: User) -> Properties:
    return {
        tag(DAV, "resourcetype"): _collection(tag(DAV, "principal")),
        tag(DAV, "displayname"): lambda: xml.text(str(user)),
        tag(DAV, "principal-URL"): lambda: xml.href(principal_path()),
        tag(CALENDARSERVER, "email-address-set"): lambda: xml.element(
            tag(CALENDARSERVER, "email-address"), xml.text(user.email)
        ),
        tag(DAV, "current-user-privilege-set"): lambda: _privileges(*READ),
        **_user_properties(user),
    }


def home_properties(user: User) -> Properties:
    return {
        tag(DAV, "resourcetype"): _collection(),
        tag(DAV, "displayname"): lambda: xml.text(_("Address books")),
        tag(DAV, "owner"): lambda: xml.href(principal_path()),
        tag(DAV, "current-user-privilege-set"): lambda: _privileges(*READ),
        tag(DAV, "supported-report-set"): lambda: "",
        **_user_properties(user),
    }


def _reports(*names: tuple[str, str]) -> str:
    return "".join(
        xml.element(
            tag(DAV, "supported-report"), xml.element(tag(DAV, "report"), xml.element(tag(ns, n)))
        )
        for ns, n in names
    )


def book_properties(user: User, book: Book, latest: Callable[[], int]) -> Properties:
    """`latest` gives the book's latest change id (asked once, only when a tag is wanted)."""
    writable = book.writable
    return {
        tag(DAV, "resourcetype"): _collection(tag(CARDDAV, "addressbook")),
        tag(DAV, "displayname"): lambda: xml.text(book.organization.name),
        tag(CARDDAV, "addressbook-description"): lambda: xml.text(
            _("Contacts of %(organization)s in Kontor") % {"organization": book.organization.name}
        ),
        tag(DAV, "owner"): lambda: xml.href(principal_path()),
        tag(DAV, "current-user-privilege-set"): lambda: _privileges(
            *READ, *(WRITE if writable else ())
        ),
        tag(DAV, "supported-report-set"): lambda: _reports(
            (CARDDAV, "addressbook-multiget"),
            (CARDDAV, "addressbook-query"),
            (DAV, "sync-collection"),
        ),
        tag(CARDDAV, "supported-address-data"): lambda: "".join(
            xml.element(
                tag(CARDDAV, "address-data-type"),
                attributes=f' content-type="text/vcard" version="{version}"',
            )
            for version in ("3.0", "4.0")
        ),
        tag(CARDDAV, "max-resource-size"): lambda: str(settings.CARDDAV_CARD_MAX_BYTES),
        tag(DAV, "sync-token"): lambda: xml.text(sync_token(book.organization, latest())),
        tag(CALENDARSERVER, "getctag"): lambda: xml.text(sync_token(book.organization, latest())),
        **_user_properties(user),
    }


def entry_properties(book: Book, entry: Card | Entry) -> Properties:
    """What a listing of the book tells of each card (no card is written for it)."""
    return {
        tag(DAV, "resourcetype"): lambda: "",
        tag(DAV, "getetag"): lambda: xml.text(entry.etag),
        tag(DAV, "getcontenttype"): lambda: CONTENT_TYPE,
        tag(DAV, "current-user-privilege-set"): lambda: _privileges(
            *READ, *(WRITE if book.writable else ())
        ),
    }


def card_properties(book: Book, card: Card) -> Properties:
    return {
        **entry_properties(book, card),
        tag(DAV, "getcontentlength"): lambda: str(len(card.text.encode())),
        tag(DAV, "displayname"): lambda: xml.text(_card_display_name(card)),
    }


def _card_display_name(card: Card) -> str:
    return card.person.full_name if card.person is not None else str(card.contact)


def answer(path: str, properties: Properties, mode: str, names: list[str]) -> str:
    """The `response` of one resource to a PROPFIND of `mode` ("allprop", "propname", "prop")."""
    if mode == "propname":
        return xml.response(path, dict.fromkeys(properties, ""))
    if mode == "allprop":
        return xml.response(path, {name: value() for name, value in properties.items()})
    found = {name: properties[name]() for name in names if name in properties}
    return xml.response(path, found, [name for name in names if name not in properties])
