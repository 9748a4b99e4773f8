"""A column of Kontor's CSV files, and the cell parsers that several targets' columns share.

Each column has its German name (the one lexoffice uses) and its English name, the other names it
is known by (lexoffice's export), whether it is required, how a cell is parsed and checked, a
format description and an example. Each import target lists its columns (`ImportTarget.columns`,
see `importer/targets/`); the automatic assignment, the checks, the download template, the quick
reference PDF, the export and the django-import-export resources are all generated from them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from contacts_app import phones
from core import values

Parser = Callable[[str], Any]


def text(max_length: int) -> Parser:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise ValidationError(
                _("At most %(limit)s characters allowed, this has %(count)s."),
                params={"limit": max_length, "count": len(value)},
            )
        return value

    return parse


def number_in(low: int, high: int) -> Parser:
    def parse(value: str) -> int:
        digits = value.replace(" ", "")
        if not digits.isascii() or not digits.isdigit():
            raise ValidationError(_("Not a whole number."))
        number = int(digits)
        if not low <= number <= high:
            raise ValidationError(
                _("Must be between %(low)s and %(high)s."), params={"low": low, "high": high}
            )
        return number

    return parse


@lru_cache(maxsize=2048)
def country(value: str) -> str:
    """An ISO code from a country as written; files repeat the same few names thousands of
    times, and looking a name up in every language is slow, hence the cache."""
    return values.parse_country(value)


# Plain addresses ("jana.schmidt@example.de"): a strict subset of what Django's check accepts,
# recognised in one step; anything else goes through the full check.
PLAIN_EMAIL = re.compile(
    r"[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,8}[a-z]{2,24}\Z",
    re.ASCII | re.IGNORECASE,
)


def email(value: str) -> str:
    value = value.strip()
    if len(value) > 254:
        raise ValidationError(_("This e-mail address is too long."))
    if PLAIN_EMAIL.match(value):
        return value
    try:
        validate_email(value)
    except ValidationError as error:
        raise ValidationError(_("Not a valid e-mail address.")) from error
    return value


def phone(value: str) -> str:
    """Refused only when it is no phone number at all: one regular expression. Parsing every
    number of a large file with phonenumbers (about 30 µs each) would add most of a second."""
    return phones.validate_phone_number(value)


@dataclass(frozen=True)
class Column:
    key: str
    de: str
    en: str
    parse: Parser = field(default=text(100))
    required: bool = False
    aliases: tuple[str, ...] = ()
    format: str | Promise = ""
    example: str = ""
    # Whether a text cell starting with = + - @ is listed as imported text (a notice); off for
    # columns whose values start so by nature (+49 …, @handle) and that their check recognises.
    formula_notice: bool = True

    @property
    def label(self) -> str:
        """The column's name in the current language."""
        return self.de if (get_language() or "en").startswith("de") else self.en

    def names(self) -> list[str]:
        return [self.de, self.en, *self.aliases]


def normalize_header(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def column_index(columns: list[Column]) -> dict[str, Column]:
    """Every known name (German, English, aliases), normalised, → its column."""
    index: dict[str, Column] = {}
    for column in columns:
        for name in column.names():
            index.setdefault(normalize_header(name), column)
    return index
