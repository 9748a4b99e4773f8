"""Reading multistatus answers in tests."""

from __future__ import annotations

from xml.etree import ElementTree

NS = {"d": "DAV:", "card": "urn:ietf:params:xml:ns:carddav", "cs": "http://calendarserver.org/ns/"}


def parse(response) -> ElementTree.Element:
    assert response.status_code == 207, (response.status_code, response.content[:500])
    return ElementTree.fromstring(response.content)


def responses(response) -> dict[str, ElementTree.Element]:
    """href → its <d:response>."""
    root = parse(response)
    return {r.findtext("d:href", namespaces=NS): r for r in root.findall("d:response", NS)}


def found(element: ElementTree.Element, prop: str) -> ElementTree.Element | None:
    """The property (e.g. "d:getetag") of a response where its propstat says 200."""
    for propstat in element.findall("d:propstat", NS):
        if "200" in (propstat.findtext("d:status", namespaces=NS) or ""):
            hit = propstat.find(f"d:prop/{prop}", NS)
            if hit is not None:
                return hit
    return None


def missing(element: ElementTree.Element, prop: str) -> bool:
    for propstat in element.findall("d:propstat", NS):
        is_404 = "404" in (propstat.findtext("d:status", namespaces=NS) or "")
        if is_404 and propstat.find(f"d:prop/{prop}", NS) is not None:
            return True
    return False


def status(element: ElementTree.Element) -> str:
    return element.findtext("d:status", namespaces=NS) or ""


def cards_of(response) -> dict[str, str]:
    """href → address-data of a report's answer."""
    return {
        href: found(r, "card:address-data").text
        for href, r in responses(response).items()
        if found(r, "card:address-data") is not None
    }


def unfold(card: str) -> list[str]:
    return card.replace("\r\n ", "").split("\r\n")
