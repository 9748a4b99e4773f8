"""Excel and OpenDocument workbooks → a header and rows, as `reading.read_csv` makes of a CSV.

python-calamine reads the cells (.xlsx, .xlsm, .xls, .ods), once `workbook_containers` has
found the container safe to give it; nothing in a workbook is ever evaluated or run: a formula's
value is the one the spreadsheet program saved with it, macros are ignored.

Cells become the text a person sees: 1067.0 → "1067", a date → "05.03.2024", TRUE → "WAHR"
(in German), 1234.5 → "1234,5". Which cells were numbers is kept (`ParsedFile.numbers`), so
that the contact target can give a German postal code stored as a number its leading zero.
"""

from __future__ import annotations

import datetime
import io
import logging
import math
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum

from .reading import (
    MAX_CELL_CHARS,
    NO_DATA,
    ImportFileError,
    ParsedFile,
    Row,
    cell_too_long,
    check_headers,
)
from .workbook_containers import (
    CORRUPT,
    ENCRYPTED,
    NUMBERS_SUMMARY_PASSED,
    SheetInfo,
    check_area,
    check_sheet_count,
    inspect_ole2,
    inspect_zip,
)

logger = logging.getLogger(__name__)

# The header is looked for among the first rows: titles and notes may stand above it.
HEADER_SEARCH_ROWS = 20

ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_zip(data: bytes) -> bool:
    return data.startswith(ZIP_SIGNATURES)


def is_ole2(data: bytes) -> bool:
    return data.startswith(OLE2_SIGNATURE)


def read_zip_workbook(data: bytes, *, sheet: str | None = None) -> ParsedFile:
    """An .xlsx, .xlsm or .ods (ImportFileError for any other zip)."""
    kind, areas, notes = inspect_zip(data)
    return _read_with_calamine(data, kind, areas, sheet, notes)


def read_ole2_workbook(data: bytes, *, sheet: str | None = None) -> ParsedFile:
    """An .xls (ImportFileError for an encrypted workbook and any other OLE2 file)."""
    areas, notes = inspect_ole2(data)
    return _read_with_calamine(data, "xls", areas, sheet, notes)


def _read_with_calamine(
    data: bytes, kind: str, areas: Sequence[SheetInfo], chosen: str | None, notes: list[str]
) -> ParsedFile:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise ImportFileError(ENCRYPTED, code="encrypted") from None
    except (CalamineError, ValueError, OSError) as error:
        if "password" in str(error).lower():  # an .xls with a password (its FILEPASS record)
            raise ImportFileError(ENCRYPTED, code="encrypted") from None
        logger.info("calamine could not open an uploaded %s: %s", kind, error)
        raise ImportFileError(CORRUPT, code="corrupt") from None
    with workbook:
        names = [
            sheet.name for sheet in workbook.sheets_metadata if sheet.typ == SheetTypeEnum.WorkSheet
        ]
        check_sheet_count(len(names))
        if len(areas) != len(names):
            # The container and calamine count the sheets differently (a dialog sheet, say):
            # every sheet is held to the largest area found.
            largest = max(areas, key=lambda a: a.rows * a.columns, default=SheetInfo(""))
            areas = [SheetInfo(name, largest.rows, largest.columns) for name in names]
        for name, area in zip(names, areas, strict=True):
            area.name = name
        if not names:
            raise ImportFileError(
                _("The workbook has no sheet with cells."), code="no_sheet", params={}
            )
        if chosen is not None and chosen not in names:
            raise ImportFileError(
                _("The workbook has no sheet “%(sheet)s”."),
                code="no_such_sheet",
                params={"sheet": chosen},
            )
        # The first sheet that has something in it, unless one is chosen; not the summary
        # Apple Numbers puts first when it exports its tables.
        summary = _numbers_summary(workbook, names, areas)
        if summary is not None and chosen != summary:
            notes = [*notes, NUMBERS_SUMMARY_PASSED]
        order = [chosen] if chosen is not None else [n for n in names if n != summary]
        for name in order:
            area = areas[names.index(name)]
            if area.rows and area.columns:
                check_area(area)
                try:
                    rows = workbook.get_sheet_by_name(name).iter_rows()
                    parsed = _parsed(rows, name)
                except PasswordError:
                    raise ImportFileError(ENCRYPTED, code="encrypted") from None
                except CalamineError as error:
                    logger.info("calamine could not read a sheet of a %s: %s", kind, error)
                    raise ImportFileError(CORRUPT, code="corrupt") from None
                if parsed is not None:
                    parsed.kind, parsed.sheets, parsed.notes = kind, names, notes
                    return parsed
        raise ImportFileError(
            _("The sheet “%(sheet)s” is empty.") if chosen else _("The workbook is empty."),
            code="empty",
            params={"sheet": chosen} if chosen else {},
        )


# Numbers' export summary names one table per row; a sheet of more rows is a table of its own.
NUMBERS_SUMMARY_MAX_ROWS = 200


def _numbers_summary(
    workbook: CalamineWorkbook, names: list[str], areas: Sequence[SheetInfo]
) -> str | None:
    """The name of the summary Apple Numbers writes before the tables it exports to Excel, if
    the workbook's first sheet with cells is one: a short sheet mentioning Numbers that lists
    every other sheet of the workbook by name (in whatever language Numbers speaks)."""
    first = next((area for area in areas if area.rows and area.columns), None)
    if first is None or len(names) < 2 or first.rows > NUMBERS_SUMMARY_MAX_ROWS:
        return None
    try:
        check_area(first)
        rows = workbook.get_sheet_by_name(first.name).iter_rows()
        cells = {value.strip() for row in rows for value in row if isinstance(value, str)}
    except (ImportFileError, CalamineError, PasswordError):
        return None  # no summary; reading the sheet itself, if chosen, says what is wrong
    others = set(names) - {first.name}
    if others <= cells and any("Numbers" in cell for cell in cells):
        return first.name
    return None


def _parsed(sheet_rows: Iterable[list[Any]], sheet: str) -> ParsedFile | None:
    """The sheet's rows as text, from its header row on; None if no cell has anything."""
    records: list[tuple[int, list[str], frozenset[int]]] = []
    width = 0
    true, false = gettext("TRUE"), gettext("FALSE")
    for index, values in enumerate(sheet_rows, start=1):
        cells, numbers = _texts(values, true, false)
        last = len(cells)
        while last and not cells[last - 1].strip():
            last -= 1
        if not last:
            continue  # blank rows are skipped, as in a CSV file
        width = max(width, last)
        if max(map(len, cells)) > MAX_CELL_CHARS:
            column = next(n for n, cell in enumerate(cells) if len(cell) > MAX_CELL_CHARS)
            raise cell_too_long(index, column)
        records.append((index, cells, numbers))
    if not records:
        return None
    header_at = _header_index(records)
    header_line, header_cells, _numbers = records[header_at]
    headers = [cell.strip() for cell in _fitted(header_cells, width)]
    check_headers(headers)
    data = records[header_at + 1 :]
    if not data:
        raise ImportFileError(NO_DATA, code="no_data")
    return ParsedFile(
        encoding="",
        delimiter="",
        headers=headers,
        rows=[Row(line, _fitted(cells, width)) for line, cells, _numbers in data],
        header_line=header_line,
        sheet=sheet,
        numbers={line: numbers for line, _cells, numbers in data if numbers},
    )


def _fitted(cells: list[str], width: int) -> list[str]:
    if len(cells) == width:
        return cells
    return cells[:width] if len(cells) > width else cells + [""] * (width - len(cells))


def _header_index(records: list[tuple[int, list[str], frozenset[int]]]) -> int:
    """Which of the first rows holds the column names: the first one filled about as widely as
    the rows below it. A title above ("Kundenliste 2026" in one cell) is passed over."""
    first = [
        sum(1 for cell in cells if cell.strip())
        for _line, cells, _n in records[:HEADER_SEARCH_ROWS]
    ]
    widest = max(first)
    needed = min(widest, max(2, math.ceil(widest / 2)))
    return next(index for index, count in enumerate(first) if count >= needed)


def _texts(values: list[Any], true: str, false: str) -> tuple[list[str], frozenset[int]]:
    """The row's cells as text, and the indexes of those stored as numbers. (Runs for every
    cell: most are text and pass with one type check.)"""
    numbers: list[int] = []
    for index, value in enumerate(values):
        kind = type(value)
        if kind is str:
            if "\r" in value:
                values[index] = value.replace("\r\n", "\n").replace("\r", "\n")
        elif kind is float or kind is int:
            values[index] = number_text(value)
            numbers.append(index)
        else:
            values[index] = _other_text(value, true, false)
    return values, frozenset(numbers)


def _other_text(value: Any, true: str, false: str) -> str:
    if isinstance(value, bool):
        return true if value else false
    if isinstance(value, datetime.datetime):
        return datetime_text(value)
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    if isinstance(value, datetime.timedelta):
        return duration_text(value)
    return "" if value is None else str(value)


def number_text(value: int | float) -> str:
    """A number as a spreadsheet shows it by default: no ".0" on whole numbers, at most 15
    significant digits (0.1 + 0.2 is "0,3"), a decimal comma."""
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return ""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format(value, ".15g").replace(".", ",")


def datetime_text(value: datetime.datetime) -> str:
    if not (value.hour or value.minute or value.second):
        return value.strftime("%d.%m.%Y")
    return value.strftime("%d.%m.%Y %H:%M:%S" if value.second else "%d.%m.%Y %H:%M")


def duration_text(value: datetime.timedelta) -> str:
    seconds = int(value.total_seconds())
    sign, seconds = ("-", -seconds) if seconds < 0 else ("", seconds)
    return f"{sign}{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
