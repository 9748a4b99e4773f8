"""A contact file's row: split into the contact, its contact persons, web profiles and note,
checked against the rules a contact keeps, and compared with what a contact has already.

These run for every row of files of thousands of rows: what can be is worked out once, here at
import time (the column keys of each contact person, the contact's own fields).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from contacts_app import postal_codes, validators
from contacts_app.history import plain
from contacts_app.models import Contact, ContactPerson, ContactTag, Note, WebProfile
from contacts_app.tag_names import name_keys, sorted_names
from core.folding import fold

from ..checking import RowOutcome
from ..columns import Column
from .contact_extras import RowPlan, arrange_row
from .contact_kinds import row_kind

PERSON_FIELDS = (
    "salutation",
    "title",
    "first_name",
    "last_name",
    "position",
    "email",
    "phone",
    "extension",
    "mobile",
)
CONTACT_FIELDS = frozenset(
    f.name
    for f in Contact._meta.get_fields()
    if getattr(f, "concrete", False) and not f.many_to_many
) - {"id", "organization", "version", "search_text", "display_name", "sort_name"}


@lru_cache(maxsize=64)
def person_columns(n: int) -> tuple[tuple[str, str], ...]:
    """(column key, ContactPerson field) for each column of the `n`th contact person."""
    return tuple(
        (f"person{n}_{f}", "phone_extension" if f == "extension" else f) for f in PERSON_FIELDS
    )


@lru_cache(maxsize=64)
def person_keys(n: int) -> frozenset[str]:
    return frozenset(key for key, _field in person_columns(n))


@lru_cache(maxsize=4096)
def _person_number(key: str) -> int:
    """The number of the contact person whose column `key` is ("person3_email" → 3), or 0."""
    if not key.startswith("person"):
        return 0
    number = key[6 : key.find("_")]
    return int(number) if number.isdigit() else 0


@lru_cache(maxsize=4096)
def _profile_slot(key: str) -> tuple[str, int] | None:
    """The web profile kind and its place of the column `key` ("profile_blog_2" → blog, 2)."""
    if not key.startswith("profile_"):
        return None
    kind, _sep, n = key[8:].partition("_")
    return kind, int(n or 1)


def person_numbers(keys: Iterable[str]) -> list[int]:
    """Which contact persons' columns `keys` has (their numbers, in order)."""
    return sorted({n for n in map(_person_number, keys) if n})


def _profiles(values: dict[str, Any]) -> list[tuple[str, str]]:
    """(kind, value) of the row's web profiles, found by their keys ("profile_blog_2")."""
    found = [(slot, values[key]) for key in values if (slot := _profile_slot(key))]
    return [(kind, value) for (kind, _n), value in sorted(found)]


def split(values: dict[str, Any]) -> tuple[dict, list[dict], list[tuple[str, str]], tuple]:
    """A row's values → contact fields, contact persons, web profiles and notes.

    `values` holds the row's non-empty cells only (see `checking.parse_rows`). The contact
    persons come in the order of their numbers, the web profiles kind by kind, each kind's in
    the order of its columns ("Webseite", "Webseite 2"), the notes oldest first.
    """
    contact = {k: v for k, v in values.items() if k in CONTACT_FIELDS}
    persons = [
        {field: values.get(key, "") for key, field in person_columns(n)}
        for n in person_numbers(values)
    ]
    notes = values.get("note", ())
    return contact, persons, _profiles(values), (notes,) if isinstance(notes, str) else notes


def check_row(row: RowOutcome, columns: dict[str, Column], plan: RowPlan | None = None) -> None:
    """What a contact needs beyond its cells: a name, persons only for companies, postal codes
    and a tax number that fit the country (stored in the country's usual form). With a `plan`,
    the row's import columns are put in place first (`contact_extras.arrange_row`)."""
    if plan is not None:
        arrange_row(row, plan)
    values = row.values
    _normalize_by_country(row, columns)
    row.parts = split(values)
    contact, persons, _profiles, _note = row.parts
    is_company = row_kind(values) == Contact.Kind.COMPANY
    if is_company and "kind" in values and not contact.get("company_name"):
        row.fail(columns["company_name"].label, "", _("A company needs a name."))
    if not is_company and "kind" in values and not contact.get("last_name"):
        row.fail(columns["last_name"].label, "", _("A person needs a last name."))
    elif not is_company and not contact.get("last_name"):
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
    for n in person_numbers(values):
        last_name = f"person{n}_last_name"
        if last_name not in values:
            row.fail(columns[last_name].label, "", _("A contact person needs a last name."))


def _normalize_by_country(row: RowOutcome, columns: dict[str, Column]) -> None:
    """Postal codes and the tax number checked by the rules of their country and stored in its
    usual form ("D-10115" → "10115"), the values the kept check carries to the import."""
    values = row.values
    for prefix in ("billing", "shipping"):
        key = f"{prefix}_postal_code"
        code = values.get(key)
        if code:
            country = values.get(f"{prefix}_country") or "DE"
            if key in row.numeric:
                code = restored_zeros(code, country)
            try:
                values[key] = validators.validate_postal_code(code, country)
            except ValidationError as error:
                row.fail(columns[key].label, code, " ".join(error.messages))
    tax_number = values.get("tax_number")
    if tax_number:
        try:
            values["tax_number"] = validators.validate_tax_number(
                tax_number, values.get("billing_country") or "DE"
            )
        except ValidationError as error:
            row.fail(columns["tax_number"].label, tax_number, " ".join(error.messages))


def restored_zeros(code: str, country: str) -> str:
    """A postal code that a spreadsheet stored as a number, with the leading zeros the number
    lost (01067 → 1067 → "01067"), where the country's codes are digits of one length."""
    rule = postal_codes.postal_code_rule(country)
    if rule is None or not code.isdigit() or not rule.example.isdigit():
        return code
    padded = code.zfill(len(rule.example))
    return padded if rule.pattern.fullmatch(padded) else code


def children_of(contacts: Iterable[Contact]) -> dict[int, dict[str, Any]]:
    """The contact persons (by folded name), web profiles and notes the contacts have."""
    ids = [c.pk for c in contacts]
    found: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"persons": set(), "profiles": set(), "notes": set(), "tags": []}
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
    for cid, name in ContactTag.objects.filter(contact_id__in=ids).values_list(
        "contact_id", "tag__name"
    ):
        found[cid]["tags"].append(name)
    return found


def new_tags(row: RowOutcome, contact: Contact, children) -> list[str]:
    """The row's tags that `contact` does not carry yet (an import adds tags, it never takes
    one away), compared as tag names compare ("Müller" is "Mueller")."""
    carried = {key for name in children[contact.pk]["tags"] for key in name_keys(name)}
    return [
        name for name in row.values.get("tags", ()) if not carried.intersection(name_keys(name))
    ]


def new_children(row: RowOutcome, contact: Contact, children) -> tuple[list, list, list[str]]:
    """The row's contact persons, web profiles and notes that `contact` does not have yet."""
    _contact, persons, profiles, notes = row.parts or split(row.values)
    known = children[contact.pk]
    persons = [
        p for p in persons if (fold(p["first_name"]), fold(p["last_name"])) not in known["persons"]
    ]
    profiles = [p for p in profiles if p not in known["profiles"]]
    return persons, profiles, [note for note in notes if note.strip() not in known["notes"]]


def field_changes(row: RowOutcome, contact: Contact, children) -> dict[str, tuple[Any, Any]]:
    """What the row would change in `contact`: {field: (old, new)} for its fields, and the
    contact persons, web profiles and note it would add (old: nothing, new: what is added)."""
    fields, _persons, _profiles, _note = row.parts or split(row.values)
    changed: dict[str, tuple[Any, Any]] = {}
    for name, value in fields.items():
        current = getattr(contact, name)
        if current != value:
            changed[name] = (plain(current), value)
    persons, profiles, notes = new_children(row, contact, children)
    if persons:
        names = (" ".join(p for p in (p["first_name"], p["last_name"]) if p) for p in persons)
        changed["persons"] = ("", ", ".join(names))
    if profiles:
        changed["profiles"] = ("", ", ".join(value for _kind, value in profiles))
    if notes:
        changed["note"] = ("", "\n\n".join(notes))
    if added := new_tags(row, contact, children):
        carried = children[contact.pk]["tags"]
        changed["tags"] = (", ".join(carried), ", ".join(sorted_names([*carried, *added])))
    return changed
