"""Stored contact data checked again by today's rules, for `manage.py check_contact_data`.

Values saved before a check existed (or under an older, looser one) stay as they are: nothing
here changes them. This only says which of them the form or the import would now refuse, or
warn about, and why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from . import phones, validators
from .models import Contact, ContactPerson


@dataclass(frozen=True)
class Problem:
    field: str  # the model field's name; "person Anna Schäfer: phone" for a contact person's
    value: str
    reason: str


def contact_problems(contact: Contact, persons: Iterable[ContactPerson] = ()) -> list[Problem]:
    """Every stored value of `contact` and its contact persons that fails Kontor's checks.

    A contact without a country counts as German, as in the import.
    """
    country = _code(contact.billing_country) or "DE"
    shipping_country = _code(contact.shipping_country) or country
    checks: list[tuple[str, str, Callable[[str], object]]] = [
        ("vat_id", contact.vat_id, validators.validate_vat_id),
        ("tax_number", contact.tax_number, lambda v: validators.validate_tax_number(v, country)),
        (
            "billing_postal_code",
            contact.billing_postal_code,
            lambda v: validators.validate_postal_code(v, country),
        ),
        (
            "shipping_postal_code",
            contact.shipping_postal_code,
            lambda v: validators.validate_postal_code(v, shipping_country),
        ),
    ]
    checks += [(f, getattr(contact, f), validate_email) for f in Contact.EMAIL_FIELDS]
    checks += [(f, getattr(contact, f), _phone_check(country)) for f in Contact.PHONE_FIELDS]
    for person in persons:
        label = f"person {person.full_name}: "
        checks += [
            (label + "email", person.email, validate_email),
            (label + "phone", person.phone, _phone_check(country)),
            (label + "mobile", person.mobile, _phone_check(country)),
        ]
    return list(_failures(checks))


def _failures(checks: list[tuple[str, str, Callable[[str], object]]]) -> Iterator[Problem]:
    for field, value, check in checks:
        if not value:
            continue
        try:
            check(value)
        except ValidationError as error:
            yield Problem(field, value, " ".join(str(m) for m in error.messages))


def _phone_check(country: str) -> Callable[[str], None]:
    def check(value: str) -> None:
        phones.validate_phone_number(value)
        warning = phones.phone_warning(value, country)
        if warning:
            raise ValidationError(warning)

    return check


def _code(country: object) -> str:
    return str(getattr(country, "code", country) or "").upper()
