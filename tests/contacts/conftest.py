"""Helpers for the contacts tests: contacts made through the services, form data as posted."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Organization, User
from contacts_app import services
from contacts_app.models import Contact


def make_company(
    organization: Organization,
    name: str = "Müller Maschinenbau GmbH",
    *,
    by: User | None = None,
    persons: list[dict] = (),
    profiles: list[dict] = (),
    tags: list[str] = (),
    **fields: Any,
) -> Contact:
    data = {"kind": Contact.Kind.COMPANY, "company_name": name, **fields}
    return services.create_contact(
        organization=organization,
        data=data,
        by=by,
        persons=persons,
        profiles=profiles,
        tags=tags,
    )


def make_person(
    organization: Organization,
    first: str = "Erika",
    last: str = "Mustermann",
    *,
    by: User | None = None,
    tags: list[str] = (),
    **fields: Any,
) -> Contact:
    data = {"kind": Contact.Kind.PERSON, "first_name": first, "last_name": last, **fields}
    return services.create_contact(organization=organization, data=data, by=by, tags=tags)


def contact_post_data(
    *,
    persons: list[dict] = (),
    profiles: list[dict] = (),
    initial_persons: int = 0,
    initial_profiles: int = 0,
    **fields: Any,
) -> dict[str, Any]:
    """The contact form as the browser submits it: every field, both formsets' management forms.

    Booleans are sent the way checkboxes are: present ("on") when true, absent when false;
    a list is sent as a field given several times (`tags`).
    """
    data: dict[str, Any] = {
        "kind": "company",
        "is_customer": True,
        "is_supplier": False,
        "company_name": "",
        "tax_number": "",
        "vat_id": "",
        "salutation": "",
        "title": "",
        "first_name": "",
        "last_name": "",
        "billing_supplement": "",
        "billing_street": "",
        "billing_postal_code": "",
        "billing_city": "",
        "billing_country": "DE",
        "has_shipping_address": False,
        "shipping_supplement": "",
        "shipping_street": "",
        "shipping_postal_code": "",
        "shipping_city": "",
        "shipping_country": "",
        **{f: "" for f in Contact.EMAIL_FIELDS},
        **{f: "" for f in Contact.PHONE_FIELDS},
        "version": "",
        "confirm_duplicate": "",
    }
    data.update(fields)
    post: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, list):
            post[key] = value
        elif value is True:
            post[key] = "on"
        elif value is not False:
            post[key] = "" if value is None else str(value)
    post.update(_formset("persons", persons, initial_persons))
    post.update(_formset("profiles", profiles, initial_profiles))
    return post


def _formset(prefix: str, rows: list[dict], initial: int) -> dict[str, str]:
    post = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            if value is True:
                post[f"{prefix}-{index}-{key}"] = "on"
            elif value is not False:
                post[f"{prefix}-{index}-{key}"] = str(value)
    return post


@pytest.fixture
def contact(acme, alice) -> Contact:
    """A company of Acme's with one contact person, a website and a note by alice."""
    company = make_company(
        acme,
        "Müller Maschinenbau GmbH",
        by=alice,
        billing_street="Hauptstraße 5",
        billing_postal_code="80331",
        billing_city="München",
        email_business="info@mueller-maschinen.de",
        phone_business="+49 89 123456",
        persons=[
            {
                "first_name": "Jana",
                "last_name": "Schröder",
                "email": "jana.schroeder@mueller-maschinen.de",
                "phone": "+49 89 123456",
                "phone_extension": "12",
                "is_primary": True,
            }
        ],
        profiles=[{"kind": "website", "value": "https://mueller-maschinen.de"}],
    )
    services.add_note(contact=company, text="Prefers calls in the morning.", by=alice)
    return company
