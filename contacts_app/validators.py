"""Checks for a contact's fields, shared by the contact forms and the importer.

Each `validate_*` function raises Django's `ValidationError` with a message that shows the
expected format, and returns the value in the form Kontor stores, so a caller can write
`value = validate_vat_id(value)`. They also work as plain field validators (the return value is
then ignored).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# --- VAT IDs ---------------------------------------------------------------------------------

# Country prefix → (pattern of the rest, example, format in words). The formats are those the
# EU's VIES service checks, plus Switzerland, Norway and the United Kingdom.
VAT_FORMATS: dict[str, tuple[str, str, str | Promise]] = {
    "AT": (r"U\d{8}", "ATU12345678", _("ATU + 8 digits")),
    "BE": (r"[01]\d{9}", "BE0123456789", _("BE + 10 digits")),
    "BG": (r"\d{9,10}", "BG123456789", _("BG + 9 or 10 digits")),
    "CY": (r"\d{8}[A-Z]", "CY12345678X", _("CY + 8 digits + 1 letter")),
    "CZ": (r"\d{8,10}", "CZ12345678", _("CZ + 8 to 10 digits")),
    "DE": (r"\d{9}", "DE123456789", _("DE + 9 digits")),
    "DK": (r"\d{8}", "DK12345678", _("DK + 8 digits")),
    "EE": (r"\d{9}", "EE123456789", _("EE + 9 digits")),
    "EL": (r"\d{9}", "EL123456789", _("EL + 9 digits")),
    "ES": (r"[0-9A-Z]\d{7}[0-9A-Z]", "ESX1234567X", _("ES + 9 characters")),
    "FI": (r"\d{8}", "FI12345678", _("FI + 8 digits")),
    "FR": (r"[0-9A-HJ-NP-Z]{2}\d{9}", "FRXX123456789", _("FR + 2 characters + 9 digits")),
    "HR": (r"\d{11}", "HR12345678901", _("HR + 11 digits")),
    "HU": (r"\d{8}", "HU12345678", _("HU + 8 digits")),
    "IE": (
        r"\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W]",
        "IE1234567X",
        _("IE + 8 or 9 characters"),
    ),
    "IT": (r"\d{11}", "IT12345678901", _("IT + 11 digits")),
    "LT": (r"\d{9}|\d{12}", "LT123456789", _("LT + 9 or 12 digits")),
    "LU": (r"\d{8}", "LU12345678", _("LU + 8 digits")),
    "LV": (r"\d{11}", "LV12345678901", _("LV + 11 digits")),
    "MT": (r"\d{8}", "MT12345678", _("MT + 8 digits")),
    "NL": (r"\d{9}B\d{2}", "NL123456789B01", _("NL + 9 digits + B + 2 digits")),
    "PL": (r"\d{10}", "PL1234567890", _("PL + 10 digits")),
    "PT": (r"\d{9}", "PT123456789", _("PT + 9 digits")),
    "RO": (r"\d{2,10}", "RO1234567890", _("RO + 2 to 10 digits")),
    "SE": (r"\d{10}01", "SE123456789001", _("SE + 12 digits ending in 01")),
    "SI": (r"\d{8}", "SI12345678", _("SI + 8 digits")),
    "SK": (r"\d{10}", "SK1234567890", _("SK + 10 digits")),
    "XI": (r"\d{9}|\d{12}|GD\d{3}|HA\d{3}", "XI123456789", _("XI + 9 or 12 digits")),
    "GB": (r"\d{9}|\d{12}|GD\d{3}|HA\d{3}", "GB123456789", _("GB + 9 or 12 digits")),
    "CH": (r"E\d{9}(?:MWST|TVA|IVA|VAT)?", "CHE-123.456.789 MWST", _("CHE + 9 digits")),
    "NO": (r"\d{9}(?:MVA)?", "NO123456789MVA", _("NO + 9 digits (+ MVA)")),
}
_VAT_PATTERNS = {
    prefix: re.compile(rf"(?:{pattern})\Z") for prefix, (pattern, *_rest) in VAT_FORMATS.items()
}
# Greece's VAT prefix is EL, not its ISO code; people write both.
_VAT_PREFIX_ALIASES = {"GR": "EL"}


def normalize_vat_id(value: str) -> str:
    """Upper case without spaces, dots and dashes; a Swiss UID as CHE-123.456.789 MWST."""
    compact = re.sub(r"[\s.\-/]", "", value).upper()
    prefix = _VAT_PREFIX_ALIASES.get(compact[:2], compact[:2])
    compact = prefix + compact[2:]
    swiss = re.fullmatch(r"CHE(\d{3})(\d{3})(\d{3})(MWST|TVA|IVA|VAT)?", compact)
    if swiss:
        digits = "-{}.{}.{}".format(*swiss.groups()[:3])
        return f"CHE{digits}" + (f" {swiss[4]}" if swiss[4] else "")
    return compact


def validate_vat_id(value: str) -> str:
    """An EU (or Swiss, Norwegian, British) VAT ID in its country's format; returns it normalized.

    Only the format is checked, not whether the number is registered (that is VIES' job).
    """
    compact = re.sub(r"[\s.\-/]", "", value).upper()
    prefix = _VAT_PREFIX_ALIASES.get(compact[:2], compact[:2])
    if prefix not in VAT_FORMATS:
        raise ValidationError(
            _(
                "A VAT ID starts with a country code such as DE, AT or FR, "
                "like DE123456789; “%(value)s” does not."
            ),
            code="vat_prefix",
            params={"value": value.strip()[:40]},
        )
    _pattern, example, description = VAT_FORMATS[prefix]
    if not _VAT_PATTERNS[prefix].match(compact[2:]):
        raise ValidationError(
            _(
                "“%(value)s” is not a valid VAT ID for %(prefix)s: "
                "expected %(format)s, like %(example)s."
            ),
            code="vat_format",
            params={
                "value": value.strip()[:40],
                "prefix": prefix,
                "format": description,
                "example": example,
            },
        )
    return normalize_vat_id(value)


# --- postal codes ----------------------------------------------------------------------------

# Country → (pattern after normalising, example). Countries not listed only get a loose check.
POSTAL_CODE_FORMATS: dict[str, tuple[str, str]] = {
    "DE": (r"\d{5}", "10115"),
    "AT": (r"\d{4}", "1010"),
    "CH": (r"\d{4}", "8001"),
    "LI": (r"\d{4}", "9490"),
    "BE": (r"\d{4}", "1000"),
    "DK": (r"\d{4}", "1050"),
    "LU": (r"\d{4}", "1111"),
    "FR": (r"\d{5}", "75001"),
    "IT": (r"\d{5}", "00118"),
    "ES": (r"\d{5}", "28001"),
    "PL": (r"\d{2}-\d{3}", "00-950"),
    "NL": (r"\d{4} [A-Z]{2}", "1011 AB"),
    "GB": (r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}", "SW1A 1AA"),
    "US": (r"\d{5}(?:-\d{4})?", "10001"),
}
_POSTAL_CODE_PATTERNS = {
    country: re.compile(rf"(?:{pattern})\Z")
    for country, (pattern, _example) in POSTAL_CODE_FORMATS.items()
}
_LOOSE_POSTAL_CODE = re.compile(r"[A-Z0-9][A-Z0-9 \-]{1,11}\Z")
# "D-10115" and "CH-8001": the old way of writing the country before the code.
_COUNTRY_PREFIX = re.compile(r"\A(?:D|A|CH|FL|L|B|F|I|NL|DK|PL)\s*-\s*")


def validate_postal_code(code: str, country: str) -> str:
    """A postal code in the format of `country` (ISO alpha-2); returns it normalized.

    Germany needs 5 digits, Austria and Switzerland 4, the Netherlands "1234 AB", the UK its
    usual letters and digits; other countries get a loose check (letters, digits, spaces and
    dashes, at most 12). An old country prefix ("D-10115") is dropped.
    """
    country = str(country or "").upper()
    text = _COUNTRY_PREFIX.sub("", " ".join(code.split()).upper())
    if country == "NL":
        text = re.sub(r"\A(\d{4})\s*([A-Z]{2})\Z", r"\1 \2", text)
    elif country == "GB":
        text = re.sub(r"\A(\S+?)\s*(\d[A-Z]{2})\Z", r"\1 \2", text)
    elif country in ("DE", "AT", "CH", "LI", "FR", "IT", "ES", "BE", "DK", "LU"):
        text = text.replace(" ", "")
    known = POSTAL_CODE_FORMATS.get(country)
    if known:
        _pattern, example = known
        if not _POSTAL_CODE_PATTERNS[country].match(text):
            raise ValidationError(
                _("“%(value)s” is not a postal code of %(country)s; it looks like %(example)s."),
                code="postal_code",
                params={"value": code.strip()[:20], "country": country, "example": example},
            )
        return text
    if not _LOOSE_POSTAL_CODE.match(text):
        raise ValidationError(
            _(
                "“%(value)s” is not a postal code: use at most 12 letters, digits, spaces or "
                "dashes."
            ),
            code="postal_code",
            params={"value": code.strip()[:20]},
        )
    return text


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
