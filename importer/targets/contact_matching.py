"""Whether a row means the contact it seems to match: the same name behind a number, and rows
without a number that are probably a contact Kontor has already.

Names are compared folded (`core.folding.fold`: case, accents and spacing do not count), so
"MÜLLER & Söhne  GmbH" is "Müller & Söhne GmbH", but "Elektro Krämer UG" is not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.models import Organization
from contacts_app.models import Contact
from core.folding import fold

from .. import bulk
from ..checking import RowOutcome
from .contact_kinds import row_kind


def folded(text: str | None) -> str:
    return " ".join(fold(text or "").split())


def name_key(values: dict[str, Any]) -> tuple[str, str, str]:
    """(kind, folded name, folded first name) of a row's or a contact's values."""
    if row_kind(values) == Contact.Kind.COMPANY:
        return Contact.Kind.COMPANY, folded(values.get("company_name")), ""
    return Contact.Kind.PERSON, folded(values.get("last_name")), folded(values.get("first_name"))


def contact_name_key(contact: Contact) -> tuple[str, str, str]:
    if contact.is_company:
        return Contact.Kind.COMPANY, folded(contact.company_name), ""
    return Contact.Kind.PERSON, folded(contact.last_name), folded(contact.first_name)


def same_contact(row: RowOutcome, contact: Contact, mapping: Sequence[str]) -> bool:
    """Whether the row's name is the contact's: a company's name, a person's last name and,
    when the file has a first name column, the first name."""
    kind, name, first = name_key(row.values)
    theirs = contact_name_key(contact)
    if kind != theirs[0] or name != theirs[1]:
        return False
    return kind == Contact.Kind.COMPANY or "first_name" not in mapping or first == theirs[2]


def _postal(code: str | None) -> str:
    return "".join((code or "").split()).casefold()


def probable_matches(
    rows: Iterable[RowOutcome], organization: Organization
) -> dict[int, tuple[Contact, str]]:
    """For rows without a number: the live contact each probably is (by line), and why —
    one of its e-mail addresses (in lower case, as the database's LOWER() makes them), or the
    same folded name and postal code. At most three queries however many rows."""
    rows = list(rows)
    live = Contact.objects.filter(organization=organization)
    if not rows or not live.exists():
        return {}  # the first import into an organization: nothing to match
    emails: dict[int, list[str]] = {}
    for row in rows:
        found = [row.values[f].lower() for f in Contact.EMAIL_FIELDS if row.values.get(f)]
        if found:
            emails[row.line] = found
    keyed = {
        row.line: (name_key(row.values), _postal(row.values.get("billing_postal_code")))
        for row in rows
        if row.values.get("billing_postal_code")
    }
    by_email: dict[str, Contact] = {}
    wanted = sorted({e for found in emails.values() for e in found})
    if wanted:
        lowered = {f"lower_{f}": Lower(f) for f in Contact.EMAIL_FIELDS}
        condition = Q()
        for name in lowered:
            condition |= Q(**{f"{name}__in": bulk.one_of(wanted)})
        for contact in live.annotate(**lowered).filter(condition).order_by("pk"):
            for name in Contact.EMAIL_FIELDS:
                address = getattr(contact, name).lower()
                if address:
                    by_email.setdefault(address, contact)
    by_name: dict[tuple, Contact] = {}
    if keyed:
        # Folded names as the contacts' sort names have them (see name_key's test): the
        # sort name index finds the candidates, the postal code decides.
        sort_names = sorted({_sort_name(key) for key, _code in keyed.values()})
        for contact in live.filter(sort_name__in=bulk.one_of(sort_names)).order_by("pk"):
            key = (contact_name_key(contact), _postal(contact.billing_postal_code))
            by_name.setdefault(key, contact)
    matches: dict[int, tuple[Contact, str]] = {}
    for row in rows:
        for address in emails.get(row.line, []):
            if address in by_email:
                reason = _("the same e-mail address (%(email)s)") % {"email": address}
                matches[row.line] = (by_email[address], reason)
                break
        else:
            name_and_code = keyed.get(row.line)
            if name_and_code is not None and name_and_code in by_name:
                matches[row.line] = (by_name[name_and_code], _("the same name and postal code"))
    return matches


def _sort_name(key: tuple[str, str, str]) -> str:
    """The sort name (`Contact.sort_name`) of a contact with this name key."""
    kind, name, first = key
    return (name if kind == Contact.Kind.COMPANY else f"{name} {first}").strip()[:250]
