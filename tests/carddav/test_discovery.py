"""Discovery: the well-known address, the principal, the home set with one book per
organization, OPTIONS announcing CardDAV."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Membership, Role

from .conftest import BOOK
from .xmltools import NS, found, responses

pytestmark = pytest.mark.django_db

PRINCIPAL_PROPS = b"""<?xml version="1.0" encoding="UTF-8"?>
<A:propfind xmlns:A="DAV:"><A:prop><A:current-user-principal/><A:principal-URL/>
<B:addressbook-home-set xmlns:B="urn:ietf:params:xml:ns:carddav"/><A:displayname/>
</A:prop></A:propfind>"""


def test_the_well_known_address_redirects_to_the_service():
    for method in ("GET", "PROPFIND", "OPTIONS"):
        response = Client().generic(method, "/.well-known/carddav")
        assert response.status_code == 301, method
        assert response["Location"] == "/dav/"


def test_options_announces_an_addressbook_server():
    response = Client().options(BOOK)
    assert response.status_code == 200
    assert "addressbook" in response["DAV"]
    assert "PROPFIND" in response["Allow"] and "REPORT" in response["Allow"]


def test_the_service_names_the_current_users_principal_and_home(alice_dav):
    found_ = responses(alice_dav.propfind("/dav/", PRINCIPAL_PROPS, depth="0"))["/dav/"]
    assert found(found_, "d:current-user-principal/d:href").text == "/dav/principal/"
    principal = responses(alice_dav.propfind("/dav/principal/", PRINCIPAL_PROPS, depth="0"))
    me = principal["/dav/principal/"]
    assert found(me, "card:addressbook-home-set/d:href").text == "/dav/books/"
    assert found(me, "d:displayname").text == "Alice Admin"


def test_the_home_set_has_one_book_per_organization_named_after_it(alice_dav, alice, globex):
    Membership.objects.create(user=alice, organization=globex, role=Role.VIEWER)
    body = b"""<A:propfind xmlns:A="DAV:">
    <A:prop><A:resourcetype/><A:displayname/></A:prop></A:propfind>"""

    books = responses(alice_dav.propfind("/dav/books/", body, depth="1"))

    assert set(books) == {"/dav/books/", "/dav/books/acme/", "/dav/books/globex/"}
    acme = books["/dav/books/acme/"]
    assert found(acme, "d:displayname").text == "Acme GmbH"
    assert found(acme, "d:resourcetype/card:addressbook") is not None
    assert found(books["/dav/books/globex/"], "d:displayname").text == "Globex AG"


def test_a_book_says_what_it_offers(alice_dav):
    body = b"""<A:propfind xmlns:A="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
    <A:prop><A:supported-report-set/><C:supported-address-data/><C:max-resource-size/></A:prop></A:propfind>"""
    book = responses(alice_dav.propfind(BOOK, body, depth="0"))[BOOK]
    reports = found(book, "d:supported-report-set")
    names = {r.tag for r in reports.iter() if len(r) == 0}
    assert "{urn:ietf:params:xml:ns:carddav}addressbook-multiget" in names
    assert "{DAV:}sync-collection" in names
    versions = {t.get("version") for t in found(book, "card:supported-address-data")}
    assert versions == {"3.0", "4.0"}
    assert found(book, "card:max-resource-size").text == "262144"


def test_allprop_and_propname_are_answered(alice_dav):
    allprop = responses(
        alice_dav.propfind(BOOK, b'<propfind xmlns="DAV:"><allprop/></propfind>', depth="0")
    )
    assert found(allprop[BOOK], "d:displayname").text == "Acme GmbH"
    names = responses(
        alice_dav.propfind(BOOK, b'<propfind xmlns="DAV:"><propname/></propfind>', depth="0")
    )
    assert found(names[BOOK], "cs:getctag") is not None
    assert not (found(names[BOOK], "cs:getctag").text or "")
    assert NS  # the namespaces used above
