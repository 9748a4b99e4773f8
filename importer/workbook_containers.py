"""What a workbook's container holds, inspected before any reader unpacks it.

python-calamine keeps a sheet as one dense block of rows × columns, so a file of a few hundred
bytes that names a cell at XFD1048576 would have it ask for gigabytes (and abort the process).
So before calamine sees the file, this module reads what the container says and checks it: the
zip directory's sizes (a zip bomb), every part unpacked once against its size and checksum (so no
reader after this one unpacks more than was checked), the number of sheets and the area the
cells of each sheet span; in an OLE2 file (an .xls) its workbook stream's cell records, and
whether it is the container Excel puts a password-protected workbook in (`EncryptedPackage`).
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

import olefile  # type: ignore[import-untyped]
from defusedxml import ElementTree
from django.utils.translation import gettext_lazy as _

from .reading import MAX_COLUMNS, ImportFileError

MAX_SHEETS = 50
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# A part may unpack to this many times its packed size; real sheets stay far below (10–30×).
MAX_RATIO = 200
# What calamine holds of a sheet is rows × columns cells, each some 32 bytes, besides the cells
# it read and their text in Python (a sheet of 1,000,000 numbers took about 115 MB in all).
MAX_CELLS = 1_500_000
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

CORRUPT = _(
    "The file is a damaged workbook: it cannot be opened. Open it in your spreadsheet program, "
    "save it again and upload it once more."
)
NOT_A_WORKBOOK = _(
    "This file is a packed archive or an Office document, but no workbook Kontor can read. "
    "Upload a CSV file or an Excel workbook (.xlsx, .xls) or OpenDocument spreadsheet (.ods)."
)
ENCRYPTED = _(
    "The workbook is protected by a password, so Kontor cannot read it. Open it in Excel, "
    "remove the password (File → Info → Protect Workbook → Encrypt with Password: leave the "
    "field empty), save it and upload it again."
)
# Apple's iWork documents are zip archives of Apple's own binary parts (Index/*.iwa; before
# 2013 an Index.zip) that no maintained reader takes; Numbers itself exports them as a workbook.
NUMBERS_FILE = _(
    "This is an Apple Numbers document. In Numbers choose File → Export To → Excel… (or CSV…) "
    "and upload the file it saves."
)
MACROS_IGNORED = "macros_ignored"  # a code of reading.READING_NOTES
NUMBERS_SUMMARY_PASSED = "numbers_summary_passed"  # a code of reading.READING_NOTES


@dataclass
class SheetInfo:
    name: str
    rows: int = 0  # the area its cells span, as calamine will hold it
    columns: int = 0


def inspect_zip(data: bytes) -> tuple[str, list[SheetInfo], list[str]]:
    """The kind of workbook ("xlsx", "ods"), the area of each of its sheets and the notes for
    the user (macros); ImportFileError for a zip that is no workbook, or a hostile one."""
    archive = _open_zip(data)
    names = set(archive.namelist())
    if "xl/workbook.xml" in names:
        notes = [MACROS_IGNORED] if "xl/vbaProject.bin" in names else []
        return "xlsx", _xlsx_sheets(archive), notes
    if _is_ods(archive):
        notes = [MACROS_IGNORED] if any(_is_ods_macro(n) for n in names) else []
        return "ods", _ods_sheets(archive), notes
    if any(name.endswith(".iwa") for name in names) or "Index.zip" in names:
        raise ImportFileError(NUMBERS_FILE, code="numbers")
    if "xl/workbook.bin" in names:
        raise ImportFileError(
            _(
                "This is an Excel binary workbook (.xlsb). Save it in Excel as “Excel workbook "
                "(.xlsx)” and upload that file."
            ),
            code="xlsb",
        )
    raise ImportFileError(NOT_A_WORKBOOK, code="not_a_workbook")


def _open_zip(data: bytes) -> zipfile.ZipFile:
    """The archive, once its directory says it is no zip bomb and every part unpacks to the
    size and checksum the directory gives (so no reader after this one unpacks more)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ImportFileError(CORRUPT, code="corrupt") from None
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED_BYTES or len(infos) > 10_000:
        raise ImportFileError(
            _(
                "The workbook unpacks to more than %(limit)s. Delete what the import does not "
                "need (other sheets, pictures) or save the sheet as CSV, and upload that file."
            ),
            code="unpacked_too_large",
            params={"limit": "50 MiB"},
        )
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ImportFileError(
                _(
                    "The workbook is packed in a way real workbooks never are (a part unpacks "
                    "to %(ratio)s times its size), so Kontor does not open it."
                ),
                code="zip_bomb",
                params={"ratio": f"{info.file_size // max(info.compress_size, 1):,}"},
            )
    try:
        for info in infos:
            with archive.open(info) as part:
                while part.read(1024 * 1024):
                    pass
    except (
        zipfile.BadZipFile,
        zlib.error,
        NotImplementedError,
        RuntimeError,
        ValueError,
        OSError,
        EOFError,
    ):
        # A wrong checksum or size, broken packed data, an unknown compression, an encrypted zip.
        raise ImportFileError(CORRUPT, code="corrupt") from None
    return archive


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except KeyError:
        raise ImportFileError(CORRUPT, code="corrupt") from None


def _parse_xml(data: bytes) -> Any:
    try:
        return ElementTree.fromstring(data)
    except Exception:  # defusedxml's refusals and every kind of broken XML alike
        raise ImportFileError(CORRUPT, code="corrupt") from None


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_WORKSHEET_TYPE = "/worksheet"


def _xlsx_sheets(archive: zipfile.ZipFile) -> list[SheetInfo]:
    """The worksheets (not chart sheets) in workbook order, each with the area it spans."""
    workbook = _parse_xml(_read_part(archive, "xl/workbook.xml"))
    names = set(archive.namelist())
    rels_name = "xl/_rels/workbook.xml.rels"
    targets: dict[str, str] = {}
    if rels_name in names:
        for rel in _parse_xml(archive.read(rels_name)).iter(_REL):
            if rel.get("Type", "").endswith(_WORKSHEET_TYPE):
                target = rel.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                targets[rel.get("Id", "")] = posixpath.normpath(path)
    sheets: list[SheetInfo] = []
    for element in workbook.iter(f"{_MAIN_NS}sheet"):
        part = targets.get(element.get(_REL_ID, ""))
        if part is None:
            continue  # a chart sheet or a dialog sheet: nothing to import
        check_sheet_count(len(sheets) + 1)
        info = SheetInfo(element.get("name", ""))
        if part in names:
            info.rows, info.columns = _xlsx_area(archive.read(part))
        sheets.append(info)
    return sheets


# A cell's reference (`<c r="AB12" …>`; a row's reference has no letters), its letters and its
# row number, as Excel, LibreOffice and the libraries write them: the fast way, for every cell.
_XLSX_LETTERS = re.compile(rb' r="([A-Z]{1,3})[0-9]')
_XLSX_ROW_NUMBERS = re.compile(rb' r="[A-Z]{1,3}([0-9]{1,7})"')
# Cells however written (a namespace prefix, no reference), for files written otherwise.
_XLSX_ANY_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>/]")
_XLSX_CELL = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_XLSX_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")


def _xlsx_area(xml: bytes) -> tuple[int, int]:
    """(rows, columns) of the area the sheet's cells span, as calamine will hold it: from the
    first to the last row and column that a cell names (empty cells counted too, so this may be
    a little more than calamine keeps, never less). Cells written without a reference are
    placed one after the other, as calamine places them."""
    cells = xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b"<c/>")
    if xml.count(b'<c r="') != cells or b":c " in xml or b":c>" in xml:
        return _xlsx_area_written_otherwise(xml)
    if not cells:
        return 0, 0
    # Sets of bytes: a few hundred thousand references, but no tuple or int for each.
    letters = set(_XLSX_LETTERS.findall(xml))
    numbers = [int(row) for row in set(_XLSX_ROW_NUMBERS.findall(xml))]
    if not letters or not numbers:
        return _xlsx_area_written_otherwise(xml)
    columns = [_column_number(name) for name in letters]
    return max(numbers) - min(numbers) + 1, max(columns) - min(columns) + 1


def _xlsx_area_written_otherwise(xml: bytes) -> tuple[int, int]:
    refs = _XLSX_CELL.findall(xml)
    rows = _XLSX_ROW.split(xml)
    widest = max((len(_XLSX_ANY_CELL.findall(row)) for row in rows), default=0)
    letters = {letters for letters, _row in refs}
    height = max([len(rows), *(int(row) for _letters, row in refs)])
    return height, max([widest, *(_column_number(name) for name in letters)])


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _is_ods(archive: zipfile.ZipFile) -> bool:
    try:
        return archive.read("mimetype").strip() == ODS_MIMETYPE
    except KeyError:
        return False


def _is_ods_macro(name: str) -> bool:
    return name.startswith(("Basic/", "Scripts/")) and not name.endswith("/")


_ODS_TABLE = re.compile(rb'<table:table\s[^>]*?table:name="([^"]*)"')
_ODS_TABLE_END = b"</table:table>"
_ODS_ROW = re.compile(rb"<table:table-row\b([^>]*)>(.*?)</table:table-row>", re.DOTALL)
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*?)(/?)>")
_ODS_REPEATED_ROWS = re.compile(rb'table:number-rows-repeated="(\d+)"')
_ODS_REPEATED_COLUMNS = re.compile(rb'table:number-columns-repeated="(\d+)"')


def _ods_sheets(archive: zipfile.ZipFile) -> list[SheetInfo]:
    """The tables of content.xml with the area their cells with a value span. Spreadsheet
    programs write empty rows and cells as one element repeated thousands of times; what
    counts is how often an element with a value is repeated."""
    content = _read_part(archive, "content.xml")
    starts = list(_ODS_TABLE.finditer(content))
    check_sheet_count(len(starts))
    sheets: list[SheetInfo] = []
    for match in starts:
        end = content.find(_ODS_TABLE_END, match.end())
        body = content[match.end() : end if end >= 0 else len(content)]
        name = match.group(1).decode("utf-8", "replace")
        info = SheetInfo(_unescape_xml(name))
        info.rows, info.columns = _ods_area(body)
        sheets.append(info)
    return sheets


def _ods_area(body: bytes) -> tuple[int, int]:
    row_number, last_row, widest = 0, 0, 0
    for attributes, cells in _ODS_ROW.findall(body):
        repeat = _repeat(_ODS_REPEATED_ROWS, attributes)
        column, last_column = 0, 0
        for cell_attributes, empty in _ODS_CELL.findall(cells):
            column += _repeat(_ODS_REPEATED_COLUMNS, cell_attributes)
            if not empty or b"office:value-type" in cell_attributes:
                last_column = column
        if last_column:
            last_row = row_number + repeat
            widest = max(widest, last_column)
        row_number += repeat
    return last_row, widest


def _repeat(pattern: re.Pattern[bytes], attributes: bytes) -> int:
    match = pattern.search(attributes)
    return int(match.group(1)) if match else 1


def _unescape_xml(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def inspect_ole2(data: bytes) -> tuple[list[SheetInfo], list[str]]:
    """The area of each sheet of an .xls and the notes for the user (macros); ImportFileError
    for an encrypted workbook, an Office file that is no workbook, a damaged file."""
    try:
        ole = olefile.OleFileIO(data)
    except Exception:  # olefile raises OSError and others for a broken container
        raise ImportFileError(CORRUPT, code="corrupt") from None
    with ole:
        if ole.exists("EncryptedPackage"):
            raise ImportFileError(ENCRYPTED, code="encrypted")
        stream = next((name for name in ("Workbook", "Book") if ole.exists(name)), None)
        if stream is None:
            raise ImportFileError(NOT_A_WORKBOOK, code="not_a_workbook")
        try:
            biff = ole.openstream(stream).read()
        except Exception:
            raise ImportFileError(CORRUPT, code="corrupt") from None
        notes = [MACROS_IGNORED] if ole.exists("_VBA_PROJECT_CUR") else []
    areas = _biff_areas(biff)
    check_sheet_count(len(areas))
    return areas, notes


# BIFF8 records that hold one cell (row and column first) and the two that hold a run of them
# (row, first column, …, last column at the end). Blank cells (formatting only) do not count.
_BIFF_CELLS = frozenset({0x0006, 0x00FD, 0x0203, 0x027E, 0x0205, 0x0204, 0x00D6})
_BIFF_MULRK = 0x00BD
_BIFF_BOF = 0x0809
_BIFF_EOF = 0x000A


def _biff_areas(biff: bytes) -> list[SheetInfo]:
    """The area each worksheet's cells span (names come from calamine), in stream order."""
    areas: list[SheetInfo] = []
    position, size, depth = 0, len(biff), 0
    bounds: list[int] | None = None  # first row, last row, first column, last column
    unpack = struct.unpack_from
    while position + 4 <= size:
        kind, length = unpack("<HH", biff, position)
        body = position + 4
        position = body + length
        if kind == _BIFF_BOF:
            depth += 1
            if depth == 1 and len(areas) < MAX_SHEETS + 1 and body + 4 <= size:
                sheet_type = unpack("<H", biff, body + 2)[0]
                bounds = [] if sheet_type == 0x0010 else None  # 0x10: a worksheet
        elif kind == _BIFF_EOF:
            depth -= 1
            if depth == 0 and bounds is not None:
                rows = bounds[1] - bounds[0] + 1 if bounds else 0
                columns = bounds[3] - bounds[2] + 1 if bounds else 0
                areas.append(SheetInfo("", rows, columns))
                bounds = None
        elif bounds is not None and depth == 1 and length >= 4:
            if kind in _BIFF_CELLS:
                row, first = unpack("<HH", biff, body)
                last = first
            elif kind == _BIFF_MULRK and length >= 6:
                row, first = unpack("<HH", biff, body)
                last = unpack("<H", biff, body + length - 2)[0]
            else:
                continue
            if bounds:
                bounds[0], bounds[1] = min(bounds[0], row), max(bounds[1], row)
                bounds[2], bounds[3] = min(bounds[2], first), max(bounds[3], last)
            else:
                bounds.extend((row, row, first, last))
    return areas


def check_sheet_count(count: int) -> None:
    if count > MAX_SHEETS:
        raise ImportFileError(
            _(
                "The workbook has more than %(limit)s sheets. Copy the sheet to import into a "
                "workbook of its own and upload that."
            ),
            code="too_many_sheets",
            params={"limit": MAX_SHEETS},
        )


def check_area(info: SheetInfo) -> None:
    if info.columns > MAX_COLUMNS:
        raise ImportFileError(
            _(
                "The sheet “%(sheet)s” has %(count)s columns; at most %(limit)s are allowed. "
                "Delete the columns that are not needed."
            ),
            code="too_many_columns",
            params={"sheet": info.name, "count": f"{info.columns:,}", "limit": MAX_COLUMNS},
        )
    if info.rows * info.columns > MAX_CELLS:
        raise ImportFileError(
            _(
                "The sheet “%(sheet)s” spans %(rows)s rows and %(columns)s columns, more than "
                "Kontor reads at once. Split it into smaller files and import each."
            ),
            code="too_many_cells",
            params={
                "sheet": info.name,
                "rows": f"{info.rows:,}",
                "columns": f"{info.columns:,}",
            },
        )
