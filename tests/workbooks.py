"""Reading back the workbooks Kontor writes, cell by cell, with what each cell is typed as.

python-calamine reads a cell's value the way spreadsheet programs do; when it is installed the
cells are read with it as well and must agree. The workbook's XML is read directly too: it is
what tells whether a cell is a string in a text-formatted ("@") style or something Excel would
calculate or reformat.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from defusedxml import ElementTree

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
TEXT_FORMAT_ID = 49  # Excel's built-in number format "@"
_ESCAPED_CHARACTER = re.compile(r"_x([0-9A-Fa-f]{4})_")


@dataclass
class Workbook:
    sheet_names: list[str]
    rows: list[list[str]]
    # (row, column) of every cell that is a formula, a number or not in a text format.
    untyped: list[tuple[int, int, str]]
    text_columns: bool


def _text(element) -> str:
    value = "".join(t.text or "" for t in element.iter(f"{{{NS['m']}}}t"))
    return _ESCAPED_CHARACTER.sub(lambda m: chr(int(m[1], 16)), value)


def _column_index(reference: str) -> int:
    letters = re.match(r"[A-Z]+", reference)
    assert letters is not None
    index = 0
    for letter in letters[0]:
        index = index * 26 + ord(letter) - 64
    return index - 1


def read_workbook(data: bytes) -> Workbook:
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    shared = []
    if "xl/sharedStrings.xml" in names:
        root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
        shared = [_text(si) for si in root.findall("m:si", NS)]
    styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    # A format of its own whose code is "@" is the text format as well.
    own_text = {
        int(f.get("numFmtId"))
        for f in styles.iter(f"{{{NS['m']}}}numFmt")
        if f.get("formatCode") == "@"
    }
    formats = [
        TEXT_FORMAT_ID if int(xf.get("numFmtId", "0")) in own_text else int(xf.get("numFmtId", "0"))
        for xf in styles.find("m:cellXfs", NS).findall("m:xf", NS)  # type: ignore[union-attr]
    ]
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheet_names = [s.get("name") for s in book.find("m:sheets", NS)]  # type: ignore[union-attr]
    sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    columns = sheet.find("m:cols", NS)
    text_columns = columns is not None and all(
        formats[int(col.get("style", "0"))] == TEXT_FORMAT_ID for col in columns
    )
    rows: list[list[str]] = []
    untyped = []
    for row in sheet.find("m:sheetData", NS):  # type: ignore[union-attr]
        line = int(row.get("r")) - 1
        while len(rows) <= line:
            rows.append([])
        for c in row.findall("m:c", NS):
            index = _column_index(c.get("r"))
            kind, style = c.get("t", "n"), formats[int(c.get("s", "0"))]
            if c.find("m:f", NS) is not None or kind not in ("s", "inlineStr", "str"):
                value = c.findtext("m:v", "", NS)
                if c.find("m:v", NS) is not None or c.find("m:f", NS) is not None:
                    untyped.append((line, index, value))
                value = ""
            elif kind == "s":
                value = shared[int(c.findtext("m:v", "0", NS))]
            else:
                value = _text(c)
            if value and style != TEXT_FORMAT_ID:
                untyped.append((line, index, value))
            cells = rows[line]
            while len(cells) <= index:
                cells.append("")
            cells[index] = value
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    _agrees_with_calamine(data, rows)
    return Workbook(sheet_names, rows, untyped, text_columns)


def _agrees_with_calamine(data: bytes, rows: list[list[str]]) -> None:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    read = workbook.get_sheet_by_index(0).to_python()
    width = len(rows[0]) if rows else 0
    read = [[str(v) for v in r] + [""] * (width - len(r)) for r in read]
    assert read == rows
