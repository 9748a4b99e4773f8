"""Contacts as lexoffice's clients send them, for the API's tests."""

from __future__ import annotations

from typing import Any

from contacts_app.services import create_contact


def company_payload(name: str = "Müller GmbH", **extra: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "roles": {"customer": {}},
        "company": {
            "name": name,
            "vatRegistrationId": "DE123456788",
            "contactPersons": [
                {
                    "salutation": "Herr",
                    "firstName": "Max",
                    "lastName": "Muster",
                    "primary": True,
                    "emailAddress": "max@mueller.example",
                    "phoneNumber": "030 1234567",
                }
            ],
        },
        "addresses": {
            "billing": [
                {"street": "Hauptstr. 1", "zip": "10115", "city": "Berlin", "countryCode": "DE"}
            ]
        },
        "emailAddresses": {"business": ["info@mueller.example"]},
        "phoneNumbers": {"mobile": ["+49 170 1234567"]},
    }
    payload.update(extra)
    return payload


def person_payload(first: str = "Erika", last: str = "Mustermann", **extra: Any) -> dict:
    payload: dict[str, Any] = {
        "roles": {"customer": {}},
        "person": {"salutation": "Frau", "firstName": first, "lastName": last},
    }
    payload.update(extra)
    return payload


def make_contact(organization, name: str, *, by=None, **data: Any):
    values = {"kind": "company", "company_name": name, **data}
    return create_contact(organization=organization, data=values, by=by)
