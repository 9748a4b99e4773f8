"""Values as people write them in spreadsheets → what Kontor stores.

Each function takes the text of one cell and returns the value, or raises Django's
`ValidationError` with a message that says what was expected. The `parse_*` functions raise
(code "required") for an empty cell, so callers decide what empty means; the `normalize_*`
functions return "" for it.

Numbers follow the German habit first (decimal comma, thousands dots, "19,99 €") but read the
English one too ("1,234.50"); a number that could honestly be read both ways ("1.234") is refused
rather than guessed, because a price silently off by a factor of 1000 is worse than a message.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

TAX_RATES = (Decimal(19), Decimal(7), Decimal(0))
SALUTATION_MAX_LENGTH = 25


def _required() -> ValidationError:
    return ValidationError(_("This value is required."), code="required")


def _shown(value: str, limit: int = 40) -> str:
    value = value.strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


# --- numbers ---------------------------------------------------------------------------------

_CURRENCY = re.compile(r"(?:€|EUR|Euro)", re.IGNORECASE)
_GROUPING_SPACES = re.compile(r"[ \u00a0\u202f\u2009']")
_NUMBER_SHAPE = re.compile(r"\A[+-]?(?:\d[\d.,]*|[.,]\d+)\Z", re.ASCII)
_GROUPED = re.compile(r"\A[1-9]\d{0,2}(?:X\d{3})+\Z", re.ASCII)


def parse_decimal(value: str, *, max_decimal_places: int | None = None) -> Decimal:
    """A number written with decimal comma or point and optional thousands separators.

    "1.234,50", "19,99 €", "EUR 5", "1,234.50", "1234.5", "-3", "1 234,5" are understood.
    A single separator followed by exactly three digits ("1.234", "1,234") is ambiguous and
    refused, unless `max_decimal_places` is below 3: then "1.234" is 1234 (the German reading,
    the English one would have too many decimals) and "1,234" is refused for its decimals.
    """
    text = value.strip()
    if not text:
        raise _required()
    cleaned = _GROUPING_SPACES.sub("", _CURRENCY.sub("", text)).replace("\u2212", "-")
    if not _NUMBER_SHAPE.match(cleaned):
        raise ValidationError(
            _("“%(value)s” is not a number. Write it like 1234,50 or 1.234,50."),
            code="invalid",
            params={"value": _shown(value)},
        )
    sign = "-" if cleaned[0] == "-" else ""
    digits = cleaned.lstrip("+-")
    number = _plain_number(digits, value, max_decimal_places)
    try:
        result = Decimal(sign + number)
    except InvalidOperation:  # pragma: no cover - the shape check above rules this out
        raise ValidationError(_("Not a number."), code="invalid") from None
    exponent = result.as_tuple().exponent
    if (
        max_decimal_places is not None
        and isinstance(exponent, int)
        and -exponent > max_decimal_places
    ):
        raise ValidationError(
            _("“%(value)s” has more than %(places)s decimal places."),
            code="decimal_places",
            params={"value": _shown(value), "places": max_decimal_places},
        )
    return result


def _plain_number(digits: str, original: str, max_decimal_places: int | None) -> str:
    """ "1.234,50" → "1234.50": find the decimal separator, check and drop the grouping."""
    garbage = ValidationError(
        _("“%(value)s” is not a number: its dots and commas do not fit together."),
        code="invalid",
        params={"value": _shown(original)},
    )
    dots, commas = digits.count("."), digits.count(",")
    if dots and commas:
        decimal_mark = "." if digits.rfind(".") > digits.rfind(",") else ","
        grouping = "," if decimal_mark == "." else "."
        whole, _mark, fraction = digits.rpartition(decimal_mark)
        if decimal_mark in whole or not fraction or not _is_grouped(whole, grouping):
            raise garbage
        return whole.replace(grouping, "") + "." + fraction
    if not dots and not commas:
        return digits
    mark = "." if dots else ","
    if dots + commas > 1:
        if not _is_grouped(digits, mark):
            raise garbage
        return digits.replace(mark, "")
    whole, _mark, fraction = digits.partition(mark)
    if len(fraction) == 3 and _is_grouped(digits, mark):
        if max_decimal_places is None or max_decimal_places >= 3:
            raise ValidationError(
                _(
                    "“%(value)s” is ambiguous: is it %(grouped)s, or %(whole)s with the decimals "
                    "%(fraction)s? Write it without a thousands separator, or with decimals (like "
                    "1.234,00)."
                ),
                code="ambiguous",
                params={
                    "value": _shown(original),
                    "grouped": whole + fraction,
                    "whole": whole,
                    "fraction": fraction,
                },
            )
        if mark == ".":
            return whole + fraction
    if not fraction:
        raise garbage
    return (whole or "0") + "." + fraction


def _is_grouped(digits: str, mark: str) -> bool:
    return bool(_GROUPED.match(digits.replace(mark, "X")))


_TAX_WORDS = re.compile(r"\A(?:USt\.?|MwSt\.?|Mehrwertsteuer|Umsatzsteuer|VAT)\s*", re.IGNORECASE)


def parse_tax_rate(value: str) -> Decimal:
    """19, 7 or 0 from "USt 19%", "19 %", "19", "19,0", "MwSt. 7 %", "0"."""
    text = value.strip()
    if not text:
        raise _required()
    number = _TAX_WORDS.sub("", text).removesuffix("%").strip()
    try:
        rate = parse_decimal(number) if number else None
    except ValidationError:
        rate = None
    if rate is None or rate not in TAX_RATES:
        raise ValidationError(
            _("“%(value)s” is not a tax rate Kontor knows. Use USt 19%%, USt 7%% or USt 0%%."),
            code="invalid",
            params={"value": _shown(value)},
        )
    return Decimal(int(rate))


# --- codes -----------------------------------------------------------------------------------

GTIN_LENGTHS = (8, 12, 13, 14)


def validate_gtin(value: str) -> str:
    """A GTIN/EAN of 8, 12, 13 or 14 digits with a correct check digit; returns the digits.

    Spaces and hyphens between the digits are allowed ("4 006381 333931").
    """
    digits = re.sub(r"[\s-]", "", value)
    if not digits:
        raise _required()
    if not digits.isascii() or not digits.isdigit():
        raise ValidationError(
            _("A GTIN/EAN consists of digits only; “%(value)s” has other characters."),
            code="invalid",
            params={"value": _shown(value)},
        )
    if len(digits) not in GTIN_LENGTHS:
        raise ValidationError(
            _("A GTIN/EAN has 8, 12, 13 or 14 digits; “%(value)s” has %(count)s."),
            code="length",
            params={"value": _shown(value), "count": len(digits)},
        )
    expected = gtin_check_digit(digits[:-1])
    if int(digits[-1]) != expected:
        raise ValidationError(
            _(
                "The check digit of GTIN/EAN “%(value)s” is wrong: "
                "the last digit should be %(digit)s."
            ),
            code="check_digit",
            params={"value": digits, "digit": expected},
        )
    return digits


def gtin_check_digit(body: str) -> int:
    """The GS1 check digit for the digits before it: weights 3 and 1 from the right."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


# --- countries -------------------------------------------------------------------------------

# Names people write that are not the official ones django-countries knows, and the old
# vehicle codes of German addresses ("D-10115 Berlin"); none of them is an ISO code as well.
COUNTRY_ALIASES = {
    "d": "DE",
    "brd": "DE",
    "bundesrepublik deutschland": "DE",
    "federal republic of germany": "DE",
    "a": "AT",
    "f": "FR",
    "i": "IT",
    "b": "BE",
    "l": "LU",
    "e": "ES",
    "p": "PT",
    "fl": "LI",
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "schottland": "GB",
    "großbritannien": "GB",
    "grossbritannien": "GB",
    "great britain": "GB",
    "britain": "GB",
    "usa": "US",
    "u.s.a.": "US",
    "vereinigte staaten": "US",
    "vereinigte staaten von amerika": "US",
    "united states of america": "US",
    "amerika": "US",
    "america": "US",
    "holland": "NL",
    "the netherlands": "NL",
    "tschechische republik": "CZ",
    "czech republic": "CZ",
    "türkiye": "TR",
    "turkei": "TR",
    "russische föderation": "RU",
    "el": "GR",
}


def parse_country(value: str) -> str:
    """The ISO 3166 alpha-2 code for a code (DE, de, DEU) or a German or English name."""
    text = " ".join(value.split())
    if not text:
        raise _required()
    key = text.casefold()
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    if len(text) in (2, 3) and text.isalpha():
        code = countries.alpha2(text.upper())
        if code:
            return code
    for language in ("de", "en"):
        code = countries.by_name(text, language=language)
        if code:
            return code
    raise ValidationError(
        _("Unknown country “%(value)s”. Write the country’s name or its code, like DE or AT."),
        code="invalid",
        params={"value": _shown(value)},
    )


# --- words -----------------------------------------------------------------------------------

SALUTATIONS = {
    "herr": "Herr",
    "herrn": "Herr",
    "hr": "Herr",
    "hr.": "Herr",
    "mr": "Herr",
    "mr.": "Herr",
    "mister": "Herr",
    "frau": "Frau",
    "fr.": "Frau",
    "mrs": "Frau",
    "mrs.": "Frau",
    "ms": "Frau",
    "ms.": "Frau",
    "miss": "Frau",
    "divers": "Divers",
    "mx": "Divers",
    "mx.": "Divers",
}


def normalize_salutation(value: str) -> str:
    """Herr, Frau or Divers for their usual spellings (Hr., Mr, Mrs, Ms…); other text as is.

    Stored in German because that is what lexoffice stores and what documents print; free
    text ("Dr.", "Familie") is kept, at most 25 characters.
    """
    text = " ".join(value.split())
    if not text:
        return ""
    known = SALUTATIONS.get(text.casefold())
    if known:
        return known
    if len(text) > SALUTATION_MAX_LENGTH:
        raise ValidationError(
            _("A salutation has at most %(limit)s characters; this one has %(count)s."),
            code="max_length",
            params={"limit": SALUTATION_MAX_LENGTH, "count": len(text)},
        )
    return text


_TRUE = frozenset({"1", "ja", "j", "yes", "y", "true", "wahr", "x", "✓", "✔", "an", "on"})
_FALSE = frozenset({"0", "nein", "n", "no", "false", "falsch", "-", "aus", "off"})


def parse_bool(value: str) -> bool:
    """True for ja/yes/1/x/true/wahr, False for nein/no/0/false/falsch."""
    text = value.strip().casefold()
    if not text:
        raise _required()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValidationError(
        _("“%(value)s” is neither yes nor no. Write ja or nein (yes or no, 1 or 0)."),
        code="invalid",
        params={"value": _shown(value)},
    )


_GERMAN_DATE = re.compile(r"\A(\d{1,2})\.(\d{1,2})\.(\d{4})\Z", re.ASCII)
_ISO_DATE = re.compile(r"\A(\d{4})-(\d{2})-(\d{2})\Z", re.ASCII)


def parse_date(value: str) -> date:
    """A date written DD.MM.YYYY (also D.M.YYYY) or YYYY-MM-DD."""
    text = value.strip()
    if not text:
        raise _required()
    if match := _GERMAN_DATE.match(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO_DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise ValidationError(
            _("“%(value)s” is not a date. Write it as DD.MM.YYYY or YYYY-MM-DD."),
            code="invalid",
            params={"value": _shown(value)},
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a day in the calendar."),
            code="invalid_date",
            params={"value": _shown(value)},
        ) from None
