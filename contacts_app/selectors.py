"""Reads of contacts that several places share: the filtered, sorted list and look-alikes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OrderBy,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from accounts.models import Organization

from .matching import PROFILE_FIELDS, MatchProfile, pair_reasons, profile_from_row, profile_of
from .models import Contact, ContactPerson, ContactTag, Tag
from .search import TRIGRAM, Unindexed, are_few, filter_by_query, matching_ids

SORTS: dict[str, tuple[str | OrderBy, ...]] = {
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
    "billing_country",
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
    tags: tuple[int, ...] = ()  # only contacts with every one of these tags
    ids: tuple[int, ...] = ()  # only these contacts (a selection of the list, for the export)


def contact_list(organization: Organization, flt: ContactFilter) -> QuerySet[Contact]:
    """The list page's contacts: only the fields the list shows."""
    matches = matching_ids(flt.query, at_word_start=True) if flt.query else None
    contacts = filtered_contacts(organization, flt, matches=matches).only(*LIST_FIELDS)
    if are_few(matches):
        first, *rest = SORTS.get(flt.sort, SORTS["name"])
        contacts = contacts.order_by(_unindexed(first), *rest)
    return contacts


# PostgreSQL: up to this many matches, sorting them is quicker than walking the name index for
# them (which reads most of the organization when they sit at its end: 200 ms at 100,000).
SORT_MATCHES_UP_TO = 5000


# Up to this many contacts carrying the chosen tags are sorted themselves; with more, walking
# the sort index finds a page of them sooner (1 ms for a tag on every third contact).
SORT_TAGGED_UP_TO = 500


def ordered_for_page(contacts: QuerySet[Contact], flt: ContactFilter, count: int):
    """`contacts` (from `contact_list`) in the order that finds a page of them fastest.

    Neither planner can know how many contacts a trigram search finds or how many carry a
    tag, and they walk the sort index even for a few matches spread over the alphabet
    (reading most of the organization). Once the count is known, few matches are sorted
    themselves. (SQLite's searches decide this in `contact_list`.)
    """
    few_tagged = bool(flt.tags) and count <= SORT_TAGGED_UP_TO
    few_found = connection.vendor == "postgresql" and flt.query and count <= SORT_MATCHES_UP_TO
    if not (few_tagged or few_found):
        return contacts
    if few_tagged and not flt.query:
        # The same condition once more as a list, from which the database starts.
        contacts = contacts.filter(pk__in=carrying(flt.tags[0]).values("contact_id"))
    first, *rest = SORTS.get(flt.sort, SORTS["name"])
    return contacts.order_by(_unindexed(first), *rest)


def carrying(tag_id: int, contact: Any = None) -> QuerySet[ContactTag]:
    """The rows of the tag (of `contact`, if given: an id or an OuterRef)."""
    rows = ContactTag.objects.filter(tag_id=tag_id)
    return rows if contact is None else rows.filter(contact_id=contact)


def count_contacts(organization: Organization, flt: ContactFilter, contacts: QuerySet) -> int:
    """How many contacts `contacts` (from `contact_list(organization, flt)`) holds.

    A list filtered by tags alone is counted from the tags' rows: every contact carrying a tag
    of the organization is one of its own, so the active ones shown are those carrying the
    tags but for the few archived or in the trash, and the archived ones are the few archived
    and not in the trash. Each count walks an index range once. Counting the contacts
    themselves read all of the organization's (25 ms at 100,000 for a tag on every third
    contact; this way 3 ms).
    """
    if not flt.tags or flt.query or flt.role or flt.kind or flt.ids:
        return contacts.count()
    first, *others = flt.tags
    tagged = carrying(first)
    for tag_id in others:
        tagged = tagged.filter(Exists(carrying(tag_id, OuterRef("contact_id"))))
    archived = tagged.filter(
        # Contact.objects: live ones only, which the partial index `contact_live` holds.
        contact_id__in=Contact.objects.filter(
            organization=organization, archived__in=[True]
        ).values("pk")
    )
    if flt.archived:
        return archived.count()
    trashed = tagged.filter(
        contact_id__in=Contact.all_objects.filter(
            organization=organization, deleted_at__isnull=False
        ).values("pk")
    )
    counts = Tag.objects.filter(pk=first).values_list(
        row_count(tagged), row_count(archived), row_count(trashed)
    )
    every, hidden, gone = counts.get()
    return every - hidden - gone


def row_count(rows: QuerySet) -> Subquery:
    """How many `rows` there are, as a subquery (several counts in one query)."""
    return Subquery(
        rows.order_by().annotate(n=Func(Value(1), function="COUNT")).values("n")[:1],
        output_field=IntegerField(),
    )


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
    for tag_id in flt.tags:
        # EXISTS, which looks the pair up in the tag index as the list walks its sort index,
        # without first collecting all the tag's contacts (see ordered_for_page for few).
        # The organization's own contacts only: another's tag id finds none of them.
        contacts = contacts.filter(Exists(carrying(tag_id, OuterRef("pk"))))
    if flt.ids:
        contacts = contacts.filter(pk__in=flt.ids)
    contacts = filter_by_query(
        contacts, flt.query, matches=matches, organization=organization, at_word_start=True
    )
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
        people = ContactPerson.objects.filter(contact__in=[row[0] for row in rows]).exclude(
            email=""
        )
        for contact_id, email in people.values_list("contact_id", "email"):
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
