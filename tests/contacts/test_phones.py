"""Phone numbers read with phonenumbers: E.164, extensions, display, tel: links, warnings."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation
from django_countries.fields import Country

from contacts_app.models import ContactPerson
from contacts_app.phones import (
    ParsedPhone,
    parse_phone,
    phone_display,
    phone_warning,
    tel_uri,
    validate_phone_number,
    vcard_tel,
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("typed", "country", "e164", "extension"),
    [
        ("+49 (0)30 1234567", None, "+49301234567", ""),
        ("+49 (0) 30 / 123 45-67", None, "+49301234567", ""),
        ("030 1234567", None, "+49301234567", ""),
        ("030/1234567", "DE", "+49301234567", ""),
        ("(030) 123 45 67", "", "+49301234567", ""),
        ("0049 30 1234567", None, "+49301234567", ""),
        ("030 – 123 45 67", None, "+49301234567", ""),
        ("0171 2345678", None, "+491712345678", ""),
        ("+49 30 1234567 ext. 12", None, "+49301234567", "12"),
        ("030 1234567 x 12", None, "+49301234567", "12"),
        ("+49 30 1234567;ext=12", None, "+49301234567", "12"),
        # The contact's country decides what a national number means.
        ("01 5123456", "AT", "+4315123456", ""),
        ("044 668 18 00", "CH", "+41446681800", ""),
        ("044 668 18 00", Country("CH"), "+41446681800", ""),
        ("020 7946 0958", "GB", "+442079460958", ""),
        ("+44 20 7946 0958", "DE", "+442079460958", ""),
    ],
)
def test_numbers_are_read_into_e164_with_the_extension_apart(typed, country, e164, extension):
    parsed = parse_phone(typed, country)
    assert (parsed.e164, parsed.extension) == (e164, extension)
    assert isinstance(parsed, ParsedPhone)


@pytest.mark.parametrize("typed", ["", "   ", "abc1", "n/a", "+"])
def test_what_is_no_number_reads_as_none(typed):
    assert parse_phone(typed) is None
    assert tel_uri(typed) is None


def test_the_display_form_is_international():
    assert phone_display("+49 (0)30 1234567") == "+49 30 1234567"
    assert phone_display("030/1234567-0") == "+49 30 12345670"
    assert phone_display("0201 1234567", "DE", extension="12") == "+49 201 1234567 ext. 12"
    assert phone_display("030 1234567 ext. 12") == "+49 30 1234567 ext. 12"
    assert phone_display("044 668 18 00", "CH") == "+41 44 668 18 00"


def test_a_number_that_cannot_exist_is_shown_as_typed():
    assert phone_display(" +49 1025 2280258 ") == "+49 1025 2280258"
    assert phone_display("keine Angabe") == "keine Angabe"


def test_tel_links_and_vcards_use_e164_and_rfc_3966_extensions():
    assert tel_uri("+49 (0)30 1234567") == "tel:+49301234567"
    assert tel_uri("030 1234567", extension="12") == "tel:+49301234567;ext=12"
    assert vcard_tel("030 1234567") == "+49301234567"
    assert vcard_tel("030 1234567 ext. 12") == "+49301234567;ext=12"
    assert vcard_tel(" abc; ruft zurück ") == "abc\\; ruft zurück"


@pytest.mark.parametrize(
    "typed",
    [
        "+49 30 1234567",
        "+49 (0)30 1234567",
        "030/123 45-67",
        "(030) 1234567",
        "030.1234567",
        "030 – 1234567",
        "+49 30 1234567 ext. 12",
        "+49 30 1234567 x12",
        "+49 30 1234567;ext=12",
        "030 1234567 #12",
        "12",
    ],
)
def test_anything_written_like_a_number_is_accepted(typed):
    assert validate_phone_number(f" {typed} ") == typed


@pytest.mark.parametrize(
    "typed", ["abc1", "n/a", "keine", "030 1234567 bitte vormittags", "++49 30 1"]
)
def test_what_cannot_be_a_number_is_refused_with_an_example(typed):
    with pytest.raises(ValidationError) as info:
        validate_phone_number(typed)
    assert info.value.messages == [
        f"“{typed}” is not a phone number: use digits, spaces and + ( ) - /, like +49 30 1234567."
    ]


def test_a_number_has_at_most_40_characters():
    validate_phone_number("0" * 40)
    with pytest.raises(ValidationError) as info:
        validate_phone_number("0" * 41)
    assert info.value.messages == ["A phone number has at most 40 characters."]


@pytest.mark.parametrize(
    ("typed", "country"),
    [
        ("+49 30 1234567", None),
        ("030 1234567", "DE"),
        ("0171 2345678", None),
        ("01 5123456", "AT"),
        ("+44 20 7946 0958", "DE"),
        ("", None),
    ],
)
def test_numbers_that_exist_get_no_warning(typed, country):
    assert phone_warning(typed, country) is None


def test_numbers_that_cannot_exist_get_a_warning_not_a_refusal():
    assert validate_phone_number("+49 1025 2280258") == "+49 1025 2280258"
    assert phone_warning("+49 1025 2280258") == (
        "“+49 1025 2280258” cannot be a phone number that exists: check the country code, the "
        "area code and the number of digits."
    )
    assert phone_warning("12", "AT") == (
        "“12” cannot be a phone number in Austria: check the area code and the number of "
        "digits, or write it with its country code, like +49 30 1234567."
    )
    # A German mobile number written nationally means something else for a French contact.
    assert phone_warning("0152 12345678", "DE") is None
    assert phone_warning("0152 12345678", "FR") is not None


def test_the_warning_is_german_for_german_users():
    with translation.override("de"):
        warning = phone_warning("12", "DE")
    assert warning.startswith("„12“ kann in Deutschland keine Telefonnummer sein")


def render(source: str, **context) -> str:
    return Template("{% load contacts_extras %}" + source).render(Context(context))


def test_the_tel_link_filter_gives_e164():
    # The old filter kept the "(0)": tel:+490301234567 dials a number that does not exist.
    assert render("tel:{{ n|tel_href }}", n="+49 (0)30 1234567") == "tel:+49301234567"
    assert render("tel:{{ n|tel_href:c }}", n="044 668 18 00", c=Country("CH")) == (
        "tel:+41446681800"
    )
    assert render("tel:{{ n|tel_href }}", n="030 1234567 ext. 12") == "tel:+49301234567;ext=12"
    # What phonenumbers cannot read is still dialled with its digits.
    assert render("tel:{{ n|tel_href }}", n="+99 12") == "tel:+9912"


def test_a_contact_persons_extension_stays_apart_in_the_link():
    person = ContactPerson(last_name="Schäfer", phone="030 1234567", phone_extension="12")
    assert render("{{ p|person_tel_href }}", p=person) == "+49301234567;ext=12"
    person.phone_extension = ""
    assert render("{{ p|person_tel_href }}", p=person) == "+49301234567"


def test_the_display_filters():
    assert render("{{ n|phone_display }}", n="+49 (0)30 1234567") == "+49 30 1234567"
    assert render("{{ n|phone_display:'AT' }}", n="01 5123456") == "+43 1 5123456"
    assert render("{{ n|phone_warning }}", n="+49 30 1234567") == ""
    assert "cannot be a phone number" in render("{{ n|phone_warning }}", n="+49 1025 2280258")
