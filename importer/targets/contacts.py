"""Customers and suppliers as import targets: one class, one instance per role.

An existing contact is recognised by its customer (or supplier) number. The row rules are in
`contact_rows.py`, the bulk write in `contact_writing.py`, the columns in `contact_columns.py`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import cached_property, partial

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from contacts_app.models import Contact, ContactPerson, ContactTag, Note, WebProfile
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
from ..columns import Column, normalize_header
from ..csv_writing import cell_text
from ..export_formats import ExportTable
from ..notes import join_notes
from ..reading import ParsedFile
from ..resources import contact_resource
from ..undoing import UndoOutcome
from .base import FinishedImport, ImportTarget
from .contact_columns import PROFILE_NAMES, contact_columns, profile_key
from .contact_extras import RowPlan, import_columns
from .contact_kinds import kind_name, row_kind
from .contact_matching import probable_matches, same_contact
from .contact_rows import check_row, children_of, field_changes, person_columns, person_numbers
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
        number_column: Column,
        resource_name: str,
    ) -> None:
        self.key, self.label, self.role = key, label, role
        self.number_key = number_key
        self.number_column = number_column
        self.columns = contact_columns(number_column)
        self.resource = contact_resource(resource_name, self.columns, number_key, role)
        self._extended: dict[tuple, list[Column]] = {}

    def extended_columns(self, persons: int, profiles: dict[str, int]) -> list[Column]:
        """The columns with `persons` contact persons and the further web profiles of
        `profiles` ({kind: how many}); never fewer than the template's."""
        extent = (max(persons, TEMPLATE_PERSONS), tuple(sorted(profiles.items())))
        if extent not in self._extended:
            if len(self._extended) >= 64:  # files of many shapes: keep the memory bounded
                self._extended.clear()
            self._extended[extent] = contact_columns(
                self.number_column, persons=extent[0], profiles=dict(extent[1])
            )
        return self._extended[extent]

    def columns_for(self, headers: Sequence[str]) -> list[Column]:
        """The columns a file with these headers can fill: as many contact persons and web
        profiles as its headers name ("Ansprechpartner 7 Vorname", "Webseite 3")."""
        persons, profiles = TEMPLATE_PERSONS, dict[str, int]()
        for header in headers:
            name = normalize_header(header)
            # Beyond the limits a header is left unassigned, as any unknown one.
            if match := PERSON_HEADER.match(name):
                if int(match[1]) <= MAX_PERSONS:
                    persons = max(persons, int(match[1]))
                continue
            for kind, pattern in PROFILE_HEADERS.items():
                if (match := pattern.fullmatch(name)) and int(match[1]) <= MAX_PROFILES:
                    profiles[kind] = max(profiles.get(kind, 1), int(match[1]))
        return self.extended_columns(persons, profiles)

    def columns_for_mapping(self, mapping: Sequence[str]) -> list[Column]:
        """The columns an assignment (column keys) names, beyond the template's too."""
        numbers = [n for n in person_numbers(mapping) if n <= MAX_PERSONS]
        persons = max(numbers, default=TEMPLATE_PERSONS)
        profiles: dict[str, int] = {}
        for key in mapping:
            kind, _sep, n = key.removeprefix("profile_").partition("_")
            if key.startswith("profile_") and n.isdigit() and int(n) <= MAX_PROFILES:
                profiles[kind] = max(profiles.get(kind, 1), int(n))
        return self.extended_columns(persons, profiles)

    def records_url(self) -> str:
        return f"{reverse('contacts:list')}?role={self.role}"

    @cached_property
    def import_columns(self) -> Sequence[Column]:
        return [*self.columns, *import_columns()]

    def import_columns_for(self, headers: Sequence[str]) -> list[Column]:
        """`columns_for(headers)` and the columns a contact file only brings in."""
        return [*self.columns_for(headers), *import_columns()]

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
            self.import_columns_for(parsed.headers),
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
        by_key = {c.key: c for c in self.columns_for_mapping(mapping)}
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
        elif (row_kind(row.values) == Contact.Kind.COMPANY) != contact.is_company:
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

    def export_table(self, records: QuerySet[Contact]) -> ExportTable:
        """The contacts with as many contact person and web profile columns as the one with
        the most needs, all their notes, and their tags.

        The children are read as plain rows, one query per kind, not as model instances: for
        10,000 contacts that is the difference between seconds and a fraction of one."""
        contacts = list(records.iterator(chunk_size=2000))
        children = ContactChildren.of(records)
        persons, profiles = TEMPLATE_PERSONS, dict[str, int]()
        for rows in children.persons.values():
            persons = max(persons, len(rows))
        for kinds in children.profiles.values():
            for kind, count in Counter(kind for kind, _value in kinds).items():
                profiles[kind] = max(profiles.get(kind, 1), count)
        columns = self.extended_columns(persons, profiles)
        if not any(c.key == TAGS_COLUMN.key for c in columns):
            columns = [*columns, TAGS_COLUMN]
        language = get_language() or "en"
        return ExportTable(
            header=[c.label for c in columns],
            rows=[contact_row(c, columns, children, language) for c in contacts],
            sheet_name=str(self.label),
        )


class ContactChildren:
    """The contact persons (the primary one first), web profiles, notes (oldest first) and tag
    names of some contacts, by contact id, as plain values."""

    PERSON_ATTRIBUTES = tuple(attribute for _key, attribute in person_columns(1))

    def __init__(self) -> None:
        self.persons: dict[int, list[tuple]] = defaultdict(list)
        self.profiles: dict[int, list[tuple[str, str]]] = defaultdict(list)
        self.notes: dict[int, list[str]] = defaultdict(list)
        self.tags: dict[int, list[str]] = defaultdict(list)

    @classmethod
    def of(cls, contacts: QuerySet[Contact]) -> ContactChildren:
        found = cls()
        ids = contacts.order_by().values("pk")
        persons = ContactPerson.objects.filter(contact_id__in=ids).order_by(
            "contact_id", "-is_primary", "id"
        )
        for contact_id, *values in persons.values_list("contact_id", *cls.PERSON_ATTRIBUTES):
            found.persons[contact_id].append(tuple(values))
        profiles = WebProfile.objects.filter(contact_id__in=ids).order_by("id")
        for contact_id, kind, value in profiles.values_list("contact_id", "kind", "value"):
            found.profiles[contact_id].append((kind, value))
        notes = Note.objects.filter(contact_id__in=ids).order_by("created_at", "id")
        for contact_id, text in notes.values_list("contact_id", "text"):
            found.notes[contact_id].append(text)
        tags = ContactTag.objects.filter(contact_id__in=ids).order_by("tag__folded_name", "tag_id")
        for contact_id, name in tags.values_list("contact_id", "tag__name"):
            found.tags[contact_id].append(name)
        return found


TEMPLATE_PERSONS = 2
# What a file may bring, well above what the contact form keeps (50 contact persons, 30 web
# profiles), so that every export imports again; a header naming more is not assigned.
MAX_PERSONS = 100
MAX_PROFILES = 50
PERSON_HEADER = re.compile(r"(?:ansprechpartner|contact person) (\d+) ")
PROFILE_HEADERS = {
    kind: re.compile(
        r"(?:{}) (\d+)".format("|".join(re.escape(normalize_header(n)) for n in (de, en, *aliases)))
    )
    for kind, (de, en, aliases, _parse) in PROFILE_NAMES.items()
}
# Written by the export; read back by the import once a column of that key is among its own.
TAGS_COLUMN = Column("tags", "Schlagwörter", "Tags")


def contact_row(
    contact: Contact, columns: Iterable[Column], children: ContactChildren, language: str
) -> list[str]:
    """A contact's cells (texts, not yet escaped for a format): its contact persons (the
    primary one first), its web profiles kind by kind, its notes (the oldest first) in one
    cell, its tags by name, comma-separated."""
    pk = contact.pk
    values: dict[str, object] = {}
    for n, person in enumerate(children.persons.get(pk, ()), start=1):
        for (key, _attribute), value in zip(person_columns(n), person, strict=True):
            values[key] = value
    seen: Counter[str] = Counter()
    for kind, value in children.profiles.get(pk, ()):
        seen[kind] += 1
        values[profile_key(kind, seen[kind])] = value
    values["note"] = join_notes(children.notes.get(pk, ()))
    values["tags"] = ", ".join(children.tags.get(pk, ()))
    values["kind"] = kind_name(contact.kind, language)
    return [
        cell_text(values[c.key] if c.key in values else getattr(contact, c.key, ""))
        for c in columns
    ]
