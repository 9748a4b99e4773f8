"""The columns of Kontor's CSV files: the one place where they are defined.

Each column has its German name (the one lexoffice uses) and its English name, the other names it
is known by (lexoffice's export), whether it is required, how a cell is parsed and checked, a
format description and an example. The importer's automatic assignment, its checks, the
download templates, the quick reference PDF, the export and the django-import-export resources
(see `resources.py`) are all generated from these lists.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from contacts_app import validators
from contacts_app.models import CUSTOMER_NUMBERS, SUPPLIER_NUMBERS

from . import values

Parser = Callable[[str], Any]
PROFILE_MAX_LENGTH = 300  # WebProfile.value


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


def vat_id(value: str) -> str:
    validators.validate_vat_id(value)
    return validators.normalize_vat_id(value)


def profile(kind: str) -> Parser:
    def parse(value: str) -> str:
        normalized = validators.validate_web_profile(kind, value)
        if len(normalized) > PROFILE_MAX_LENGTH:
            raise ValidationError(
                _("At most %(limit)s characters allowed, this has %(count)s."),
                params={"limit": PROFILE_MAX_LENGTH, "count": len(normalized)},
            )
        return normalized

    return parse


HAS_DIGIT = re.compile(r"\d")


def phone(value: str) -> str:
    if len(value) > 40:
        raise ValidationError(_("A phone number has at most 40 characters."))
    if not HAS_DIGIT.search(value):
        raise ValidationError(_("A phone number needs digits."))
    return value


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

    @property
    def label(self) -> str:
        """The column's name in the current language."""
        return self.de if (get_language() or "en").startswith("de") else self.en

    def names(self) -> list[str]:
        return [self.de, self.en, *self.aliases]


def _person_columns(n: int) -> list[Column]:
    de, en = f"Ansprechpartner {n}", f"Contact person {n}"
    return [
        Column(
            f"person{n}_salutation",
            f"{de} Anrede",
            f"{en} salutation",
            text(25),
            format=_("Free text, at most 25 characters"),
            example="Frau" if n == 1 else "",
        ),
        Column(
            f"person{n}_first_name",
            f"{de} Vorname",
            f"{en} first name",
            text(100),
            example="Anna" if n == 1 else "",
        ),
        Column(
            f"person{n}_last_name",
            f"{de} Nachname",
            f"{en} last name",
            text(100),
            format=_("Required for a contact person"),
            example="Schäfer" if n == 1 else "",
        ),
        Column(f"person{n}_position", f"{de} Position", f"{en} position", text(100)),
        Column(
            f"person{n}_email",
            f"{de} E-Mail",
            f"{en} email",
            email,
            aliases=(f"{en} e-mail",),
            format=_("E-mail address"),
            example="anna.schaefer@example.de" if n == 1 else "",
        ),
        Column(
            f"person{n}_phone",
            f"{de} Telefon",
            f"{en} phone",
            phone,
            example="+49 30 1234567" if n == 1 else "",
        ),
        Column(
            f"person{n}_extension",
            f"{de} Durchwahl",
            f"{en} extension",
            text(10),
            format=_("Extension, at most 10 characters"),
            example="12" if n == 1 else "",
        ),
        Column(f"person{n}_mobile", f"{de} Mobil", f"{en} mobile", phone),
    ]


def _contact_columns(number: Column) -> list[Column]:
    return [
        number,
        Column(
            "company_name",
            "Firmenname",
            "Company name",
            text(200),
            format=_("If filled, the row is a company; otherwise a person"),
            example="Bäckerei Müller GmbH",
        ),
        Column(
            "salutation",
            "Anrede",
            "Salutation",
            values.normalize_salutation,
            format=_("Herr, Frau, Divers or free text (at most 25 characters)"),
        ),
        Column("title", "Titel", "Title", text(40), example=""),
        Column("first_name", "Vorname", "First name", text(100)),
        Column(
            "last_name",
            "Nachname",
            "Last name",
            text(100),
            format=_("Required for a person (a row without company name)"),
        ),
        Column("tax_number", "Steuernummer", "Tax number", text(30), example="21/815/08150"),
        Column(
            "vat_id",
            "Umsatzsteuer ID",
            "VAT ID",
            vat_id,
            aliases=("USt-IdNr.", "USt-IdNr", "Umsatzsteuer-ID", "VAT number"),
            format=_("EU VAT ID with country prefix, e.g. DE and 9 digits"),
            example="DE123456789",
        ),
        Column(
            "billing_supplement",
            "Adresszusatz",
            "Address supplement",
            text(100),
            aliases=("Adresszusatz 1",),
        ),
        Column(
            "billing_street",
            "Straße",
            "Street",
            text(100),
            aliases=("Straße 1", "Strasse", "Street and number"),
            format=_("Street and house number together"),
            example="Hauptstraße 5",
        ),
        Column(
            "billing_postal_code",
            "PLZ",
            "Postal code",
            text(12),
            aliases=("PLZ 1", "Postleitzahl", "ZIP", "ZIP code"),
            format=_("German postal codes have 5 digits"),
            example="10115",
        ),
        Column(
            "billing_city", "Ort", "City", text(100), aliases=("Ort 1", "Stadt"), example="Berlin"
        ),
        Column(
            "billing_country",
            "Land",
            "Country",
            country,
            aliases=("Land 1",),
            format=_("Country name in German or English, or ISO code; empty: Germany"),
            example="Deutschland",
        ),
        Column(
            "shipping_supplement",
            "Lieferadresse Adresszusatz",
            "Shipping supplement",
            text(100),
            aliases=("Adresszusatz 2",),
        ),
        Column(
            "shipping_street",
            "Lieferadresse Straße",
            "Shipping street",
            text(100),
            aliases=("Straße 2",),
        ),
        Column(
            "shipping_postal_code",
            "Lieferadresse PLZ",
            "Shipping postal code",
            text(12),
            aliases=("PLZ 2",),
        ),
        Column(
            "shipping_city", "Lieferadresse Ort", "Shipping city", text(100), aliases=("Ort 2",)
        ),
        Column(
            "shipping_country",
            "Lieferadresse Land",
            "Shipping country",
            country,
            aliases=("Land 2",),
        ),
        Column(
            "phone_business",
            "Telefon",
            "Phone",
            phone,
            aliases=("Telefon 1", "Telephone"),
            example="+49 30 1234567",
        ),
        Column("phone_other", "Telefon 2", "Phone 2", phone),
        Column("phone_mobile", "Mobil", "Mobile", phone, aliases=("Mobiltelefon", "Handy")),
        Column("phone_fax", "Fax", "Fax", phone, aliases=("Telefax",)),
        Column(
            "email_business",
            "E-Mail",
            "Email",
            email,
            aliases=("E-Mail 1", "E-mail", "Email address", "E-Mail-Adresse"),
            format=_("E-mail address"),
            example="info@example.de",
        ),
        Column("email_other", "E-Mail 2", "Email 2", email),
        Column(
            "profile_website",
            "Webseite",
            "Website",
            profile("website"),
            aliases=("Website", "Homepage", "URL"),
            format=_("Web address"),
            example="https://www.example.de",
        ),
        Column("profile_blog", "Blog", "Blog", profile("blog")),
        Column(
            "profile_twitter",
            "Twitter",
            "Twitter",
            profile("twitter"),
            aliases=("X", "Twitter/X"),
            format=_("Handle like @name"),
        ),
        Column("profile_skype", "Skype", "Skype", profile("skype")),
        Column("profile_linkedin", "LinkedIn", "LinkedIn", profile("linkedin")),
        Column("profile_xing", "XING", "XING", profile("xing")),
        *_person_columns(1),
        *_person_columns(2),
        Column(
            "note",
            "Notiz",
            "Note",
            text(5000),
            aliases=("Notizen", "Notes", "Bemerkung"),
            format=_("Becomes a note on the contact"),
        ),
    ]


CUSTOMER_COLUMNS = _contact_columns(
    Column(
        "customer_number",
        "Kundennummer",
        "Customer number",
        number_in(*CUSTOMER_NUMBERS),
        aliases=("Kunden-Nr.", "Kundennr."),
        format=_("5 digits, 10000–69999; empty: assigned automatically"),
        example="10000",
    )
)
SUPPLIER_COLUMNS = _contact_columns(
    Column(
        "supplier_number",
        "Lieferantennummer",
        "Supplier number",
        number_in(*SUPPLIER_NUMBERS),
        aliases=("Lieferanten-Nr.", "Lieferantennr."),
        format=_("5 digits, 70000–99999; empty: assigned automatically"),
        example="70000",
    )
)


PRODUCT_KINDS = {
    "produkt": "product",
    "product": "product",
    "artikel": "product",
    "ware": "product",
    "dienstleistung": "service",
    "service": "service",
    "leistung": "service",
}


def product_kind(value: str) -> str:
    kind = PRODUCT_KINDS.get(value.strip().casefold())
    if kind is None:
        raise ValidationError(_("Use “Produkt” or “Dienstleistung” (product or service)."))
    return kind


def gtin(value: str) -> str:
    return values.validate_gtin(value)


def price(value: str) -> Decimal:
    return values.parse_decimal(value)


PRODUCT_COLUMNS = [
    Column(
        "number",
        "Artikelnummer",
        "Product number",
        text(18),
        aliases=("Artikel-Nr.", "SKU", "Item number"),
        format=_("At most 18 characters, unique"),
        example="A-1000",
    ),
    Column(
        "name",
        "Bezeichnung",
        "Name",
        text(100),
        required=True,
        aliases=("Artikelname", "Product name"),
        format=_("Required, 1–100 characters"),
        example="Brötchen",
    ),
    Column(
        "description",
        "Beschreibung",
        "Description",
        text(2000),
        format=_("At most 2000 characters"),
    ),
    Column(
        "unit",
        "Einheit",
        "Unit",
        text(30),
        required=True,
        format=_("Stück, Stunde or another unit"),
        example="Stück",
    ),
    Column(
        "tax_rate",
        "Steuerart",
        "Tax rate",
        values.parse_tax_rate,
        aliases=("Steuersatz", "USt", "VAT rate"),
        format=_("USt 19%, USt 7% or USt 0% (also 19, 7, 0)"),
        example="USt 19%",
    ),
    Column(
        "net_price",
        "Nettopreis",
        "Net price",
        price,
        aliases=("Netto", "Price (net)"),
        format=_("Number like 1.234,50 or 1234.50; this or the gross price"),
        example="2,50",
    ),
    Column(
        "gross_price",
        "Bruttopreis",
        "Gross price",
        price,
        aliases=("Brutto", "Price (gross)"),
        format=_("Number, instead of the net price"),
    ),
    Column(
        "gtin",
        "GTIN/EAN",
        "GTIN/EAN",
        gtin,
        aliases=("EAN", "GTIN", "Barcode"),
        format=_("8, 12, 13 or 14 digits with a valid check digit"),
        example="4006381333931",
    ),
    Column(
        "internal_note",
        "Notiz (intern)",
        "Internal note",
        text(1000),
        aliases=("Notiz", "Note"),
        format=_("At most 1000 characters"),
    ),
    Column(
        "kind",
        "Typ",
        "Type",
        product_kind,
        format=_("Produkt or Dienstleistung (product or service); empty: product"),
    ),
]


def normalize_header(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def column_index(columns: list[Column]) -> dict[str, Column]:
    """Every known name (German, English, aliases), normalised, → its column."""
    index: dict[str, Column] = {}
    for column in columns:
        for name in column.names():
            index.setdefault(normalize_header(name), column)
    return index
