"""Reads of contacts that several places share: the filtered, sorted list and look-alikes."""

from __future__ import annotations

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
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from accounts.models import Organization

from .models import Contact, ContactPerson, ContactTag, Tag
from .search import Unindexed, are_few, filter_by_query, fold, matching_ids

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
    matches = matching_ids(flt.query) if flt.query else None
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
    contacts = filter_by_query(contacts, flt.query, matches=matches, organization=organization)
    return contacts.order_by(*SORTS.get(flt.sort, SORTS["name"]))


SIMILAR_CANDIDATES = 200


def similar_contacts(
    organization: Organization, *, name: str, emails: list[str], exclude_pk: int | None = None
) -> list[Contact]:
    """Contacts with the same name or one of the same e-mail addresses, for a warning.

    `name` is a company name or a person's first and last name (titles aside). The search index
    finds the candidates (whose search text holds every word of the name, or the address); the
    exact comparison, ignoring case and accents, is made on those few.
    """
    wanted_name = " ".join(fold(name).split())
    wanted_emails = {e.strip().lower() for e in emails if e and e.strip()}
    probes = ([name] if wanted_name else []) + sorted(wanted_emails)
    similar: dict[int, Contact] = {}
    for probe in probes:
        candidates = filter_by_query(
            Contact.objects.filter(organization=organization), probe, organization=organization
        )
        if exclude_pk:
            candidates = candidates.exclude(pk=exclude_pk)
        candidates = candidates.exclude(pk__in=list(similar)).prefetch_related(
            Prefetch("persons", queryset=ContactPerson.objects.only("contact_id", "email"))
        )
        for contact in candidates.order_by()[:SIMILAR_CANDIDATES]:
            addresses = {getattr(contact, f).lower() for f in Contact.EMAIL_FIELDS}
            addresses |= {p.email.lower() for p in contact.persons.all()}
            if _name_key(contact) == wanted_name or addresses & wanted_emails:
                similar[contact.pk] = contact
    return sorted(similar.values(), key=lambda c: (c.sort_name, c.pk))[:5]


def _name_key(contact: Contact) -> str:
    if contact.kind == Contact.Kind.COMPANY:
        return " ".join(fold(contact.company_name).split())
    return " ".join(fold(f"{contact.first_name} {contact.last_name}").split())
