"""The columns of a customer or a supplier file: the same but for the number that comes first.

The German names are lexoffice's, so that its export is assigned without a click; the aliases
are the names other programs (and lexoffice's older exports) use.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from contacts_app import validators
from contacts_app.tag_names import parse_tag_names
from core import values

from ..columns import Column, Parser, country, email, phone, text

PROFILE_MAX_LENGTH = 300  # WebProfile.value


def vat_id(value: str) -> str:
    return validators.validate_vat_id(value)


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


# Separators of several tags in one cell: Kontor's comma, a semicolon, Google's " ::: ".
TAG_SEPARATORS = re.compile(r"\s*(?::::|;)\s*")
# Google Contacts' own groups, which every contact of its export carries.
SYSTEM_LABELS = frozenset({"* mycontacts", "* my contacts", "* starred"})


def tags(value: str) -> tuple[str, ...]:
    """The tag names of a cell, each once (compared as tags compare), without Google's groups
    of every contact; the ValidationError of `parse_tag_names` for a name that cannot be one."""
    parts = [
        part.strip().lstrip("*").strip()
        for part in TAG_SEPARATORS.split(value)
        if " ".join(part.split()).casefold() not in SYSTEM_LABELS
    ]
    return tuple(parse_tag_names(parts))


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
            formula_notice=False,
        ),
        Column(
            f"person{n}_extension",
            f"{de} Durchwahl",
            f"{en} extension",
            text(10),
            format=_("Extension, at most 10 characters"),
            example="12" if n == 1 else "",
        ),
        Column(f"person{n}_mobile", f"{de} Mobil", f"{en} mobile", phone, formula_notice=False),
    ]


def contact_columns(number: Column) -> list[Column]:
    """The columns of a contact file, after `number` (the customer or supplier number)."""
    return [number, *shared_contact_columns()]


def shared_contact_columns() -> list[Column]:
    """The columns of a customer and of a supplier file alike: all but the number."""
    return [
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
        Column(
            "tax_number",
            "Steuernummer",
            "Tax number",
            text(30),
            format=_("German: as the tax office writes it; other countries: free text"),
            example="21/815/08150",
        ),
        Column(
            "vat_id",
            "Umsatzsteuer ID",
            "VAT ID",
            vat_id,
            aliases=("USt-IdNr.", "USt-IdNr", "Umsatzsteuer-ID", "VAT number"),
            format=_("EU VAT ID with country prefix and check digit, e.g. DE and 9 digits"),
            example="DE123456788",
        ),
        Column(
            "industry",
            "Branche",
            "Industry",
            text(100),
            aliases=("Industrie", "Sector"),
            format=_("Free text, at most 100 characters"),
            example="Bäckerei",
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
            format=_("As the country writes them: 5 digits in Germany, 4 in Austria"),
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
            formula_notice=False,
        ),
        Column("phone_other", "Telefon 2", "Phone 2", phone, formula_notice=False),
        Column(
            "phone_mobile",
            "Mobil",
            "Mobile",
            phone,
            aliases=("Mobiltelefon", "Handy"),
            formula_notice=False,
        ),
        Column("phone_fax", "Fax", "Fax", phone, aliases=("Telefax",), formula_notice=False),
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
            formula_notice=False,
        ),
        Column("profile_skype", "Skype", "Skype", profile("skype")),
        Column("profile_linkedin", "LinkedIn", "LinkedIn", profile("linkedin")),
        Column("profile_xing", "XING", "XING", profile("xing")),
        *_person_columns(1),
        *_person_columns(2),
        Column(
            "tags",
            "Schlagwörter",
            "Tags",
            tags,
            aliases=("Schlagwort", "Kategorien", "Categories", "Labels"),
            format=_("Tag names separated by commas or semicolons; new ones are created"),
            example="Stammkunde, Newsletter",
        ),
        Column(
            "note",
            "Notiz",
            "Note",
            text(5000),
            aliases=("Notizen", "Notes", "Bemerkung"),
            format=_("Becomes a note on the contact"),
        ),
    ]
