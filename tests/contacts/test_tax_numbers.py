"""German tax numbers (Steuernummer) in every Land's format; other countries' as free text."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from contacts_app.validators import validate_tax_number


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# The Länder's published sample numbers: as the Land writes it, and with the Bundesfinanzamt's
# number in front (13 digits, as ELSTER has it).
LAND_SAMPLES = [
    ("Baden-Württemberg", "93815/08152", "2893081508152"),
    ("Bayern", "181/815/08155", "9181081508155"),
    ("Berlin", "21/815/08150", "1121081508150"),
    ("Brandenburg", "048/815/08155", "3048081508155"),
    ("Bremen", "75/815/08152", "2475081508152"),
    ("Hamburg", "02/815/08156", "2202081508156"),
    ("Hessen", "013/815/08153", "2613081508153"),
    ("Mecklenburg-Vorpommern", "079/815/08151", "4079081508151"),
    ("Niedersachsen", "24/815/08151", "2324081508151"),
    ("Nordrhein-Westfalen", "133/8150/8159", "5133081508159"),
    ("Rheinland-Pfalz", "22/815/0815/4", "2722081508154"),
    ("Saarland", "010/815/08182", "1010081508182"),
    ("Sachsen", "201/123/12340", "3201012312340"),
    ("Sachsen-Anhalt", "101/815/08154", "3101081508154"),
    ("Schleswig-Holstein", "29/815/08158", "2129081508158"),
    ("Thüringen", "151/815/08156", "4151081508156"),
]


@pytest.mark.parametrize(("land", "written", "national"), LAND_SAMPLES)
def test_each_lands_number_is_accepted_as_the_land_writes_it(land, written, national):
    assert validate_tax_number(written) == written


@pytest.mark.parametrize(("land", "written", "national"), LAND_SAMPLES)
def test_each_lands_number_is_accepted_with_the_tax_offices_number_in_front(
    land, written, national
):
    assert validate_tax_number(national) == national
    assert validate_tax_number(f"{national[:4]} {national[4:8]} {national[8:]}") == national


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        # Spaces (Bremen's and Hessen's old way) become the slashes of the Land's layout.
        ("75 815 08152", "75/815/08152"),
        ("013 815 08153", "013/815/08153"),
        (" 21 / 815 / 08150 ", "21/815/08150"),
        ("21-815-08150", "21/815/08150"),
        # NRW's four-digit district stays when typed so, Bavaria's layout when typed so.
        ("133/8150/8159", "133/8150/8159"),
        ("133/815/08159", "133/815/08159"),
        ("93815/08152", "93815/08152"),
        # Ten digits fit Baden-Württemberg's 5/5 and Berlin's 2/3/5 alike, eleven Bavaria's
        # 3/3/5 and NRW's 3/4/4: without separators nobody can tell which, so they stay bare.
        ("2181508150", "2181508150"),
        ("18181508155", "18181508155"),
        # Groups no Land uses do not make up a Land either.
        ("2181/508150", "2181508150"),
        ("", ""),
    ],
)
def test_a_number_is_stored_in_its_lands_written_form(typed, stored):
    assert validate_tax_number(typed) == stored


@pytest.mark.parametrize(
    "bad",
    ["ABC/123", "21/815/0815", "21/815/081500000", "123456789", "St.-Nr. 21/815/08150"],
)
def test_what_no_land_writes_is_refused_with_examples(bad):
    with pytest.raises(ValidationError) as info:
        validate_tax_number(bad)
    assert info.value.messages == [
        f"“{bad}” is not a German tax number (Steuernummer): enter the 10 or 11 digits as the "
        "tax office writes them, like 21/815/08150 (Berlin) or 133/8150/8159 (North "
        "Rhine-Westphalia), or the 13 digits with the tax office's number in front, like "
        "1121081508150."
    ]


@pytest.mark.parametrize("bad", ["9181181508155", "6181081508155", "3348081508155"])
def test_a_thirteen_digit_number_must_have_a_lands_national_form(bad):
    # A 0 after the tax office's number; 6… is no Land's; Brandenburg's 30… , not 33….
    with pytest.raises(ValidationError):
        validate_tax_number(bad)


def test_the_refusal_is_german_for_german_users():
    with translation.override("de"):
        with pytest.raises(ValidationError) as info:
            validate_tax_number("ABC/123")
        assert info.value.messages[0].startswith("„ABC/123“ ist keine deutsche Steuernummer")


@pytest.mark.parametrize("country", ["AT", "CH", "FR", ""])
def test_other_countries_tax_numbers_are_free_text(country):
    assert validate_tax_number(" ABC/123  4 ", country) == "ABC/123 4"


def test_other_countries_tax_numbers_have_at_most_30_characters():
    assert validate_tax_number("x" * 30, "AT") == "x" * 30
    with pytest.raises(ValidationError) as info:
        validate_tax_number("x" * 31, "AT")
    assert info.value.messages == ["At most 30 characters allowed, this has 31."]
