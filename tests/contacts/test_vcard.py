"""Download vCard: a file that phones and Outlook import."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contacts_app.vcard import render_vcard

from .conftest import make_company, make_person

pytestmark = pytest.mark.django_db


def unfold(card: str) -> list[str]:
    """The logical lines of a vCard: continuation lines (starting with a space) joined back."""
    return card.replace("\r\n ", "").split("\r\n")


def test_it_downloads_a_vcard(alice_client, contact):
    response = alice_client.get(reverse("contacts:vcard", args=[contact.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="muller-maschinenbau-gmbh.vcf"'
    )
    card = response.content.decode()
    assert card.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert card.endswith("END:VCARD\r\n")
    assert "\n" not in card.replace("\r\n", "")  # every line ends in CRLF
    lines = unfold(card)
    assert "FN:Müller Maschinenbau GmbH" in lines
    assert "ORG:Müller Maschinenbau GmbH" in lines
    assert "TEL;TYPE=WORK,VOICE:+49 89 123456" in lines
    assert "EMAIL;TYPE=INTERNET,WORK:info@mueller-maschinen.de" in lines
    assert "URL:https://mueller-maschinen.de" in lines
    assert "ADR;TYPE=WORK,PREF:;;Hauptstraße 5;München;;80331;Germany" in lines
    assert any(line.startswith("NOTE:Jana Schröder") for line in lines)
    assert "X-KONTOR-NUMBERS:customer 10000" in lines


def test_it_writes_a_persons_name_in_parts(acme):
    person = make_person(acme, "Erika", "Mustermann", title="Dr.", phone_mobile="0171 2345678")
    lines = unfold(render_vcard(person))
    assert "FN:Dr. Erika Mustermann" in lines
    assert "N:Mustermann;Erika;;Dr.;" in lines
    assert "TEL;TYPE=CELL:0171 2345678" in lines
    assert not any(line.startswith("ORG:") for line in lines)


def test_it_escapes_commas_and_semicolons(acme):
    company = make_company(acme, "Schmidt, Meyer; Partner")
    lines = unfold(render_vcard(company))
    assert "FN:Schmidt\\, Meyer\\; Partner" in lines


def test_it_folds_long_lines_at_75_octets(acme):
    company = make_company(acme, "Ä" * 60)  # 120 octets in UTF-8
    card = render_vcard(company)
    for line in card.split("\r\n"):
        assert len(line.encode()) <= 75
    assert "FN:" + "Ä" * 60 in unfold(card)


def test_it_names_the_file_after_the_contact_even_without_ascii_letters(alice_client, acme):
    company = make_company(acme, "株式会社")
    response = alice_client.get(reverse("contacts:vcard", args=[company.pk]))
    assert response.status_code == 200
    assert ".vcf" in response["Content-Disposition"]
