"""Download vCard: the contact's card as the address book has it, a company's as a company
card, with its contact persons as cards of their own if asked, named with its umlauts."""

from __future__ import annotations

import re
import unicodedata

import pytest
import vobject
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from contacts_app.vcard import escape

from .conftest import make_company, make_person

pytestmark = pytest.mark.django_db


def unfold(card: str) -> list[str]:
    """The logical lines of a vCard: continuation lines (starting with a space) joined back."""
    return card.replace("\r\n ", "").split("\r\n")


def download(client, contact, **params):
    response = client.get(reverse("contacts:vcard", args=[contact.pk]), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    return response


def test_a_company_downloads_as_a_company_card(alice_client, contact):
    response = download(alice_client, contact)
    card = response.content.decode()
    assert card.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert card.endswith("END:VCARD\r\n") and card.count("BEGIN:VCARD") == 1
    assert "\n" not in card.replace("\r\n", "")  # every line ends in CRLF
    lines = unfold(card)
    assert "FN:Müller Maschinenbau GmbH" in lines
    assert "ORG:Müller Maschinenbau GmbH" in lines
    assert "N:;;;;" in lines  # no person's name: the company is no person
    assert "X-ABShowAs:COMPANY" in lines
    assert "TEL;TYPE=WORK,VOICE:+4989123456" in lines
    assert "EMAIL;TYPE=INTERNET,WORK:info@mueller-maschinen.de" in lines
    assert "URL:https://mueller-maschinen.de" in lines
    assert "ADR;TYPE=WORK,PREF:;;Hauptstraße 5;München;;80331;Germany" in lines
    assert "X-KONTOR-NUMBERS:customer 10000" in lines
    # A phone shows the company by its name only.
    read = vobject.readOne(card)
    assert read.org.value == ["Müller Maschinenbau GmbH"]
    assert (read.n.value.family, read.n.value.given) == ("", "")


def test_the_file_keeps_its_umlauts_with_an_ascii_name_beside(alice_client, contact):
    response = download(alice_client, contact)
    assert response["Content-Disposition"] == (
        'attachment; filename="Mueller Maschinenbau GmbH.vcf"; '
        "filename*=UTF-8''M%C3%BCller%20Maschinenbau%20GmbH.vcf"
    )


def test_a_plain_name_stays_a_plain_file_name(alice_client, acme):
    company = make_company(acme, "Nordlicht Handel GmbH")
    response = download(alice_client, company)
    assert response["Content-Disposition"] == 'attachment; filename="Nordlicht Handel GmbH.vcf"'


def test_a_name_of_other_scripts_or_with_slashes_is_a_safe_file_name(alice_client, acme):
    company = make_company(acme, "株式会社")
    header = download(alice_client, company)["Content-Disposition"]
    assert header.startswith("attachment; filename=\"download.vcf\"; filename*=UTF-8''%E6")
    slashed = make_company(acme, 'A/B "C" GmbH')
    header = download(alice_client, slashed)["Content-Disposition"]
    assert header == 'attachment; filename="A B C GmbH.vcf"'


def test_the_contact_persons_come_along_as_cards_of_their_own(alice_client, contact):
    response = download(alice_client, contact, persons="1")
    cards = list(vobject.readComponents(response.content.decode()))
    assert [c.fn.value for c in cards] == ["Müller Maschinenbau GmbH", "Jana Schröder"]
    jana = cards[1]
    assert (jana.n.value.family, jana.n.value.given) == ("Schröder", "Jana")
    assert jana.org.value == ["Müller Maschinenbau GmbH"]
    assert "x-abshowas" not in jana.contents
    assert (
        "filename*=UTF-8''M%C3%BCller%20Maschinenbau%20GmbH%20with%20contact%20persons.vcf"
        in (response["Content-Disposition"])
    )


def test_the_contact_page_offers_both_downloads(alice_client, contact):
    page = alice_client.get(
        reverse("contacts:detail", args=[contact.pk]), headers={"accept-language": "de"}
    )
    url = reverse("contacts:vcard", args=[contact.pk])
    assert f'href="{url}"' in page.text
    assert f'href="{url}?persons=1"' in page.text
    assert "mit Ansprechpartnern" in page.text


def test_a_person_downloads_as_a_person_card(alice_client, acme):
    person = make_person(acme, "Erika", "Mustermann", title="Dr.", phone_mobile="0171 2345678")
    lines = unfold(download(alice_client, person).content.decode())
    assert "FN:Dr. Erika Mustermann" in lines
    assert "N:Mustermann;Erika;;Dr.;" in lines
    assert "TEL;TYPE=CELL:+491712345678" in lines
    assert not any(line.startswith(("ORG:", "X-ABShowAs")) for line in lines)
    # A person has no contact persons: the option gives the same single card.
    assert download(alice_client, person, persons="1").content.decode().count("BEGIN:VCARD") == 1


def test_the_download_answers_404_for_another_organizations_contact(charlie_client, contact):
    response = charlie_client.get(reverse("contacts:vcard", args=[contact.pk]))
    assert response.status_code == 404


def test_it_folds_long_lines_at_75_octets(alice_client, acme):
    company = make_company(acme, "Ä" * 60)  # 120 octets in UTF-8
    card = download(alice_client, company).content.decode()
    for line in card.split("\r\n"):
        assert len(line.encode()) <= 75
    assert "FN:" + "Ä" * 60 in unfold(card)


def test_the_downloaded_vcard_of_a_contact_with_pasted_separators_stays_valid(alice_client, acme):
    company = make_company(
        acme,
        "Zeilen\u2028Umbruch\x85GmbH",
        persons=[{"last_name": "Berg\u2029", "position": "Ein\vkauf\f"}],
    )
    card = download(alice_client, company, persons="1").content.decode()
    assert card.splitlines() == card[:-2].split("\r\n")  # no line ends but CRLF
    lines = unfold(card)
    assert "FN:Zeilen\\nUmbruch\\nGmbH" in lines
    assert "TITLE:Ein\\nkauf\\n" in lines


LINE_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] in "nN" else m[1], value)


@given(st.text())
def test_escaped_text_holds_no_control_character_and_reads_back(text):
    escaped = escape(text)
    assert not LINE_BREAKING.search(escaped)
    assert re.fullmatch(r"(?:[^\\;,]|\\[\\;,n])*", escaped)
    wanted = ""
    for char in text.replace("\r\n", "\n"):
        if char in "\n\r\v\f\x85\u2028\u2029":
            wanted += "\n"
        elif char == "\t":
            wanted += " "
        elif unicodedata.category(char) != "Cc":
            wanted += char
    assert unescape(escaped) == wanted
