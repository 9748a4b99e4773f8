"""Tenancy and safety: another organization's book and cards are not found, bodies are
bounded, XML is parsed without entities or external references."""

from __future__ import annotations

import pytest

from contacts_app.models import Contact

from .conftest import BOOK, make_company, vcard
from .test_reading import multiget, sync
from .xmltools import responses, status

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(acme):
    return make_company(acme, "Geheim GmbH", persons=[{"last_name": "Vertraulich"}])


def test_another_organization_finds_neither_the_book_nor_its_cards(charlie_dav, secret):
    card = f"{BOOK}kontor-contact-{secret.pk}.vcf"
    person = f"{BOOK}{secret.persons.get().card_id}.vcf"
    answers = [
        charlie_dav.propfind(BOOK, depth="0"),
        charlie_dav.propfind(BOOK, depth="1"),
        charlie_dav.report(BOOK, multiget(card)),
        charlie_dav.report(BOOK, sync()),
        charlie_dav.get(card),
        charlie_dav.get(person),
        charlie_dav.put_card(card, vcard("FN:Übernommen", "ORG:Übernommen")),
        charlie_dav.put_card(f"{BOOK}neu.vcf", vcard("FN:Eingeschleust", "N:Eingeschleust;;;;")),
        charlie_dav.dav("DELETE", card),
        charlie_dav.dav("DELETE", person),
    ]
    assert [a.status_code for a in answers] == [404] * len(answers)
    assert all(b"Geheim" not in a.content for a in answers)
    secret.refresh_from_db()
    assert secret.company_name == "Geheim GmbH" and secret.persons.exists()
    assert not Contact.objects.filter(
        organization__slug="acme", company_name__in=["Eingeschleust", "Übernommen"]
    ).exists()


def test_the_home_set_lists_only_ones_own_books(charlie_dav, secret):
    books = responses(charlie_dav.propfind("/dav/books/", depth="1", body=b""))
    assert set(books) == {"/dav/books/", "/dav/books/globex/"}


def test_a_multiget_through_ones_own_book_cannot_reach_into_another(charlie_dav, secret, globex):
    acme_card = f"{BOOK}kontor-contact-{secret.pk}.vcf"
    own = "/dav/books/globex/"
    answer = responses(
        charlie_dav.report(own, multiget(acme_card, f"{own}kontor-contact-{secret.pk}.vcf"))
    )
    assert all("404" in status(r) for r in answer.values())
    assert charlie_dav.get(f"{own}kontor-contact-{secret.pk}.vcf").status_code == 404


def test_xml_with_entities_or_external_references_is_refused(alice_dav, secret):
    bomb = b"""<?xml version="1.0"?>
    <!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>
    <d:propfind xmlns:d="DAV:"><d:prop><d:displayname>&b;</d:displayname></d:prop></d:propfind>"""
    external = b"""<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
    <d:propfind xmlns:d="DAV:"><d:prop><d:displayname>&x;</d:displayname></d:prop></d:propfind>"""
    for body in (bomb, external, b"<not-closed>"):
        response = alice_dav.propfind(BOOK, body, depth="0")
        assert response.status_code == 400
        assert b"root:" not in response.content


def test_a_body_above_the_general_limit_is_refused_before_it_is_read(alice_dav, settings):
    body = b"x" * (settings.REQUEST_BODY_MAX_BYTES + 1)
    assert (
        alice_dav.dav("PUT", f"{BOOK}big.vcf", body, content_type="text/vcard").status_code == 413
    )
    assert alice_dav.report(BOOK, body).status_code == 413
