"""The text rules of vCard lines: escaping values and folding long lines (RFC 2425/2426), and
what a card's types and web addresses mean (read by CardDAV and the vCard import alike).

The cards themselves are written in one place, `carddav.cards`, for the address book and the
contact page's download alike."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Where a card's web address points to a profile of Kontor's, by the address's site.
PROFILE_SITES = (
    ("x.com/", "twitter"),
    ("twitter.com/", "twitter"),
    ("linkedin.com/", "linkedin"),
    ("xing.com/", "xing"),
)
# Types that say nothing about what an address or number is for.
MEANINGLESS_TYPES = frozenset({"INTERNET", "X-INTERNET"})


def card_types(values: Iterable[str], *, pref: bool = False) -> set[str]:
    """A property's TYPE values (`TYPE=WORK,VOICE`, vCard 2.1's bare `WORK`) in capitals;
    PREF among them when a PREF parameter (vCard 4.0) says so."""
    found = {t.strip().upper() for value in values for t in value.split(",") if t.strip()}
    if pref:
        found.add("PREF")
    return found - MEANINGLESS_TYPES


def guess_profile(url: str) -> tuple[str, str]:
    """A card's URL as a web profile: (kind, value), by the site it points to."""
    lower = url.lower()
    if lower.startswith("skype:"):
        return "skype", url[6:].split("?")[0]
    for site, kind in PROFILE_SITES:
        if site in lower:
            return kind, url
    return "website", url


# What a reader could take for the end of a line: as a line break in the value, written "\n".
# (Unicode's mandatory breaks; Python's str.splitlines() and many vCard readers split at them.)
LINE_BREAKS = re.compile("\r\n|[\n\r\v\f\x85\u2028\u2029]")
# Other control characters have no place in a vCard line and are dropped; the tab, the one
# RFC 2425 allows, becomes a plain space.
CONTROLS = {code: None for code in [*range(0x20), *range(0x7F, 0xA0)]} | {ord("\t"): " "}
TEXT_SPECIALS = str.maketrans({"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n"})


def escape(value: str) -> str:
    """A text value for a vCard line: its line breaks as "\\n", control characters dropped,
    backslash, semicolon and comma escaped."""
    lines = LINE_BREAKS.split(value)
    return "\n".join(line.translate(CONTROLS) for line in lines).translate(TEXT_SPECIALS)


def fold_line(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 2425)."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > 75:
            out.append(current.decode())
            current = b" "
        current += encoded
    out.append(current.decode())
    return "\r\n".join(out)
