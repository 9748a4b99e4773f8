"""Download vCard: a file that phones and Outlook import."""

from __future__ import annotations

import re
import unicodedata

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from contacts_app.models import Contact
from contacts_app.vcard import escape, render_vcard

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
    assert "TEL;TYPE=WORK,VOICE:+4989123456" in lines
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
    assert "TEL;TYPE=CELL:+491712345678" in lines
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


# Each character a user can paste into a field (a NUL aside: the forms refuse it and PostgreSQL
# cannot store it), with what the vCard's value holds in its place.
PASTED = {
    "line feed": ("\n", "\n"),
    "carriage return": ("\r", "\n"),
    "CRLF": ("\r\n", "\n"),
    "vertical tab": ("\v", "\n"),
    "form feed": ("\f", "\n"),
    "next line (NEL)": ("\x85", "\n"),
    "line separator": ("\u2028", "\n"),
    "paragraph separator": ("\u2029", "\n"),
    "tab": ("\t", " "),
    "bell": ("\x07", ""),
    "escape": ("\x1b", ""),
    "record separator": ("\x1e", ""),
    "delete": ("\x7f", ""),
    "C1 padding": ("\x80", ""),
    "C1 CSI": ("\x9b", ""),
}
LINE_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def vcard_properties(card: str) -> dict[str, list[str]]:
    """The card's properties (name with parameters → raw values), after checking that it is
    a well-formed vCard 3.0: CRLF line ends only, lines of at most 75 octets, no control or
    separator character anywhere, every logical line a NAME[;PARAM=VALUE…]:VALUE."""
    assert card.endswith("\r\n")
    physical = card[:-2].split("\r\n")
    assert card.splitlines() == physical, "a character other than CRLF ends a line"
    for line in physical:
        assert not LINE_BREAKING.search(line), repr(line)
        assert len(line.encode()) <= 75, repr(line)
    logical = unfold(card)[:-1]
    assert logical[:2] == ["BEGIN:VCARD", "VERSION:3.0"] and logical[-1] == "END:VCARD"
    properties: dict[str, list[str]] = {}
    for line in logical[2:-1]:
        match = re.fullmatch(r"([A-Z][A-Z0-9-]*(?:;[A-Z]+=[A-Z,]+)*):(.*)", line)
        assert match, repr(line)
        properties.setdefault(match[1], []).append(match[2])
    return properties


def unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] in "nN" else m[1], value)


def components(value: str) -> list[str]:
    """A structured value (N, ADR) split at its unescaped semicolons, each part unescaped."""
    return [unescape(part) for part in re.split(r"(?<!\\);", value)]


@pytest.mark.parametrize("pasted, kept", PASTED.values(), ids=PASTED.keys())
def test_it_keeps_control_and_separator_characters_out_of_every_property(acme, pasted, kept):
    def text(word: str) -> str:
        return f"{word}{pasted}{word}"

    company = make_company(
        acme,
        text("Nordlicht"),
        billing_supplement=text("Hinterhaus"),
        billing_street=text("Hafenweg"),
        billing_city=text("Kiel"),
        billing_postal_code=text("24"),
        shipping_street=text("Lager"),
        shipping_city=text("Flensburg"),
        has_shipping_address=True,
        **{field: text("info") for field in Contact.EMAIL_FIELDS},
        **{field: text("0431") for field in Contact.PHONE_FIELDS},
        persons=[
            {
                "title": text("Dr"),
                "first_name": text("Jana"),
                "last_name": text("Berg"),
                "position": text("Einkauf"),
                "email": text("jana"),
                "phone": text("0431"),
                "phone_extension": text("12"),
                "mobile": text("0171"),
                "is_primary": True,
            }
        ],
        profiles=[
            {"kind": "messenger", "value": text("signal")},
            {"kind": "skype", "value": text("live:nord")},
            {"kind": "other", "value": text("Fax-Abruf")},
        ],
    )
    person = make_person(acme, text("Erika"), text("Muster"), title=text("Prof"))

    def expected(word: str) -> str:
        return f"{word}{kept}{word}"

    properties = vcard_properties(render_vcard(company))
    assert [unescape(v) for v in properties["FN"]] == [expected("Nordlicht")]
    assert [unescape(v) for v in properties["ORG"]] == [expected("Nordlicht")]
    assert [unescape(v) for v in properties["X-ASSISTANT"]] == [
        f"{expected('Dr')} {expected('Jana')} {expected('Berg')}"
    ]
    assert components(properties["ADR;TYPE=WORK,PREF"][0]) == [
        "",
        expected("Hinterhaus"),
        expected("Hafenweg"),
        expected("Kiel"),
        "",
        expected("24"),
        "Germany",
    ]
    assert components(properties["ADR;TYPE=POSTAL"][0])[2:4] == [
        expected("Lager"),
        expected("Flensburg"),
    ]
    assert {unescape(v) for v in properties["EMAIL;TYPE=INTERNET,WORK"]} == {expected("info")}
    assert [unescape(v) for v in properties["TEL;TYPE=CELL"]] == [expected("0431")]
    note = unescape(properties["NOTE"][0])
    for part in (expected("Einkauf"), expected("jana"), expected("0171")):
        assert part in note
    assert [unescape(v) for v in properties["X-MESSENGER"]] == [expected("signal")]
    assert [unescape(v) for v in properties["URL"]] == [f"skype:{expected('live:nord')}?chat"]
    assert [unescape(v) for v in properties["X-OTHER"]] == [expected("Fax-Abruf")]

    properties = vcard_properties(render_vcard(person))
    assert components(properties["N"][0]) == [
        expected("Muster"),
        expected("Erika"),
        "",
        expected("Prof"),
        "",
    ]


def test_the_downloaded_vcard_of_a_contact_with_pasted_separators_stays_valid(alice_client, acme):
    company = make_company(
        acme,
        "Zeilen\u2028Umbruch\x85GmbH",
        persons=[{"last_name": "Berg\u2029", "position": "Ein\vkauf\f"}],
    )
    response = alice_client.get(reverse("contacts:vcard", args=[company.pk]))
    assert response.status_code == 200
    properties = vcard_properties(response.content.decode())
    assert properties["FN"] == ["Zeilen\\nUmbruch\\nGmbH"]
    assert unescape(properties["NOTE"][0]) == "Berg\n, Ein\nkauf\n"


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
