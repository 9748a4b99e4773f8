"""Files that other programs write, recognised by their header row and assigned without a click.

One table per export: each header the program writes → the key of the Kontor column it goes
into ("" for what Kontor has no place for, such as a birthday; "number" for the target's
number column). A file is taken for an export when nearly all of its headers are that export's
(`SHARE`): the programs write their whole header row whatever a contact fills in.

What no table and no column name knows gets a *suggestion* (`suggestions`): the column whose
name is most like the header, compared folded with rapidfuzz. A suggestion is only shown; the
user confirms it before it counts (the column assignment page, see `importer.views`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz, process

from core.folding import fold

from .checking import auto_mapping
from .columns import Column, column_index, normalize_header
from .targets import ImportTarget
from .targets.contact_extras import EMAIL_SLOTS, PHONE_SLOTS

NUMBER = "number"
SHARE = 0.9
MIN_HEADERS = 5
SUGGESTION_SCORE = 88
# Shorter names (Ort, PLZ, Fax) are found inside too many headers (Geburtsort) to suggest.
SUGGESTION_MIN_LENGTH = 4


@dataclass(frozen=True)
class KnownExport:
    key: str
    label: str | Promise
    table: dict[str, str]  # normalised header → column key, "" or NUMBER
    # Headers of which the file must have at least one (what tells it from a look-alike).
    telling: tuple[str, ...] = ()

    def key_for(self, header: str, target: ImportTarget) -> str | None:
        """The column key for `header`, "" for not imported, None for a header not in it."""
        key = self.table.get(normalize_header(header))
        if key == NUMBER:
            return target.number_key
        return key


def _table(pairs: dict[str, str]) -> dict[str, str]:
    return {normalize_header(header): key for header, key in pairs.items()}


def _ignored(*headers: str) -> dict[str, str]:
    return dict.fromkeys(headers, "")


# Outlook's "Export to a file → Comma Separated Values": German and English Outlook write the
# same fields under these names, in this order.
OUTLOOK_DE = KnownExport(
    "outlook_de",
    _("Outlook export (German)"),
    _table(
        {
            "Anrede": "salutation",
            "Vorname": "first_name",
            "Weitere Vornamen": "middle_name",
            "Nachname": "last_name",
            "Suffix": "",
            "Firma": "company_name",
            "Abteilung": "department",
            "Position": "position",
            "Straße geschäftlich": "billing_street",
            "Straße geschäftlich 2": "billing_supplement",
            "Straße geschäftlich 3": "",
            "Ort geschäftlich": "billing_city",
            "Region geschäftlich": "",
            "Postleitzahl geschäftlich": "billing_postal_code",
            "Land/Region geschäftlich": "billing_country",
            "Straße privat": "other_address_street",
            "Straße privat 2": "",
            "Straße privat 3": "",
            "Ort privat": "other_address_city",
            "Bundesland/Kanton privat": "",
            "Postleitzahl privat": "other_address_postal_code",
            "Land/Region privat": "other_address_country",
            **_ignored(
                "Weitere Straße",
                "Weitere Straße 2",
                "Weitere Straße 3",
                "Weiterer Ort",
                "Weiteres/r Bundesland/Kanton",
                "Weitere Postleitzahl",
                "Weiteres/e Land/Region",
            ),
            # Numbers without a field of their own fill the free ones in the order of their
            # slots (privat first, Telex last); what is left goes into the note.
            "Telefon Assistent": "phone_9_value",
            "Fax geschäftlich": "phone_fax",
            "Telefon geschäftlich": "phone_business",
            "Telefon geschäftlich 2": "phone_3_value",
            "Rückmeldung": "phone_12_value",
            "Autotelefon": "phone_7_value",
            "Telefon Firma": "phone_6_value",
            "Fax privat": "phone_10_value",
            "Telefon privat": "phone_1_value",
            "Telefon (privat)": "phone_1_value",
            "Telefon privat 2": "phone_2_value",
            "Telefon (privat 2)": "phone_2_value",
            "ISDN": "phone_13_value",
            "Mobiltelefon": "phone_mobile",
            "Weiteres Fax": "phone_11_value",
            "Weiteres Telefon": "phone_4_value",
            "Pager": "phone_14_value",
            "Haupttelefon": "phone_5_value",
            "Mobiltelefon 2": "phone_8_value",
            "Funkruf": "phone_8_value",
            "Telefon für Hörbehinderte": "phone_15_value",
            "Telex": "phone_16_value",
            "E-Mail-Adresse": "email_business",
            "E-Mail-Typ": "",
            "E-Mail: angezeigter Name": "",
            "E-Mail 2: Adresse": "email_1_value",
            "E-Mail 2: Typ": "",
            "E-Mail 2: angezeigter Name": "",
            "E-Mail 3: Adresse": "email_2_value",
            "E-Mail 3: Typ": "",
            "E-Mail 3: angezeigter Name": "",
            "Notizen": "note",
            "Kategorien": "tags",
            "Webseite": "profile_website",
            **_ignored(
                "Abrechnungsinformation",
                "Assistent(in)",
                "Benutzer 1",
                "Benutzer 2",
                "Benutzer 3",
                "Benutzer 4",
                "Beruf",
                "Büro",
                "Empfohlen von",
                "Geburtstag",
                "Geschlecht",
                "Hobby",
                "Initialen",
                "Internet-Frei/Gebucht",
                "Internet Frei/Gebucht",
                "Jahrestag",
                "Kinder",
                "Konto",
                "Name Assistent",
                "Name des/der Vorgesetzten",
                "Organisationsnr.",
                "Organisations-Nr.",
                "Ort",
                "Partner",
                "Postfach geschäftlich",
                "Postfach privat",
                "Priorität",
                "Privat",
                "Regierungsnr.",
                "Regierungs-Nr.",
                "Reisekilometer",
                "Sprache",
                "Stichwörter",
                "Vertraulichkeit",
                "Verzeichnisserver",
                "Weiteres Postfach",
            ),
        }
    ),
    telling=("Straße geschäftlich", "Weitere Vornamen", "E-Mail 2: Adresse"),
)

OUTLOOK_EN = KnownExport(
    "outlook_en",
    _("Outlook export (English)"),
    _table(
        {
            "Title": "salutation",
            "First Name": "first_name",
            "Middle Name": "middle_name",
            "Last Name": "last_name",
            "Suffix": "",
            "Company": "company_name",
            "Department": "department",
            "Job Title": "position",
            "Business Street": "billing_street",
            "Business Street 2": "billing_supplement",
            "Business Street 3": "",
            "Business City": "billing_city",
            "Business State": "",
            "Business Postal Code": "billing_postal_code",
            "Business Country/Region": "billing_country",
            "Business Country": "billing_country",
            "Home Street": "other_address_street",
            "Home Street 2": "",
            "Home Street 3": "",
            "Home City": "other_address_city",
            "Home State": "",
            "Home Postal Code": "other_address_postal_code",
            "Home Country/Region": "other_address_country",
            "Home Country": "other_address_country",
            **_ignored(
                "Other Street",
                "Other Street 2",
                "Other Street 3",
                "Other City",
                "Other State",
                "Other Postal Code",
                "Other Country/Region",
                "Other Country",
            ),
            "Assistant's Phone": "phone_9_value",
            "Business Fax": "phone_fax",
            "Business Phone": "phone_business",
            "Business Phone 2": "phone_3_value",
            "Callback": "phone_12_value",
            "Car Phone": "phone_7_value",
            "Company Main Phone": "phone_6_value",
            "Home Fax": "phone_10_value",
            "Home Phone": "phone_1_value",
            "Home Phone 2": "phone_2_value",
            "ISDN": "phone_13_value",
            "Mobile Phone": "phone_mobile",
            "Other Fax": "phone_11_value",
            "Other Phone": "phone_4_value",
            "Pager": "phone_14_value",
            "Primary Phone": "phone_5_value",
            "Radio Phone": "phone_8_value",
            "TTY/TDD Phone": "phone_15_value",
            "Telex": "phone_16_value",
            "E-mail Address": "email_business",
            "E-mail Type": "",
            "E-mail Display Name": "",
            "E-mail 2 Address": "email_1_value",
            "E-mail 2 Type": "",
            "E-mail 2 Display Name": "",
            "E-mail 3 Address": "email_2_value",
            "E-mail 3 Type": "",
            "E-mail 3 Display Name": "",
            "Notes": "note",
            "Categories": "tags",
            "Web Page": "profile_website",
            **_ignored(
                "Account",
                "Anniversary",
                "Assistant's Name",
                "Billing Information",
                "Birthday",
                "Business Address PO Box",
                "Children",
                "Directory Server",
                "Gender",
                "Government ID Number",
                "Hobby",
                "Home Address PO Box",
                "Initials",
                "Internet Free Busy",
                "Keywords",
                "Language",
                "Location",
                "Manager's Name",
                "Mileage",
                "Office Location",
                "Organizational ID Number",
                "Other Address PO Box",
                "Priority",
                "Private",
                "Profession",
                "Referred By",
                "Sensitivity",
                "Spouse",
                "User 1",
                "User 2",
                "User 3",
                "User 4",
            ),
        }
    ),
    telling=("Business Street", "Middle Name", "E-mail 2 Address"),
)


def _google_numbered(kind: str, label: str, slots: int) -> dict[str, str]:
    """Google's numbered groups ("Phone 2 - Label", "Phone 2 - Value"); the first e-mail and
    phone of a contact go to labelled slots like the others, so that their label decides."""
    prefix = {"E-mail": "email", "Phone": "phone"}[kind]
    pairs: dict[str, str] = {}
    for n in range(1, slots + 1):
        pairs[f"{kind} {n} - {label}"] = f"{prefix}_{n}_label"
        pairs[f"{kind} {n} - Value"] = f"{prefix}_{n}_value"
    return pairs


def _google_address(label: str) -> dict[str, str]:
    return {
        f"Address 1 - {label}": "",
        "Address 1 - Formatted": "",
        "Address 1 - Street": "billing_street",
        "Address 1 - City": "billing_city",
        "Address 1 - PO Box": "",
        "Address 1 - Region": "",
        "Address 1 - Postal Code": "billing_postal_code",
        "Address 1 - Country": "billing_country",
        "Address 1 - Extended Address": "billing_supplement",
        f"Address 2 - {label}": "",
        "Address 2 - Formatted": "",
        "Address 2 - Street": "other_address_street",
        "Address 2 - City": "other_address_city",
        "Address 2 - PO Box": "",
        "Address 2 - Region": "",
        "Address 2 - Postal Code": "other_address_postal_code",
        "Address 2 - Country": "other_address_country",
        "Address 2 - Extended Address": "",
    }


# Google Contacts' "Export → Google CSV" since 2021.
GOOGLE = KnownExport(
    "google",
    _("Google Contacts export"),
    _table(
        {
            "First Name": "first_name",
            "Middle Name": "middle_name",
            "Last Name": "last_name",
            **_ignored(
                "Phonetic First Name",
                "Phonetic Middle Name",
                "Phonetic Last Name",
                "Name Suffix",
                "Nickname",
                "File As",
                "Birthday",
                "Photo",
                "Website 1 - Label",
                "Website 2 - Label",
                "Website 2 - Value",
                "Relation 1 - Label",
                "Relation 1 - Value",
                "Event 1 - Label",
                "Event 1 - Value",
                "Custom Field 1 - Label",
                "Custom Field 1 - Value",
            ),
            "Name Prefix": "title",
            "Organization Name": "company_name",
            "Organization Title": "position",
            "Organization Department": "department",
            "Notes": "note",
            "Labels": "tags",
            **_google_numbered("E-mail", "Label", EMAIL_SLOTS),
            **_google_numbered("Phone", "Label", PHONE_SLOTS),
            **_google_address("Label"),
            "Website 1 - Value": "profile_website",
        }
    ),
    telling=("Organization Name", "Labels", "E-mail 1 - Label", "Phone 1 - Label"),
)

# Google Contacts' export before 2021 ("Google CSV" of the old contacts page).
GOOGLE_OLD = KnownExport(
    "google_old",
    _("Google Contacts export (older format)"),
    _table(
        {
            "Name": "",
            "Given Name": "first_name",
            "Additional Name": "middle_name",
            "Family Name": "last_name",
            **_ignored(
                "Yomi Name",
                "Given Name Yomi",
                "Additional Name Yomi",
                "Family Name Yomi",
                "Name Suffix",
                "Initials",
                "Nickname",
                "Short Name",
                "Maiden Name",
                "Birthday",
                "Gender",
                "Location",
                "Billing Information",
                "Directory Server",
                "Mileage",
                "Occupation",
                "Hobby",
                "Sensitivity",
                "Priority",
                "Subject",
                "Language",
                "Photo",
                "Organization 1 - Type",
                "Organization 1 - Yomi Name",
                "Organization 1 - Symbol",
                "Organization 1 - Location",
                "Organization 1 - Job Description",
                "Website 1 - Type",
            ),
            "Name Prefix": "title",
            "Notes": "note",
            "Group Membership": "tags",
            **_google_numbered("E-mail", "Type", EMAIL_SLOTS),
            **_google_numbered("Phone", "Type", PHONE_SLOTS),
            **_google_address("Type"),
            "Organization 1 - Name": "company_name",
            "Organization 1 - Title": "position",
            "Organization 1 - Department": "department",
            "Website 1 - Value": "profile_website",
        }
    ),
    telling=("Given Name", "Group Membership", "E-mail 1 - Type"),
)


def _lexoffice_person(n: int) -> dict[str, str]:
    de = f"Ansprechpartner {n}"
    return {
        f"{de} Anrede": f"person{n}_salutation",
        f"{de} Vorname": f"person{n}_first_name",
        f"{de} Nachname": f"person{n}_last_name",
        f"{de} E-Mail": f"person{n}_email",
        f"{de} Telefon": f"person{n}_phone",
    }


# lexoffice's contact export: both numbers, and the addresses and numbers counted 1 and 2.
LEXOFFICE = KnownExport(
    "lexoffice",
    _("lexoffice contact export"),
    _table(
        {
            "Kundennummer": NUMBER,
            "Lieferantennummer": NUMBER,
            "Firmenname": "company_name",
            "Anrede": "salutation",
            "Kontakt": "",
            "Vorname": "first_name",
            "Nachname": "last_name",
            "Steuernummer": "tax_number",
            "Umsatzsteuer ID": "vat_id",
            "Adresszusatz 1": "billing_supplement",
            "Straße 1": "billing_street",
            "PLZ 1": "billing_postal_code",
            "Ort 1": "billing_city",
            "Land 1": "billing_country",
            "Adresszusatz 2": "shipping_supplement",
            "Straße 2": "shipping_street",
            "PLZ 2": "shipping_postal_code",
            "Ort 2": "shipping_city",
            "Land 2": "shipping_country",
            "Telefon 1": "phone_business",
            "Telefon 2": "phone_other",
            "E-Mail 1": "email_business",
            "E-Mail 2": "email_other",
            **_lexoffice_person(1),
            **_lexoffice_person(2),
        }
    ),
    telling=("Straße 1", "PLZ 1", "E-Mail 1", "Telefon 1"),
)

TABLES = (OUTLOOK_DE, OUTLOOK_EN, GOOGLE, GOOGLE_OLD, LEXOFFICE)


def _own_export(target: ImportTarget, language: str) -> KnownExport:
    """Kontor's own export (and its template) in one language: its columns' names."""
    table = {normalize_header(getattr(column, language)): column.key for column in target.columns}
    label = (
        _("Kontor export or template (English)")
        if language == "en"
        else _("Kontor export or template (German)")
    )
    return KnownExport(f"kontor_{language}", label, table)


def _lexoffice_template(target: ImportTarget) -> KnownExport:
    """lexoffice's template ("Mustervorlage"): Kontor's German names, which are lexoffice's."""
    table = {normalize_header(column.de): column.key for column in target.columns}
    return KnownExport("lexoffice_template", _("lexoffice template"), table)


def recognise(headers: Sequence[str], target: ImportTarget) -> KnownExport | None:
    """The export the file's header row is from, or None."""
    if not target.recognises_exports:
        return None
    names = [normalize_header(h) for h in headers if h.strip()]
    if len(names) < MIN_HEADERS:
        return None
    own_keys = {column.key for column in target.columns}
    candidates = [
        *TABLES,
        # Kontor's own files have (nearly) all of its columns; the lexoffice template only
        # some of them, with the same German names.
        *(
            table
            for table in (_own_export(target, "de"), _own_export(target, "en"))
            if sum(1 for name in names if name in table.table) >= SHARE * len(own_keys)
        ),
        _lexoffice_template(target),
    ]
    for export in candidates:
        known = sum(1 for name in names if name in export.table)
        telling = not export.telling or any(normalize_header(t) in names for t in export.telling)
        if telling and known >= SHARE * len(names):
            return export
    return None


def initial_mapping(
    headers: Sequence[str],
    target: ImportTarget,
    saved: dict[str, str] | None = None,
    *,
    recognise_exports: bool = True,
) -> tuple[list[str], KnownExport | None]:
    """The column assignment an upload starts with, and the export it was recognised as.

    The organization's saved assignment wins, then the recognised export's table (which
    also keeps out what it leaves out on purpose, whatever its name resembles), then Kontor's
    own names (`checking.auto_mapping`). No column is assigned twice. A vCard file's rows
    (`importer.vcards`) carry Kontor's own headers: nothing to recognise there.
    """
    export = recognise(headers, target) if recognise_exports else None
    columns = target.import_columns_for(headers)
    if export is None:
        return auto_mapping(headers, columns, saved), None
    valid = {column.key for column in columns}
    index = column_index(list(columns))
    used: set[str] = set()
    mapping: list[str] = []
    for header in headers:
        name = normalize_header(header)
        remembered = (saved or {}).get(name)
        from_table = export.key_for(header, target)
        if remembered in valid and remembered not in used:
            key = remembered
        elif from_table is not None:
            key = from_table if from_table in valid and from_table not in used else ""
        elif name in index and index[name].key not in used:
            key = index[name].key
        else:
            key = ""
        if key:
            used.add(key)
        mapping.append(key)
    return mapping, export


def suggestions(
    headers: Sequence[str],
    mapping: Sequence[str],
    columns: Sequence[Column],
    export: KnownExport | None = None,
) -> dict[int, Column]:
    """For each file column not assigned, the Kontor column whose name is most like its
    header (folded; each column suggested once, none already assigned), if one is alike
    enough; none for a header the recognised `export` leaves out on purpose. By the file
    column's index."""
    used = set(mapping)
    names: dict[str, Column] = {}
    for column in columns:
        if column.key in used:
            continue
        for name in column.names():
            folded = fold(normalize_header(name))
            if len(folded) >= SUGGESTION_MIN_LENGTH:
                names.setdefault(folded, column)
    found: dict[int, Column] = {}
    for index, header in enumerate(headers):
        if (index < len(mapping) and mapping[index]) or not header.strip():
            continue
        if export is not None and normalize_header(header) in export.table:
            continue
        best = process.extractOne(
            fold(normalize_header(header)),
            list(names),
            scorer=fuzz.WRatio,
            score_cutoff=SUGGESTION_SCORE,
        )
        if best is None:
            continue
        column = names[best[0]]
        if column.key in used:
            continue
        used.add(column.key)
        found[index] = column
    return found
