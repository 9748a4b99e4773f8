"""The file formats of an export: CSV and an Excel workbook, made from one table of texts.

A target's export (`ImportTarget.export_table`) gives the header and the cells as plain texts;
each format writes them its way. The CSV escapes what a spreadsheet would run as a formula
(`formulas.escape_formula`). The workbook needs no such escape: every cell is written as a
string in a text-formatted column (number format "@"), so Excel neither calculates "=1+1" nor
turns "01067" into 1067 or "+49 30 …" into a number, and typing into a column keeps it text.
Only a text that starts with apostrophes and a formula's first character gets one apostrophe
more, in both formats, because the import always takes one off (see `formulas.py`).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .csv_writing import write_csv
from .formulas import escape_formula

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What Excel keeps in a cell; a longer text would be cut off there.
XLSX_CELL_MAX = 32767
# Excel's built-in number format "@" (text), by its number: what Excel itself writes for it.
TEXT_FORMAT = 49
_SHEET_NAME_UNSAFE = re.compile(r"[\[\]:*?/\\]")
_APOSTROPHE_ESCAPED = re.compile(r"'+[=+\-@\t\r]")


class ExportTooLarge(ValueError):
    """A cell longer than a workbook can hold: the message says which and what to do."""


@dataclass
class ExportTable:
    """An export before it is a file: the column names and the rows' cells, as texts."""

    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    sheet_name: str = "Kontor"


def csv_file(table: ExportTable) -> bytes:
    return write_csv(table.header, ([escape_formula(c) for c in row] for row in table.rows))


def workbook_cell(text: str) -> str:
    """A cell's text as the workbook holds it (only apostrophe-led formulas get one more)."""
    return "'" + text if _APOSTROPHE_ESCAPED.match(text) else text


def xlsx_file(table: ExportTable) -> bytes:
    """The table as one worksheet, every cell a string in a text-formatted column;
    ExportTooLarge, before anything is written, for a cell Excel would cut off."""
    # Imported here, as the PDF's library is: 12 MB less in every server process until an
    # export asks for a workbook.
    import xlsxwriter  # type: ignore[import-untyped]

    _check_cell_lengths(table)
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        out,
        {
            # Row by row to a temporary file instead of the whole sheet in memory: faster,
            # and a large export's memory stays that of one row.
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    as_text = workbook.add_format({"num_format": TEXT_FORMAT})
    heading = workbook.add_format({"num_format": TEXT_FORMAT, "bold": True})
    sheet = workbook.add_worksheet(_sheet_name(table.sheet_name))
    width = len(table.header)
    if width:
        sheet.set_column(0, width - 1, 18, as_text)
    sheet.freeze_panes(1, 0)
    for index, name in enumerate(table.header):
        sheet.write_string(0, index, workbook_cell(name), heading)
    for line, row in enumerate(table.rows, start=1):
        for index, text in enumerate(row):
            if text:
                sheet.write_string(line, index, workbook_cell(text), as_text)
    workbook.close()
    return out.getvalue()


def _check_cell_lengths(table: ExportTable) -> None:
    for line, row in enumerate(table.rows, start=2):
        for index, text in enumerate(row):
            if len(text) >= XLSX_CELL_MAX and len(value := workbook_cell(text)) > XLSX_CELL_MAX:
                raise ExportTooLarge(
                    _(
                        "Row %(row)s, column “%(column)s” holds %(count)s characters, more than "
                        "an Excel cell keeps (32,767). Export as CSV instead: it keeps them all."
                    )
                    % {"row": line, "column": table.header[index], "count": len(value)}
                )


def _sheet_name(name: str) -> str:
    """Excel's rules for a worksheet's name: at most 31 characters, none of []:*?/\\."""
    return _SHEET_NAME_UNSAFE.sub("-", name).strip("'")[:31] or "Kontor"
