"""Importing customers and suppliers: the row rules and the bulk write.

The write is one transaction with a fixed number of statements per batch of rows (no query per
row), which is what makes a 9,000-row file take well under a second.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import Organization, User
from contacts_app import validators
from contacts_app.models import Contact, ContactPerson, Note, NumberSequence, WebProfile
from contacts_app.search import fold, indexed_in_bulk
from contacts_app.services import (
    NumberRangeExhausted,
    allocate_numbers,
    derived_fields,
    refresh_derived_fields,
    settle_shipping_address,
)

from . import bulk
from .checking import CheckResult, RowOutcome, check_file_rows
from .columns import CUSTOMER_COLUMNS, SUPPLIER_COLUMNS, Column
from .models import ImportRun, OnDuplicate, Target
from .reading import ImportFileError, ParsedFile

PERSON_FIELDS = (
    "salutation",
    "first_name",
    "last_name",
    "position",
    "email",
    "phone",
    "extension",
    "mobile",
)
PROFILE_KINDS = ("website", "blog", "twitter", "skype", "linkedin", "xing")
CONTACT_FIELDS = frozenset(
    f.name for f in Contact._meta.get_fields() if getattr(f, "concrete", False)
) - {"id", "organization", "version", "search_text", "display_name", "sort_name"}
BATCH = 500
# More variables per statement make SQL compilation slower again; this is the sweet spot.
MAX_PARAMS = int(__import__("os").environ.get("KONTOR_MAX_PARAMS", "32000"))


def columns_for(target: str) -> list[Column]:
    return CUSTOMER_COLUMNS if target == Target.CUSTOMERS else SUPPLIER_COLUMNS


def number_field(target: str) -> str:
    return "customer_number" if target == Target.CUSTOMERS else "supplier_number"


# Per contact person of a row: (column key, ContactPerson field) for each of its columns.
PERSON_COLUMNS = tuple(
    tuple((f"person{n}_{f}", "phone_extension" if f == "extension" else f) for f in PERSON_FIELDS)
    for n in (1, 2)
)
PERSON_KEYS = tuple(frozenset(key for key, _field in columns) for columns in PERSON_COLUMNS)
PROFILE_COLUMNS = tuple((f"profile_{k}", k) for k in PROFILE_KINDS)


def _split(values: dict[str, Any]) -> tuple[dict, list[dict], list[tuple[str, str]], str]:
    """A row's values → contact fields, contact persons, web profiles and the note.

    `values` holds the row's non-empty cells only (see `parse_rows`).
    """
    contact = {k: v for k, v in values.items() if k in CONTACT_FIELDS}
    persons = [
        {field: values.get(key, "") for key, field in columns}
        for columns, keys in zip(PERSON_COLUMNS, PERSON_KEYS, strict=True)
        if not keys.isdisjoint(values)
    ]
    profiles = [(kind, values[key]) for key, kind in PROFILE_COLUMNS if key in values]
    return contact, persons, profiles, values.get("note", "")


def _check_row(row: RowOutcome, columns: dict[str, Column]) -> None:
    values = row.values
    row.parts = _split(values)
    contact, persons, _profiles, _note = row.parts
    is_company = bool(contact.get("company_name"))
    if not is_company and not contact.get("last_name"):
        row.fail(
            columns["company_name"].label,
            "",
            _("Each row needs a company name (for a company) or a last name (for a person)."),
        )
    if not is_company and persons:
        row.fail(
            columns["person1_last_name"].label,
            "",
            _(
                "Only companies have contact persons: fill in the company name, or leave the "
                "contact person columns empty."
            ),
        )
    for n, keys in enumerate(PERSON_KEYS, start=1):
        last_name = f"person{n}_last_name"
        if last_name not in values and not keys.isdisjoint(values):
            row.fail(columns[last_name].label, "", _("A contact person needs a last name."))
    for prefix in ("billing", "shipping"):
        code = values.get(f"{prefix}_postal_code")
        if code:
            country = values.get(f"{prefix}_country") or "DE"
            try:
                validators.validate_postal_code(code, country)
            except Exception as error:  # noqa: BLE001 - a ValidationError with a message
                messages = getattr(error, "messages", [str(error)])
                row.fail(columns[f"{prefix}_postal_code"].label, code, " ".join(messages))


def check_file(parsed: ParsedFile, mapping: Sequence[str], *, target: str) -> list[RowOutcome]:
    """The file's part of the check: what the rows are, whatever the database holds."""
    return check_file_rows(
        parsed, mapping, columns_for(target), check_row=_check_row, number_key=number_field(target)
    )


def check_database(
    rows: list[RowOutcome],
    mapping: Sequence[str],
    *,
    organization: Organization,
    target: str,
    on_duplicate: str,
) -> CheckResult:
    """The database's part: which rows are new, which update or repeat an existing contact."""
    by_key = {c.key: c for c in columns_for(target)}
    field = number_field(target)
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
    children = _children_of(existing.values())
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
            row.status = "update" if _changes(row, contact, children) else "unchanged"
    return CheckResult(rows=rows, columns=[by_key.get(k) if k else None for k in mapping])


def _children_of(contacts) -> dict[int, dict[str, Any]]:
    ids = [c.pk for c in contacts]
    found: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"persons": set(), "profiles": set(), "notes": set()}
    )
    if not ids:
        return found
    for cid, first, last in ContactPerson.objects.filter(contact_id__in=ids).values_list(
        "contact_id", "first_name", "last_name"
    ):
        found[cid]["persons"].add((fold(first), fold(last)))
    for cid, kind, value in WebProfile.objects.filter(contact_id__in=ids).values_list(
        "contact_id", "kind", "value"
    ):
        found[cid]["profiles"].add((kind, value))
    for cid, text in Note.objects.filter(contact_id__in=ids).values_list("contact_id", "text"):
        found[cid]["notes"].add(text.strip())
    return found


def _new_children(row: RowOutcome, contact: Contact, children) -> tuple[list, list, str]:
    _contact, persons, profiles, note = _split(row.values)
    known = children[contact.pk]
    persons = [
        p for p in persons if (fold(p["first_name"]), fold(p["last_name"])) not in known["persons"]
    ]
    profiles = [p for p in profiles if p not in known["profiles"]]
    note = note if note and note.strip() not in known["notes"] else ""
    return persons, profiles, note


def _changes(row: RowOutcome, contact: Contact, children) -> bool:
    fields, _persons, _profiles, _note = _split(row.values)
    if any(getattr(contact, k) != v for k, v in fields.items()):
        return True
    return any(_new_children(row, contact, children))


def _build(row: RowOutcome, *, organization: Organization, target: str, by: User | None):
    """A new contact's field values (by attribute name), its persons, profiles and note."""
    fields, persons, profiles, note = row.parts or _split(row.values)
    contact = {
        "organization_id": organization.pk,
        "kind": Contact.Kind.COMPANY if fields.get("company_name") else Contact.Kind.PERSON,
        "is_customer": target == Target.CUSTOMERS,
        "is_supplier": target == Target.SUPPLIERS,
        "created_by_id": by.pk if by else None,
        "updated_by_id": by.pk if by else None,
        **fields,
    }
    settle_shipping_address(contact)
    if not fields.get("billing_country"):
        contact["billing_country"] = "DE"
    return contact, persons, profiles, note


def write(
    result: CheckResult,
    *,
    organization: Organization,
    target: str,
    by: User | None,
    now: datetime,
) -> list[int]:
    """Create and update what the check allows, as changed at `now`; return the ids of the
    contacts created. Must run inside transaction.atomic()."""
    field = number_field(target)
    role = (
        NumberSequence.Role.CUSTOMER if target == Target.CUSTOMERS else NumberSequence.Role.SUPPLIER
    )
    new_rows = [row for row in result.rows if row.status == "new"]
    built = [_build(row, organization=organization, target=target, by=by) for row in new_rows]

    # Rows that bring their own number go in first, so that the numbers handed out to the
    # others skip them.
    with_number = [b for b in built if b[0].get(field)]
    without_number = [b for b in built if not b[0].get(field)]
    with indexed_in_bulk():
        ids = _insert(with_number, by=by, now=now)
        if without_number:
            try:
                numbers = allocate_numbers(
                    organization=organization, role=role, count=len(without_number)
                )
            except NumberRangeExhausted as error:
                raise ImportFileError(
                    _(
                        "There are not enough free numbers left for the rows without a number. "
                        "Give those rows numbers of their own, or import fewer rows."
                    ),
                    code="numbers_exhausted",
                ) from error
            for (contact, *_rest), number in zip(without_number, numbers, strict=True):
                contact[field] = number
        ids += _insert(without_number, by=by, now=now)
    _update([row for row in result.rows if row.status == "update"], by=by, now=now)
    return ids


def _insert(built: list, *, by: User | None, now) -> list[int]:
    """Insert the built contacts with their children; return the contacts' ids."""
    if not built:
        return []
    contacts = []
    for contact, persons, _profiles, _note in built:
        contact.update(derived_fields(contact, persons))
        contacts.append(contact)
    ids = bulk.insert_rows(Contact, contacts, now=now)
    persons, profiles, notes = [], [], []
    author = by.pk if by else None
    for pk, (_c, row_persons, row_profiles, note) in zip(ids, built, strict=True):
        persons += [{"contact_id": pk, **p} for p in row_persons]
        profiles += [{"contact_id": pk, "kind": k, "value": v} for k, v in row_profiles]
        if note:
            notes.append({"contact_id": pk, "text": note, "author_id": author})
    bulk.insert_rows(ContactPerson, persons, now=now, return_ids=False)
    bulk.insert_rows(WebProfile, profiles, now=now, return_ids=False)
    bulk.insert_rows(Note, notes, now=now, return_ids=False)
    return ids


def _update(rows: list[RowOutcome], *, by: User | None, now: datetime) -> None:
    if not rows:
        return
    contacts = [row.existing for row in rows]
    children = _children_of(contacts)
    persons_by_contact = defaultdict(list)
    for person in ContactPerson.objects.filter(contact__in=contacts):
        persons_by_contact[person.contact_id].append(person)
    new_persons, new_profiles, new_notes = [], [], []
    changed_fields: set[str] = set()
    for row in rows:
        contact = row.existing
        fields, *_ = _split(row.values)
        persons, profiles, note = _new_children(row, contact, children)
        fields = dict(fields)
        settle_shipping_address(fields)
        for name, value in fields.items():
            setattr(contact, name, value)
            changed_fields.add(name)
        contact.version += 1
        contact.updated_by = by
        contact.updated_at = now
        new_persons += [ContactPerson(contact=contact, **p) for p in persons]
        new_profiles += [WebProfile(contact=contact, kind=k, value=v) for k, v in profiles]
        if note:
            new_notes.append(Note(contact=contact, text=note, author=by))
        refresh_derived_fields(
            contact, persons_by_contact[contact.pk] + [ContactPerson(**p) for p in persons]
        )
    Contact.objects.bulk_update(
        contacts,
        sorted(
            changed_fields
            | {
                "has_shipping_address",
                "version",
                "updated_by",
                "updated_at",
                "display_name",
                "sort_name",
                "search_text",
            }
        ),
        batch_size=BATCH,
    )
    ContactPerson.objects.bulk_create(new_persons, batch_size=BATCH)
    WebProfile.objects.bulk_create(new_profiles, batch_size=BATCH)
    Note.objects.bulk_create(new_notes, batch_size=BATCH)


def undo(run: ImportRun) -> tuple[int, list[Contact]]:
    """Delete what `run` created and nobody changed since; return (deleted, kept)."""
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
