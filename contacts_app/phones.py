"""Phone numbers: read with phonenumbers (Google's libphonenumber data) for display and dialling.

Kontor stores a number as it was typed, so nothing a colleague wrote gets lost. Where it is
shown, linked (`tel:`) or exported (vCard) it is parsed with the contact's country as the
default region (Germany when none is given), which turns "+49 (0)30 1234567", "030/1234567"
and "0049 30 1234567" alike into +49301234567 (E.164), with an extension ("… ext. 12",
"… x12") kept apart from the number.

Two checks with different weights:

- `validate_phone_number` refuses what is no phone number at all ("abc1", "n/a"): one regular
  expression, cheap enough for every cell of a large import.
- `phone_warning` says when a number cannot exist (too short, an area code nobody has). That
  is a warning, never a refusal: the numbering plans change, and a number from last year's
  letterhead is still worth keeping.

Parsing costs about 30–60 µs a number, so an import should not parse every cell (see README).
Results are cached, for pages that show the same numbers again and again.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

DEFAULT_REGION = "DE"
PHONE_MAX_LENGTH = 40  # Contact.phone_* and ContactPerson.phone/mobile

# Digits and the separators people type, a "+" in front, an extension after one of the labels
# phonenumbers reads ("ext.", "x", "#", ";ext="). Dashes include the typographic ones that word
# processors put in.
_PHONE_TEXT = re.compile(
    r"\+?[0-9 ()./\-\u2010-\u2015]*[0-9][0-9 ()./\-\u2010-\u2015]*"
    r"(?:\s*(?:;\s*ext=|e?xt\.?|extension|x|#)\s*[0-9]{1,10})?",
    re.IGNORECASE,
)


class ParsedPhone(NamedTuple):
    e164: str  # "+49301234567"
    extension: str  # "" when there is none
    international: str  # "+49 30 1234567", the number without its extension
    valid: bool  # phonenumbers' is_valid_number: in a range the country's numbering plan has


def validate_phone_number(value: str) -> str:
    """A phone number as typed, refused only when it cannot be one; returns it trimmed."""
    text = value.strip()
    if len(text) > PHONE_MAX_LENGTH:
        raise ValidationError(_("A phone number has at most 40 characters."), code="max_length")
    if not _PHONE_TEXT.fullmatch(" ".join(text.split())):
        raise ValidationError(
            _(
                "“%(value)s” is not a phone number: use digits, spaces and + ( ) - /, "
                "like +49 30 1234567."
            ),
            code="phone",
            params={"value": text[:40]},
        )
    return text


def region_of(country: object) -> str:
    """The default region for parsing: a contact's country (code or django-countries'
    Country), Germany when it has none."""
    code = str(country or "").upper()
    return code if len(code) == 2 else DEFAULT_REGION


def parse_phone(value: str, country: object = None) -> ParsedPhone | None:
    """The number `value` stands for, read with `country` as the default region, or None.

    None when phonenumbers cannot read it at all (no digits, too few, letters, a region it
    does not know).
    """
    text = (value or "").strip()
    if not text:
        return None
    return _parse(text, region_of(country))


@lru_cache(maxsize=8192)
def _parse(text: str, region: str) -> ParsedPhone | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    extension = number.extension or ""
    number.extension = None
    return ParsedPhone(
        e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        extension=extension,
        international=phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
        ),
        valid=phonenumbers.is_valid_number(number),
    )


def phone_display(value: str, country: object = None, extension: str = "") -> str:
    """The number in international format ("+49 30 1234567 ext. 12").

    As typed when it cannot be read or cannot exist: a format made up for it would hide that.
    """
    parsed = parse_phone(value, country)
    if parsed is None or not parsed.valid:
        return value.strip()
    extension = extension or parsed.extension
    if extension:
        return f"{parsed.international} {gettext('ext.')} {extension}"
    return parsed.international


def tel_uri(value: str, country: object = None, extension: str = "") -> str | None:
    """The `tel:` link for a number (RFC 3966): "tel:+49301234567;ext=12", None if unreadable."""
    parsed = parse_phone(value, country)
    if parsed is None:
        return None
    extension = extension or parsed.extension
    return f"tel:{parsed.e164}" + (f";ext={extension}" if extension else "")


def vcard_tel(value: str, country: object = None, extension: str = "") -> str:
    """A vCard TEL value, ready for the line: E.164 with an extension as RFC 3966 writes it
    ("+49301234567;ext=12"); the number as typed (escaped as vCard text) when it cannot be
    read, so a vCard never drops a number."""
    from .vcard import escape  # the vCard writer calls this module

    uri = tel_uri(value, country, extension)
    return uri.removeprefix("tel:") if uri else escape(value.strip())


def phone_warning(value: str, country: object = None) -> str | None:
    """A message when `value` cannot be a phone number that exists, else None.

    The message is meant to be shown beside the saved value, not to refuse it.
    """
    text = (value or "").strip()
    if not text:
        return None
    region = region_of(country)
    parsed = _parse(text, region)
    if parsed is not None and parsed.valid:
        return None
    if not text.startswith(("+", "00")):
        where = countries.name(region) or region
        return gettext(
            "“%(value)s” cannot be a phone number in %(country)s: check the area code and "
            "the number of digits, or write it with its country code, like +49 30 1234567."
        ) % {"value": text[:40], "country": where}
    return gettext(
        "“%(value)s” cannot be a phone number that exists: check the country code, the area "
        "code and the number of digits."
    ) % {"value": text[:40]}
