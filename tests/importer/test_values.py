"""Cell values as people write them: numbers, tax rates, GTINs, countries, salutations, dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.values import (
    gtin_check_digit,
    normalize_salutation,
    parse_bool,
    parse_country,
    parse_date,
    parse_decimal,
    parse_tax_rate,
    validate_gtin,
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def message_of(function, value, **kwargs) -> str:
    with pytest.raises(ValidationError) as info:
        function(value, **kwargs)
    return " ".join(info.value.messages)


def code_of(function, value, **kwargs) -> str:
    with pytest.raises(ValidationError) as info:
        function(value, **kwargs)
    return info.value.code


# --- parse_decimal ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("1.234,50", "1234.50"),
        ("19,99 €", "19.99"),
        ("€ 19,99", "19.99"),
        ("19,99€", "19.99"),
        ("EUR 5", "5"),
        ("5,00 EUR", "5.00"),
        ("1,234.50", "1234.50"),
        ("1234.5", "1234.5"),
        ("1234,5", "1234.5"),
        ("-3", "-3"),
        ("+3", "3"),
        ("−2,5", "-2.5"),
        ("0", "0"),
        ("0,125", "0.125"),
        ("0.125", "0.125"),
        (",5", "0.5"),
        ("1.234.567,89", "1234567.89"),
        ("1,234,567.89", "1234567.89"),
        ("1.234.567", "1234567"),
        ("1,234,567", "1234567"),
        ("1 234,50", "1234.50"),
        ("1\u00a0234,50", "1234.50"),
        ("1'234.50", "1234.50"),
        ("2.298,35", "2298.35"),
        ("  42  ", "42"),
        ("12345,6789", "12345.6789"),
    ],
)
def test_parse_decimal_reads_how_people_write_numbers(written, expected):
    assert parse_decimal(written) == Decimal(expected)


@pytest.mark.parametrize(
    "garbage",
    ["abc", "1,2,3", "1.2.3", "12.34.56", "1.23,4.5", "1,23.4", "1.234,5,6", "--3", "3-",
     "1e5", "NaN", "Infinity", "1,", "1.", "12 Stück", "€", "19,99 $", "0x10", "½"],
)  # fmt: skip
def test_parse_decimal_rejects_garbage(garbage):
    message = message_of(parse_decimal, garbage)
    assert "not a number" in message
    assert garbage.strip() in message


def test_parse_decimal_requires_a_value():
    assert code_of(parse_decimal, "   ") == "required"


@pytest.mark.parametrize("ambiguous", ["1.234", "1,234", "12.345", "999,000"])
def test_parse_decimal_refuses_to_guess_an_ambiguous_number(ambiguous):
    with pytest.raises(ValidationError) as info:
        parse_decimal(ambiguous)

    assert info.value.code == "ambiguous"
    assert "is ambiguous" in info.value.messages[0]


def test_the_ambiguity_message_names_both_readings():
    message = message_of(parse_decimal, "1.234")
    assert message == (
        "“1.234” is ambiguous: is it 1234, or 1 with the decimals 234? Write it without a "
        "thousands separator, or with decimals (like 1.234,00)."
    )


def test_prices_with_two_decimals_read_a_thousands_dot_the_german_way():
    assert parse_decimal("1.234", max_decimal_places=2) == Decimal("1234")
    assert parse_decimal("19,99", max_decimal_places=2) == Decimal("19.99")


def test_prices_with_two_decimals_refuse_a_third():
    assert code_of(parse_decimal, "1,234", max_decimal_places=2) == "decimal_places"
    assert code_of(parse_decimal, "1,999", max_decimal_places=2) == "decimal_places"
    message = message_of(parse_decimal, "0,125", max_decimal_places=2)
    assert message == "“0,125” has more than 2 decimal places."


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_german_formatting_round_trips(number):
    whole, _dot, fraction = f"{abs(number):,.2f}".partition(".")
    german = ("-" if number < 0 else "") + whole.replace(",", ".") + "," + fraction
    assert parse_decimal(german) == number


@given(st.text(max_size=20))
def test_parse_decimal_raises_nothing_but_validation_error(text):
    try:
        result = parse_decimal(text)
    except ValidationError:
        return
    assert result.is_finite()


# --- parse_tax_rate --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("USt 19%", 19),
        ("USt 7%", 7),
        ("USt 0%", 0),
        ("ust 19 %", 19),
        ("19 %", 19),
        ("19%", 19),
        ("19", 19),
        ("19,0", 19),
        ("19.00", 19),
        ("7", 7),
        ("0", 0),
        ("MwSt. 7 %", 7),
        ("VAT 19%", 19),
    ],
)
def test_parse_tax_rate_understands_the_usual_ways(written, expected):
    rate = parse_tax_rate(written)
    assert rate == Decimal(expected)
    assert str(rate) == str(expected)


@pytest.mark.parametrize("other", ["16", "5 %", "USt 16%", "19,5", "0,19", "%", "USt", "neunzehn"])
def test_parse_tax_rate_rejects_other_rates(other):
    message = message_of(parse_tax_rate, other)
    assert message == (f"“{other}” is not a tax rate Kontor knows. Use USt 19%, USt 7% or USt 0%.")


# --- validate_gtin ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "digits"),
    [
        ("4006381333931", "4006381333931"),  # EAN-13
        ("96385074", "96385074"),  # EAN-8
        ("036000291452", "036000291452"),  # UPC-A
        ("10012345678902", "10012345678902"),  # GTIN-14
        ("4 006381 333931", "4006381333931"),
        ("400-6381-333931", "4006381333931"),
        ("5634696161780", "5634696161780"),  # from produkte-cp1252.csv
    ],
)
def test_validate_gtin_accepts_valid_numbers(written, digits):
    assert validate_gtin(written) == digits


def test_validate_gtin_names_the_right_check_digit():
    message = message_of(validate_gtin, "4006381333932")
    assert message == (
        "The check digit of GTIN/EAN “4006381333932” is wrong: the last digit should be 1."
    )


@pytest.mark.parametrize("length", [1, 7, 9, 10, 11, 15, 20])
def test_validate_gtin_rejects_other_lengths(length):
    message = message_of(validate_gtin, "1" * length)
    assert f"has {length}" in message
    assert "8, 12, 13 or 14 digits" in message


@pytest.mark.parametrize("bad", ["400638133393A", "4006381.33393", "４００６３８１３３３９３１"])
def test_validate_gtin_rejects_non_digits(bad):
    assert code_of(validate_gtin, bad) == "invalid"


def test_every_sample_gtin_is_valid():
    from pathlib import Path

    from importer.reading import read_csv

    data = (Path(__file__).parent / "fixtures" / "produkte-cp1252.csv").read_bytes()
    parsed = read_csv(data)
    column = parsed.headers.index("GTIN/EAN")
    gtins = [row.cells[column] for row in parsed.rows if row.cells[column]]
    assert gtins
    for gtin in gtins:
        assert validate_gtin(gtin) == gtin


def test_gtin_check_digit():
    assert gtin_check_digit("400638133393") == 1
    assert gtin_check_digit("9638507") == 4


# --- parse_country ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("DE", "DE"),
        ("de", "DE"),
        ("De", "DE"),
        ("DEU", "DE"),
        ("Deutschland", "DE"),
        ("deutschland", "DE"),
        ("  Deutschland ", "DE"),
        ("Germany", "DE"),
        ("D", "DE"),
        ("Österreich", "AT"),
        ("Austria", "AT"),
        ("A", "AT"),
        ("Schweiz", "CH"),
        ("Switzerland", "CH"),
        ("CH", "CH"),
        ("Niederlande", "NL"),
        ("Holland", "NL"),
        ("Frankreich", "FR"),
        ("France", "FR"),
        ("Polen", "PL"),
        ("UK", "GB"),
        ("Großbritannien", "GB"),
        ("United Kingdom", "GB"),
        ("USA", "US"),
        ("Vereinigte Staaten", "US"),
        ("Türkei", "TR"),
        ("Tschechien", "CZ"),
        ("Czech Republic", "CZ"),
    ],
)
def test_parse_country_knows_codes_and_names_in_german_and_english(written, code):
    assert parse_country(written) == code


@pytest.mark.parametrize("unknown", ["Atlantis", "XX", "Q", "Deutschlandd", "ZZZ"])
def test_parse_country_names_an_unknown_value(unknown):
    message = message_of(parse_country, unknown)
    assert message == (
        f"Unknown country “{unknown}”. Write the country’s name or its code, like DE or AT."
    )


def test_parse_country_works_whatever_the_active_language():
    with translation.override("de"):
        assert parse_country("Germany") == "DE"
        assert parse_country("Schweiz") == "CH"


# --- normalize_salutation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Herr", "Herr"),
        ("herr", "Herr"),
        ("Hr.", "Herr"),
        ("Herrn", "Herr"),
        ("Mr", "Herr"),
        ("Mr.", "Herr"),
        ("Frau", "Frau"),
        ("FRAU", "Frau"),
        ("Fr.", "Frau"),
        ("Mrs", "Frau"),
        ("Ms.", "Frau"),
        ("Divers", "Divers"),
        ("Mx", "Divers"),
        ("Dr.", "Dr."),
        ("Familie", "Familie"),
        ("  Sehr geehrte   Damen ", "Sehr geehrte Damen"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalize_salutation(written, stored):
    assert normalize_salutation(written) == stored


def test_a_salutation_has_at_most_25_characters():
    assert normalize_salutation("x" * 25) == "x" * 25
    message = message_of(normalize_salutation, "x" * 26)
    assert message == "A salutation has at most 25 characters; this one has 26."


# --- parse_bool ------------------------------------------------------------------------------


@pytest.mark.parametrize("yes", ["ja", "Ja", "J", "yes", "Y", "1", "true", "WAHR", "x", "X"])
def test_parse_bool_yes(yes):
    assert parse_bool(yes) is True


@pytest.mark.parametrize("no", ["nein", "Nein", "n", "no", "0", "false", "Falsch"])
def test_parse_bool_no(no):
    assert parse_bool(no) is False


def test_parse_bool_rejects_anything_else():
    assert "neither yes nor no" in message_of(parse_bool, "vielleicht")
    assert code_of(parse_bool, "") == "required"


# --- parse_date ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("31.12.2024", date(2024, 12, 31)),
        ("1.2.2024", date(2024, 2, 1)),
        ("01.02.2024", date(2024, 2, 1)),
        ("2024-02-29", date(2024, 2, 29)),
        (" 2024-01-31 ", date(2024, 1, 31)),
    ],
)
def test_parse_date(written, expected):
    assert parse_date(written) == expected


@pytest.mark.parametrize("bad", ["31/12/2024", "12/31/2024", "31.12.24", "2024-1-3", "gestern"])
def test_parse_date_names_the_formats(bad):
    message = message_of(parse_date, bad)
    assert message == f"“{bad}” is not a date. Write it as DD.MM.YYYY or YYYY-MM-DD."


@pytest.mark.parametrize("impossible", ["31.02.2024", "29.02.2023", "2024-13-01", "00.01.2024"])
def test_parse_date_rejects_days_that_do_not_exist(impossible):
    assert message_of(parse_date, impossible) == f"“{impossible}” is not a day in the calendar."
