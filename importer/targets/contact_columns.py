"""The columns of a customer or a supplier file: the same but for the number that comes first.

The German names are lexoffice's, so that its export is assigned without a click; the aliases
are the names other programs (and lexoffice's older exports) use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from contacts_app import validators
from contacts_app.tag_names import parse_tag_names
from core import values

from .. import notes
from ..columns import Column, Parser, country, email, phone, text
from .contact_kinds import parse_kind

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
        Column(f"person{n}_title", f"{de} Titel", f"{en} title", text(40)),
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


PROFILE_NAMES: dict[str, tuple[str, str, tuple[str, ...], Parser]] = {
    # kind: German name, English name, other names of the first column of the kind
    "website": ("Webseite", "Website", ("Website", "Homepage", "URL"), profile("website")),
    "blog": ("Blog", "Blog", (), profile("blog")),
    "twitter": ("Twitter", "Twitter", ("X", "Twitter/X"), profile("twitter")),
    "skype": ("Skype", "Skype", (), profile("skype")),
    "messenger": ("Messenger", "Messenger", (), profile("messenger")),
    "linkedin": ("LinkedIn", "LinkedIn", (), profile("linkedin")),
    "xing": ("XING", "XING", (), profile("xing")),
    "other": ("Weiteres Profil", "Other profile", (), profile("other")),
}
PROFILE_KINDS = tuple(PROFILE_NAMES)


def profile_key(kind: str, n: int) -> str:
    """The column key of a contact's `n`th web profile of `kind` ("profile_blog_2")."""
    return f"profile_{kind}" if n == 1 else f"profile_{kind}_{n}"


def _profile_columns(n: int, kinds: Sequence[str] = PROFILE_KINDS) -> list[Column]:
    """The `n`th web profile of each of `kinds`: "Webseite", then "Webseite 2" and so on."""
    columns = []
    for kind in kinds:
        de, en, aliases, parse = PROFILE_NAMES[kind]
        if n == 1:
            columns.append(
                Column(
                    profile_key(kind, n),
                    de,
                    en,
                    parse,
                    aliases=aliases,
                    **PROFILE_DETAILS.get(kind, {}),
                )
            )
        else:
            columns.append(
                Column(
                    profile_key(kind, n),
                    f"{de} {n}",
                    f"{en} {n}",
                    parse,
                    aliases=tuple(f"{alias} {n}" for alias in aliases),
                    formula_notice=kind != "twitter",
                )
            )
    return columns


PROFILE_DETAILS: dict[str, dict] = {
    "website": {"format": _("Web address"), "example": "https://www.example.de"},
    "twitter": {"format": _("Handle like @name"), "formula_notice": False},
}


def contact_columns(
    number: Column, *, persons: int = 2, profiles: Mapping[str, int] | None = None
) -> list[Column]:
    """The columns of a contact file, after `number` (the customer or supplier number): its
    contact persons' columns `persons` times ("Ansprechpartner 3 Vorname"), and beyond the
    first web profile of each kind the further ones `profiles` asks for ({kind: how many})."""
    return [number, *shared_contact_columns(persons=persons, profiles=profiles)]


def shared_contact_columns(
    *, persons: int = 2, profiles: Mapping[str, int] | None = None
) -> list[Column]:
    """The columns of a customer and of a supplier file alike: all but the number."""
    profiles = profiles or {}
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
            "phone_office",
            "Telefon (Büro)",
            "Phone (office)",
            phone,
            aliases=("Telefon Büro", "Office phone"),
            formula_notice=False,
        ),
        Column(
            "phone_private",
            "Telefon (privat)",
            "Phone (private)",
            phone,
            aliases=("Telefon privat", "Private phone", "Home phone"),
            formula_notice=False,
        ),
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
            "email_office",
            "E-Mail (Büro)",
            "Email (office)",
            email,
            aliases=("E-Mail Büro", "Office email"),
        ),
        Column(
            "email_private",
            "E-Mail (privat)",
            "Email (private)",
            email,
            aliases=("E-Mail privat", "Private email"),
        ),
        *_profile_columns(1),
        *(column for n in range(1, persons + 1) for column in _person_columns(n)),
        *(
            column
            for n in range(2, max(profiles.values(), default=1) + 1)
            for column in _profile_columns(n, [k for k, count in profiles.items() if count >= n])
        ),
        Column(
            "kind",
            "Kontaktart",
            "Contact type",
            parse_kind,
            aliases=("Kontakttyp", "Type"),
            format=_("Firma or Person (Company or Person); empty: a company if it has a name"),
        ),
        Column(
            "archived",
            "Archiviert",
            "Archived",
            values.parse_bool,
            format=_("1 or ja (yes) for an archived contact; empty: active"),
        ),
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
            notes.parse_notes,
            aliases=("Notizen", "Notes", "Bemerkung"),
            format=_("Becomes a note on the contact; notes apart by a line of four dashes"),
        ),
    ]
