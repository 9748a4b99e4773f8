"""Reading a card a client sends (vCard 3.0 or 4.0) with vobject, line by line.

The card as a whole is parsed by vobject first (what it refuses is no vCard); then each of its
logical lines is read on its own, so that a line Kontor has no field for is kept exactly as
the client wrote it (`ReadCard.extras`) and written back with the card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import vobject
from django.utils.translation import gettext as _
from vobject.base import ContentLine, VObjectError, textLineToContentLine
from vobject.icalendar import stringToTextValues
from vobject.vcard import splitFields

from contacts_app.vcard import card_types

from .cards import ADDRESS_PARTS_PROPERTY, NUMBERS_PROPERTY, PROFILE_PROPERTY

# Lines that say nothing of the contact or that Kontor writes itself from its fields.
DERIVED = {"BEGIN", "END", "VERSION", "PRODID", "REV", "KIND", "X-ABSHOWAS", "LABEL"}
DERIVED |= {NUMBERS_PROPERTY, ADDRESS_PARTS_PROPERTY}
# Control characters have no place in a line kept for the card (the tab aside).
CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f]")
NAME = re.compile(r"(?:([A-Za-z0-9-]+)\.)?([A-Za-z0-9-]+)")


class CardUnreadable(Exception):
    """The body is not one vCard; the message says why, in the client's language."""


@dataclass
class Line:
    """One property of the card: vobject's reading of it, and its text as sent."""

    content: ContentLine
    raw: str

    @property
    def name(self) -> str:
        return self.content.name.upper()

    @property
    def group(self) -> str:
        return (self.content.group or "").lower()

    @property
    def types(self) -> set[str]:
        return card_types(
            [*self.content.singletonparams, *self.content.params.get("TYPE", [])],
            pref=bool(self.content.params.get("PREF")),
        )

    @property
    def text(self) -> str:
        """The value as text, unescaped."""
        return ",".join(stringToTextValues(str(self.content.value))).strip()

    @property
    def parts(self) -> list[str]:
        """A structured value (N, ADR, ORG) split at its semicolons, each part unescaped."""
        return [str(p).strip() for p in splitFields(str(self.content.value))]


@dataclass
class ReadCard:
    version: str
    lines: list[Line]
    consumed: set[int] = field(default_factory=set)  # indexes of the lines taken into fields

    def all(self, name: str) -> list[tuple[int, Line]]:
        return [(i, line) for i, line in enumerate(self.lines) if line.name == name]

    def first(self, name: str) -> Line | None:
        found = self.all(name)
        return found[0][1] if found else None

    def take(self, index: int) -> None:
        self.consumed.add(index)

    @property
    def uid(self) -> str:
        line = self.first("UID")
        return line.text[:200] if line else ""

    @property
    def formatted_name(self) -> str:
        line = self.first("FN")
        return line.text if line else ""

    @property
    def note(self) -> str | None:
        line = self.first("NOTE")
        return line.text if line else None

    @property
    def categories(self) -> list[str] | None:
        """The card's CATEGORIES (Kontor's tags), or None when it has no such line: a client
        that does not keep categories leaves the contact's tags as they are."""
        found = self.all("CATEGORIES")
        if not found:
            return None
        names = []
        for _index, line in found:
            names += [n.strip() for n in stringToTextValues(str(line.content.value)) if n.strip()]
        return names

    def name_parts(self) -> list[str]:
        """N as [family, given, additional, prefix, suffix] (empty strings when missing)."""
        line = self.first("N")
        parts = line.parts if line else []
        return (parts + [""] * 5)[:5]

    @property
    def organization(self) -> str:
        line = self.first("ORG")
        return line.parts[0] if line and line.parts else ""

    @property
    def is_company(self) -> bool:
        show_as = self.first("X-ABSHOWAS")
        kind = self.first("KIND")
        if (show_as and show_as.text.upper() == "COMPANY") or (kind and kind.text.lower() == "org"):
            return True
        family, given = self.name_parts()[:2]
        return not (family or given) and bool(self.organization)

    def extras(self, also_taken: frozenset[str] | set[str] = frozenset()) -> str:
        """The lines no field took, as sent: what the card keeps beyond Kontor's fields.

        A line of an Apple group (`item1.X-ABLabel`) stays only beside a line of its group
        that stays too: the label of a number Kontor took would label nothing.
        """
        kept = [
            (i, line)
            for i, line in enumerate(self.lines)
            if i not in self.consumed and line.name not in DERIVED | also_taken
        ]
        groups_kept = {
            line.group for _i, line in kept if line.group and not line.name.startswith("X-AB")
        }
        return "\r\n".join(
            CONTROLS.sub("", line.raw)
            for _i, line in kept
            if not line.group or line.group in groups_kept
        )


def logical_lines(text: str) -> list[str]:
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    return [line for line in re.split(r"\r\n|\n|\r", unfolded) if line.strip()]


def read_card(text: str) -> ReadCard:
    """The card in `text`: exactly one vCard of version 3.0 or 4.0."""
    try:
        cards = list(vobject.readComponents(text, allowQP=True))
    except (VObjectError, ValueError, UnicodeError) as error:
        raise CardUnreadable(_("This is not a vCard: %(error)s") % {"error": error}) from error
    if len(cards) != 1 or cards[0].name.upper() != "VCARD":
        raise CardUnreadable(_("Send exactly one vCard (BEGIN:VCARD … END:VCARD)."))
    version = str(getattr(cards[0], "version", None) and cards[0].version.value)
    if version not in ("3.0", "4.0"):
        raise CardUnreadable(
            _("Kontor reads vCards of version 3.0 and 4.0, not “%(version)s”.")
            % {"version": version[:10]}
        )
    kind = getattr(cards[0], "kind", None) or getattr(cards[0], "x_addressbookserver_kind", None)
    if kind is not None and str(kind.value).strip().lower() == "group":
        raise CardUnreadable(
            _("Kontor keeps no contact groups: add the contacts themselves instead.")
        )
    lines = []
    for raw in logical_lines(text):
        match = NAME.match(raw)
        if match is None:
            raise CardUnreadable(
                _("This vCard has a line without a name: %(line)s") % {"line": raw[:40]}
            )
        try:
            content = textLineToContentLine(raw)
        except VObjectError as error:
            raise CardUnreadable(_("This is not a vCard: %(error)s") % {"error": error}) from error
        lines.append(Line(content, raw))
    return ReadCard(version, lines)


__all__ = ["PROFILE_PROPERTY", "CardUnreadable", "Line", "ReadCard", "read_card"]
