"""Reads of contacts that several places share: the filtered, sorted list and look-alikes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import F, OrderBy, Prefetch, QuerySet
from django.db.models.functions import Coalesce

from accounts.models import Organization

from .models import Contact, ContactPerson, ContactTag
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
    for tag_id in flt.tags:
        # The organization's own contacts only: another's tag id finds none of them.
        contacts = contacts.filter(
            pk__in=ContactTag.objects.filter(tag_id=tag_id).values("contact_id")
        )
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
