"""Bad input through the import pages: every file is uploaded as bob would upload it.

A file that cannot be imported is refused with a message naming what is wrong (400, or 413 for a
file over the limit) and nothing is kept. A file that can be read goes on through the column
page to the preview, where each bad row shows its line, column, value and message; the database
holds nothing until bob confirms, and then only the valid rows.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contacts_app.models import Contact, ContactPerson, Note, WebProfile
from contacts_app.services import create_contact
from importer import services
from importer.models import ImportRun
from importer.reading import MAX_BYTES

FIXTURES = Path(__file__).parent / "fixtures"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

BINARY = (
    "This is not a CSV file: it contains binary data (an image, a PDF or similar). "
    "Please upload a CSV file."
)
# A file that begins like a workbook but is none (a renamed or cut-off file).
DAMAGED_WORKBOOK = (
    "The file is a damaged workbook: it cannot be opened. Open it in your spreadsheet program, "
    "save it again and upload it once more."
)
BLANK = "The file contains only blank lines and no data."
FORMULA = "Starts like a spreadsheet formula: imported as the text it is, nothing is calculated."
NO_NAME = "Each row needs a company name (for a company) or a last name (for a person)."
UNKNOWN_COUNTRY = "Unknown country “%s”. Write the country’s name or its code, like DE or AT."


# --- helpers ---------------------------------------------------------------------------------


def csv_bytes(*lines: str, encoding: str = "utf-8", ending: str = "\r\n") -> bytes:
    return ending.join([*lines, ""]).encode(encoding)


def upload(client, data: bytes, name: str = "kunden.csv"):
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post("/import/customers/upload/", {"file": file}, **EN)


def upload_errors(response) -> list[str]:
    found = re.findall(r'data-testid="upload-error">(.*?)</div>', response.content.decode(), re.S)
    return [" ".join(unescape(text).split()) for text in found]


class _Tables(HTMLParser):
    """The cells of every table with a data-testid, as the user reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: str | None = None

    def handle_starttag(self, tag, attrs):
        testid = dict(attrs).get("data-testid")
        if tag == "table" and testid:
            self._table = testid
            self.tables[testid] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self._row.append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


@dataclass
class Preview:
    run: ImportRun
    html: str
    counts: dict[str, int]
    errors: list[tuple[str, ...]]  # (line, column, value, problem)
    rows: list[tuple[str, ...]]  # (line, action, the mapped values…)
    notices: list[tuple[str, ...]]  # (line, column, value, notice)


def preview(client, data: bytes, *, on_duplicate: str = "update") -> Preview:
    """Upload `data`, keep the automatic column assignment and open the preview."""
    response = upload(client, data)
    assert response.status_code == 302, upload_errors(response)
    run = ImportRun.objects.latest("pk")
    assert client.get(response["Location"], **EN).status_code == 200
    form = {f"col_{i}": key for i, key in enumerate(run.mapping)} | {"on_duplicate": on_duplicate}
    checked = client.post(response["Location"], form, **EN)
    assert checked.status_code == 302
    assert checked["Location"] == f"/import/runs/{run.pk}/preview/"
    page = client.get(checked["Location"], **EN)
    assert page.status_code == 200
    html = page.content.decode()
    parser = _Tables()
    parser.feed(html)
    return Preview(
        run=run,
        html=html,
        counts={k: int(v) for k, v in re.findall(r'data-count="(\w+)">(\d+)<', html)},
        errors=[tuple(row) for row in parser.tables.get("errors", [])],
        rows=[tuple(row) for row in parser.tables.get("preview-rows", [])],
        notices=[tuple(row) for row in parser.tables.get("notices", [])],
    )


def confirm(client, run: ImportRun) -> str:
    response = client.post(f"/import/runs/{run.pk}/confirm/", **EN)
    assert response["Location"] == f"/import/runs/{run.pk}/"
    return client.get(response["Location"], **EN).content.decode()


def counts(new=0, update=0, unchanged=0, skip=0, invalid=0) -> dict[str, int]:
    return {"new": new, "update": update, "unchanged": unchanged, "skip": skip, "invalid": invalid}


def names(org) -> list[str]:
    return sorted(str(c) for c in Contact.objects.filter(organization=org))


# --- files refused as a whole ----------------------------------------------------------------


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
    return out.getvalue()


REFUSED = {
    "nul-bytes": (
        b"Firmenname;Ort\r\nM\x00\x00ller GmbH;K\x00ln\r\nA\x00B\x00C\x00;\x00\r\n",
        BINARY,
    ),
    "only-delimiters": (
        b";;;;\r\n;;;;\r\n;;;;\r\n",
        "The first line of the file must contain the column names, but it is empty or "
        "contains only delimiters.",
    ),
    "5000-columns": (
        csv_bytes(";".join(f"Spalte {i}" for i in range(5000)), ";".join("x" * 5000)),
        "The file has 5,000 columns; at most 200 are allowed.",
    ),
    "1-mb-cell": (
        b"Firmenname;Notiz\r\nA GmbH;" + b"x" * 1_000_000 + b"\r\n",
        "The cell in line 2, column 2 is longer than 10,000 characters.",
    ),
    "duplicate-headers": (
        csv_bytes("Firmenname;Ort;PLZ;ort", "A GmbH;Ulm;89073;Ulm"),
        "The column “ort” appears more than once (columns 2 and 4). "
        "Each column needs a name of its own.",
    ),
    "no-header-row": (
        csv_bytes("10001;Meyer GmbH;Berlin;10115", "10002;Schulz AG;Ulm;89073"),
        "The first line should contain the column names, but it looks like data (“10001”). "
        "Add a line with the column names at the top; the template shows them.",
    ),
    "no-header-row-email": (
        csv_bytes("Meyer GmbH;info@meyer.example", "Schulz AG;info@schulz.example"),
        "The first line should contain the column names, but it looks like data "
        "(“info@meyer.example”). Add a line with the column names at the top; the template "
        "shows them.",
    ),
    "xlsx-without-sheets-parts": (xlsx_bytes(), DAMAGED_WORKBOOK),
    "xls-signature-only": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, DAMAGED_WORKBOOK),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", BINARY),
    "png-sample": ((FIXTURES / "bad-binary.csv").read_bytes(), BINARY),
    "empty": (b"", "The submitted file is empty."),
    "whitespace-only": (b"  \r\n\t\r\n   \r\n\r\n", BLANK),
    "sep-line-only": (b"sep=;\r\n\r\n", BLANK),
    "header-only": (
        csv_bytes("Kundennummer;Firmenname;Ort"),
        "The file has a header line but no data rows.",
    ),
    "unclosed-quote": (
        csv_bytes("Firmenname;Notiz", 'A GmbH;"Zahlt spät', "B GmbH;ok"),
        "A quotation mark in the cell on line 2 is opened but never closed, so the rest of the "
        "file would end up in that one cell. Check the quotation marks.",
    ),
    "utf16-without-bom-cut-off": ("Firmenname\r\nMüller".encode("utf-16-le")[:-1], BINARY),
}


@pytest.mark.parametrize("data, message", REFUSED.values(), ids=REFUSED.keys())
def test_a_file_that_cannot_be_imported_is_refused_with_a_message(bob_client, data, message):
    response = upload(bob_client, data)
    assert response.status_code == 400
    assert upload_errors(response) == [message]
    assert not ImportRun.objects.exists()
    assert not Contact.objects.exists()


def test_the_limit_is_exactly_2_mib_and_one_byte_more_is_refused(bob_client):
    row = b"Beispiel GmbH\r\n"
    data = b"Firmenname\r\n" + row * ((MAX_BYTES - 12) // len(row))
    data += b"X" * (MAX_BYTES - len(data))
    assert len(data) == MAX_BYTES == 2_097_152
    assert upload(bob_client, data).status_code == 302
    ImportRun.objects.all().delete()

    response = upload(bob_client, data + b"X")
    assert response.status_code == 413
    assert upload_errors(response) == [
        "The file is larger than 2 MB (2,097,152 bytes). Split it into smaller files and "
        "import them one after the other."
    ]
    assert not ImportRun.objects.exists()
    assert not Contact.objects.exists()


# --- files read intact -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, encoding",
    [
        ("\ufeffFirmenname;Ort\r\nMüller & Söhne GmbH;Köln\r\n".encode("utf-16-le"), "UTF-16 LE"),
        ("\ufeffFirmenname;Ort\r\nMüller & Söhne GmbH;Köln\r\n".encode("utf-16-be"), "UTF-16 BE"),
        ("Firmenname;Ort\r\nMüller & Söhne GmbH;Köln\r\n".encode("utf-16-le"), "UTF-16 LE"),
        ("Firmenname;Ort\r\nMüller & Söhne GmbH;Köln\r\n".encode("utf-16-be"), "UTF-16 BE"),
    ],
    ids=["utf16-le-bom", "utf16-be-bom", "utf16-le-no-bom", "utf16-be-no-bom"],
)
def test_utf16_with_and_without_bom_keeps_the_umlauts(bob_client, acme, data, encoding):
    shown = preview(bob_client, data)
    columns = bob_client.get(f"/import/runs/{shown.run.pk}/columns/", **EN).content.decode()
    assert f'data-testid="encoding">{encoding}<' in columns
    assert shown.rows == [("2", "new", "Müller & Söhne GmbH", "Köln")]
    confirm(bob_client, shown.run)
    contact = Contact.objects.get(organization=acme)
    assert (contact.company_name, contact.billing_city) == ("Müller & Söhne GmbH", "Köln")


def test_windows_1252_keeps_quotes_dashes_and_the_euro_sign(bob_client, acme):
    data = csv_bytes(
        "Firmenname;Ort;Notiz",
        "Bäckerei „Zum Glück“ GmbH;Würzburg;Rabatt 5 € – ab 100 €",
        encoding="cp1252",
    )
    shown = preview(bob_client, data)
    columns = bob_client.get(f"/import/runs/{shown.run.pk}/columns/", **EN).content.decode()
    assert 'data-testid="encoding">Windows-1252 (Western European)<' in columns
    assert shown.errors == []
    confirm(bob_client, shown.run)
    contact = Contact.objects.get(organization=acme)
    assert contact.company_name == "Bäckerei „Zum Glück“ GmbH"
    assert contact.notes.get().text == "Rabatt 5 € – ab 100 €"


def test_polish_letters_in_utf8_survive(bob_client, acme):
    data = csv_bytes("Firmenname;Ort;Land", "Łódź Meble Sp. z o.o.;Łódź;Polen")
    shown = preview(bob_client, data)
    assert shown.rows == [("2", "new", "Łódź Meble Sp. z o.o.", "Łódź", "PL")]
    confirm(bob_client, shown.run)
    contact = Contact.objects.get(organization=acme)
    assert (contact.company_name, contact.billing_city, contact.billing_country.code) == (
        "Łódź Meble Sp. z o.o.",
        "Łódź",
        "PL",
    )


def test_quoted_cells_keep_delimiters_quotes_and_line_breaks(bob_client, acme):
    data = csv_bytes(
        "Firmenname;Notiz;Ort",
        '"Müller; Söhne GmbH";"Zeile 1',
        'Zeile 2; mit ""Zitat""";Ulm',
        "Nächste GmbH;;=Ulm",
    )
    shown = preview(bob_client, data)
    assert shown.counts == counts(new=2)
    # The second record starts on line 4: the line break inside the quotes counts.
    assert shown.notices == [("4", "City", "=Ulm", FORMULA)]
    confirm(bob_client, shown.run)
    contact = Contact.objects.get(organization=acme, billing_city="Ulm")
    assert contact.company_name == "Müller; Söhne GmbH"
    assert contact.notes.get().text == 'Zeile 1\nZeile 2; mit "Zitat"'


@pytest.mark.parametrize(
    "data",
    [
        csv_bytes("sep=,", "Firmenname,Ort", "A; B GmbH,Ulm", ",Bonn"),
        csv_bytes('"sep=,"', "Firmenname,Ort", "A; B GmbH,Ulm", ",Bonn"),
        csv_bytes("Firmenname,Ort", "", "A; B GmbH,Ulm", ",Bonn", ending="\r"),
    ],
    ids=["sep-line", "quoted-sep-line", "cr-line-endings"],
)
def test_the_sep_line_and_cr_endings_keep_the_line_numbers(bob_client, acme, data):
    shown = preview(bob_client, data)
    assert shown.counts == counts(new=1, invalid=1)
    assert shown.rows == [("3", "new", "A; B GmbH", "Ulm")]
    assert shown.errors == [("4", "Company name", "", NO_NAME)]
    assert not Contact.objects.exists()
    confirm(bob_client, shown.run)
    assert names(acme) == ["A; B GmbH"]


def test_markup_in_headers_and_cells_is_shown_as_text(bob_client):
    data = csv_bytes(
        "Firmenname;<img src=x onerror=alert(1)>;Land",
        "<script>alert(1)</script> GmbH;x;<b>Narnia</b>",
    )
    shown = preview(bob_client, data)
    columns = bob_client.get(f"/import/runs/{shown.run.pk}/columns/", **EN).content.decode()
    for page in (columns, shown.html):
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>Narnia" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in columns
    assert shown.errors == [("2", "Country", "<b>Narnia</b>", UNKNOWN_COUNTRY % "<b>Narnia</b>")]


# --- rows with bad values --------------------------------------------------------------------

BAD_ROWS = {
    "numbers-out-of-range": (
        ["Kundennummer;Firmenname", "9999;A GmbH", "70000;B GmbH", "10000;C GmbH"],
        [
            ("2", "Customer number", "9999", "Must be between 10000 and 69999."),
            ("3", "Customer number", "70000", "Must be between 10000 and 69999."),
        ],
    ),
    "numbers-not-numeric": (
        ["Kundennummer;Firmenname", "1OOO1;A GmbH", "10.001;B GmbH", "-10002;C GmbH", "10003;D"],
        [
            ("2", "Customer number", "1OOO1", "Not a whole number."),
            ("3", "Customer number", "10.001", "Not a whole number."),
            ("4", "Customer number", "-10002", "Not a whole number."),
        ],
    ),
    "number-with-superscript-digit": (
        ["Kundennummer;Firmenname", "10000²;A GmbH", "10001;B GmbH"],
        [("2", "Customer number", "10000²", "Not a whole number.")],
    ),
    "duplicate-numbers-in-the-file": (
        ["Kundennummer;Firmenname", "10500;Erste GmbH", "10 500;Zweite GmbH", "10501;Dritte"],
        [
            (
                "3",
                "Customer number",
                "10500",
                "The same number is already in line 2 of this file.",
            )
        ],
    ),
    "invalid-emails": (
        ["Firmenname;E-Mail", "A GmbH;info@@a.example", "B GmbH;info at b.de", "C GmbH;c@c.de"],
        [
            ("2", "Email", "info@@a.example", "Not a valid e-mail address."),
            ("3", "Email", "info at b.de", "Not a valid e-mail address."),
        ],
    ),
    "unknown-countries": (
        ["Firmenname;Land", "A GmbH;Narnia", "B GmbH;Österreich", "C GmbH;XX"],
        [
            ("2", "Country", "Narnia", UNKNOWN_COUNTRY % "Narnia"),
            ("4", "Country", "XX", UNKNOWN_COUNTRY % "XX"),
        ],
    ),
    "invalid-vat-ids": (
        [
            "Firmenname;USt-IdNr.",
            "A GmbH;DE12345678",
            "B GmbH;123456789",
            "C GmbH;ATU12345675",
            "D GmbH;DE123456789",
        ],
        [
            (
                "2",
                "VAT ID",
                "DE12345678",
                "“DE12345678” is not a valid VAT ID for DE: expected DE + 9 digits, "
                "like DE123456788.",
            ),
            (
                "3",
                "VAT ID",
                "123456789",
                "A VAT ID starts with a country code such as DE, AT or FR, like DE123456788; "
                "“123456789” does not.",
            ),
            (
                "5",
                "VAT ID",
                "DE123456789",
                "“DE123456789” is not a valid VAT ID for DE: the check digit does not match, "
                "a digit may be mistyped. Expected DE + 9 digits, like DE123456788.",
            ),
        ],
    ),
    "postal-code-wrong-for-germany": (
        [
            "Firmenname;PLZ;Ort;Land",
            "A GmbH;1234;Berlin;",
            "B GmbH;123456;Köln;Deutschland",
            "C GmbH;1010;Wien;Österreich",
            "D GmbH;10115;Berlin;DE",
        ],
        [
            (
                "2",
                "Postal code",
                "1234",
                "“1234” is not a postal code of Germany; it looks like 10115.",
            ),
            (
                "3",
                "Postal code",
                "123456",
                "“123456” is not a postal code of Germany; it looks like 10115.",
            ),
        ],
    ),
    "neither-company-nor-last-name": (
        ["Firmenname;Vorname;Nachname;Ort", ";Max;;Ulm", ";;;Bonn", ";Erika;Mustermann;Köln"],
        [("2", "Company name", "", NO_NAME), ("3", "Company name", "", NO_NAME)],
    ),
    "ragged-rows": (
        ["Firmenname;Ort;PLZ", "A GmbH;Ulm", "B GmbH;Ulm;89073;extra", "C GmbH;Ulm;89073;"],
        [
            ("2", "—", "", "This line has 2 cells, but the header has 3."),
            ("3", "—", "", "This line has 4 cells, but the header has 3."),
        ],
    ),
    "person-with-contact-person-columns": (
        [
            "Firmenname;Vorname;Nachname;Ansprechpartner 1 Vorname;Ansprechpartner 1 Nachname",
            ";Max;Meyer;Anna;Schulz",
            "Meyer GmbH;;;Anna;Schulz",
        ],
        [
            (
                "2",
                "Contact person 1 last name",
                "",
                "Only companies have contact persons: fill in the company name, or leave the "
                "contact person columns empty.",
            )
        ],
    ),
    "second-contact-person-without-last-name": (
        [
            "Firmenname;Ansprechpartner 2 Vorname;Ansprechpartner 2 Nachname",
            "A GmbH;Anna;",
            "B GmbH;Bernd;Brot",
        ],
        [("2", "Contact person 2 last name", "", "A contact person needs a last name.")],
    ),
    "too-long-values": (
        ["Firmenname;Anrede;Telefon", "A" * 201 + ";;", "B GmbH;" + "S" * 26 + ";", "C;;abc"],
        [
            ("2", "Company name", "A" * 59 + "…", "At most 200 characters allowed, this has 201."),
            (
                "3",
                "Salutation",
                "S" * 26,
                "A salutation has at most 25 characters; this one has 26.",
            ),
            (
                "4",
                "Phone",
                "abc",
                "“abc” is not a phone number: use digits, spaces and + ( ) - /, like "
                "+49 30 1234567.",
            ),
        ],
    ),
}


@pytest.mark.parametrize("lines, errors", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_bad_rows_are_listed_with_line_and_column_and_only_good_rows_are_imported(
    bob_client, acme, lines, errors
):
    shown = preview(bob_client, csv_bytes(*lines))
    assert shown.errors == errors
    bad_lines = {int(line) for line, *_rest in errors}
    good = len(lines) - 1 - len(bad_lines)
    assert shown.counts == counts(new=good, invalid=len(bad_lines))
    assert [int(row[0]) for row in shown.rows] == [
        line for line in range(2, len(lines) + 1) if line not in bad_lines
    ]
    assert not Contact.objects.exists()

    result = confirm(bob_client, shown.run)
    assert f"Import finished: {good} new, 0 updated, {len(bad_lines)} rows not imported." in result
    assert Contact.objects.filter(organization=acme).count() == good
    failed = bob_client.get(f"/import/runs/{shown.run.pk}/failed.csv").content.decode("utf-8-sig")
    assert len(failed.strip().split("\r\n")) == 1 + len(bad_lines)


def test_the_ragged_sample_gets_an_error_per_bad_row(bob_client, acme):
    shown = preview(bob_client, (FIXTURES / "bad-ragged.csv").read_bytes())
    assert shown.errors == [
        ("3", "—", "", "This line has 2 cells, but the header has 4."),
        ("4", "—", "", "This line has 6 cells, but the header has 4."),
    ]
    confirm(bob_client, shown.run)
    assert names(acme) == ["Bäckerei Kühn GmbH"]


def failed_rows(client, run: ImportRun) -> list[list[str]]:
    response = client.get(f"/import/runs/{run.pk}/failed.csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=run.delimiter))


def test_the_error_file_puts_each_reason_in_the_error_column(bob_client):
    shown = preview(
        bob_client, csv_bytes("Firmenname;Ort;PLZ", "A GmbH;Ulm", "B GmbH;Ulm;89073;extra;more")
    )
    confirm(bob_client, shown.run)
    header, *rows = failed_rows(bob_client, shown.run)
    assert header == ["Firmenname", "Ort", "PLZ", "Error"]
    reasons = [dict(zip(header, row, strict=False)).get("Error") for row in rows]
    assert reasons == [
        "line 2: This line has 2 cells, but the header has 3.",
        "line 3: This line has 5 cells, but the header has 3.",
    ]


def test_the_error_file_does_not_hand_formulas_to_a_spreadsheet(bob_client):
    shown = preview(
        bob_client,
        csv_bytes("Firmenname;Ort;E-Mail", '"=HYPERLINK(""http://x"")";@Ulm;kein-mail'),
    )
    confirm(bob_client, shown.run)
    header, row = failed_rows(bob_client, shown.run)
    assert row[:3] == ['\'=HYPERLINK("http://x")', "'@Ulm", "kein-mail"]
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_the_error_file_does_not_hand_a_formula_in_the_header_to_a_spreadsheet(bob_client):
    header = 'Firmenname;"=HYPERLINK(""http://x"",""Hilfe"")";@SUMME;-Rabatt'
    shown = preview(bob_client, csv_bytes(header, "A GmbH;1;2;3", ";1;2;3"))
    assert shown.counts == counts(new=1, invalid=1)
    confirm(bob_client, shown.run)
    names, *rows = failed_rows(bob_client, shown.run)
    assert names == [
        "Firmenname",
        '\'=HYPERLINK("http://x","Hilfe")',
        "'@SUMME",
        "'-Rabatt",
        "Error",
    ]
    assert [row[1:4] for row in rows] == [["1", "2", "3"]]


def test_a_cell_escaped_as_the_export_writes_it_is_imported_as_text(bob_client, acme):
    """The export writes "=1+1 Consulting" as "'=1+1 Consulting"; that must come back."""
    shown = preview(bob_client, csv_bytes("Firmenname", "'=1+1 Consulting"))
    assert shown.errors == []
    confirm(bob_client, shown.run)
    assert names(acme) == ["=1+1 Consulting"]


def test_a_web_address_that_gets_https_added_still_fits_the_database(bob_client, acme):
    address = "www.example.de/" + "a" * 285
    assert len(address) == 300
    shown = preview(bob_client, csv_bytes("Firmenname;Webseite", f"A GmbH;{address}"))
    if shown.counts["invalid"] == 0:
        confirm(bob_client, shown.run)
    limit = WebProfile._meta.get_field("value").max_length
    assert all(len(value) <= limit for value in WebProfile.objects.values_list("value", flat=True))


# --- numbers that are already taken ----------------------------------------------------------


@pytest.fixture
def alt_gmbh(acme, alice) -> Contact:
    return create_contact(
        organization=acme,
        by=alice,
        data={
            "kind": "company",
            "company_name": "Alt GmbH",
            "customer_number": 10007,
            "billing_city": "Ulm",
        },
    )


def state(contact: Contact) -> tuple[str, str, int]:
    contact.refresh_from_db()
    return contact.company_name, contact.billing_city, contact.version


EXISTING = csv_bytes("Kundennummer;Firmenname;Ort", "10007;Alt GmbH;Köln", "10008;Andere AG;Bonn")


def test_an_existing_number_is_updated_when_bob_chooses_update(bob_client, acme, alt_gmbh):
    shown = preview(bob_client, EXISTING, on_duplicate="update")
    assert shown.counts == counts(new=1, update=1)
    assert shown.rows == [
        ("2", "update", "10007", "Alt GmbH", "Köln"),
        ("3", "new", "10008", "Andere AG", "Bonn"),
    ]
    assert state(alt_gmbh) == ("Alt GmbH", "Ulm", 1)
    confirm(bob_client, shown.run)
    assert state(alt_gmbh) == ("Alt GmbH", "Köln", 2)
    assert names(acme) == ["Alt GmbH", "Andere AG"]


def test_an_existing_number_is_left_alone_when_bob_chooses_skip(bob_client, acme, alt_gmbh):
    shown = preview(bob_client, EXISTING, on_duplicate="skip")
    assert shown.counts == counts(new=1, skip=1)
    assert shown.errors == []
    confirm(bob_client, shown.run)
    assert state(alt_gmbh) == ("Alt GmbH", "Ulm", 1)
    assert names(acme) == ["Alt GmbH", "Andere AG"]


def test_an_existing_number_of_a_person_cannot_become_a_company(bob_client, acme, alice):
    create_contact(
        organization=acme,
        by=alice,
        data={"kind": "person", "last_name": "Mustermann", "customer_number": 10009},
    )
    shown = preview(bob_client, csv_bytes("Kundennummer;Firmenname", "10009;Mustermann GmbH"))
    # Another kind is another contact: left alone unless bob says otherwise.
    assert shown.counts == counts(skip=1)
    chosen = bob_client.post(f"/import/runs/{shown.run.pk}/choices/", {"row_2": "update"}, **EN)
    assert chosen["Location"] == f"/import/runs/{shown.run.pk}/preview/"
    page = bob_client.get(chosen["Location"], **EN).content.decode()
    assert "This number belongs to an existing person; a row cannot make it a company." in page
    assert 'data-count="invalid">1<' in page
    confirm(bob_client, shown.run)
    assert names(acme) == ["Mustermann"]


def test_a_number_another_organization_uses_is_new_here(bob_client, acme, globex, charlie):
    theirs = create_contact(
        organization=globex,
        by=charlie,
        data={"kind": "company", "company_name": "Globex Kunde", "customer_number": 10007},
    )
    shown = preview(bob_client, EXISTING)
    assert shown.counts == counts(new=2)
    confirm(bob_client, shown.run)
    theirs.refresh_from_db()
    assert (theirs.company_name, theirs.version) == ("Globex Kunde", 1)
    assert names(acme) == ["Alt GmbH", "Andere AG"]
    assert names(globex) == ["Globex Kunde"]


def test_rows_without_a_number_after_the_highest_number_do_not_break_the_import(bob_client, acme):
    data = csv_bytes("Kundennummer;Firmenname", "69999;Letzte GmbH", ";Ohne Nummer GmbH")
    shown = preview(bob_client, data)
    confirm(bob_client, shown.run)
    numbers = Contact.objects.filter(organization=acme).values_list("customer_number", flat=True)
    assert all(10000 <= number <= 69999 for number in numbers)


def test_one_target_for_two_columns_is_refused_on_the_column_page(bob_client):
    response = upload(bob_client, csv_bytes("Firma;Firmenname", "A GmbH;B GmbH"))
    run = ImportRun.objects.get()
    page = bob_client.post(
        response["Location"],
        {"col_0": "company_name", "col_1": "company_name", "on_duplicate": "update"},
        **EN,
    )
    assert page.status_code == 200
    assert "This target is already assigned to the column “Firma”." in unescape(
        page.content.decode()
    )
    run.refresh_from_db()
    assert run.mapping == ["", "company_name"]
    assert not Contact.objects.exists()


# --- addresses that do not lead to an import of bob's ----------------------------------------

RUN_URLS = [
    ("get", ""),
    ("get", "columns/"),
    ("get", "preview/"),
    ("get", "failed.csv"),
    ("post", "columns/"),
    ("post", "reading/"),
    ("post", "confirm/"),
    ("post", "undo/"),
    ("post", "discard/"),
]


@pytest.mark.parametrize("pk", ["abc", "-1", "1.5", "1e3", "0x1", "%20", "１", "9" * 30])
def test_a_malformed_run_id_is_404(bob_client, pk):
    for method, suffix in RUN_URLS:
        response = getattr(bob_client, method)(f"/import/runs/{pk}/{suffix}", **EN)
        assert response.status_code == 404, (method, suffix)


def test_a_run_of_another_organization_is_404_and_stays_untouched(bob_client, globex, charlie):
    theirs, _parsed = services.start_import(
        organization=globex,
        target="customers",
        file_name="globex.csv",
        data=csv_bytes("Firmenname", "Globex Kunde GmbH"),
        by=charlie,
    )
    for method, suffix in RUN_URLS:
        response = getattr(bob_client, method)(f"/import/runs/{theirs.pk}/{suffix}", **EN)
        assert response.status_code == 404, (method, suffix)
    theirs.refresh_from_db()
    assert theirs.status == ImportRun.Status.DRAFT and theirs.file_data
    assert not Contact.objects.exists()


# --- confirming more than once, or what was discarded ----------------------------------------


def test_a_second_confirm_imports_nothing_twice(bob_client, acme):
    shown = preview(bob_client, csv_bytes("Firmenname;Notiz", "Eins GmbH;Erste Notiz"))
    confirm(bob_client, shown.run)
    again = confirm(bob_client, shown.run)
    assert "This file has already been imported." in again
    assert names(acme) == ["Eins GmbH"]
    assert Note.objects.count() == 1


def test_a_discarded_upload_cannot_be_confirmed(bob_client, acme):
    shown = preview(bob_client, csv_bytes("Firmenname", "Eins GmbH"))
    discarded = bob_client.post(f"/import/runs/{shown.run.pk}/discard/", **EN)
    assert discarded["Location"] == "/import/"
    page = confirm(bob_client, shown.run)
    assert "The uploaded file is no longer there. Please upload it again." in page
    assert not Contact.objects.exists()
    assert not ContactPerson.objects.exists()
