"""Contacts as the API answers them, in lexoffice's shape, straight from database rows.

A page of 250 contacts costs six queries whatever the page: the count, the page's ids (from
an index, without reading the contacts before the page), the contacts' values, their contact
persons, their notes and their tags. No model instance is made: building the dicts from rows
is what makes a page several times faster than a serializer would be. (The newest note as a
subquery of the contacts' query would cost more: SQLite works it out for the contacts a deep
page skips too.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from contacts_app.models import Contact, ContactPerson, Note
from contacts_app.tags import tag_names_by_contact

from .ids import CONTACT, ORGANIZATION, to_uuid

EMAIL_KINDS = {kind: f"email_{kind}" for kind in ("business", "office", "private", "other")}
PHONE_KINDS = {
    kind: f"phone_{kind}" for kind in ("business", "office", "mobile", "private", "fax", "other")
}
ADDRESS_PARTS = {
    "supplement": "supplement",
    "street": "street",
    "zip": "postal_code",
    "city": "city",
    "countryCode": "country",
}
PERSON_PARTS = {
    "salutation": "salutation",
    "firstName": "first_name",
    "lastName": "last_name",
    "primary": "is_primary",
    "emailAddress": "email",
    "phoneNumber": "phone",
    "title": "title",
    "position": "position",
    "phoneExtension": "phone_extension",
    "mobileNumber": "mobile",
}
VALUES = (
    "id",
    "organization_id",
    "version",
    "kind",
    "is_customer",
    "is_supplier",
    "customer_number",
    "supplier_number",
    "company_name",
    "tax_number",
    "vat_id",
    "industry",
    "salutation",
    "title",
    "first_name",
    "last_name",
    *(f"billing_{part}" for part in ADDRESS_PARTS.values()),
    "has_shipping_address",
    *(f"shipping_{part}" for part in ADDRESS_PARTS.values()),
    *EMAIL_KINDS.values(),
    *PHONE_KINDS.values(),
    "archived",
    "created_at",
    "updated_at",
)
PERSON_VALUES = ("contact_id", *PERSON_PARTS.values())


def newest_notes(contact_ids: list[int]) -> dict[int, str]:
    notes: dict[int, str] = {}
    ordered = Note.objects.filter(contact_id__in=contact_ids).order_by(
        "contact_id", "-created_at", "-id"
    )
    for contact_id, text in ordered.values_list("contact_id", "text"):
        notes.setdefault(contact_id, text)
    return notes


def contact_rows(contacts: QuerySet[Contact]) -> list[dict[str, Any]]:
    """The values of `contacts` (sliced and ordered by the caller) with their contact persons
    and newest note."""
    ids = list(contacts.values_list("id", flat=True))
    if not ids:
        return []
    found = {row["id"]: row for row in Contact.objects.filter(id__in=ids).values(*VALUES)}
    rows = [found[pk] for pk in ids if pk in found]
    notes = newest_notes(ids)
    tags = tag_names_by_contact(ids)
    persons: dict[int, list[dict[str, Any]]] = defaultdict(list)
    companies = [row["id"] for row in rows if row["kind"] == Contact.Kind.COMPANY]
    if companies:
        for person in (
            ContactPerson.objects.filter(contact_id__in=companies)
            .order_by("contact_id", "-is_primary", "last_name", "first_name", "id")
            .values(*PERSON_VALUES)
        ):
            persons[person["contact_id"]].append(person)
    for row in rows:
        row["persons"] = persons.get(row["id"], [])
        row["newest_note"] = notes.get(row["id"], "")
        row["tags"] = tags.get(row["id"], [])
    return rows


def stamp(moment: datetime) -> str:
    """A moment to the millisecond with its offset, as lexoffice writes it (in UTC here:
    converting hundreds of them to local time would cost a page more than its JSON)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


@lru_cache(maxsize=1024)
def organization_uuid(pk: int) -> str:
    return to_uuid(ORGANIZATION, pk)


def contact_uri(pk: int) -> str:
    return reverse("api:contact", args=[to_uuid(CONTACT, pk)])


def _address(row: dict[str, Any], prefix: str) -> list[dict[str, str]]:
    parts = {name: row[f"{prefix}_{part}"] or "" for name, part in ADDRESS_PARTS.items()}
    if not any(value for name, value in parts.items() if name != "countryCode"):
        return []
    return [parts]


def _by_kind(row: dict[str, Any], kinds: dict[str, str]) -> dict[str, list[str]]:
    return {kind: [row[field]] for kind, field in kinds.items() if row[field]}


def _persons(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{name: person[part] for name, part in PERSON_PARTS.items()} for person in rows]


def contact_json(row: dict[str, Any]) -> dict[str, Any]:
    """One contact in lexoffice's shape (plus Kontor's own fields) from `contact_rows`."""
    roles: dict[str, dict[str, int]] = {}
    if row["is_customer"]:
        roles["customer"] = {"number": row["customer_number"]} if row["customer_number"] else {}
    if row["is_supplier"]:
        roles["vendor"] = {"number": row["supplier_number"]} if row["supplier_number"] else {}
    contact: dict[str, Any] = {
        "id": to_uuid(CONTACT, row["id"]),
        "organizationId": organization_uuid(row["organization_id"]),
        "version": row["version"],
        "roles": roles,
    }
    if row["kind"] == Contact.Kind.COMPANY:
        company: dict[str, Any] = {
            "name": row["company_name"],
            "taxNumber": row["tax_number"],
            "vatRegistrationId": row["vat_id"],
            "allowTaxFreeInvoices": False,
        }
        if row["persons"]:
            company["contactPersons"] = _persons(row["persons"])
        contact["company"] = company
    else:
        contact["person"] = {
            "salutation": row["salutation"],
            "title": row["title"],
            "firstName": row["first_name"],
            "lastName": row["last_name"],
        }
    addresses = {}
    if billing := _address(row, "billing"):
        addresses["billing"] = billing
    if row["has_shipping_address"] and (shipping := _address(row, "shipping")):
        addresses["shipping"] = shipping
    contact.update(
        addresses=addresses,
        emailAddresses=_by_kind(row, EMAIL_KINDS),
        phoneNumbers=_by_kind(row, PHONE_KINDS),
        note=row["newest_note"] or "",
        archived=row["archived"],
        industry=row["industry"],
        tags=row["tags"],
        createdDate=stamp(row["created_at"]),
        updatedDate=stamp(row["updated_at"]),
    )
    return contact


def contacts_json(contacts: QuerySet[Contact]) -> list[dict[str, Any]]:
    return [contact_json(row) for row in contact_rows(contacts)]


def write_result(contact: Contact, request_uri: Any) -> dict[str, Any]:
    """What POST and PUT answer: lexoffice's `{id, resourceUri, createdDate, updatedDate,
    version}`; `request_uri` makes the absolute URI (the request's build_absolute_uri)."""
    return {
        "id": to_uuid(CONTACT, contact.pk),
        "resourceUri": request_uri(contact_uri(contact.pk)),
        "createdDate": stamp(contact.created_at),
        "updatedDate": stamp(contact.updated_at),
        "version": contact.version,
    }


def page_sort() -> Sequence[dict[str, Any]]:
    return [
        {
            "property": name,
            "direction": "ASC",
            "ignoreCase": False,
            "nullHandling": "NATIVE",
            "ascending": True,
        }
        for name in ("id",)
    ]
