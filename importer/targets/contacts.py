"""Customers and suppliers as import targets: one class, one instance per role.

An existing contact is recognised by its customer (or supplier) number. The row rules are in
`contact_rows.py`, the bulk write in `contact_writing.py`, the columns in `contact_columns.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization, User
from contacts_app.models import Contact, ContactPerson, Note, WebProfile

from .. import bulk
from ..checking import CheckResult, OnDuplicate, RowOutcome, check_file_rows
from ..columns import Column
from ..csv_writing import cell, write_csv
from ..reading import ParsedFile
from ..resources import contact_resource
from .base import FinishedImport, ImportTarget
from .contact_rows import PERSON_FIELDS, PROFILE_KINDS, changes, check_row, children_of
from .contact_writing import write_contacts


class ContactTarget(ImportTarget):
    """Contacts in one role: `role` is a NumberSequence.Role, `number_key` the contact's field
    with the role's number (and the key of its column)."""

    model = Contact
    records_label = gettext_lazy("Show contacts")

    def __init__(
        self,
        *,
        key: str,
        label: str | Promise,
        role: str,
        number_key: str,
        columns: Sequence[Column],
        resource_name: str,
    ) -> None:
        self.key, self.label, self.role = key, label, role
        self.number_key = number_key
        self.columns = list(columns)
        self.resource = contact_resource(resource_name, self.columns, number_key, role)

    def records_url(self) -> str:
        return f"{reverse('contacts:list')}?role={self.role}"

    def check_file(self, parsed: ParsedFile, mapping: Sequence[str]) -> list[RowOutcome]:
        return check_file_rows(
            parsed, mapping, self.columns, check_row=check_row, number_key=self.number_key
        )

    def check_database(
        self,
        rows: list[RowOutcome],
        mapping: Sequence[str],
        *,
        organization: Organization,
        on_duplicate: str,
    ) -> CheckResult:
        """Which rows are new, which update or repeat an existing contact."""
        by_key = {c.key: c for c in self.columns}
        field = self.number_key
        numbers = [row.values[field] for row in rows if row.is_valid and row.values.get(field)]
        existing = (
            {
                getattr(c, field): c
                for c in Contact.objects.filter(
                    organization=organization, **{f"{field}__in": bulk.one_of(numbers)}
                )
            }
            if numbers
            else {}
        )
        children = children_of(existing.values())
        for row in rows:
            if not row.is_valid:
                continue
            contact = existing.get(row.values.get(field))
            if contact is None:
                row.status = "new"
                continue
            row.existing = contact
            wants_company = bool(row.values.get("company_name"))
            if wants_company != contact.is_company and (
                "company_name" in row.values or "last_name" in row.values
            ):
                row.fail(
                    by_key[field].label,
                    str(row.values[field]),
                    _("This number belongs to an existing company; a row cannot make it a person.")
                    if contact.is_company
                    else _(
                        "This number belongs to an existing person; a row cannot make it a company."
                    ),
                )
            elif on_duplicate == OnDuplicate.SKIP:
                row.status = "skip"
            else:
                row.status = "update" if changes(row, contact, children) else "unchanged"
        return CheckResult(rows=rows, columns=[by_key.get(k) if k else None for k in mapping])

    def write(
        self, result: CheckResult, *, organization: Organization, by: User | None, now: datetime
    ) -> list[int]:
        return write_contacts(
            result,
            organization=organization,
            role=self.role,
            number_key=self.number_key,
            by=by,
            now=now,
        )

    def undo(self, run: FinishedImport) -> tuple[int, list[Contact]]:
        created = run.created_among(Contact.objects.filter(organization=run.organization))
        contacts = list(created.order_by("sort_name"))
        # A note written after the import counts as a change too: deleting would lose it.
        annotated = set(
            Note.objects.filter(contact__in=created, created_at__gt=run.finished_at).values_list(
                "contact_id", flat=True
            )
        )
        untouched = [
            c.pk for c in contacts if c.updated_at == run.finished_at and c.pk not in annotated
        ]
        kept = [c for c in contacts if c.pk not in set(untouched)]
        Contact.objects.filter(pk__in=bulk.one_of(untouched)).delete()
        return len(untouched), kept

    def records(self, organization: Organization) -> QuerySet[Contact]:
        role = {f"is_{self.role}": True}
        return Contact.objects.filter(organization=organization, **role).order_by("sort_name")

    def export(self, records: QuerySet[Contact]) -> bytes:
        contacts = records.prefetch_related(
            Prefetch("persons", queryset=ContactPerson.objects.order_by("-is_primary", "id")),
            Prefetch("web_profiles", queryset=WebProfile.objects.order_by("id")),
            Prefetch("notes", queryset=Note.objects.order_by("-created_at", "-id")),
        )
        rows = [contact_row(c, self.columns) for c in contacts.iterator(chunk_size=2000)]
        return write_csv([c.label for c in self.columns], rows)


def contact_row(contact: Contact, columns: Iterable[Column]) -> list[str]:
    """A contact's cells: its first two contact persons, a web profile of each kind, and its
    notes (the oldest first) in one cell."""
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
