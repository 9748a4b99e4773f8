"""Why a contact is on the list of a search: through one of its contact persons or e-mail
addresses, when its own name, numbers, phones and city do not explain it."""

from __future__ import annotations

from collections.abc import Sequence

from .models import Contact, ContactPerson
from .search import build_search_text, text_matches


def _own_text(contact: Contact) -> str:
    return build_search_text(
        names=[contact.display_name],
        numbers=[contact.customer_number, contact.supplier_number],
        emails=[],
        phones=[getattr(contact, f) for f in Contact.PHONE_FIELDS],
        places=[contact.billing_city],
        country=contact.billing_country,
    )


def _email_text(email: str) -> str:
    return build_search_text(names=[], numbers=[], emails=[email], phones=[], places=[])


def found_via(contacts: Sequence[Contact], query: str) -> dict[int, str]:
    """Contact id → the contact person's name or the e-mail address the search found the
    contact by, for the contacts (as the list reads them) that their own name does not explain.

    One query at most, for the contact persons of those contacts, however many there are.
    """
    if not query.strip():
        return {}
    reasons: dict[int, str] = {}
    pending: dict[int, str] = {}
    countries = {contact.pk: contact.billing_country for contact in contacts}
    for contact in contacts:
        own = _own_text(contact)
        if text_matches(query, own):
            continue
        emails = [e for f in Contact.EMAIL_FIELDS if (e := getattr(contact, f))]
        via_email = next((e for e in emails if text_matches(query, own + _email_text(e))), None)
        if via_email:
            reasons[contact.pk] = via_email
        else:
            pending[contact.pk] = own + "".join(_email_text(e) for e in emails)
    if not pending:
        return reasons
    persons = ContactPerson.objects.filter(contact_id__in=list(pending)).only(
        "contact_id", "title", "first_name", "last_name", "email", "phone", "mobile"
    )
    for person in persons:
        if person.contact_id in reasons:
            continue
        text = build_search_text(
            names=[f"{person.first_name} {person.last_name}"],
            numbers=[],
            emails=[person.email],
            phones=[person.phone, person.mobile],
            places=[],
            country=countries[person.contact_id],
        )
        if text_matches(query, pending[person.contact_id] + text):
            reasons[person.contact_id] = person.full_name or person.email
    return reasons
