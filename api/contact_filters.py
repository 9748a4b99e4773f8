"""lexoffice's filters of the contact list, combined with AND.

`email` and `name` need at least 3 characters and are found anywhere in the field, ignoring
case, `_` standing for one character and `%` for any text (lexoffice's wildcards); `email`
looks through the contact's four addresses and its contact persons', `name` through the
company's name and the person's first name, last name and both. `number` is a customer or
supplier number; `customer` and `vendor` (true/false) ask for the role.

Every one of those fields is in the contact's search text, so the longest piece of the pattern
between its wildcards (of 3 letters or more) is first looked up in the search index; the exact
pattern is then checked on the few contacts found, not on all of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext as _

from accounts.models import Organization
from contacts_app.models import Contact, ContactPerson
from contacts_app.search import TRIGRAM, filter_by_query, matching_ids, query_terms

from .errors import Detail, field_error, invalid
from .lookups import Matches

MIN_PATTERN = 3
TRUE, FALSE = ("true", "1", "yes"), ("false", "0", "no")


def _pattern(params: Mapping[str, str], name: str, problems: list[Detail]) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    if len(value) < MIN_PATTERN:
        message = _("Give at least %(count)s characters.") % {"count": MIN_PATTERN}
        problems.append(field_error(name, message, "too_short"))
        return None
    return f"%{value}%"


def _flag(params: Mapping[str, str], name: str, problems: list[Detail]) -> bool | None:
    value = params.get(name)
    if value is None:
        return None
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    problems.append(field_error(name, _("Give true or false."), "not_a_boolean"))
    return None


def _number(params: Mapping[str, str], problems: list[Detail]) -> int | None:
    value = params.get("number")
    if value is None:
        return None
    if not value.isdigit() or len(value) > 9:
        problems.append(field_error("number", _("Give a whole number."), "not_a_number"))
        return None
    return int(value)


LITERAL = re.compile(r"[^%_\s\\]+")


def indexed(
    contacts: QuerySet[Contact], value: str, organization: Organization
) -> QuerySet[Contact]:
    """`contacts`, narrowed by the search index to those whose search text holds the pattern's
    longest literal piece: every contact the pattern matches, and a few more."""
    usable = []
    for piece in LITERAL.findall(value):
        terms = query_terms(piece)
        if any(c.isalpha() for c in piece) and terms and all(len(t) >= TRIGRAM for t in terms):
            usable.append(piece)
    if not usable:
        return contacts
    piece = max(usable, key=len)
    # Asked once (SQLite's full-text index): the count and the page both use the ids found.
    found = matching_ids(piece)
    return filter_by_query(contacts, piece, matches=found, organization=organization)


def filtered_contacts(organization: Organization, params: Mapping[str, str]) -> QuerySet[Contact]:
    """The organization's contacts (not those in the trash) that match every filter given."""
    problems: list[Detail] = []
    email = _pattern(params, "email", problems)
    name = _pattern(params, "name", problems)
    number = _number(params, problems)
    customer = _flag(params, "customer", problems)
    vendor = _flag(params, "vendor", problems)
    if problems:
        raise invalid(problems)
    contacts = Contact.objects.filter(organization=organization)
    if email is not None:
        persons = ContactPerson.objects.filter(Matches(F("email"), email), contact=OuterRef("pk"))
        found = Q(Exists(persons))
        for field in Contact.EMAIL_FIELDS:
            found |= Q(Matches(F(field), email))
        contacts = indexed(contacts, email, organization).filter(found)
    if name is not None:
        full_name = Concat(F("first_name"), Value(" "), F("last_name"))
        found = Q(Matches(F("company_name"), name)) | Q(Matches(full_name, name))
        for field in ("first_name", "last_name"):
            found |= Q(Matches(F(field), name))
        contacts = indexed(contacts, name, organization).filter(found)
    if number is not None:
        contacts = contacts.filter(Q(customer_number=number) | Q(supplier_number=number))
    if customer is not None:
        contacts = contacts.filter(is_customer=customer)
    if vendor is not None:
        contacts = contacts.filter(is_supplier=vendor)
    # In the order they were made: a script paging through all contacts misses none that are
    # added meanwhile (they come last), and a page's ids are found from an index alone.
    return contacts.order_by("id")
