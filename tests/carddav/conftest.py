"""CardDAV test helpers: app passwords for the personas, a client that logs in with HTTP Basic,
and contacts made through the services."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.test import Client

from accounts.models import Organization, User
from carddav.models import AppPassword
from contacts_app import services
from contacts_app.models import Contact

BOOK = "/dav/books/acme/"

PROPFIND_ETAGS = b"""<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:getcontenttype/></d:prop></d:propfind>"""


def issue(user: User, name: str = "Phone") -> tuple[AppPassword, str]:
    device = AppPassword(user=user, name=name)
    password = device.issue()
    device.save()
    return device, password


class DavClient(Client):
    """A client that sends Basic credentials with every request (and no session cookie)."""

    def __init__(self, email: str, password: str, **defaults: Any) -> None:
        token = base64.b64encode(f"{email}:{password}".encode()).decode()
        super().__init__(HTTP_AUTHORIZATION=f"Basic {token}", **defaults)

    def dav(self, method: str, path: str, body: bytes | str = b"", **headers: Any):
        if isinstance(body, str):
            body = body.encode()
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        content_type = extra.pop("HTTP_CONTENT_TYPE", "application/xml; charset=utf-8")
        return self.generic(method, path, body, content_type=content_type, **extra)

    def propfind(self, path: str, body: bytes | str = PROPFIND_ETAGS, depth: str = "1"):
        return self.dav("PROPFIND", path, body, depth=depth)

    def report(self, path: str, body: bytes | str, depth: str = "1"):
        return self.dav("REPORT", path, body, depth=depth)

    def put_card(self, path: str, card: str, **headers: Any):
        headers.setdefault("content_type", "text/vcard; charset=utf-8")
        return self.dav("PUT", path, card, **headers)


def dav_client_for(user: User, name: str = "Phone") -> DavClient:
    _device, password = issue(user, name)
    return DavClient(user.email, password)


@pytest.fixture
def alice_dav(alice) -> DavClient:
    return dav_client_for(alice, "Alice's iPhone")


@pytest.fixture
def bob_dav(bob) -> DavClient:
    return dav_client_for(bob, "Bob's Pixel")


@pytest.fixture
def vera_dav(vera) -> DavClient:
    return dav_client_for(vera, "Vera's iPad")


@pytest.fixture
def charlie_dav(charlie) -> DavClient:
    return dav_client_for(charlie, "Charlie's phone")


def make_company(
    organization: Organization,
    name: str = "Müller Maschinenbau GmbH",
    *,
    persons=(),
    profiles=(),
    **fields: Any,
) -> Contact:
    data = {"kind": Contact.Kind.COMPANY, "company_name": name, **fields}
    return services.create_contact(
        organization=organization,
        data=data,
        by=None,
        persons=list(persons),
        profiles=list(profiles),
    )


def make_person(
    organization: Organization, first: str = "Erika", last: str = "Mustermann", **fields: Any
) -> Contact:
    data = {"kind": Contact.Kind.PERSON, "first_name": first, "last_name": last, **fields}
    return services.create_contact(organization=organization, data=data, by=None)


def vcard(*lines: str, version: str = "3.0") -> str:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD"]) + "\r\n"


@pytest.fixture
def company(acme):
    return make_company(
        acme,
        phone_business="089 123456",
        phone_fax="089 123457",
        email_business="info@mueller-maschinen.de",
        email_private="chef@mueller.test",
        billing_street="Hauptstraße 5",
        billing_city="München",
        billing_postal_code="80331",
        persons=[
            {
                "first_name": "Jana",
                "last_name": "Schröder",
                "title": "Dr.",
                "position": "Einkauf",
                "email": "j.schroeder@mueller-maschinen.de",
                "phone": "089 123456",
                "phone_extension": "12",
                "mobile": "0171 2345678",
                "is_primary": True,
            }
        ],
        profiles=[
            {"kind": "website", "value": "https://mueller-maschinen.de"},
            {"kind": "messenger", "value": "signal:jana"},
        ],
    )


def card_href(contact) -> str:
    return f"{BOOK}kontor-contact-{contact.pk}.vcf"


def person_href(company) -> str:
    return f"{BOOK}{company.persons.get().card_id}.vcf"
