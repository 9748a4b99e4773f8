"""Reads of contacts that several places share: the filtered, sorted list and look-alikes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import F, OrderBy, QuerySet
from django.db.models.functions import Coalesce

from accounts.models import Organization

from .matching import PROFILE_FIELDS, MatchProfile, pair_reasons, profile_from_row, profile_of
from .models import Contact, ContactPerson
from .search import TRIGRAM, Unindexed, are_few, filter_by_query, matching_ids

SORTS = {
    "name": ("sort_name", "id"),
    "-name": ("-sort_name", "-id"),
    # Customers (10000–69999) before suppliers (70000–99999), the same on every database.
    "number": (Coalesce(F("customer_number"), F("supplier_number")).asc(), "id"),
    "-number": (Coalesce(F("customer_number"), F("supplier_number")).desc(), "-id"),
    "city": ("billing_city", "sort_name", "id"),
    "-city": ("-billing_city", "sort_name", "id"),
    "changed": ("updated_at", "id"),
    "-changed": ("-updated_at", "-id"),
}
LIST_FIELDS = (
    "id",
    "kind",
    "is_customer",
    "is_supplier",
    "customer_number",
    "supplier_number",
    "display_name",
    "billing_city",
    "billing_postal_code",
    "archived",
    "updated_at",
    *Contact.EMAIL_FIELDS,
    *Contact.PHONE_FIELDS,
)


@dataclass(frozen=True)
class ContactFilter:
    query: str = ""
    role: str = ""  # "", "customer", "supplier"
    kind: str = ""  # "", "company", "person"
    archived: bool = False  # True: show only archived contacts
    sort: str = "name"


def contact_list(organization: Organization, flt: ContactFilter) -> QuerySet[Contact]:
    """The list page's contacts: only the fields the list shows."""
    matches = matching_ids(flt.query) if flt.query else None
    contacts = filtered_contacts(organization, flt, matches=matches).only(*LIST_FIELDS)
    if are_few(matches):
        first, *rest = SORTS.get(flt.sort, SORTS["name"])
        contacts = contacts.order_by(_unindexed(first), *rest)
    return contacts


# PostgreSQL: up to this many matches, sorting them is quicker than walking the name index for
# them (which reads most of the organization when they sit at its end: 200 ms at 100,000).
SORT_MATCHES_UP_TO = 5000


def ordered_for_page(contacts: QuerySet[Contact], flt: ContactFilter, count: int):
    """`contacts` (from `contact_list`) in the order that finds a page of them fastest.

    PostgreSQL's planner cannot know how many contacts a trigram search finds, and walks the
    sort index even for a thousand matches at the end of the alphabet. Once the count is
    known, few matches are sorted themselves. (SQLite decides this in `contact_list`.)
    """
    if connection.vendor != "postgresql" or not flt.query or count > SORT_MATCHES_UP_TO:
        return contacts
    first, *rest = SORTS.get(flt.sort, SORTS["name"])
    return contacts.order_by(_unindexed(first), *rest)


def _unindexed(term: str | OrderBy) -> OrderBy:
    if not isinstance(term, str):
        return term
    expression = Unindexed(F(term.removeprefix("-")))
    return expression.desc() if term.startswith("-") else expression.asc()


def filtered_contacts(
    organization: Organization, flt: ContactFilter, *, matches: list[int] | None = None
) -> QuerySet[Contact]:
    # "archived IN (…)" rather than "NOT archived": SQLite uses an index only for the former.
    contacts = Contact.objects.filter(organization=organization, archived__in=[flt.archived])
    if flt.role == "customer":
        contacts = contacts.filter(is_customer=True)
    elif flt.role == "supplier":
        contacts = contacts.filter(is_supplier=True)
    if flt.kind in (Contact.Kind.COMPANY, Contact.Kind.PERSON):
        contacts = contacts.filter(kind=flt.kind)
    contacts = filter_by_query(contacts, flt.query, matches=matches, organization=organization)
    return contacts.order_by(*SORTS.get(flt.sort, SORTS["name"]))


SIMILAR_CANDIDATES = 200
LOOK_ALIKES_SHOWN = 5


def similar_contacts(
    organization: Organization,
    *,
    values: Mapping[str, Any],
    persons: Iterable[Mapping[str, Any]] = (),
    exclude_pk: int | None = None,
) -> list[Contact]:
    """Contacts the one being saved (`values`: its fields, `persons`: its contact persons)
    probably is, by the duplicate finder's matcher (`matching.pair_reasons`), for a warning.

    The search index finds the candidates — contacts holding the name's words, one of the
    e-mail addresses or phone numbers, or the start of a name's word in the same city or postal
    code — and the matcher decides on those few; the VAT ID is looked up as it is.
    """
    typed = profile_of(values, person_emails=[p.get("email") or "" for p in persons])
    contacts = Contact.objects.filter(organization=organization)
    if exclude_pk:
        contacts = contacts.exclude(pk=exclude_pk)
    probes = [filter_by_query(contacts, q, organization=organization) for q in _probes(typed)]
    same_kind = contacts.filter(kind=typed.kind)
    # The two longest words' starts: a typo in one still leaves the other to find it by. The
    # city is in the search text; the postal code is asked for only when no city is typed.
    city, postal_code = values.get("billing_city"), values.get("billing_postal_code")
    longest = sorted(typed.core_as_written.split(), key=len, reverse=True)[:2]
    for prefix in dict.fromkeys(word[:4] for word in longest if len(word) >= TRIGRAM):
        if city:
            probes.append(filter_by_query(same_kind, f"{prefix} {city}", organization=organization))
        elif postal_code:
            probes.append(
                filter_by_query(same_kind, prefix, organization=organization).filter(
                    billing_postal_code=postal_code
                )
            )
    if typed.vat_id:
        probes.append(contacts.filter(vat_id=typed.vat_id))
    found: set[int] = set()
    for probe in probes:
        rows = list(
            probe.exclude(pk__in=found).order_by().values_list(*PROFILE_FIELDS)[:SIMILAR_CANDIDATES]
        )
        person_emails: dict[int, list[str]] = {}
        persons = ContactPerson.objects.filter(contact__in=[row[0] for row in rows]).exclude(
            email=""
        )
        for contact_id, email in persons.values_list("contact_id", "email"):
            person_emails.setdefault(contact_id, []).append(email)
        for row in rows:
            if pair_reasons(typed, profile_from_row(row, person_emails.get(row[0], ()))):
                found.add(row[0])
    similar = Contact.objects.filter(pk__in=found).order_by("sort_name", "pk")
    return list(similar[:LOOK_ALIKES_SHOWN])


def _probes(typed: MatchProfile) -> list[str]:
    """Search queries for the contacts with the same name, e-mail address or phone number."""
    return [
        *([typed.name] if typed.name else []),
        *sorted(typed.emails),
        *typed.phones.values(),
    ]
