"""A .vcf file → its cards, each a list of properties: the structure of vCard 2.1, 3.0 and 4.0.

A file of thousands of cards has to be read in well under a second, and vobject's reader takes
about half a millisecond per card (every line through its regular expressions and behaviours).
So the structure is read here, line by line, for what every export uses: folded lines (a
leading space or tab), vCard 2.1's quoted-printable values with their soft line breaks and
`CHARSET=`, its bare parameters (`TEL;CELL;WORK`), groups (`item1.EMAIL`). A line of a shape
this reader does not take (quoted parameter values) goes to vobject's own line parser, and
escaped values are unescaped by vobject's functions, the ones the CardDAV app uses too.

Pictures and other embedded files (PHOTO, LOGO, SOUND, KEY) are counted and dropped while the
lines are joined, so a 1.5 MB photo costs no copy of itself.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import quopri
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext_lazy as _
from vobject.base import VObjectError, textLineToContentLine
from vobject.icalendar import stringToTextValues
from vobject.vcard import splitFields

from contacts_app.vcard import card_types

from .reading import ImportFileError

VERSIONS = ("2.1", "3.0", "4.0")
EMBEDDED = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
# vCard 2.1 writes a parameter's value alone (`TEL;WORK;VOICE`): these are encodings, the rest
# are types.
BARE_ENCODINGS = frozenset({"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"})
# Old Windows programs end a text file with Ctrl-Z.
END_OF_FILE = "\x1a"
# Lines quoted in a message are cut to this many characters.
QUOTED = 60

_EMBEDDED_LINE = re.compile(r"(?:[A-Za-z0-9_-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE)
_SIMPLE_LINE = re.compile(
    r"(?:(?P<group>[A-Za-z0-9_-]+)\.)?(?P<name>[A-Za-z0-9_-]+)(?P<params>(?:;[^:;\"]*)*):"
)

NO_END = _(
    "The card that starts on line %(line)s has no END:VCARD, so the file seems to be cut off. "
    "Export the contacts again and upload the whole file."
)
OUTSIDE = _(
    "Line %(line)s stands outside of every card (“%(text)s”); a vCard file has only lines "
    "between BEGIN:VCARD and END:VCARD. Export the contacts again, or remove that line."
)
NOT_A_PROPERTY = _(
    "Line %(line)s is not a vCard line (“%(text)s”). Perhaps a long line was broken without "
    "the space that marks its continuation. Export the contacts again."
)
VERSION = _(
    "The card on line %(line)s has the version “%(version)s”; Kontor reads vCards of version "
    "2.1, 3.0 and 4.0."
)
UNKNOWN_CHARSET = _(
    "Line %(line)s names the character set “%(charset)s”, which Kontor does not know."
)
BAD_CHARSET = _(
    "The value on line %(line)s cannot be read as %(charset)s. Export the contacts again as "
    "vCard 3.0 (UTF-8)."
)


@dataclass(slots=True)
class Property:
    """One logical line of a card: `value` still escaped as the card writes it (QP and base64
    already decoded)."""

    name: str
    group: str
    params: dict[str, list[str]]
    value: str
    line: int
    types: frozenset[str]

    @property
    def items(self) -> list[str]:
        """A list value (CATEGORIES, NICKNAME) as its items, unescaped."""
        if "\\" not in self.value:
            return [p.strip() for p in self.value.split(",") if p.strip()]
        return [p.strip() for p in _unescaped(self.value) if p.strip()]

    @property
    def text(self) -> str:
        return ", ".join(self.items)

    @property
    def plain(self) -> str:
        """The value unescaped, commas kept as text (NOTE, FN, TITLE)."""
        if "\\" not in self.value:
            return self.value.strip()
        return ",".join(_unescaped(self.value)).strip()

    @property
    def parts(self) -> list[str]:
        """A structured value (N, ADR, ORG) split at its semicolons, each part unescaped."""
        if "\\" not in self.value:
            return [part.strip() for part in self.value.split(";")]
        return [
            (", ".join(part) if isinstance(part, list) else part).strip()
            for part in splitFields(self.value.replace("\\:", ":"))
        ]


def _unescaped(value: str) -> list[str]:
    # Google writes "https\://…": an escaped colon, which no version of vCard has; it means ":".
    return stringToTextValues(value.replace("\\:", ":"))


@dataclass
class Card:
    line: int  # the line of its BEGIN:VCARD
    version: str = ""
    properties: list[Property] = field(default_factory=list)
    embedded: int = 0  # pictures and other embedded files dropped
    by_name: dict[str, list[Property]] = field(default_factory=dict)

    def add(self, prop: Property) -> None:
        self.properties.append(prop)
        self.by_name.setdefault(prop.name, []).append(prop)

    def all(self, name: str) -> list[Property]:
        return self.by_name.get(name, [])

    def first(self, name: str) -> Property | None:
        found = self.by_name.get(name)
        return found[0] if found else None

    def labels(self) -> dict[str, str]:
        """Apple's labels of grouped lines (`item1.X-ABLabel:Zentrale`) by group."""
        found = {}
        for prop in self.properties:
            if prop.name == "X-ABLABEL" and prop.group:
                label = prop.plain
                if label.startswith("_$!<") and label.endswith(">!$_"):
                    label = label[4:-4]
                found[prop.group] = label
        return found


def _error(message, line: int, **params: object) -> ImportFileError:
    return ImportFileError(message, code="vcard", params={"line": line, **params})


def _quote(text: str) -> str:
    text = text.strip()
    return text if len(text) <= QUOTED else text[: QUOTED - 1] + "…"


def read_cards(text: str, file_encoding: str) -> list[Card]:
    """The cards of the decoded file `text`; ImportFileError naming the line of what is wrong.

    `file_encoding` is what the file was decoded with: a quoted-printable value is turned back
    into its bytes with it before its own CHARSET decodes them.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cards: list[Card] = []
    card: Card | None = None
    # The logical line being joined: its first line's number and its pieces.
    start, skipping, soft_breaks = 0, False, False
    pieces: list[str] = []

    def finish() -> None:
        nonlocal pieces
        if pieces and card is not None:
            _take_line(card, start, "".join(pieces), file_encoding)
        pieces = []

    for number, line in enumerate(lines, 1):
        if soft_breaks and pieces:
            # A quoted-printable line that ended in "=" goes on in the next line as it is.
            if not skipping:
                pieces.append("\n" + line)
            soft_breaks = line.endswith("=")
            continue
        if card is None:
            # Between cards only blank lines may stand (white space around BEGIN is forgiven).
            stripped = line.strip().strip(END_OF_FILE).strip()
            if stripped.upper() == "BEGIN:VCARD":
                card = Card(line=number)
            elif stripped:
                raise _error(OUTSIDE, number, text=_quote(line))
            continue
        if line[:1] in (" ", "\t"):
            if not pieces:
                if not line.strip():
                    continue
                raise _error(NOT_A_PROPERTY, number, text=_quote(line))
            if not skipping:
                pieces.append(line[1:])
            continue
        finish()
        if not line.strip():
            skipping = soft_breaks = False
            continue
        head = line[:12].upper()
        if head.startswith("END:VCARD") and not line[9:].strip():
            _check_version(card)
            cards.append(card)
            card = None
            continue
        if head.startswith("BEGIN:VCARD"):
            raise _error(NO_END, card.line)
        skipping = _EMBEDDED_LINE.match(line) is not None
        if skipping:
            card.embedded += 1
        start, pieces = number, [] if skipping else [line]
        soft_breaks = line.endswith("=") and "QUOTED-PRINTABLE" in line.split(":", 1)[0].upper()
        if skipping:
            pieces = [""]  # keeps the continuation lines attached to a line, and drops them
    if card is not None:
        raise _error(NO_END, card.line)
    return cards


def _check_version(card: Card) -> None:
    if card.version not in VERSIONS:
        if not card.version:
            card.version = "3.0"  # a card without VERSION is read as the common one
            return
        raise _error(VERSION, card.line, version=_quote(card.version)[:10])


def _take_line(card: Card, line: int, raw: str, file_encoding: str) -> None:
    if not raw:  # an embedded file, already counted
        return
    match = _SIMPLE_LINE.match(raw)
    if match:
        group, name = match["group"] or "", match["name"].upper()
        params = _params(match["params"])
        value = raw[match.end() :]
    else:
        group, name, params, value = _vobject_line(raw, line)
    if name == "VERSION":
        card.version = value.strip()
        return
    encoding = (params.get("ENCODING") or [""])[0]
    if encoding == "QUOTED-PRINTABLE":
        value = _from_bytes(
            quopri.decodestring(_as_bytes(value, file_encoding)), params, line, "utf-8"
        )
    elif encoding in ("B", "BASE64"):
        try:
            decoded = base64.b64decode("".join(value.split()), validate=True)
        except (binascii.Error, ValueError):
            raise _error(NOT_A_PROPERTY, line, text=_quote(raw)) from None
        value = _from_bytes(decoded, params, line, "utf-8")
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    types = _types(tuple(params.get("TYPE", ())), "PREF" in params)
    card.add(Property(name, group.lower(), params, value, line, types))


@lru_cache(maxsize=1024)
def _types(values: tuple[str, ...], pref: bool) -> frozenset[str]:
    return frozenset(card_types(values, pref=pref))


# A file repeats the same few parameter lists thousands of times (the result is only read).
@lru_cache(maxsize=1024)
def _params(text: str) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for item in text.split(";")[1:]:
        key, sep, value = item.partition("=")
        if not sep:
            key, value = ("ENCODING" if key.upper() in BARE_ENCODINGS else "TYPE"), key
        key = key.strip().upper()
        values = [v.strip().upper() for v in value.split(",") if v.strip()] or [""]
        if key in ("ENCODING", "TYPE"):
            params.setdefault(key, []).extend(values)
        else:
            # A CHARSET or a service name keeps its spelling (vobject reads them the same).
            params.setdefault(key, []).append(value.strip())
    return params


def _vobject_line(raw: str, line: int) -> tuple[str, str, dict[str, list[str]], str]:
    try:
        content = textLineToContentLine(raw, line)
    except VObjectError:
        raise _error(NOT_A_PROPERTY, line, text=_quote(raw)) from None
    params: dict[str, list[str]] = {}
    for key, values in content.params.items():
        upper = key.upper()
        if upper in ("TYPE", "ENCODING"):
            params[upper] = [v.upper() for value in values for v in value.split(",") if v]
        else:
            params[upper] = list(values)
    for bare in content.singletonparams:
        key = "ENCODING" if bare.upper() in BARE_ENCODINGS else "TYPE"
        params.setdefault(key, []).append(bare.upper())
    return content.group or "", content.name.upper(), params, str(content.value)


def _as_bytes(value: str, file_encoding: str) -> bytes:
    try:
        return value.encode("ascii")
    except UnicodeEncodeError:
        # 8-bit letters written as they are in a quoted-printable value: the file's own bytes.
        return value.encode(file_encoding, errors="strict")


def _from_bytes(data: bytes, params: dict[str, list[str]], line: int, default: str) -> str:
    charset = (params.get("CHARSET") or [default])[0].strip() or default
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        raise _error(UNKNOWN_CHARSET, line, charset=_quote(charset)[:30]) from None
    try:
        return data.decode(name)
    except UnicodeDecodeError:
        if "CHARSET" not in params:
            # No charset named: programs that write none write Windows-1252 or UTF-8.
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                pass
        raise _error(BAD_CHARSET, line, charset=charset[:30]) from None
