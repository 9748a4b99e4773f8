"""Contacts as vCards for the address book: a company's card, a person's, a contact person's.

vCard 3.0 (RFC 2426) by default, what every client reads; 4.0 (RFC 6350) when a client asks
for it. Cards are written as text with the escaping and folding of `contacts_app.vcard` (a
first sync writes thousands of cards; building each as vobject's objects costs ten times as
much) and read with vobject (`card_reading`); the tests read every card written here back
with vobject.

What a card holds is what `card_reading` reads back: a card fetched and sent back unchanged
changes nothing. No REV: the card's text changes only when what it says does. Lines Kontor
has no field for (`card_properties`) are written back as the phone sent them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from django.utils import translation
from django_countries import countries

from contacts_app import phones
from contacts_app.models import Contact, ContactPerson, Note, WebProfile
from contacts_app.validators import web_profile_url
from contacts_app.vcard import escape as escape_text
from contacts_app.vcard import fold_line

VERSIONS = ("3.0", "4.0")
PRODID = "-//Kontor//CardDAV//EN"
CONTENT_TYPE = "text/vcard; charset=utf-8"

# Kontor's fields and the types their values carry on a card (vCard 3.0 spelling); reading
# goes the other way (card_reading.EMAIL_SLOTS, PHONE_SLOTS).
EMAIL_TYPES = {
    "email_business": ("WORK",),
    "email_office": ("WORK",),
    "email_private": ("HOME",),
    "email_other": (),
}
PHONE_TYPES = {
    "phone_business": ("WORK", "VOICE"),
    "phone_office": ("WORK", "VOICE"),
    "phone_mobile": ("CELL",),
    "phone_private": ("HOME", "VOICE"),
    "phone_fax": ("WORK", "FAX"),
    "phone_other": ("VOICE",),
}
ADDRESS_TYPES = {"billing": ("WORK", "PREF"), "shipping": ("POSTAL",)}
# A profile without a web address (a messenger name, free text) as a line of its own.
PROFILE_PROPERTY = "X-KONTOR-PROFILE"
# Parts of an address Kontor has no field for (post office box, region), kept for the card.
ADDRESS_PARTS_PROPERTY = "X-KONTOR-ADR"
NUMBERS_PROPERTY = "X-KONTOR-NUMBERS"


@dataclass
class Card:
    """One card of an address book: its name there (href), UID, text and ETag (the same for
    every vCard version of it, see books.etag)."""

    name: str
    uid: str
    text: str
    contact: Contact
    person: ContactPerson | None
    etag: str


def contact_card_name(contact: Contact) -> str:
    return contact.card_name or f"kontor-contact-{contact.pk}.vcf"


def contact_card_uid(contact: Contact) -> str:
    return contact.card_uid or f"kontor-contact-{contact.pk}"


def person_card_name(person: ContactPerson) -> str:
    return f"{person.card_id}.vcf"


@cache
def country_names() -> dict[str, str]:
    """Country names in English: the card of a contact is the same whoever asks."""
    with translation.override("en"):
        return {code: str(name) for code, name in countries}


# What escape_text() changes; most values have none of it and are taken as they are.
NEEDS_ESCAPING = re.compile(r"[\\;,\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escape(value: str) -> str:
    return escape_text(value) if NEEDS_ESCAPING.search(value) else value


# Reading a number costs phonenumbers 30–60 µs; a book's first sync writes tens of thousands.
# Kept for the process, as the numbers of a book hardly change between two syncs.
_TELEPHONES: dict[tuple[str, str, str], tuple[str, str | None]] = {}
TELEPHONES_KEPT = 200_000


def telephone(number: str, country: str, extension: str) -> tuple[str, str | None]:
    """A number's TEL value for vCard 3.0 (phones.vcard_tel) and its tel: URI (None if it
    cannot be read)."""
    key = (number, country, extension)
    found = _TELEPHONES.get(key)
    if found is None:
        uri = phones.tel_uri(number, country, extension)
        found = (uri.removeprefix("tel:") if uri else escape(number.strip()), uri)
        if len(_TELEPHONES) >= TELEPHONES_KEPT:
            _TELEPHONES.clear()
        _TELEPHONES[key] = found
    return found


def fold(line: str) -> str:
    if len(line) <= 25 or len(line.encode()) <= 75:
        return line
    return fold_line(line)


class CardWriter:
    """The lines of one card, in the spelling of its vCard version."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.lines = ["BEGIN:VCARD", f"VERSION:{version}", f"PRODID:{PRODID}"]

    @property
    def is_v4(self) -> bool:
        return self.version == "4.0"

    def add(self, name: str, value: str, types: Sequence[str] = (), *, raw: bool = False) -> None:
        """A property; `value` is escaped unless `raw` (structured values escape their parts)."""
        self.lines.append(f"{name}{self.type_parameter(types)}:{value if raw else escape(value)}")

    def type_parameter(self, types: Sequence[str]) -> str:
        if not types:
            return ""
        if not self.is_v4:
            return ";TYPE=" + ",".join(types)
        pref = "PREF" in types
        kept = [t.lower() for t in types if t != "PREF"]
        parameter = (';TYPE="' + ",".join(kept) + '"') if len(kept) > 1 else ""
        if len(kept) == 1:
            parameter = f";TYPE={kept[0]}"
        return parameter + (";PREF=1" if pref else "")

    def email(self, address: str, types: Sequence[str]) -> None:
        self.add("EMAIL", address, types if self.is_v4 else ("INTERNET", *types))

    def tel(self, number: str, country: object, types: Sequence[str], extension: str = "") -> None:
        value, uri = telephone(number, str(country or ""), extension)
        if self.is_v4 and uri:
            self.lines.append(f"TEL;VALUE=uri{self.type_parameter(types)}:{uri}")
        else:
            self.add("TEL", value, types, raw=True)

    def name(self, last: str, first: str, prefix: str = "") -> None:
        self.add("N", ";".join(escape(p) for p in (last, first, "", prefix, "")), raw=True)

    def further(self, properties: str) -> None:
        self.lines += [line for line in properties.split("\r\n") if line]

    def text(self) -> str:
        self.lines.append("END:VCARD")
        return "\r\n".join(fold(line) for line in self.lines) + "\r\n"


def _split_extras(properties: str) -> tuple[str, dict[str, tuple[str, str]]]:
    """The further properties without Kontor's own address parts, and those parts by address."""
    kept, parts = [], {}
    for line in properties.split("\r\n"):
        if line.startswith(ADDRESS_PARTS_PROPERTY + ";TYPE="):
            head, _, value = line.partition(":")
            box, _, region = value.partition(";")
            parts[head.rsplit("=", 1)[1].lower()] = (box, region)
        elif line:
            kept.append(line)
    return "\r\n".join(kept), parts


def write_contact_card(
    contact: Contact,
    *,
    profiles: Iterable[WebProfile],
    notes: Iterable[Note | str],
    tags: Sequence[str] = (),
    version: str = "3.0",
) -> str:
    """The card of a company (with ORG, shown as a company by Apple's clients) or a person;
    its tags are its CATEGORIES."""
    card = CardWriter(version)
    card.add("UID", contact_card_uid(contact))
    if contact.is_company:
        card.add("FN", contact.company_name)
        card.name("", "")  # required by vCard 3.0; the company's name is its ORG
        card.add("ORG", escape(contact.company_name), raw=True)
        if card.is_v4:
            card.add("KIND", "org")
        card.add("X-ABShowAs", "COMPANY")
    else:
        card.add("FN", contact.compute_display_name() or contact.last_name)
        card.name(contact.last_name, contact.first_name, contact.title)
    extras, address_parts = _split_extras(contact.card_properties)
    for field, types in EMAIL_TYPES.items():
        if value := getattr(contact, field):
            card.email(value, types)
    country = contact.billing_country
    for field, types in PHONE_TYPES.items():
        if value := getattr(contact, field):
            card.tel(value, country, types)
    for prefix, types in ADDRESS_TYPES.items():
        _write_address(card, contact, prefix, types, address_parts.get(prefix, ("", "")))
    for profile in profiles:
        url = web_profile_url(profile.kind, profile.value)
        if url:
            card.add("URL", url)
        else:
            card.add(f"{PROFILE_PROPERTY};TYPE={profile.kind.upper()}", profile.value)
    texts = [n if isinstance(n, str) else n.text for n in notes]
    if texts:
        card.add("NOTE", "\n\n".join(texts))
    if tags:
        card.add("CATEGORIES", ",".join(escape(t) for t in tags), raw=True)
    numbers = [
        f"{role} {number}"
        for role, number in (
            ("customer", contact.customer_number),
            ("supplier", contact.supplier_number),
        )
        if number
    ]
    if numbers:
        card.add(NUMBERS_PROPERTY, ", ".join(numbers))
    card.further(extras)
    return card.text()


def _write_address(
    card: CardWriter, contact: Contact, prefix: str, types: Sequence[str], parts: tuple[str, str]
) -> None:
    if prefix == "shipping" and not contact.has_shipping_address:
        return
    street = getattr(contact, f"{prefix}_street")
    city = getattr(contact, f"{prefix}_city")
    code = getattr(contact, f"{prefix}_postal_code")
    supplement = getattr(contact, f"{prefix}_supplement")
    if not (street or city or code or supplement or any(parts)):
        return
    country = getattr(contact, f"{prefix}_country")
    country_name = country_names().get(country.code, country.code) if country else ""
    box, region = parts
    values = [box, escape(supplement), escape(street), escape(city), region, escape(code)]
    card.add("ADR", ";".join([*values, escape(country_name)]), types, raw=True)


def write_person_card(person: ContactPerson, company: Contact, version: str = "3.0") -> str:
    """The card of a company's contact person: the person, with the company as ORG."""
    card = CardWriter(version)
    card.add("UID", person.card_id)
    card.add("FN", person.full_name or person.last_name)
    card.name(person.last_name, person.first_name, person.title)
    card.add("ORG", escape(company.company_name), raw=True)
    if person.position:
        card.add("TITLE", person.position)
    if person.email:
        card.email(person.email, ("WORK",))
    country = company.billing_country
    if person.phone:
        card.tel(person.phone, country, ("WORK", "VOICE"), person.phone_extension)
    if person.mobile:
        card.tel(person.mobile, country, ("CELL",))
    card.further(person.card_properties)
    return card.text()


def contact_card(
    contact: Contact,
    profiles: Sequence[WebProfile],
    notes: Sequence[Note | str],
    etag: str,
    version: str = "3.0",
    tags: Sequence[str] = (),
) -> Card:
    text = write_contact_card(contact, profiles=profiles, notes=notes, tags=tags, version=version)
    return Card(contact_card_name(contact), contact_card_uid(contact), text, contact, None, etag)


def person_card(person: ContactPerson, company: Contact, etag: str, version: str = "3.0") -> Card:
    text = write_person_card(person, company, version)
    return Card(person_card_name(person), person.card_id, text, company, person, etag)
