"""Workbooks for the tests, made the way spreadsheet programs write them.

Excel workbooks come from XlsxWriter (shared strings, number formats, cached formula values, as
Excel saves them); OpenDocument spreadsheets and the damaged, hostile and encrypted files are
put together here byte by byte, small enough to read.
"""

from __future__ import annotations

import datetime
import io
import struct
import zipfile
from collections.abc import Sequence
from typing import Any

import xlsxwriter

Cell = Any


def xlsx(
    sheets: dict[str, Sequence[Sequence[Cell]]],
    *,
    title: dict[str, str] | None = None,
    macros: bool = False,
) -> bytes:
    """A workbook with one sheet per entry. A cell may be a value, None (left empty), a date
    (written as Excel writes dates: a number with a date format) or ("=formula", cached value).
    `title` puts a title row above a sheet's rows, merged across like a report's heading."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    date_format = book.add_format({"num_format": "dd.mm.yyyy"})
    bold = book.add_format({"bold": True})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        offset = 0
        if title and name in title:
            width = max((len(row) for row in rows), default=1)
            if width > 1:
                sheet.merge_range(0, 0, 0, width - 1, title[name], bold)
            else:
                sheet.write(0, 0, title[name], bold)
            offset = 1
        for r, row in enumerate(rows, start=offset):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, tuple):
                    sheet.write_formula(r, c, value[0], None, value[1])
                elif isinstance(value, datetime.date):
                    sheet.write_datetime(r, c, value, date_format)
                else:
                    sheet.write(r, c, value)
    if macros:
        # An .xlsm: the workbook with a VBA project part (its content is never run or read).
        book.set_vba_name("ThisWorkbook")
    book.close()
    data = out.getvalue()
    if macros:
        data = _with_part(
            data, "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
        )
    return data


def _with_part(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr(name, content)
    return out.getvalue()


def replaced_part(data: bytes, name: str, content: bytes, *, level: int = 6) -> bytes:
    """The workbook with one part's content replaced (packed at `level`)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = content if info.filename == name else source.read(info)
            target.writestr(info.filename, body, zipfile.ZIP_DEFLATED, level)
    return out.getvalue()


def sheet_xml(rows: str) -> bytes:
    """A worksheet part around `rows` (the <row> elements)."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode()


# --- OpenDocument ----------------------------------------------------------------------------

_ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'office:version="1.3"'
)


def _ods_cell(value: Cell) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, bool):
        flag = "true" if value else "false"
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value="{flag}">'
            f"<text:p>{flag.upper()}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if isinstance(value, datetime.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
            f"<text:p>{value:%d.%m.%Y}</text:p></table:table-cell>"
        )
    text = str(value).replace("&", "&amp;").replace("<", "&lt;")
    return (
        f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
    )


def ods(sheets: dict[str, Sequence[Sequence[Cell]]], *, extra_rows: str = "") -> bytes:
    """An OpenDocument spreadsheet as LibreOffice saves it: after the rows, the rest of the
    sheet as one empty row repeated to the last row (and `extra_rows`, if given)."""
    tables = []
    for name, rows in sheets.items():
        body = "".join(
            "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        trailing = (
            f'<table:table-row table:number-rows-repeated="{1048576 - len(rows)}">'
            '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
        )
        tables.append(
            f'<table:table table:name="{name}">'
            '<table:table-column table:number-columns-repeated="16384"/>'
            f"{body}{extra_rows}{trailing}</table:table>"
        )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<office:document-content {_ODS_NAMESPACES}><office:body><office:spreadsheet>"
        f"{''.join(tables)}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


# --- An encrypted workbook -------------------------------------------------------------------

_FREE, _END, _FAT_SECTOR, _NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _directory_entry(
    name: str, kind: int, *, left=_NO_STREAM, right=_NO_STREAM, child=_NO_STREAM, start=_END, size=0
) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBBIII", len(encoded), kind, 1, left, right, child)
        + bytes(16 + 4 + 8 + 8)
        + struct.pack("<IQ", start, size)
    )


def encrypted_workbook() -> bytes:
    """What Excel saves for a workbook with a password: no zip, but an OLE2 compound file
    with the streams EncryptionInfo and EncryptedPackage (their content here is filler of the
    right sizes; Kontor only needs to recognise the container)."""
    stream_sectors = 8  # 4096 bytes each: at the mini stream cutoff, so in regular sectors
    info_start, package_start = 2, 2 + stream_sectors
    fat = [_FAT_SECTOR, _END]
    for start in (info_start, package_start):
        fat += [*range(start + 1, start + stream_sectors), _END]
    fat += [_FREE] * (128 - len(fat))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<109I", 0, *([_FREE] * 108))
    )
    directory = (
        _directory_entry("Root Entry", 5, child=2)
        + _directory_entry("EncryptionInfo", 2, start=info_start, size=4096)
        + _directory_entry("EncryptedPackage", 2, left=1, start=package_start, size=4096)
        + _directory_entry("", 0)
    )
    sectors = struct.pack("<128I", *fat) + directory
    sectors += b"\x04\x00\x04\x00" + bytes(4092) + struct.pack("<Q", 2048) + b"\x5a" * 4088
    return header + sectors
