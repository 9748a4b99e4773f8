"""WebDAV's XML: request bodies parsed safely, multistatus answers written as text.

Bodies are parsed with defusedxml: no DTD, no entities, no external references, so a body can
neither expand into gigabytes nor make Kontor read a file or a URL. Answers are written as
text (a first sync answers with thousands of responses), every value escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree.ElementTree import Element  # noqa: S405  (only the type; parsing is defusedxml's)
from xml.sax.saxutils import escape, quoteattr

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

DAV = "DAV:"
CARDDAV = "urn:ietf:params:xml:ns:carddav"
CALENDARSERVER = "http://calendarserver.org/ns/"
KONTOR = "urn:x-kontor:ns"
PREFIXES = {DAV: "d", CARDDAV: "card", CALENDARSERVER: "cs", KONTOR: "k"}
NAMESPACE_DECLARATIONS = " ".join(f'xmlns:{p}="{ns}"' for ns, p in PREFIXES.items())


class BadXml(Exception):
    """The body is no XML Kontor reads (or one it refuses to parse)."""


def parse(body: bytes) -> Element | None:
    """The body's root element; None for an empty body."""
    if not body.strip():
        return None
    try:
        return fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise BadXml(str(error)) from error


def tag(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def split_tag(clark: str) -> tuple[str, str]:
    if clark.startswith("{"):
        namespace, _, name = clark[1:].partition("}")
        return namespace, name
    return "", clark


def element(clark: str, content: str = "", attributes: str = "") -> str:
    """`content` (XML already) in the element named `clark` ("{namespace}name")."""
    namespace, name = split_tag(clark)
    prefix = PREFIXES.get(namespace)
    if prefix is None:
        # A property of a namespace Kontor does not know, named as the client named it.
        opening = f"x:{name} xmlns:x={quoteattr(namespace)}{attributes}"
        closing = f"x:{name}"
    else:
        opening = f"{prefix}:{name}{attributes}"
        closing = f"{prefix}:{name}"
    return f"<{opening}>{content}</{closing}>" if content else f"<{opening}/>"


def text(value: str) -> str:
    return escape(value)


def href(path: str) -> str:
    return element(tag(DAV, "href"), escape(path))


STATUS_TEXT = {200: "OK", 403: "Forbidden", 404: "Not Found", 507: "Insufficient Storage"}


def status(code: int) -> str:
    return element(tag(DAV, "status"), f"HTTP/1.1 {code} {STATUS_TEXT[code]}")


def response(path: str, found: dict[str, str], missing: Iterable[str] = ()) -> str:
    """One resource's `response`: the properties found (name → value as XML) with 200, the
    ones it does not have with 404."""
    parts = [href(path)]
    if found:
        props = "".join(element(name, value) for name, value in found.items())
        parts.append(element(tag(DAV, "propstat"), element(tag(DAV, "prop"), props) + status(200)))
    missing = list(missing)
    if missing:
        props = "".join(element(name) for name in missing)
        parts.append(element(tag(DAV, "propstat"), element(tag(DAV, "prop"), props) + status(404)))
    return element(tag(DAV, "response"), "".join(parts))


def gone(path: str) -> str:
    """A member that left the collection (a sync-collection report)."""
    return element(tag(DAV, "response"), href(path) + status(404))


def multistatus(responses: Iterable[str], after: str = "") -> bytes:
    body = "".join(responses) + after
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n'
        f"<d:multistatus {NAMESPACE_DECLARATIONS}>{body}</d:multistatus>"
    ).encode()


def error(condition: str, message: str = "") -> bytes:
    """A `DAV:error` body naming the precondition that failed, and why in words."""
    content = element(condition) + (
        element(tag(KONTOR, "message"), escape(message)) if message else ""
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n'
        f"<d:error {NAMESPACE_DECLARATIONS}>{content}</d:error>"
    ).encode()


def requested_properties(root: Element | None) -> tuple[str, list[str]]:
    """What a PROPFIND (or a report's `prop`) asks for: ("allprop" | "propname" | "prop", names)."""
    if root is None:
        return "allprop", []
    if root.find(tag(DAV, "propname")) is not None:
        return "propname", []
    if root.find(tag(DAV, "allprop")) is not None:
        return "allprop", []
    prop = root.find(tag(DAV, "prop"))
    if prop is None:
        return "allprop", []
    return "prop", [child.tag for child in prop]
