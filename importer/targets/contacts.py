"""Customers and suppliers as import targets: one class, one instance per role.

An existing contact is recognised by its customer (or supplier) number. The row rules are in
`contact_rows.py`, the bulk write in `contact_writing.py`, the columns in `contact_columns.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import cached_property, partial

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization, User
from contacts_app.models import Contact, ContactPerson, Note, WebProfile
from contacts_app.tag_names import sorted_names
from history.models import ChangeSet

from .. import bulk
from ..checking import (
    CheckResult,
    Group,
    ImportChoices,
    MixedRows,
    OnDuplicate,
    RowChoice,
    RowOutcome,
    check_file_rows,
)
from ..columns import Column
from ..csv_writing import cell, write_csv
from ..reading import ParsedFile
from ..resources import contact_resource
from ..undoing import UndoOutcome
from .base import FinishedImport, ImportTarget
from .contact_extras import RowPlan, import_columns
from .contact_matching import probable_matches, same_contact
from .contact_rows import PERSON_FIELDS, PROFILE_KINDS, check_row, children_of, field_changes
from .contact_undo import undo_contacts
from .contact_writing import write_contacts


class ContactTarget(ImportTarget):
    """Contacts in one role: `role` is a NumberSequence.Role, `number_key` the contact's field
    with the role's number (and the key of its column)."""

    model = Contact
    recognises_exports = True
    records_label = gettext_lazy("Show contacts")
    reads_vcards = True

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

    @cached_property
    def import_columns(self) -> Sequence[Column]:
        return [*self.columns, *import_columns()]

    def check_file(
        self, parsed: ParsedFile, mapping: Sequence[str], *, mixed_rows: str = ""
    ) -> list[RowOutcome]:
        assigned = zip(parsed.headers, mapping, strict=False)
        plan = RowPlan.for_file(
            {key: header for header, key in assigned if key}, mixed_rows or MixedRows.COMPANY
        )
        return check_file_rows(
            parsed,
            mapping,
            self.import_columns,
            check_row=partial(check_row, plan=plan),
            number_key=self.number_key,
        )

    def check_database(
        self,
        rows: list[RowOutcome],
        mapping: Sequence[str],
        *,
        organization: Organization,
        choices: ImportChoices,
    ) -> CheckResult:
        """Which rows are new, which update or repeat an existing contact, and which need the
        user's decision: a number that belongs to a contact with another name (or one in the
        trash), a row without a number that is probably a contact Kontor has."""
        by_key = {c.key: c for c in self.columns}
        field = self.number_key
        valid = [row for row in rows if row.is_valid]
        numbers = [row.values[field] for row in valid if row.values.get(field)]
        # A number of a contact in the trash is taken: it comes back with the contact.
        existing = (
            {
                getattr(c, field): c
                for c in Contact.all_objects.filter(
                    organization=organization, **{f"{field}__in": bulk.one_of(numbers)}
                )
            }
            if numbers
            else {}
        )
        probable = probable_matches(
            (row for row in valid if not row.values.get(field)), organization
        )
        matched = [*existing.values(), *(contact for contact, _reason in probable.values())]
        children = children_of(matched)
        updating: dict[int, int] = {}  # contact id → the line that updates it
        for row in valid:
            number = row.values.get(field)
            contact = existing.get(number) if number else None
            if contact is not None:
                row.existing = contact
                if contact.deleted_at is not None:
                    row.group, row.reason = Group.MISMATCH, _("in the trash")
                elif not same_contact(row, contact, mapping):
                    row.group, row.reason = Group.MISMATCH, _("another name")
            elif not number and row.line in probable:
                row.existing, row.reason = probable[row.line]
                row.group = Group.PROBABLE
            if row.existing is None:
                row.status = "new"
                continue
            if row.group:
                row.choice = choices.for_row(row.line, row.group)
                if row.choice == RowChoice.SKIP:
                    row.status = "skip"
                    continue
                if row.choice == RowChoice.NEW:
                    # The row's number is taken: the new contact gets the next free one.
                    row.values = {k: v for k, v in row.values.items() if k != field}
                    row.parts, row.status = None, "new"
                    continue
            elif choices.on_duplicate == OnDuplicate.SKIP:
                row.status = "skip"
                continue
            self._check_update(row, by_key, updating, children)
        return CheckResult(rows=rows, columns=[by_key.get(k) if k else None for k in mapping])

    def _check_update(
        self, row: RowOutcome, by_key: dict[str, Column], updating: dict[int, int], children
    ) -> None:
        """A row that updates `row.existing`, if it can: "update", "unchanged" or failed."""
        contact = row.existing
        label = by_key[self.number_key].label
        number = str(getattr(contact, self.number_key) or "")
        if contact.deleted_at is not None:
            row.fail(
                label,
                number,
                _(
                    "This number belongs to “%(name)s”, which is in the trash: restore it from "
                    "the trash first, or import this row as a new contact."
                )
                % {"name": contact},
            )
        elif bool(row.values.get("company_name")) != contact.is_company:
            row.fail(
                label,
                number,
                _("This number belongs to an existing company; a row cannot make it a person.")
                if contact.is_company
                else _(
                    "This number belongs to an existing person; a row cannot make it a company."
                ),
            )
        elif contact.pk in updating:
            row.fail(
                label,
                number,
                _("Line %(line)s of this file updates this contact already.")
                % {"line": updating[contact.pk]},
            )
        else:
            updating[contact.pk] = row.line
            row.changes = field_changes(row, contact, children)
            row.status = "update" if row.changes else "unchanged"

    def write(
        self,
        result: CheckResult,
        *,
        organization: Organization,
        by: User | None,
        now: datetime,
        changeset: ChangeSet,
    ) -> list[int]:
        return write_contacts(
            result,
            organization=organization,
            role=self.role,
            number_key=self.number_key,
            by=by,
            now=now,
            changeset=changeset,
        )

    def undo(
        self, run: FinishedImport, *, by: User | None, now: datetime, changeset: ChangeSet
    ) -> UndoOutcome:
        return undo_contacts(run, by=by, now=now, changeset=changeset)

    def records(self, organization: Organization) -> QuerySet[Contact]:
        role = {f"is_{self.role}": True}
        return Contact.objects.filter(organization=organization, **role).order_by("sort_name")

    def export(self, records: QuerySet[Contact]) -> bytes:
        contacts = records.prefetch_related(
            Prefetch("persons", queryset=ContactPerson.objects.order_by("-is_primary", "id")),
            Prefetch("web_profiles", queryset=WebProfile.objects.order_by("id")),
            Prefetch("notes", queryset=Note.objects.order_by("-created_at", "-id")),
            "tags",
        )
        rows = [contact_row(c, self.columns) for c in contacts.iterator(chunk_size=2000)]
        return write_csv([c.label for c in self.columns], rows)


def contact_row(contact: Contact, columns: Iterable[Column]) -> list[str]:
    """A contact's cells: its first two contact persons, a web profile of each kind, its
    notes (the oldest first) in one cell and its tags in another."""
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
    values["tags"] = ", ".join(sorted_names(tag.name for tag in contact.tags.all()))
    row = []
    for column in columns:
        if column.key in values:
            row.append(cell(values[column.key]))
        else:
            value = getattr(contact, column.key, "")
            row.append(cell(value.code if hasattr(value, "code") else value))
    return row
