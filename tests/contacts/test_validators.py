"""Field checks shared by the contact forms and the importer."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from contacts_app.validators import (
    WEB_PROFILE_KINDS,
    normalize_phone_digits,
    normalize_vat_id,
    validate_postal_code,
    validate_vat_id,
    validate_web_profile,
    web_profile_url,
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def message_of(function, *args) -> str:
    with pytest.raises(ValidationError) as info:
        function(*args)
    return " ".join(info.value.messages)


# --- VAT IDs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("DE123456789", "DE123456789"),
        ("de 123 456 789", "DE123456789"),
        ("DE-123.456.789", "DE123456789"),
        ("ATU12345678", "ATU12345678"),
        ("atu 1234 5678", "ATU12345678"),
        ("FR12345678901", "FR12345678901"),
        ("FRXX123456789", "FRXX123456789"),
        ("NL123456789B01", "NL123456789B01"),
        ("IT12345678901", "IT12345678901"),
        ("ESX1234567X", "ESX1234567X"),
        ("ES12345678Z", "ES12345678Z"),
        ("BE0123456789", "BE0123456789"),
        ("PL1234567890", "PL1234567890"),
        ("DK12345678", "DK12345678"),
        ("SE123456789001", "SE123456789001"),
        ("EL123456789", "EL123456789"),
        ("GR123456789", "EL123456789"),
        ("IE1234567WA", "IE1234567WA"),
        ("CHE-123.456.789 MWST", "CHE-123.456.789 MWST"),
        ("CHE123456789MWST", "CHE-123.456.789 MWST"),
        ("CHE-123.456.789", "CHE-123.456.789"),
        ("che 123 456 789 tva", "CHE-123.456.789 TVA"),
        ("GB123456789", "GB123456789"),
        ("NO123456789MVA", "NO123456789MVA"),
    ],
)
def test_valid_vat_ids_are_accepted_and_normalized(written, stored):
    assert validate_vat_id(written) == stored
    assert normalize_vat_id(written) == stored


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ("DE12", "expected DE + 9 digits, like DE123456789"),
        ("DE1234567890", "expected DE + 9 digits, like DE123456789"),
        ("AT12345678", "expected ATU + 8 digits, like ATU12345678"),
        ("NL123456789", "expected NL + 9 digits + B + 2 digits, like NL123456789B01"),
        ("FRIO123456789", "expected FR + 2 characters + 9 digits"),
        ("CHE-123.456.78", "expected CHE + 9 digits, like CHE-123.456.789 MWST"),
        ("BE2123456789", "expected BE + 10 digits"),
        ("Deutschland", "expected DE + 9 digits"),
    ],
)
def test_a_wrong_vat_id_names_the_expected_format(bad, expected):
    message = message_of(validate_vat_id, bad)
    assert f"“{bad}” is not a valid VAT ID" in message
    assert expected in message


@pytest.mark.parametrize("bad", ["123456789", "US123456789", "XX1", "", "Germany"])
def test_a_vat_id_needs_a_known_country_prefix(bad):
    message = message_of(validate_vat_id, bad)
    assert "starts with a country code such as DE, AT or FR" in message


def test_the_sample_files_bad_vat_id_is_refused():
    assert "DE + 9 digits" in message_of(validate_vat_id, "DE12")


# --- postal codes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "country", "stored"),
    [
        ("10115", "DE", "10115"),
        ("04109", "DE", "04109"),
        (" 10115 ", "DE", "10115"),
        ("D-10115", "DE", "10115"),
        ("1010", "AT", "1010"),
        ("A-1010", "AT", "1010"),
        ("8001", "CH", "8001"),
        ("CH-8001", "CH", "8001"),
        ("1011AB", "NL", "1011 AB"),
        ("1011 ab", "NL", "1011 AB"),
        ("sw1a 1aa", "GB", "SW1A 1AA"),
        ("SW1A1AA", "GB", "SW1A 1AA"),
        ("M1 1AE", "GB", "M1 1AE"),
        ("00-950", "PL", "00-950"),
        ("75001", "FR", "75001"),
        ("10001-1234", "US", "10001-1234"),
        ("H-1051", "HU", "H-1051"),
        ("12345", "", "12345"),
        ("AB 12-3", "", "AB 12-3"),
        ("10115", "de", "10115"),
    ],
)
def test_postal_codes_in_their_countrys_format(code, country, stored):
    assert validate_postal_code(code, country) == stored


@pytest.mark.parametrize(
    ("code", "country", "example"),
    [
        ("1011", "DE", "10115"),
        ("101155", "DE", "10115"),
        ("1011A", "DE", "10115"),
        ("10115", "AT", "1010"),
        ("123", "CH", "8001"),
        ("1011", "NL", "1011 AB"),
        ("12345", "GB", "SW1A 1AA"),
    ],
)
def test_wrong_postal_codes_show_what_they_look_like(code, country, example):
    message = message_of(validate_postal_code, code, country)
    assert message == (f"“{code}” is not a postal code of {country}; it looks like {example}.")


@pytest.mark.parametrize("code", ["?", "x" * 13, "12/34", "#1"])
def test_other_countries_get_a_loose_check(code):
    assert "is not a postal code" in message_of(validate_postal_code, code, "SE")


# --- phone numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "digits"),
    [
        ("+49 30 1234567", "0049301234567"),
        ("0049 30 1234567", "0049301234567"),
        ("+49 (0)30 1234567", "0049301234567"),
        ("+49 (0) 30 / 123 45-67", "0049301234567"),
        ("030 / 123 45 67", "0301234567"),
        ("(030) 1234567", "0301234567"),
        ("030-1234567", "0301234567"),
        ("", ""),
        ("keine", ""),
    ],
)
def test_normalize_phone_digits(written, digits):
    assert normalize_phone_digits(written) == digits


@given(st.text(max_size=40))
def test_phone_digits_are_only_digits(text):
    assert normalize_phone_digits(text).isdigit() or normalize_phone_digits(text) == ""


# --- web profiles ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "written", "stored", "url"),
    [
        ("website", "https://www.example.de", "https://www.example.de", "https://www.example.de"),
        ("website", "http://example.de/shop", "http://example.de/shop", "http://example.de/shop"),
        ("website", "example.com", "https://example.com", "https://example.com"),
        ("website", " www.bäckerei-kühn.de ", "https://www.bäckerei-kühn.de", None),
        ("blog", "blog.example.de/2024", "https://blog.example.de/2024", None),
        ("twitter", "@kontor", "@kontor", "https://x.com/kontor"),
        ("twitter", "kontor_app", "@kontor_app", "https://x.com/kontor_app"),
        ("twitter", "https://twitter.com/kontor", "@kontor", "https://x.com/kontor"),
        ("twitter", "https://x.com/kontor?s=20", "@kontor", "https://x.com/kontor"),
        ("twitter", "x.com/@kontor/", "@kontor", "https://x.com/kontor"),
        ("twitter", "@malerbetrieb_wagner", "@malerbetrieb_wagner", None),
        ("skype", "erika.mustermann", "erika.mustermann", "skype:erika.mustermann?chat"),
        ("skype", "live:.cid.1234abcd", "live:.cid.1234abcd", "skype:live:.cid.1234abcd?chat"),
        (
            "linkedin",
            "https://www.linkedin.com/in/erika",
            "https://www.linkedin.com/in/erika",
            "https://www.linkedin.com/in/erika",
        ),
        (
            "linkedin",
            "de.linkedin.com/in/erika",
            "https://de.linkedin.com/in/erika",
            "https://de.linkedin.com/in/erika",
        ),
        (
            "xing",
            "https://www.xing.com/profile/Erika_Mustermann",
            "https://www.xing.com/profile/Erika_Mustermann",
            "https://www.xing.com/profile/Erika_Mustermann",
        ),
        ("messenger", "Threema: ABCD1234", "Threema: ABCD1234", None),
        ("other", "Mastodon @erika@example.social", "Mastodon @erika@example.social", None),
        ("other", "https://example.social/@erika", "https://example.social/@erika", None),
    ],
)
def test_web_profiles_are_normalized_and_linked(kind, written, stored, url):
    value = validate_web_profile(kind, written)
    assert value == stored
    if url is not None:
        assert web_profile_url(kind, value) == url


def test_bare_domains_are_linked_with_https():
    value = validate_web_profile("website", "www.bäckerei-kühn.de")
    assert web_profile_url("website", value) == "https://www.bäckerei-kühn.de"


def test_free_text_links_only_when_it_is_an_address():
    assert web_profile_url("messenger", "Threema: ABCD1234") is None
    assert web_profile_url("other", "https://example.social/@erika") == (
        "https://example.social/@erika"
    )


@pytest.mark.parametrize(
    ("kind", "bad", "expected"),
    [
        ("website", "javascript:alert(1)", "is not a web address"),
        ("website", "ftp://example.de", "is not a web address"),
        ("website", "nicht vorhanden", "is not a web address"),
        ("website", "mailto:info@example.de", "is not a web address"),
        ("website", "https://user:pw@example.de", "is not a web address"),
        ("blog", "localhost", "is not a web address"),
        ("twitter", "@this_handle_is_far_too_long", "Enter a handle like @name"),
        ("twitter", "@" + "x" * 21, "at most 20 letters"),
        ("twitter", "@no spaces", "Enter a handle like @name"),
        ("twitter", "https://facebook.com/kontor", "Enter a handle like @name"),
        ("skype", "abc", "6 to 32 characters"),
        ("skype", "1abcdefg", "starts with a letter"),
        ("linkedin", "https://example.com/in/erika", "on linkedin.com"),
        ("linkedin", "https://linkedin.com.evil.example/in/x", "on linkedin.com"),
        ("linkedin", "erika", "on linkedin.com"),
        ("linkedin", "https://www.linkedin.com/", "on linkedin.com"),
        ("xing", "https://www.linkedin.com/in/erika", "on xing.com"),
        ("website", "", "This value is required."),
        ("other", "x" * 301, "At most 300 characters"),
        ("fax", "123", "is not a kind of web profile"),
    ],
)
def test_wrong_web_profiles_say_what_is_expected(kind, bad, expected):
    assert expected in message_of(validate_web_profile, kind, bad)


def test_every_kind_accepts_something():
    samples = {
        "website": "example.de",
        "blog": "example.de",
        "twitter": "@kontor",
        "skype": "kontor.app",
        "messenger": "Signal",
        "linkedin": "linkedin.com/in/kontor",
        "xing": "xing.com/profile/kontor",
        "other": "irgendwas",
    }
    assert set(samples) == set(WEB_PROFILE_KINDS)
    for kind, value in samples.items():
        assert validate_web_profile(kind, value)


def test_stored_javascript_is_never_linked():
    assert web_profile_url("website", "javascript:alert(1)") is None
    assert web_profile_url("other", "javascript:alert(1)") is None
    assert web_profile_url("twitter", "@x<script>") is None
