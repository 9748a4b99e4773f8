"""A card's values as the contact form's input: what a phone sends is checked like a page's.

`contact_input` turns a card into the data a `ContactForm` is bound with (the contact's other
fields as they are), `person_input` into a `ContactPersonForm`'s. Values the card writes in
another form than the one stored (a phone number as E.164) keep the stored form when they
mean the same, so a card sent back unchanged changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django_countries import countries

from contacts_app import phones
from contacts_app.forms import CONTACT_FIELDS
from contacts_app.models import Contact, ContactPerson, WebProfile
from contacts_app.validators import web_profile_url
from contacts_app.vcard import escape, guess_profile

from .card_reading import CardUnreadable, Line, ReadCard
from .cards import ADDRESS_PARTS_PROPERTY, PROFILE_PROPERTY, country_names

# Where a card's e-mail addresses and numbers go, by their type, in this order of preference.
EMAIL_SLOTS = (
    ("WORK", ("email_business", "email_office")),
    ("HOME", ("email_private",)),
    ("", ("email_other",)),
)
PHONE_SLOTS = (
    ("CELL", ("phone_mobile",)),
    ("FAX", ("phone_fax",)),
    ("HOME", ("phone_private",)),
    ("WORK", ("phone_business", "phone_office")),
    ("", ("phone_other",)),
)
PROFILE_KINDS = {k.upper(): k for k in WebProfile.Kind.values}


@dataclass
class ContactInput:
    data: dict[str, Any]  # the form's data, formsets' management forms included
    card_properties: str
    note: str | None


def form_value(contact: Contact, name: str) -> Any:
    value = getattr(contact, name)
    code = getattr(value, "code", None)
    if code is not None:
        return code or ""
    return "" if value is None else value


def _slot(line: Line, slots, used: set[str]) -> str | None:
    types = line.types
    for wanted, fields in slots:
        if wanted and wanted not in types:
            continue
        free = [f for f in fields if f not in used]
        if free:
            return free[0]
    other = slots[-1][1][0]
    return other if other not in used else None


def _same_number(typed: str, sent: str, country: object) -> bool:
    return bool(typed) and phones.tel_uri(typed, country) == phones.tel_uri(sent, country)


def _tel_value(line: Line) -> str:
    return line.text.removeprefix("tel:").strip()


def country_code(name: str) -> str:
    """A country as Kontor stores it, from its name (English or German) or code on a card."""
    text = name.strip()
    if not text:
        return ""
    if len(text) == 2 and text.upper() in country_names():
        return text.upper()
    for language in ("en", "de"):
        if code := countries.by_name(text, language=language):
            return code
    raise CardUnreadable(_("Kontor does not know the country “%(name)s”.") % {"name": text[:60]})


def contact_input(card: ReadCard, contact: Contact | None) -> ContactInput:
    """The form data for `contact` (None: a new one) with the card's values."""
    if contact is not None:
        data = {name: form_value(contact, name) for name in CONTACT_FIELDS}
        kind = contact.kind
    else:
        kind = Contact.Kind.COMPANY if card.is_company else Contact.Kind.PERSON
        data = {"kind": kind, "is_customer": True, "is_supplier": False}
    data["kind"] = kind
    also_taken = {"UID", "FN", "N", "NOTE", "CATEGORIES"}
    if kind == Contact.Kind.COMPANY:
        also_taken.add("ORG")
        data["company_name"] = card.organization or card.formatted_name
    else:
        family, given, _additional, prefix, _suffix = card.name_parts()
        data.update(last_name=family or card.formatted_name, first_name=given, title=prefix)
    country = data.get("billing_country") or ""
    _take_values(card, data, "EMAIL", EMAIL_SLOTS, lambda line: line.text)
    _take_values(card, data, "TEL", PHONE_SLOTS, _tel_value, country=country)
    address_parts = _take_addresses(card, data)
    profiles = _take_profiles(card, contact)
    data.update(_formset("persons", []), **_formset("profiles", profiles))
    extras = [line for line in (card.extras(also_taken), *address_parts) if line]
    return ContactInput(data, "\r\n".join(extras), card.note)


def _take_values(card: ReadCard, data, name: str, slots, value_of, country: object = "") -> None:
    """The card's e-mail addresses or numbers into the contact's fields: a value the contact
    has already stays in its field (and, for a number, in the form it was typed in); the others
    go by their types."""
    fields = [f for _types, group in slots for f in group]
    previous = {f: data.get(f, "") for f in fields}
    data.update(dict.fromkeys(fields, ""))
    used: set[str] = set()
    waiting = []
    for index, line in card.all(name):
        value = value_of(line)
        if not value:
            continue
        if name == "TEL":
            known = [f for f in fields if _same_number(previous[f], value, country)]
        else:
            known = [f for f in fields if previous[f] and previous[f].lower() == value.lower()]
        field = next((f for f in known if f not in used), None)
        if field is None:
            waiting.append((index, line, value))
            continue
        card.take(index)
        used.add(field)
        data[field] = previous[field]
    for index, line, value in waiting:
        target = _slot(line, slots, used)
        if target is None:
            continue  # kept with the card's further properties
        card.take(index)
        used.add(target)
        data[target] = value


def _take_addresses(card: ReadCard, data: dict[str, Any]) -> list[str]:
    """Billing and shipping address from the card's ADR lines; returns the lines that keep an
    address's post office box and region (no field of Kontor's holds them)."""
    lines = card.all("ADR")
    billing = next(((i, line) for i, line in lines if "POSTAL" not in line.types), None)
    billing = billing or (lines[0] if lines else None)
    shipping = next(((i, line) for i, line in lines if (i, line) != billing), None)
    kept = []
    for prefix, found in (("billing", billing), ("shipping", shipping)):
        names = ("supplement", "street", "city", "postal_code", "country")
        if found is None:
            # No address on the card: none in Kontor either (a country alone is written as
            # none, so the billing country stays as it is).
            data.update(
                {f"{prefix}_{n}": "" for n in names if n != "country" or prefix == "shipping"}
            )
            if prefix == "shipping":
                data["has_shipping_address"] = False
            continue
        index, line = found
        card.take(index)
        box, extended, street, city, region, code, country = (line.parts + [""] * 7)[:7]
        data.update(
            {
                f"{prefix}_supplement": extended,
                f"{prefix}_street": street,
                f"{prefix}_city": city,
                f"{prefix}_postal_code": code,
                f"{prefix}_country": country_code(country),
            }
        )
        if prefix == "shipping":
            data["has_shipping_address"] = True
        if box or region:
            kept.append(
                f"{ADDRESS_PARTS_PROPERTY};TYPE={prefix.upper()}:{escape(box)};{escape(region)}"
            )
    return kept


def _take_profiles(card: ReadCard, contact: Contact | None) -> list[dict[str, str]]:
    known = {}
    if contact is not None:
        for profile in contact.web_profiles.all():
            url = web_profile_url(profile.kind, profile.value)
            if url:
                known[url] = (profile.kind, profile.value)
    profiles = []
    for index, line in card.all("URL"):
        url = line.text
        if not url:
            continue
        card.take(index)
        kind, value = known.get(url) or guess_profile(url)
        profiles.append({"kind": kind, "value": value})
    for index, line in card.all(PROFILE_PROPERTY):
        kind = PROFILE_KINDS.get(next(iter(line.types), ""), WebProfile.Kind.OTHER)
        if line.text:
            card.take(index)
            profiles.append({"kind": kind, "value": line.text})
    return profiles


def _formset(prefix: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": 0}
    for number, row in enumerate(rows):
        data.update({f"{prefix}-{number}-{name}": value for name, value in row.items()})
    return data


PERSON_FIELDS = (
    *("salutation", "title", "first_name", "last_name", "position", "email"),
    *("phone", "phone_extension", "mobile", "is_primary"),
)


def person_input(card: ReadCard, person: ContactPerson, country: object) -> tuple[dict, str]:
    """A contact person's form data from their card, and the card's further properties."""
    data: dict[str, Any] = {name: getattr(person, name) for name in PERSON_FIELDS}
    family, given, _additional, prefix, _suffix = card.name_parts()
    data.update(last_name=family or card.formatted_name, first_name=given, title=prefix)
    title = card.first("TITLE")
    data["position"] = title.text if title else ""
    data.update(email="", phone="", phone_extension="", mobile="")
    for index, line in card.all("EMAIL"):
        if not data["email"] and line.text:
            card.take(index)
            data["email"] = line.text
    for index, line in card.all("TEL"):
        target = "mobile" if "CELL" in line.types else "phone"
        value = _tel_value(line)
        if data[target] or not value:
            continue
        card.take(index)
        if target == "phone":
            number, _sep, extension = value.partition(";ext=")
            if phones.tel_uri(person.phone, country, person.phone_extension) == phones.tel_uri(
                number, country, extension
            ):
                number, extension = person.phone, person.phone_extension
            data.update(phone=number, phone_extension=extension)
        else:
            data["mobile"] = person.mobile if _same_number(person.mobile, value, country) else value
    return data, card.extras({"UID", "FN", "N", "ORG", "TITLE"})
