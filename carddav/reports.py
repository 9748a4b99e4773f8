"""The REPORTs of an address book: addressbook-multiget and addressbook-query (RFC 6352) and
sync-collection (RFC 6578), each a function of the book's view and the request's root element
that returns the multistatus body."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element  # noqa: S405  (only the type)

from . import properties, xml
from .books import all_cards, book_entries, cards_named, changes_since, parse_sync_token, sync_token
from .card_reading import CardUnreadable, read_card
from .cards import CONTENT_TYPE, Card
from .xml import CARDDAV, DAV, tag

if TYPE_CHECKING:
    from .views import AddressBook

ADDRESS_DATA = tag(CARDDAV, "address-data")


class InvalidSyncToken(Exception):
    """The client's sync token is not one this book gave (RFC 6578 3.2: DAV:valid-sync-token)."""


def _requested(root: Element) -> tuple[list[str], str]:
    """The properties a report asks for, and the vCard version its address-data wants."""
    prop = root.find(tag(DAV, "prop"))
    names = [child.tag for child in prop] if prop is not None else [tag(DAV, "getetag")]
    version = "3.0"
    if prop is not None and (data := prop.find(ADDRESS_DATA)) is not None:
        version = "4.0" if data.get("version") == "4.0" else "3.0"
    return names, version


def _card_response(view: AddressBook, card: Card, names: list[str]) -> str:
    available = properties.card_properties(view.book, card)
    # The carriage returns as character references: an XML reader turns a bare CRLF into LF.
    available[ADDRESS_DATA] = lambda: xml.text(card.text).replace("\r", "&#13;")
    available[tag(DAV, "getcontenttype")] = lambda: CONTENT_TYPE
    return properties.answer(properties.card_path(view.book, card.name), available, "prop", names)


def multiget(view: AddressBook, root: Element) -> bytes:
    names, version = _requested(root)
    hrefs = [h.text or "" for h in root.findall(tag(DAV, "href"))]
    wanted = {href: view.card_name(href) for href in hrefs}
    found = cards_named(view.book.organization, [n for n in wanted.values() if n], version)
    cards = {c.name: c for c in found}
    responses = []
    for href, name in wanted.items():
        card = cards.get(name) if name else None
        responses.append(_card_response(view, card, names) if card else xml.gone(href))
    return xml.multistatus(responses)


def sync_collection(view: AddressBook, root: Element) -> bytes:
    names, version = _requested(root)
    given = (root.findtext(tag(DAV, "sync-token")) or "").strip()
    organization = view.book.organization
    latest = view.latest()
    if not given and ADDRESS_DATA not in names:
        book = view.book
        responses = [
            properties.answer(
                properties.card_path(book, entry.name),
                properties.entry_properties(book, entry),
                "prop",
                names,
            )
            for entry in book_entries(organization)
        ]
    elif not given:
        responses = [_card_response(view, card, names) for card in all_cards(organization, version)]
    else:
        since = parse_sync_token(organization, given, latest)
        if since is None:
            raise InvalidSyncToken
        result = changes_since(organization, since, latest, version)
        responses = [_card_response(view, card, names) for card in result.changed]
        responses += [xml.gone(properties.card_path(view.book, name)) for name in result.removed]
    token = xml.element(tag(DAV, "sync-token"), xml.text(sync_token(organization, latest)))
    return xml.multistatus(responses, after=token)


def query(view: AddressBook, root: Element) -> bytes:
    """addressbook-query: the cards whose properties match the filter's text-matches."""
    names, version = _requested(root)
    matches = _filter(root.find(tag(CARDDAV, "filter")))
    limit_text = root.findtext(f"{tag(CARDDAV, 'limit')}/{tag(CARDDAV, 'nresults')}")
    limit = int(limit_text) if limit_text and limit_text.strip().isdigit() else None
    cards = [c for c in all_cards(view.book.organization, version) if matches(c)]
    return xml.multistatus(_card_response(view, card, names) for card in cards[:limit])


def _filter(element: Element | None) -> Callable[[Card], bool]:
    if element is None:
        return lambda card: True
    tests = [_prop_filter(p) for p in element.findall(tag(CARDDAV, "prop-filter"))]
    if not tests:
        return lambda card: True
    combine = all if element.get("test") == "allof" else any
    return lambda card: combine(test(card) for test in tests)


def _prop_filter(element: Element) -> Callable[[Card], bool]:
    name = (element.get("name") or "").upper()
    defined = element.find(tag(CARDDAV, "is-not-defined")) is None
    matches = []
    for match in element.findall(tag(CARDDAV, "text-match")):
        wanted = (match.text or "").casefold()
        kind = match.get("match-type", "contains")
        negate = match.get("negate-condition") == "yes"
        matches.append((wanted, kind, negate))
    combine = all if element.get("test") == "allof" else any

    def test(card: Card) -> bool:
        values = _values(card, name)
        if not matches:
            return bool(values) == defined
        return bool(values) and combine(
            any(_text_matches(v, w, k) for v in values) != negate for w, k, negate in matches
        )

    return test


def _values(card: Card, name: str) -> list[str]:
    try:
        read = read_card(card.text)
    except CardUnreadable:
        return []
    return [line.text.casefold() for _i, line in read.all(name)]


def _text_matches(value: str, wanted: str, kind: str) -> bool:
    if kind == "equals":
        return value == wanted
    if kind == "starts-with":
        return value.startswith(wanted)
    if kind == "ends-with":
        return value.endswith(wanted)
    return wanted in value


REPORTS = {
    tag(CARDDAV, "addressbook-multiget"): multiget,
    tag(CARDDAV, "addressbook-query"): query,
    tag(DAV, "sync-collection"): sync_collection,
}
