"""Excel and OpenDocument workbooks upload like CSV files: read as a person sees their cells,
checked, previewed, imported, undone; damaged, hostile and encrypted ones are refused with a
message, never a 500."""

from __future__ import annotations

import datetime
import io
import re
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from contacts_app.models import Contact
from history.models import ChangeSet, Source
from importer import services
from importer.formats import read_upload
from importer.models import ImportRun
from importer.reading import ImportFileError
from tests.contacts.conftest import make_company
from tests.importer.test_bad_input import EN, confirm, preview, upload, upload_errors
from tests.importer.workbook_files import (
    encrypted_workbook,
    ods,
    replaced_part,
    sheet_xml,
    xlsx,
)

FILES = Path(__file__).parent / "files"
pytestmark = pytest.mark.django_db

HEADERS = ["Kundennummer", "Firmenname", "Straße", "PLZ", "Ort", "Land", "Notiz"]
CUSTOMERS = [
    HEADERS,
    [10001, "Bäckerei Müller GmbH", "Königsbrücker Straße 5", 1067, "Dresden", "Deutschland",
     datetime.date(2024, 3, 5)],
    [10002, "Schäfer & Söhne KG", "Maximilianstraße 1", 80331, "München", None, "Stammkunde"],
    [10003, "Wiener Grüße GmbH", "Graben 1", 1010, "Wien", "Österreich", True],
]  # fmt: skip


def customers_workbook(**sheets) -> bytes:
    return xlsx({"Kunden": CUSTOMERS, **sheets}, title={"Kunden": "Kundenliste 2026"})


def refusal(data: bytes) -> ImportFileError:
    with translation.override("en"), pytest.raises(ImportFileError) as caught:
        read_upload(data)
    return caught.value


# --- reading ---------------------------------------------------------------------------------


def test_cells_read_as_the_text_a_person_sees_below_the_title_row():
    data = xlsx(
        {
            "Kunden": [
                ["Kundennummer", "Firmenname", "Seit", "Aktiv", "Umsatz", "Doppelt"],
                [10001, "Bäckerei Müller", datetime.date(2024, 3, 5), True, 1234.5,
                 ("=A3*2", 20002)],
                [10002, "Schäfer KG", datetime.datetime(2024, 3, 5, 14, 30), False, 0.1 + 0.2,
                 None],
                [None, None, None, None, None, None],
            ]
        },
        title={"Kunden": "Kundenliste 2026"},
    )  # fmt: skip
    with translation.override("de"):
        parsed = read_upload(data)
    assert (parsed.kind, parsed.sheet, parsed.sheets) == ("xlsx", "Kunden", ["Kunden"])
    assert parsed.header_line == 2  # the title in row 1 is passed over
    assert parsed.headers == ["Kundennummer", "Firmenname", "Seit", "Aktiv", "Umsatz", "Doppelt"]
    assert [(row.line, row.cells) for row in parsed.rows] == [
        (3, ["10001", "Bäckerei Müller", "05.03.2024", "WAHR", "1234,5", "20002"]),
        (4, ["10002", "Schäfer KG", "05.03.2024 14:30", "FALSCH", "0,3", ""]),
    ]
    assert (parsed.encoding, parsed.delimiter) == ("", "")


def test_empty_trailing_rows_and_columns_are_dropped():
    rows = [["Firmenname", "Ort", None, None], ["A GmbH", "Ulm", None, ""], [None] * 4, [""] * 4]
    parsed = read_upload(xlsx({"Kunden": rows}))
    assert parsed.headers == ["Firmenname", "Ort"]
    assert [row.cells for row in parsed.rows] == [["A GmbH", "Ulm"]]


def test_lines_are_the_sheets_row_numbers_where_the_table_starts_further_down():
    rows = [[], [], [], [None, "Firmenname", "Ort"], [None, "A GmbH", "Ulm"], [], [None, "B AG"]]
    parsed = read_upload(xlsx({"Kunden": rows}))
    assert (parsed.header_line, parsed.headers) == (4, ["Firmenname", "Ort"])
    assert [(row.line, row.cells) for row in parsed.rows] == [
        (5, ["A GmbH", "Ulm"]),
        (7, ["B AG", ""]),
    ]


def test_an_excel_97_workbook_and_an_opendocument_spreadsheet_are_read_alike():
    xls = read_upload((FILES / "kunden-excel97.xls").read_bytes())
    spreadsheet = read_upload(
        ods({"Kunden": [["Kundenliste 2026"], HEADERS[:5] + ["Notiz"], *[
            row[:5] + [row[6]] for row in CUSTOMERS[1:3]
        ]]})
    )  # fmt: skip
    for parsed, kind in ((xls, "xls"), (spreadsheet, "ods")):
        assert (parsed.kind, parsed.sheet, parsed.header_line) == (kind, "Kunden", 2)
        assert parsed.rows[0].cells[:4] == ["10001", "Bäckerei Müller GmbH"] + (
            ["1067", "Dresden"] if kind == "xls" else ["Königsbrücker Straße 5", "1067"]
        )
    assert xls.rows[0].cells[4] == "05.03.2024"
    assert xls.sheets == ["Kunden", "Leer"]


def test_the_content_decides_not_the_file_name(bob_client):
    response = upload(bob_client, customers_workbook(), name="kunden.csv")
    assert response.status_code == 302, upload_errors(response)
    run = ImportRun.objects.get()
    assert (run.sheet, run.encoding, run.delimiter) == ("Kunden", "", "")

    csv = b"Firmenname;Ort\r\nA GmbH;Ulm\r\n"
    response = upload(bob_client, csv, name="kunden.xlsx")
    assert response.status_code == 302, upload_errors(response)
    assert ImportRun.objects.latest("pk").delimiter == ";"


# --- through the pages -----------------------------------------------------------------------


def test_a_workbook_of_customers_is_imported_with_its_postal_codes_and_umlauts(bob_client, acme):
    page = bob_client.get(
        upload(bob_client, customers_workbook(), name="Kunden 2026.xlsx")["Location"], **EN
    ).content.decode()
    assert "Excel workbook, sheet “Kunden”" in page
    assert "column names in row 2" in page
    assert 'name="encoding"' not in page and 'name="delimiter"' not in page
    assert 'data-testid="sheet-form"' not in page  # one sheet: nothing to choose

    shown = preview(bob_client, customers_workbook())
    assert shown.counts["new"] == 3 and shown.counts["invalid"] == 0, shown.errors
    assert "Read from the sheet “Kunden”." in shown.html
    confirm(bob_client, shown.run)

    contacts = {c.customer_number: c for c in Contact.objects.filter(organization=acme)}
    mueller, schaefer, wien = contacts[10001], contacts[10002], contacts[10003]
    assert mueller.company_name == "Bäckerei Müller GmbH"
    assert mueller.billing_street == "Königsbrücker Straße 5"
    # Excel kept 01067 as the number 1067: a German address gets its leading zero back.
    assert (mueller.billing_postal_code, mueller.billing_country.code) == ("01067", "DE")
    assert schaefer.billing_postal_code == "80331"
    assert (wien.billing_postal_code, wien.billing_country.code) == ("1010", "AT")
    assert [note.text for note in mueller.notes.all()] == ["05.03.2024"]


def test_a_postal_code_typed_as_text_gets_no_zero_made_up(bob_client):
    rows = [
        ["Firmenname", "PLZ", "Ort"],
        ["A GmbH", "1067", "Dresden"],
        ["B GmbH", 1067, "Dresden"],
    ]
    shown = preview(bob_client, xlsx({"Kunden": rows}))
    assert shown.counts["new"] == 1
    assert shown.errors == [
        ("2", "Postal code", "1067", "“1067” is not a postal code of Germany; it looks like 10115.")
    ]


def test_several_sheets_offer_a_choice_and_the_chosen_one_is_read(bob_client, acme):
    suppliers = [["Firmenname", "Ort"], ["Lieferant Ost GmbH", "Görlitz"]]
    more = [["Firmenname", "Ort"], ["Kunde Nord GmbH", "Kiel"], ["Kunde Süd GmbH", "Passau"]]
    data = xlsx({"Notizen": [], "Kunden 2025": suppliers, "Kunden 2026": more})
    response = upload(bob_client, data, name="mappe.xlsx")
    run = ImportRun.objects.get()
    assert run.sheet == "Kunden 2025"  # the first sheet with something in it
    page = bob_client.get(response["Location"], **EN).content.decode()
    assert 'data-testid="sheet-form"' in page
    assert re.findall(r'<option value="([^"]*)"', page)[:3] == [
        "Notizen",
        "Kunden 2025",
        "Kunden 2026",
    ]

    answer = bob_client.post(f"/import/runs/{run.pk}/reading/", {"sheet": "Kunden 2026"}, **EN)
    assert answer.status_code == 302
    page = bob_client.get(answer["Location"], **EN).content.decode()
    assert "sheet “Kunden 2026”" in page and "2 data rows" in page and "Kunde Nord GmbH" in page
    run.refresh_from_db()
    assert run.sheet == "Kunden 2026"

    answer = bob_client.post(f"/import/runs/{run.pk}/reading/", {"sheet": "Notizen"}, **EN)
    page = bob_client.get(answer["Location"], **EN).content.decode()
    assert "The sheet “Notizen” is empty." in page
    answer = bob_client.post(f"/import/runs/{run.pk}/reading/", {"sheet": "Kunden"}, **EN)
    page = bob_client.get(answer["Location"], **EN).content.decode()
    assert "The workbook has no sheet “Kunden”." in page
    run.refresh_from_db()
    assert run.sheet == "Kunden 2026"

    form = {f"col_{i}": key for i, key in enumerate(run.mapping)} | {"on_duplicate": "update"}
    bob_client.post(f"/import/runs/{run.pk}/columns/", form, **EN)
    confirm(bob_client, run)
    assert sorted(str(c) for c in Contact.objects.filter(organization=acme)) == [
        "Kunde Nord GmbH",
        "Kunde Süd GmbH",
    ]


def numbers_export(tables: dict[str, list]) -> bytes:
    """A workbook as Apple Numbers exports its tables to Excel: a summary sheet first, naming
    each table and the sheet it went to, then a sheet per table."""
    summary = [
        ["Export Summary"],
        [],
        [
            "This document was exported from Numbers. Each table was converted to an Excel "
            "worksheet. All other objects on each Numbers sheet were placed on separate "
            "worksheets. Please be aware that formula calculations may differ in Excel."
        ],
        [],
        ["Numbers Sheet Name", "Numbers Table Name", "Excel Worksheet Name"],
        *(["Sheet 1", name.split(" - ")[-1], name] for name in tables),
    ]
    return xlsx({"Export Summary": summary, **tables})


def test_an_apple_numbers_export_is_read_from_its_first_table_not_its_summary(bob_client):
    data = numbers_export(
        {"Sheet 1 - Table 1": CUSTOMERS, "Sheet 1 - Table 2": [["Ort"], ["Kiel"]]}
    )
    with translation.override("en"):
        parsed = read_upload(data)
    assert parsed.sheet == "Sheet 1 - Table 1"
    assert parsed.sheets[0] == "Export Summary"  # still there to choose
    assert parsed.rows[0].cells[1] == "Bäckerei Müller GmbH"
    assert parsed.note_messages == [
        "The workbook was exported from Apple Numbers: its first sheet, the export summary, was "
        "passed over and the first table read."
    ]
    response = upload(bob_client, data, name="Kunden.xlsx")
    columns = bob_client.get(response["Location"], **EN).content.decode()
    assert "sheet “Sheet 1 - Table 1”" in columns
    assert "the export summary, was passed over" in columns
    shown = preview(bob_client, data)
    assert shown.counts["new"] == 3
    assert "the export summary, was passed over" in shown.html
    with translation.override("en"):
        # The table read once more (as each page reads the run's sheet) says so again.
        assert read_upload(data, sheet="Sheet 1 - Table 1").notes == parsed.notes
        # Chosen by hand, the summary is read like any sheet, and nothing is said.
        chosen = read_upload(data, sheet="Export Summary")
    assert chosen.sheet == "Export Summary" and not chosen.notes


def test_a_first_sheet_that_only_lists_the_others_is_no_numbers_summary():
    contents = [["Inhalt"], ["Kunden"], ["Lieferanten"]]
    data = xlsx({"Inhalt": contents, "Kunden": CUSTOMERS, "Lieferanten": [["Ort"], ["Kiel"]]})
    parsed = read_upload(data)
    assert parsed.sheet == "Inhalt" and not parsed.notes


def test_a_workbook_with_macros_is_read_and_the_preview_says_none_ran(bob_client):
    data = xlsx({"Kunden": CUSTOMERS}, macros=True)
    shown = preview(bob_client, data)
    assert shown.counts["new"] == 3
    assert "no macro was run" in shown.html


def test_the_error_file_of_a_workbook_holds_its_rows_as_they_were(bob_client):
    rows = [
        ["Kundennummer", "Firmenname", "USt-IdNr.", "PLZ"],
        [10001, "Gut GmbH", "DE123456788", 10115],
        [10002, "Müller GmbH", "DE123456789", 1067],
    ]
    shown = preview(bob_client, xlsx({"Kunden": rows}))
    assert (shown.counts["new"], shown.counts["invalid"]) == (1, 1)
    assert [error[:3] for error in shown.errors] == [("3", "VAT ID", "DE123456789")]
    draft = bob_client.get(f"/import/runs/{shown.run.pk}/preview/failed.csv", **EN)
    lines = draft.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Kundennummer;Firmenname;USt-IdNr.;PLZ;Error"
    assert lines[1].startswith("10002;Müller GmbH;DE123456789;1067;line 3: VAT ID: ")

    confirm(bob_client, shown.run)
    kept = bob_client.get(f"/import/runs/{shown.run.pk}/failed.csv", **EN)
    assert kept.content == draft.content


def test_history_and_undo_hold_for_a_workbook(acme, alice):
    with translation.override("en"):
        run, _parsed = services.start_import(
            organization=acme, target="customers", file_name="kunden.xlsx",
            data=customers_workbook(), by=alice,
        )  # fmt: skip
        services.check(run)
        services.commit(ImportRun.objects.get(pk=run.pk), by=alice)
        changeset = ChangeSet.objects.get(source=Source.IMPORT)
        assert (changeset.label, changeset.reference) == ("kunden.xlsx", run.pk)
        assert changeset.changes.count() == 3
        outcome = services.undo(ImportRun.objects.get(pk=run.pk), by=alice)
    assert outcome.deleted == 3
    assert not Contact.objects.filter(organization=acme).exists()


def test_a_number_of_another_contact_and_a_probable_duplicate_wait_for_a_decision(
    bob_client, acme, alice
):
    make_company(acme, "Ganz Andere AG", by=alice, customer_number=10001)
    make_company(acme, "Schäfer & Söhne KG", by=alice, billing_postal_code="80331")
    rows = [
        ["Kundennummer", "Firmenname", "PLZ"],
        [10001, "Bäckerei Müller GmbH", 1067],
        [None, "Schäfer & Söhne KG", 80331],
    ]
    shown = preview(bob_client, xlsx({"Kunden": rows}))
    assert 'data-testid="group-mismatch"' in shown.html
    assert 'data-testid="group-probable"' in shown.html
    assert shown.counts["skip"] == 2


def test_the_command_imports_a_workbook_and_a_chosen_sheet(acme, tmp_path, capsys):
    path = tmp_path / "kunden.xlsx"
    path.write_bytes(customers_workbook(**{"Andere": [["Firmenname"], ["Zweite Mappe GmbH"]]}))
    call_command("import_csv", str(path), organization=acme.slug, target="customers")
    assert "Imported: 3 new" in capsys.readouterr().out
    call_command(
        "import_csv", str(path), organization=acme.slug, target="customers", sheet="Andere"
    )
    assert "Imported: 1 new" in capsys.readouterr().out
    assert Contact.objects.filter(organization=acme, company_name="Zweite Mappe GmbH").exists()


# --- refused ---------------------------------------------------------------------------------


def damaged_part(data: bytes, name: str) -> bytes:
    """The workbook with one byte in the middle of a part's packed data changed."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    middle = start + info.compress_size // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]


def _packed(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def _with_sheet(rows_xml: str, *, padding: int = 0) -> bytes:
    xml = sheet_xml(rows_xml)
    if padding:
        xml = xml.replace(b"<sheetData>", b"<sheetData>" + b" " * padding)
    return replaced_part(xlsx({"Kunden": [["x"]]}), "xl/worksheets/sheet1.xml", xml, level=9)


REFUSED = {
    "password-protected": (
        encrypted_workbook(),
        "encrypted",
        "The workbook is protected by a password, so Kontor cannot read it. Open it in Excel, "
        "remove the password (File → Info → Protect Workbook → Encrypt with Password: leave the "
        "field empty), save it and upload it again.",
    ),
    "unpacks-to-over-50-mib": (
        _with_sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>',
            padding=60 * 1024 * 1024,
        ),
        "unpacked_too_large",
        "The workbook unpacks to more than 50 MiB. Delete what the import does not need (other "
        "sheets, pictures) or save the sheet as CSV, and upload that file.",
    ),
    "zip-bomb-ratio": (
        _with_sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>',
            padding=20 * 1024 * 1024,
        ),
        "zip_bomb",
        None,
    ),
    "100-sheets": (
        xlsx({f"Blatt {n}": [["Firmenname"], [f"Firma {n}"]] for n in range(1, 101)}),
        "too_many_sheets",
        "The workbook has more than 50 sheets. Copy the sheet to import into a workbook of its "
        "own and upload that.",
    ),
    "16384-columns": (
        xlsx({"Kunden": [[f"Spalte {n}" for n in range(16384)], ["x"] * 16384]}),
        "too_many_columns",
        "The sheet “Kunden” has 16,384 columns; at most 200 are allowed. Delete the columns that "
        "are not needed.",
    ),
    "a-cell-at-the-far-corner": (
        # A few hundred bytes claiming a sheet of 17 billion cells.
        _with_sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>Firmenname</t></is></c></row>'
            '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
        ),
        "too_many_columns",
        None,
    ),
    "rows-far-down": (
        _with_sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>Firmenname</t></is></c>'
            '<c r="CV1"><v>1</v></c></row><row r="1048576"><c r="B1048576"><v>1</v></c></row>'
        ),
        "too_many_cells",
        "The sheet “Kunden” spans 1,048,576 rows and 100 columns, more than Kontor reads at "
        "once. Split it into smaller files and import each.",
    ),
    "xls-far-corner": (
        (FILES / "far-cell-excel97.xls").read_bytes(),
        "too_many_cells",
        "The sheet “Kunden” spans 65,536 rows and 41 columns, more than Kontor reads at once. "
        "Split it into smaller files and import each.",
    ),
    "ods-cell-repeated-far": (
        ods(
            {"Kunden": [["Firmenname"], ["A GmbH"]]},
            extra_rows='<table:table-row table:number-rows-repeated="100000">'
            '<table:table-cell table:number-columns-repeated="50" office:value-type="float" '
            'office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>',
        ),
        "too_many_cells",
        None,
    ),
    "cut-off": (
        customers_workbook()[:3000],
        "corrupt",
        "The file is a damaged workbook: it cannot be opened. Open it in your spreadsheet "
        "program, save it again and upload it once more.",
    ),
    "damaged-inside": (
        damaged_part(customers_workbook(), "xl/sharedStrings.xml"),
        "corrupt",
        None,
    ),
    "a-zipped-document": (
        _packed({"word/document.xml": b"<document/>", "[Content_Types].xml": b"<Types/>"}),
        "not_a_workbook",
        "This file is a packed archive or an Office document, but no workbook Kontor can read. "
        "Upload a CSV file or an Excel workbook (.xlsx, .xls) or OpenDocument spreadsheet (.ods).",
    ),
    "apple-numbers-document": (
        _packed(
            {
                "Index/Document.iwa": b"\x00\x8a\x01\x00",
                "Index/Metadata.iwa": b"\x00\x20\x00\x00",
                "Metadata/Properties.plist": b"bplist00",
            }
        ),
        "numbers",
        "This is an Apple Numbers document. In Numbers choose File → Export To → Excel… (or "
        "CSV…) and upload the file it saves.",
    ),
    "only-a-title": (
        xlsx({"Kunden": [["Kundenliste 2026"]]}),
        "no_data",
        "The file has a header line but no data rows.",
    ),
    "empty-workbook": (xlsx({"Kunden": []}), "empty", "The workbook is empty."),
}


@pytest.mark.parametrize("data, code, message", REFUSED.values(), ids=REFUSED.keys())
def test_a_workbook_that_cannot_be_read_is_refused_with_a_message(data, code, message):
    error = refusal(data)
    assert error.code == code
    if message:
        assert error.message == message


@pytest.mark.parametrize("case", ["password-protected", "a-cell-at-the-far-corner", "cut-off"])
def test_the_upload_page_shows_the_refusal_and_keeps_nothing(bob_client, case):
    data, _code, _message = REFUSED[case]
    response = upload(bob_client, data, name="kunden.xlsx")
    assert response.status_code == 400
    assert upload_errors(response) == [refusal(data).message]
    assert not ImportRun.objects.exists()


def test_the_refusals_are_in_german(bob_client):
    file = io.BytesIO(encrypted_workbook())
    file.name = "kunden.xlsx"
    response = bob_client.post(
        "/import/customers/upload/", {"file": file}, HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 400
    assert "Die Arbeitsmappe ist mit einem Kennwort geschützt" in response.content.decode()


def test_products_from_a_workbook_keep_their_prices_and_numbers(acme):
    from decimal import Decimal

    from products.models import Product

    rows = [
        ["Artikelnummer", "Bezeichnung", "Steuerart", "Nettopreis", "GTIN/EAN"],
        [1001, "Brötchen", 7, 0.35, 4006381333931],
        ["A-1002", "Torte „Sachér“", 19, 1234.5, None],
        [1003, "Kaffee", 19, 19.99, None],
        # A cell formatted as "19 %" holds 0.19; the format is not read, and 0,19 is refused.
        [1004, "Tee", 0.19, 4.5, None],
    ]
    with translation.override("en"):
        run, _parsed = services.start_import(
            organization=acme, target="products", file_name="artikel.xlsx",
            data=xlsx({"Artikel": rows}), by=None,
        )  # fmt: skip
        result = services.check(run)
        assert (result.counts["new"], result.counts["invalid"]) == (3, 1)
        assert [(e.line, e.column, e.value) for e in result.errors] == [(5, "Tax rate", "0,19")]
        services.commit(ImportRun.objects.get(pk=run.pk), by=None)
    products = {p.number: p for p in Product.objects.filter(organization=acme)}
    first = products["1001"]
    assert (first.net_price, first.gtin) == (Decimal("0.35"), "4006381333931")
    assert products["A-1002"].name == "Torte „Sachér“"
    assert products["A-1002"].net_price == Decimal("1234.50")
    assert products["1003"].net_price == Decimal("19.99")
    assert "1004" not in products


def test_a_sheet_that_cannot_be_read_first_does_not_keep_another_from_being_chosen():
    wide = [[f"Spalte {n}" for n in range(300)], ["x"] * 300]
    data = xlsx({"Breit": wide, "Kunden": CUSTOMERS})
    assert refusal(data).code == "too_many_columns"
    assert read_upload(data, sheet="Kunden").rows[0].cells[1] == "Bäckerei Müller GmbH"
