"""Reading uploaded bytes: encodings, delimiters, line endings and every way a file can be bad."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importer.reading import (
    MAX_BYTES,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    ImportFileError,
    check_size,
    decode,
    detect_delimiter,
    detect_encoding,
    encoding_choices,
    encoding_label,
    read_csv,
)

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def refusal(data: bytes, **kwargs) -> ImportFileError:
    with pytest.raises(ImportFileError) as info:
        read_csv(data, **kwargs)
    return info.value


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- the sample files ------------------------------------------------------------------------


def test_it_reads_the_lexoffice_export_with_umlauts_quotes_dashes_and_euro_intact():
    parsed = read_csv(fixture("kunden-lexoffice-cp1252.csv"))

    assert parsed.encoding == "cp1252"
    assert parsed.delimiter == ";"
    assert parsed.headers[:3] == ["Kundennummer", "Firmenname", "Anrede"]
    assert "Straße" in parsed.headers
    assert "Ansprechpartner 1 Vorname" in parsed.headers
    assert len(parsed.rows) == 300
    text = "\n".join(";".join(row.cells) for row in parsed.rows)
    for expected in ["ü", "ö", "ä", "ß", "„", "“", "–", "€"]:
        assert expected in text
    assert "\ufffd" not in text


def test_it_numbers_rows_by_their_line_in_the_file():
    parsed = read_csv(fixture("kunden-lexoffice-cp1252.csv"))

    assert parsed.header_line == 1
    assert parsed.rows[0].line == 2
    assert parsed.rows[0].cells[0] == "10000"
    assert parsed.rows[0].cells[4:6] == ["Inés", "Krüger"]


def test_the_bom_never_reaches_a_header():
    parsed = read_csv(fixture("customers-en-utf8-bom.csv"))

    assert parsed.encoding == "utf-8-sig"
    assert parsed.delimiter == ","
    assert parsed.headers[0] == "Customer number"
    assert not any("\ufeff" in header for header in parsed.headers)
    assert parsed.headers[-2:] == ["Industry", "Lead source"]
    assert len(parsed.rows) == 200
    # A quoted cell with the other delimiter inside stays one cell.
    assert "Zahlungsziel 30 Tage; Skonto 2 %" in parsed.rows[0].cells


def test_it_reads_suppliers_and_products():
    suppliers = read_csv(fixture("lieferanten-cp1252.csv"))
    products = read_csv(fixture("produkte-cp1252.csv"))

    assert suppliers.headers[0] == "Lieferantennummer"
    assert len(suppliers.rows) == 80
    assert products.headers == [
        "Artikelnummer",
        "Bezeichnung",
        "Beschreibung",
        "Einheit",
        "Steuerart",
        "Nettopreis",
        "GTIN/EAN",
        "Notiz (intern)",
    ]
    assert len(products.rows) == 150
    assert products.rows[0].cells[3] == "Stück"


def test_it_reads_the_two_mebibyte_file():
    data = fixture("kunden-2mib-cp1252.csv")
    assert len(data) <= MAX_BYTES

    parsed = read_csv(data)

    assert parsed.encoding == "cp1252"
    assert len(parsed.rows) > 7000
    assert all(len(row.cells) == len(parsed.headers) for row in parsed.rows)


def test_it_refuses_the_png_file():
    error = refusal(fixture("bad-binary.csv"))
    assert error.code == "binary"
    assert "not a CSV file" in error.message


def test_it_refuses_the_empty_file():
    error = refusal(fixture("bad-empty.csv"))
    assert error.code == "empty"
    assert error.message == "The file is empty."


def test_it_refuses_the_file_with_only_a_header():
    error = refusal(fixture("bad-header-only.csv"))
    assert error.code == "no_data"
    assert error.message == "The file has a header line but no data rows."


def test_it_keeps_ragged_rows_for_the_row_layer():
    parsed = read_csv(fixture("bad-ragged.csv"))

    assert parsed.encoding == "cp1252"
    assert parsed.headers == ["Firmenname", "Straße", "PLZ", "Ort"]
    assert [(row.line, len(row.cells)) for row in parsed.rows] == [(2, 4), (3, 2), (4, 6)]


def test_it_reads_the_file_with_bad_values_as_a_file():
    parsed = read_csv(fixture("bad-values-cp1252.csv"))

    assert len(parsed.rows) == 9
    assert parsed.rows[-1].cells[1] == "Gültig & Gut GmbH"


# --- encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_it_reads_utf16_with_a_bom(codec):
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    data = bom + "Name;Ort\r\nMüller;Łódź\r\n".encode(codec)

    parsed = read_csv(data)

    assert parsed.encoding == codec
    assert parsed.headers == ["Name", "Ort"]
    assert parsed.rows[0].cells == ["Müller", "Łódź"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_it_recognises_utf16_without_a_bom(codec):
    data = "Name\tOrt\r\nMüller\tKöln\r\nCrème\t€ 5\r\n".encode(codec)

    parsed = read_csv(data)

    assert parsed.encoding == codec
    assert parsed.delimiter == "\t"
    assert parsed.rows[1].cells == ["Crème", "€ 5"]


def test_excel_unicode_text_is_utf16_with_bom_and_tabs():
    data = "\ufeffFirmenname\tOrt\r\nBäckerei „Kühn“\tMünchen\r\n".encode("utf-16-le")

    parsed = read_csv(data)

    assert parsed.headers == ["Firmenname", "Ort"]
    assert parsed.rows[0].cells == ["Bäckerei „Kühn“", "München"]


def test_it_reads_utf8_without_a_bom():
    parsed = read_csv("Stadt;Land\nŁódź;Polen\n".encode())

    assert parsed.encoding == "utf-8"
    assert parsed.rows[0].cells == ["Łódź", "Polen"]


@pytest.mark.parametrize(
    "text",
    [
        "Name;Ort\nCrème brûlée;Besançon\n",
        "Name;Ort\nMüller;Köln\n",
        "Artikel;Preis\n„Premium“ – Qualität;19,99 €\n",
        "Nombre;Ciudad\nNúñez;Málaga\n",
        "Artikel;Maß\nFliese;30×30 cm, 2 m²\n",
    ],
)
def test_western_text_that_is_not_utf8_is_windows_1252(text):
    data = text.encode("cp1252")

    assert detect_encoding(data) == "cp1252"
    assert decode(data) == text


def test_iso_8859_15_text_reads_the_same_as_windows_1252_for_letters():
    data = "Name;Ort\nMüller;Köln\nGroß;Düsseldorf\n".encode("iso-8859-15")

    assert detect_encoding(data) == "cp1252"
    assert read_csv(data).rows[1].cells == ["Groß", "Düsseldorf"]


@pytest.mark.parametrize(
    ("text", "codecs_"),
    [
        (
            "Miasto;Ulica\nŁódź;Piotrkowska 12\nWrocław;Świdnicka 5\nKraków;Floriańska 3\n"
            "Gdańsk;Długa 7\nZażółć gęślą jaźń;Żółta 1\n",
            ("cp1250", "iso8859-2"),
        ),
        (
            "Город;Улица\nМосква;Тверская 1\nСанкт-Петербург;Невский проспект 2\n",
            ("cp1251",),
        ),
        (
            "Şehir;Sokak\nİstanbul;İstiklal Caddesi 5\nİzmir;Kıbrıs Şehitleri 3\n",
            ("cp1254", "iso8859-9"),
        ),
    ],
)
def test_text_that_is_not_western_is_left_to_chardet(text, codecs_):
    data = text.encode(codecs_[0])

    encoding = detect_encoding(data)

    assert encoding in codecs_
    assert decode(data) == text


def test_a_chosen_encoding_wins():
    data = "Name;Ort\nMüller;Köln\n".encode("cp1252")

    parsed = read_csv(data, encoding="ISO-8859-1")

    assert parsed.encoding == "iso8859-1"
    assert parsed.rows[0].cells == ["Müller", "Köln"]


def test_a_wrong_chosen_encoding_is_refused_naming_it_and_the_line():
    data = "Name;Ort\nMüller;Köln\n".encode("cp1252")

    error = refusal(data, encoding="utf-8")

    assert error.code == "encoding"
    assert "UTF-8" in error.message
    assert "line 2" in error.message


def test_bytes_windows_1252_does_not_define_are_refused_when_it_is_chosen():
    error = refusal(b"Name;Ort\n\x81\x8d;x\n", encoding="cp1252")
    assert error.code == "encoding"
    assert "Windows-1252" in error.message


def test_an_unknown_encoding_is_refused():
    error = refusal(b"a;b\n1;2\n", encoding="klingon-8")
    assert error.code == "unknown_encoding"
    assert "klingon-8" in error.message


def test_a_codec_that_is_not_a_text_encoding_is_refused():
    assert refusal(b"a;b\n1;2\n", encoding="base64").code == "unknown_encoding"


def test_odd_length_utf16_is_refused_naming_the_encoding():
    data = codecs.BOM_UTF16_LE + "Name;Ort\nA;B\n".encode("utf-16-le") + b"x"

    error = refusal(data)

    assert error.code == "encoding"
    assert "UTF-16 LE" in error.message


def test_a_detected_encoding_outside_the_usual_list_can_still_be_chosen():
    detected = detect_encoding("Город;Улица\nМосква;Тверская 1\n".encode("koi8-r"))
    values = [value for value, _label in encoding_choices(detected)]
    assert detected in values
    assert encoding_choices("cp1252") == encoding_choices()


def test_encoding_labels_are_readable():
    assert encoding_label("windows-1252") == "Windows-1252 (Western European)"
    assert encoding_label("UTF8") == "UTF-8"
    assert encoding_label("utf-16le") == "UTF-16 LE"


# --- delimiters and line endings -------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
def test_it_detects_each_delimiter(delimiter):
    text = delimiter.join(["Name", "PLZ", "Ort"]) + "\n"
    text += delimiter.join(["Kühn", "10115", "Berlin"]) + "\n"
    text += delimiter.join(["Groß", "80331", "München"]) + "\n"

    assert detect_delimiter(text) == delimiter
    assert read_csv(text.encode()).rows[1].cells == ["Groß", "80331", "München"]


def test_decimal_commas_do_not_fool_the_semicolon():
    text = "Artikel;Preis;Menge\nA;1,50;2\nB;2.345,00;1\nC;0,99;10\n"
    assert detect_delimiter(text) == ";"


def test_semicolons_in_cells_do_not_fool_the_comma():
    text = 'Name,Note\nA,"x; y"\nB,Zahlungsziel 30 Tage; Skonto 2 %\n'
    # The second row is ragged with ";" as well, but ";" gives the header one column only.
    assert detect_delimiter(text) == ","


def test_the_delimiter_that_gives_consistent_rows_wins():
    text = "a,b;c,d\n1,2;3,4\n5,6;7,8\n9,1;2,3\n"
    assert detect_delimiter(text) == ","


def test_excel_sep_line_is_honoured_and_not_a_header():
    data = b"sep=,\r\nName,Note\r\nA,1;2\r\nB,3;4\r\n"

    parsed = read_csv(data)

    assert parsed.delimiter == ","
    assert parsed.headers == ["Name", "Note"]
    assert parsed.header_line == 2
    assert parsed.rows[0] == (3, ["A", "1;2"])


def test_a_quoted_sep_line_is_honoured_too():
    assert detect_delimiter('"sep=|"\nA|B\n1|2\n') == "|"


def test_a_chosen_delimiter_wins():
    parsed = read_csv(b"a;b,c\n1;2,3\n", delimiter=",")
    assert parsed.headers == ["a;b", "c"]


@pytest.mark.parametrize(("given", "expected"), [("tab", "\t"), ("\\t", "\t"), ("|", "|")])
def test_delimiters_can_be_named(given, expected):
    assert read_csv(b"a\tb|c\n1\t2|3\n", delimiter=given).delimiter == expected


@pytest.mark.parametrize("bad", ['"', "ab", "x", "\n"])
def test_unusable_delimiters_are_refused(bad):
    assert refusal(b"a;b\n1;2\n", delimiter=bad).code == "bad_delimiter"


def test_quoted_cells_keep_delimiters_quotes_and_line_breaks():
    data = (
        'Name;Notiz;Ort\r\n"Müller; Söhne";"Zeile 1\r\nZeile 2\r\nZeile 3";Köln\r\n'
        '"Sagt ""Hallo""";kurz;Bonn\r\n'
    ).encode()

    parsed = read_csv(data)

    assert parsed.rows[0] == (2, ["Müller; Söhne", "Zeile 1\nZeile 2\nZeile 3", "Köln"])
    # The next row starts on the physical line after the three-line cell.
    assert parsed.rows[1] == (5, ['Sagt "Hallo"', "kurz", "Bonn"])


@pytest.mark.parametrize("ending", ["\r\n", "\n", "\r"])
def test_every_line_ending_gives_the_same_rows_and_lines(ending):
    text = ending.join(["Name;Ort", "A;Köln", '"B' + ending + 'C";Bonn', "D;Ulm", ""])

    parsed = read_csv(text.encode("cp1252"))

    assert parsed.rows == [(2, ["A", "Köln"]), (3, ["B\nC", "Bonn"]), (5, ["D", "Ulm"])]


def test_blank_lines_and_lines_of_delimiters_are_skipped_but_counted():
    data = b"\r\nName;Ort\r\n\r\nA;B\r\n;;\r\n   \r\nC;D\r\n;\r\n"

    parsed = read_csv(data)

    assert parsed.header_line == 2
    assert parsed.rows == [(4, ["A", "B"]), (7, ["C", "D"])]


def test_headers_are_trimmed_and_cells_kept_as_they_are():
    parsed = read_csv(b"  Name ;\tOrt  \n  A ; B\n")
    assert parsed.headers == ["Name", "Ort"]
    assert parsed.rows[0].cells == ["  A ", " B"]


def test_a_single_column_file_is_read():
    parsed = read_csv("Firmenname\nBäckerei Kühn\nMetallbau Groß\n".encode())
    assert parsed.headers == ["Firmenname"]
    assert [row.cells for row in parsed.rows] == [["Bäckerei Kühn"], ["Metallbau Groß"]]


# --- bad files -------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"   ", b"\r\n\r\n\n", b"\t \n \n", b"\xef\xbb\xbf\r\n"])
def test_a_file_of_blank_lines_is_refused(data):
    error = refusal(data)
    assert error.code == "blank"
    assert error.message == "The file contains only blank lines and no data."


def test_a_sep_line_alone_is_refused():
    assert refusal(b"sep=;\r\n").code == "blank"


@pytest.mark.parametrize("data", [b";;;\n;;;\n", b",,,,\r\n", b";;\nA;B;C\n1;2;3\n"])
def test_only_delimiters_means_no_header(data):
    error = refusal(data)
    assert error.code == "no_header"
    assert "column names" in error.message


@pytest.mark.parametrize(
    ("first_line", "shown"),
    [
        ("Bäckerei Kühn;Hauptstraße 1;10115;Berlin", "10115"),
        ("Kühn;info@kuehn.de;Berlin", "info@kuehn.de"),
        ("Kühn;https://kuehn.de;Berlin", "https://kuehn.de"),
        ("Kühn;+49 30 1234567;Berlin", "+49 30 1234567"),
    ],
)
def test_a_file_without_a_header_row_is_refused(first_line, shown):
    data = (first_line + "\n" + first_line + "\n").encode()

    error = refusal(data)

    assert error.code == "no_header"
    assert shown in error.message


def test_duplicate_headers_are_named():
    error = refusal(b"Name;PLZ;Ort;name\nA;1;B;C\n")

    assert error.code == "duplicate_header"
    assert error.message == (
        "The column “name” appears more than once (columns 1 and 4). "
        "Each column needs a name of its own."
    )


def test_several_unnamed_columns_are_not_duplicates():
    parsed = read_csv(b"Name;;Ort;\nA;x;B;\n")
    assert parsed.headers == ["Name", "", "Ort", ""]


def test_five_thousand_columns_are_refused_naming_the_limit():
    header = ";".join(f"Spalte {index}" for index in range(5000))
    row = ";".join("x" for _ in range(5000))

    error = refusal(f"{header}\n{row}\n".encode())

    assert error.code == "too_many_columns"
    assert f"at most {MAX_COLUMNS} are allowed" in error.message
    assert "5,000" in error.message


def test_the_column_limit_itself_is_allowed():
    header = ";".join(f"Spalte {index}" for index in range(MAX_COLUMNS))
    parsed = read_csv(f"{header}\n{header.replace('Spalte', 'x')}\n".encode())
    assert len(parsed.headers) == MAX_COLUMNS


def test_a_one_megabyte_cell_is_refused_with_line_and_column():
    data = b"Name;Notiz;Ort\nA;kurz;B\nC;" + b"x" * 1_000_000 + b";D\n"

    error = refusal(data)

    assert error.code == "cell_too_long"
    assert "line 3, column 2" in error.message
    assert "10,000" in error.message


def test_a_cell_just_over_the_limit_is_refused_with_line_and_column():
    data = b"Name;Notiz;Ort\nA;B;" + b"y" * (MAX_CELL_CHARS + 1) + b"\n"

    error = refusal(data)

    assert error.code == "cell_too_long"
    assert "line 2, column 3" in error.message


def test_a_cell_at_the_limit_is_allowed():
    data = b"Name;Notiz\nA;" + b"y" * MAX_CELL_CHARS + b"\n"
    assert len(read_csv(data).rows[0].cells[1]) == MAX_CELL_CHARS


def test_a_quote_that_never_closes_is_named():
    data = b'Name;Notiz\nA;"offen\nB;zu\nC;zu\n'

    error = refusal(data)

    assert error.code == "unclosed_quote"
    assert "line 2" in error.message


def test_a_quote_that_never_closes_in_a_large_file_is_a_long_cell_with_a_hint():
    data = b'Name;Notiz\nA;"offen\n' + b"B;zu\n" * 5000

    error = refusal(data)

    assert error.code == "cell_too_long"
    assert "line 2, column 2" in error.message
    assert "quotation mark" in error.message


def test_a_stray_quote_inside_a_cell_is_kept():
    parsed = read_csv(b'Name;Zoll\nRohr 5" lang;5"\n')
    assert parsed.rows[0].cells == ['Rohr 5" lang', '5"']


@pytest.mark.parametrize(
    "data",
    [
        b"Name;Ort\nA\x00B;C\n",
        b"\x00" * 100,
        b"Name;Ort\x00\x00\x00\nA;B\n",
        b"\x01\x02\x03\x04\x05\x06\x07\x08Name;Ort\nA;B\n",
    ],
)
def test_nul_bytes_and_control_characters_mean_binary(data):
    assert refusal(data).code == "binary"


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",  # .xlsx
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00\x00",  # .xls
    ],
)
def test_spreadsheets_are_refused_with_advice(data):
    error = refusal(data)
    assert error.code == "spreadsheet"
    assert "Save as" in error.message


def test_a_pdf_is_refused():
    assert refusal(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n").code == "binary"


def test_a_stray_control_character_is_not_binary():
    parsed = read_csv(b"Name;Ort\nA\x1aB;C\nD;E\nF;G\nH;I\n")
    assert parsed.rows[0].cells == ["A\x1aB", "C"]


def test_one_byte_over_the_limit_is_refused_naming_the_limit():
    data = b"Name;Ort\n" + b"A;B\n" * (MAX_BYTES // 4)
    data = data[: MAX_BYTES + 1]
    assert len(data) == MAX_BYTES + 1

    error = refusal(data)

    assert error.code == "too_large"
    assert "2 MiB" in error.message


def test_check_size_allows_the_limit_itself():
    check_size(MAX_BYTES)
    with pytest.raises(ImportFileError):
        check_size(MAX_BYTES + 1)


def test_messages_are_translated_when_shown():
    error = refusal(b"")
    with translation.override("de"):
        german = error.message
    assert german  # falls back to English until the German catalogue has the string
    assert error.code == "empty"


# --- nothing but ImportFileError -------------------------------------------------------------

csv_text = st.lists(
    st.lists(
        st.one_of(
            st.text(max_size=12),
            st.sampled_from(['"', '""', ";", ",", "\t", "|", "\r\n", "\n", "\r", "sep=;", "€"]),
        ),
        max_size=6,
    ),
    max_size=8,
).map(lambda rows: "\n".join("".join(row) for row in rows))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_random_bytes_never_raise_anything_but_import_file_error(data):
    try:
        parsed = read_csv(data)
    except ImportFileError as error:
        assert error.message
    else:
        assert parsed.rows


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_text, st.sampled_from(["utf-8", "cp1252", "utf-16-le", "utf-8-sig"]))
def test_random_csv_text_never_raises_anything_but_import_file_error(text, codec):
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    try:
        parsed = read_csv(data)
    except ImportFileError as error:
        assert error.message
    else:
        assert all(row.line > parsed.header_line for row in parsed.rows)


@settings(max_examples=200, deadline=None)
@given(csv_text, st.sampled_from([None, "utf-8", "cp1252", "utf-16", "latin-1"]))
def test_random_text_with_a_chosen_encoding_and_delimiter_never_raises_otherwise(text, codec):
    try:
        read_csv(text.encode("utf-8"), encoding=codec, delimiter=",")
    except ImportFileError as error:
        assert error.message


def test_encoding_names_are_in_the_user_s_language():
    from django.utils import translation

    from importer.reading import encoding_label

    with translation.override("de"):
        assert encoding_label("cp1252") == "Windows-1252 (Westeuropäisch)"
    with translation.override("en"):
        assert encoding_label("windows-1252") == "Windows-1252 (Western European)"
