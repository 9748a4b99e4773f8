"""A contact as a vCard 3.0, the version phones and Outlook import most reliably."""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import phones
from .models import Contact

EMAIL_TYPES = {
    "email_business": "WORK",
    "email_office": "WORK",
    "email_private": "HOME",
    "email_other": "OTHER",
}
PHONE_TYPES = {
    "phone_business": "WORK,VOICE",
    "phone_office": "WORK,VOICE",
    "phone_mobile": "CELL",
    "phone_private": "HOME,VOICE",
    "phone_fax": "WORK,FAX",
    "phone_other": "VOICE",
}

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


def _property_name(kind: str) -> str:
    return re.sub(r"[^A-Z0-9-]", "", kind.upper()) or "OTHER"


def render_vcard(contact: Contact) -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0"]
    name = str(contact)
    lines.append(f"FN:{escape(name)}")
    if contact.kind == Contact.Kind.PERSON:
        lines.append(
            "N:"
            + ";".join(
                escape(p) for p in [contact.last_name, contact.first_name, "", contact.title, ""]
            )
        )
    else:
        lines.append(f"N:{escape(contact.company_name)};;;;")
        lines.append(f"ORG:{escape(contact.company_name)}")
        primary = contact.persons.filter(is_primary=True).first()
        if primary:
            lines.append(f"X-ASSISTANT:{escape(primary.full_name)}")
    for prefix, kind in (("billing", "WORK,PREF"), ("shipping", "POSTAL")):
        street = getattr(contact, f"{prefix}_street")
        city = getattr(contact, f"{prefix}_city")
        if street or city:
            country = getattr(contact, f"{prefix}_country")
            parts = [
                "",
                getattr(contact, f"{prefix}_supplement"),
                street,
                city,
                "",
                getattr(contact, f"{prefix}_postal_code"),
                country.name if country else "",
            ]
            lines.append(f"ADR;TYPE={kind}:" + ";".join(escape(str(p)) for p in parts))
    for field, kind in EMAIL_TYPES.items():
        if value := getattr(contact, field):
            lines.append(f"EMAIL;TYPE=INTERNET,{kind}:{escape(value)}")
    for field, kind in PHONE_TYPES.items():
        if value := getattr(contact, field):
            lines.append(f"TEL;TYPE={kind}:{phones.vcard_tel(value, contact.billing_country)}")
    people = []
    for person in contact.persons.all():
        details = [person.position, person.email, person.phone_with_extension, person.mobile]
        people.append(", ".join([person.full_name] + [d for d in details if d]))
    if people:
        lines.append("NOTE:" + escape("\n".join(people)))
    from .validators import web_profile_url

    for profile in contact.web_profiles.all():
        url = web_profile_url(profile.kind, profile.value)
        if url:
            lines.append(f"URL:{escape(url)}")
        else:
            lines.append(f"X-{_property_name(profile.kind)}:{escape(profile.value)}")
    numbers = []
    if contact.customer_number:
        numbers.append(f"customer {contact.customer_number}")
    if contact.supplier_number:
        numbers.append(f"supplier {contact.supplier_number}")
    if numbers:
        lines.append(f"X-KONTOR-NUMBERS:{escape(', '.join(numbers))}")
    lines.append(f"REV:{contact.updated_at:%Y%m%dT%H%M%SZ}")
    lines.append("END:VCARD")
    return "\r\n".join(fold_line(line) for line in lines) + "\r\n"
