"""CSV files for spreadsheet programs: the template, the export and the rows with errors.

Cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) get a leading apostrophe; the importer removes it again, so an exported file imports
unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import get_language

from .formulas import escape_formula


def csv_dialect() -> tuple[str, str]:
    """Delimiter and language code for files meant for the user's spreadsheet program.

    German Excel expects semicolons; English Excel commas. Both read UTF-8 with a BOM.
    """
    language = (get_language() or "en")[:2]
    return (";" if language == "de" else ","), language


def write_csv(header: Iterable[str], rows: Iterable[Iterable[str]], delimiter: str = "") -> bytes:
    """UTF-8 with a BOM, in the user's dialect unless a `delimiter` is given; the header's
    names are escaped like cells (they may come from an uploaded file)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter or csv_dialect()[0], lineterminator="\r\n")
    writer.writerow([escape_formula(name) for name in header])
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def cell_text(value: object) -> str:
    """A value as the text of an exported cell (not yet escaped): numbers as the user's
    spreadsheet reads them, a country as its code, yes as 1."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, Decimal):
        # German spreadsheets read 2,50 as a number; 2.50 as text or a date.
        text = format(value, "f")
        return text.replace(".", ",") if (get_language() or "").startswith("de") else text
    return str(getattr(value, "code", value))


def cell(value: object) -> str:
    """A value as a CSV cell: `cell_text`, escaped where a spreadsheet would run it."""
    return escape_formula(cell_text(value))
