"""Export in exactly the import template's columns, so that an exported file imports again.

Cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) get a leading apostrophe; the importer removes it again.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.translation import get_language

from contacts_app.models import Contact, ContactPerson, Note, WebProfile

from .columns import Column
from .contact_import import PERSON_FIELDS, PROFILE_KINDS, columns_for
from .documents import write_csv
from .formulas import escape_formula
from .models import Target


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, Decimal):
        # German spreadsheets read 2,50 as a number; 2.50 as text or a date.
        text = format(value, "f")
        return text.replace(".", ",") if (get_language() or "").startswith("de") else text
    return escape_formula(str(value))


def contact_row(contact: Contact, columns: Iterable[Column]) -> list[str]:
    persons = list(contact.persons.all())[:2]
    profiles: dict[str, str] = {}
    for profile in contact.web_profiles.all():
        profiles.setdefault(profile.kind, profile.value)
    notes = [note.text for note in contact.notes.all()]
    values: dict[str, object] = {}
    for n, person in enumerate(persons, start=1):
        for name in PERSON_FIELDS:
            attribute = "phone_extension" if name == "extension" else name
            values[f"person{n}_{name}"] = getattr(person, attribute)
    for kind in PROFILE_KINDS:
        values[f"profile_{kind}"] = profiles.get(kind, "")
    values["note"] = "\n\n".join(reversed(notes))
    row = []
    for column in columns:
        if column.key in values:
            row.append(cell(values[column.key]))
        else:
            value = getattr(contact, column.key, "")
            row.append(cell(value.code if hasattr(value, "code") else value))
    return row


def export_contacts(contacts: QuerySet[Contact], target: str = Target.CUSTOMERS) -> bytes:
    columns = columns_for(target)
    contacts = contacts.prefetch_related(
        Prefetch("persons", queryset=ContactPerson.objects.order_by("-is_primary", "id")),
        Prefetch("web_profiles", queryset=WebProfile.objects.order_by("id")),
        Prefetch("notes", queryset=Note.objects.order_by("-created_at", "-id")),
    )
    rows = [contact_row(c, columns) for c in contacts.iterator(chunk_size=2000)]
    return write_csv([c.label for c in columns], rows)


def export_rows(objects: Iterable, columns: Iterable[Column]) -> bytes:
    columns = list(columns)
    rows = [[cell(getattr(obj, c.key, "")) for c in columns] for obj in objects]
    return write_csv([c.label for c in columns], rows)


def export_target(organization, target: str) -> bytes:
    """Everything of one import target the organization has, archived records included."""
    if target == Target.PRODUCTS:
        from .product_import import export_products

        return export_products(organization)
    role = {"is_customer": True} if target == Target.CUSTOMERS else {"is_supplier": True}
    contacts = Contact.objects.filter(organization=organization, **role).order_by("sort_name")
    return export_contacts(contacts, target)
