"""Reads of contacts that several places share: the filtered, sorted list and look-alikes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, OrderBy, Q, QuerySet
from django.db.models.functions import Coalesce

from accounts.models import Organization

from .models import Contact
from .search import Unindexed, are_few, filter_by_query, matching_ids

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
    contacts = filter_by_query(contacts, flt.query, matches=matches)
    return contacts.order_by(*SORTS.get(flt.sort, SORTS["name"]))


def similar_contacts(
    organization: Organization, *, name: str, emails: list[str], exclude_pk: int | None = None
) -> list[Contact]:
    """Contacts with the same name or one of the same e-mail addresses, for a warning."""
    condition = Q()
    if name.strip():
        condition |= Q(display_name__iexact=name.strip())
    for email in filter(None, (e.strip() for e in emails)):
        for field in Contact.EMAIL_FIELDS:
            condition |= Q(**{f"{field}__iexact": email})
        condition |= Q(persons__email__iexact=email)
    if not condition:
        return []
    found = Contact.objects.filter(organization=organization).filter(condition)
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    return list(found.distinct().order_by("sort_name")[:5])
