"""What a contact file may bring beyond Kontor's own columns, and how a row is put in order
before it is checked.

Address books (Outlook, Google Contacts) write several phone numbers and e-mail addresses per
contact, each with a label ("Mobile", "* Work", "Telefon privat 2"), a position, a department,
a middle name, and a person's name beside the company's. None of these are columns of Kontor's
own file (its template and export stay as they are): they are *import columns*, offered in the
column assignment and filled by the known exports (`importer.known_exports`).

`arrange_row` then does, for every row, what Kontor's own columns cannot say:

- each labelled phone number and e-mail address goes to the contact's field of its kind
  (`phone_mobile`, `email_business`, …) if that is still free, else to the "other" field, and
  what finds no free field is added to the note, never dropped;
- a row with a company and a person's name becomes the company with that person as its
  contact person (the person's position, e-mail address and mobile number go with the person,
  the address and the business phone stay with the company) — unless the import is told that
  every row is a person (`MixedRows.PERSONS`): then the company's name goes into the note;
- the position and department of a person without a company go into the note.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

from core.folding import fold

from ..checking import MixedRows, RowOutcome
from ..columns import Column, Parser, country, email, phone, text

PHONE_SLOTS = 16
EMAIL_SLOTS = 3
# Google Contacts writes several values of one label into one cell: "a ::: b".
GOOGLE_SEPARATOR = re.compile(r"\s*:::\s*")

# The private (Outlook) or second (Google) address: the contact's address when the row has no
# other, else kept in the note.
OTHER_ADDRESS_PARTS = (
    ("street", "Straße", "street", text(100)),
    ("postal_code", "PLZ", "postal code", text(12)),
    ("city", "Ort", "city", text(100)),
    ("country", "Land", "country", country),
)
BILLING_KEYS = ("billing_street", "billing_postal_code", "billing_city", "billing_supplement")


def several(parse: Parser) -> Parser:
    """A cell that may hold several values separated by " ::: ", each checked by `parse`."""

    def parse_all(value: str) -> tuple:
        return tuple(parse(part) for part in GOOGLE_SEPARATOR.split(value) if part.strip())

    return parse_all


def import_columns() -> list[Column]:
    """The contact target's columns for importing only (see the module's documentation)."""
    columns = [
        Column("middle_name", "Weitere Vornamen", "Middle name", text(100)),
        Column("position", "Position", "Job title", text(100)),
        Column("department", "Abteilung", "Department", text(100)),
    ]
    columns += [
        Column(f"other_address_{part}", f"Weitere Adresse {de}", f"Other address {en}", parse)
        for part, de, en, parse in OTHER_ADDRESS_PARTS
    ]
    for n in range(1, PHONE_SLOTS + 1):
        columns += [
            Column(
                f"phone_{n}_value",
                f"Weitere Telefonnummer {n}",
                f"Further phone number {n}",
                several(phone),
                formula_notice=False,
            ),
            Column(
                f"phone_{n}_label",
                f"Weitere Telefonnummer {n}: Art",
                f"Further phone number {n}: label",
                text(100),
            ),
        ]
    for n in range(1, EMAIL_SLOTS + 1):
        columns += [
            Column(
                f"email_{n}_value",
                f"Weitere E-Mail-Adresse {n}",
                f"Further e-mail address {n}",
                several(email),
            ),
            Column(
                f"email_{n}_label",
                f"Weitere E-Mail-Adresse {n}: Art",
                f"Further e-mail address {n}: label",
                text(100),
            ),
        ]
    return columns


IMPORT_ONLY_KEYS = frozenset(column.key for column in import_columns())

# A label's words → the kind of number it names; the first that occurs in the folded label wins.
PHONE_KINDS = (
    ("fax", "phone_fax"),
    ("mobil", "phone_mobile"),
    ("handy", "phone_mobile"),
    ("cell", "phone_mobile"),
    ("autotelefon", "phone_mobile"),
    ("car", "phone_mobile"),
    ("privat", "phone_other"),
    ("home", "phone_other"),
    ("weitere", "phone_other"),
    ("other", "phone_other"),
    ("assist", "phone_other"),
    ("geschaft", "phone_business"),
    ("work", "phone_business"),
    ("business", "phone_business"),
    ("firma", "phone_business"),
    ("company", "phone_business"),
    ("haupt", "phone_business"),
    ("main", "phone_business"),
    ("buro", "phone_business"),
)
EMAIL_KINDS = (
    ("privat", "email_other"),
    ("home", "email_other"),
    ("other", "email_other"),
    ("weitere", "email_other"),
    ("work", "email_business"),
    ("geschaft", "email_business"),
    ("business", "email_business"),
)
PHONE_FIELDS = ("phone_business", "phone_mobile", "phone_fax", "phone_other")
EMAIL_FIELDS = ("email_business", "email_other")
PERSON_NAME_KEYS = ("salutation", "title", "first_name", "last_name")


@lru_cache(maxsize=1024)
def kind_of(label: str, kinds: tuple[tuple[str, str], ...], default: str) -> str:
    """The contact's field a label names ("Work Fax" → phone_fax); files repeat a few labels
    thousands of times, hence the cache."""
    folded = fold(label)
    return next((kind for word, kind in kinds if word in folded), default)


def shown_label(label: str) -> str:
    """A label without Google's mark of the primary value ("* Work") and without what a
    header adds after a colon ("E-Mail 3: Adresse")."""
    return label.split(":", 1)[0].strip().lstrip("*").strip()


@dataclass(frozen=True)
class Sort:
    """Phone numbers or e-mail addresses: the contact's fields for them and the words of
    their labels."""

    prefix: str
    slots: int
    kinds: tuple[tuple[str, str], ...]
    fields: tuple[str, ...]


PHONES = Sort("phone", PHONE_SLOTS, PHONE_KINDS, PHONE_FIELDS)
EMAILS = Sort("email", EMAIL_SLOTS, EMAIL_KINDS, EMAIL_FIELDS)
# A slot the file assigns: its value's key, its label's key (None when the file has no label
# column for it: then the header is the label) and the header's label.
Slot = tuple[str, str | None, str]


@dataclass(frozen=True)
class RowPlan:
    """What arranging a row needs from the file, worked out once per file (`for_file`): the
    slots it assigns, whether it has import columns at all, and what mixed rows become."""

    phones: tuple[Slot, ...] = ()
    emails: tuple[Slot, ...] = ()
    extras: bool = False
    mixed_rows: str = MixedRows.COMPANY

    @classmethod
    def for_file(cls, headers: Mapping[str, str], mixed_rows: str) -> RowPlan:
        """The plan for a file whose assigned columns' keys name these `headers`."""

        def slots(sort: Sort) -> tuple[Slot, ...]:
            found = []
            for n in range(1, sort.slots + 1):
                value, label = f"{sort.prefix}_{n}_value", f"{sort.prefix}_{n}_label"
                if value in headers:
                    fixed = shown_label(headers[value])
                    found.append((value, label if label in headers else None, fixed))
            return tuple(found)

        return cls(
            phones=slots(PHONES),
            emails=slots(EMAILS),
            extras=not IMPORT_ONLY_KEYS.isdisjoint(headers),
            mixed_rows=mixed_rows,
        )


def arrange_row(row: RowOutcome, plan: RowPlan) -> None:
    """Put the row's import columns where Kontor keeps them (see the module's documentation).
    Runs before the row is checked, on its parsed, non-empty values."""
    values = row.values
    notes: list[str] = []
    if plan.extras:
        _distribute(values, PHONES, plan.phones, notes)
        _distribute(values, EMAILS, plan.emails, notes)
        _other_address(values, notes)
        middle = values.pop("middle_name", "")
        if middle:
            values["first_name"] = " ".join(p for p in (values.get("first_name"), middle) if p)
    position, department = values.pop("position", ""), values.pop("department", "")
    company = values.get("company_name")
    person = values.get("first_name") or values.get("last_name")
    if values.get("kind"):
        # The row says what it is ("Kontaktart", Kontor's own export): a person keeps the
        # company name it has, a company is not split.
        company = person = ""
    if company and person and plan.mixed_rows == MixedRows.PERSONS:
        notes.insert(0, _("Company: %(name)s") % {"name": values.pop("company_name")})
        company = ""
    if company and person:
        _make_contact_person(values, position, department, notes)
    else:
        if position:
            notes.append(_("Position: %(value)s") % {"value": position})
        if department:
            notes.append(_("Department: %(value)s") % {"value": department})
    if notes:
        # The file's own notes (`notes.parse_notes`), the last of them with these lines added.
        kept = values.get("note", ())
        kept = (kept,) if isinstance(kept, str) else tuple(kept)
        added = "\n".join(notes)
        values["note"] = (*kept[:-1], f"{kept[-1]}\n\n{added}") if kept else (added,)


def _other_address(values: dict[str, Any], notes: list[str]) -> None:
    parts = {part: values.pop(f"other_address_{part}", "") for part, *_rest in OTHER_ADDRESS_PARTS}
    if not any(parts.values()):
        return
    if not any(values.get(key) for key in BILLING_KEYS):
        for part, value in parts.items():
            if value:
                values[f"billing_{part}"] = value
        return
    place = " ".join(p for p in (parts["postal_code"], parts["city"]) if p)
    address = ", ".join(p for p in (parts["street"], place, parts["country"]) if p)
    notes.append(_("Other address: %(address)s") % {"address": address})


def _distribute(
    values: dict[str, Any], sort: Sort, slots: tuple[Slot, ...], notes: list[str]
) -> None:
    """The row's labelled values of one sort (phones or e-mails) into the contact's fields."""
    overflow: list[str] = []
    fields = sort.fields
    fallback = fields[-1]
    for value_key, label_key, header_label in slots:
        found = values.pop(value_key, ())
        label = values.pop(label_key, "") if label_key else ""
        if not found:
            continue
        label = shown_label(label) if label_key else header_label
        wanted = kind_of(label, sort.kinds, fallback)
        for value in found:
            if value in (values.get(f) for f in fields):
                continue  # the same number or address twice
            if wanted not in values:
                values[wanted] = value
            elif sort is EMAILS and (free := next((f for f in fields if f not in values), "")):
                values[free] = value
            elif fallback not in values and wanted != "phone_fax":
                values[fallback] = value
            else:
                overflow.append(f"{label}: {value}" if label else value)
    if overflow:
        heading = _("Further phone numbers") if sort is PHONES else _("Further e-mail addresses")
        notes.append(f"{heading}: {', '.join(overflow)}")


def _make_contact_person(
    values: dict[str, Any], position: str, department: str, notes: list[str]
) -> None:
    """The row's person becomes the company's first contact person without a name of its own
    (a second, if the file fills the first one's columns with a name already)."""
    n = 2 if values.get("person1_last_name") else 1
    if values.get(f"person{n}_last_name"):
        # Both contact persons are named by their own columns: the row's person is kept in
        # the note.
        name = " ".join(values.pop(k) for k in PERSON_NAME_KEYS if values.get(k))
        notes.append(_("Contact: %(name)s") % {"name": name})
        return
    first, last = values.pop("first_name", ""), values.pop("last_name", "")
    if not last:
        first, last = "", first  # a contact person needs a last name: the only name it has
    values[f"person{n}_last_name"] = last
    if first:
        values[f"person{n}_first_name"] = first
    salutation, title = values.pop("salutation", ""), values.pop("title", "")
    if salutation and f"person{n}_salutation" not in values:
        values[f"person{n}_salutation"] = salutation
    if title:
        notes.append(_("Title of %(name)s: %(title)s") % {"name": last, "title": title})
    if position and f"person{n}_position" not in values:
        values[f"person{n}_position"] = position[:100]
    if department:
        notes.append(_("Department: %(value)s") % {"value": department})
    for own, theirs in (("email_business", "email"), ("phone_mobile", "mobile")):
        if own in values and f"person{n}_{theirs}" not in values:
            values[f"person{n}_{theirs}"] = values.pop(own)
    if "email_business" not in values and "email_other" in values:
        # The person's address went with the person: the company's other one is its own.
        values["email_business"] = values.pop("email_other")
