"""An upload → a ParsedFile, whatever kind of file it is: recognised by its content, never by
its name (a .vcf saved as .txt is still a vCard file)."""

from __future__ import annotations

import codecs

from .reading import ParsedFile, check_size, read_csv
from .vcards import read_vcards

# Enough of the start to find BEGIN:VCARD after a BOM and blank lines, in any encoding.
_SNIFF_BYTES = 4096
_MARKER = "BEGIN:VCARD"
_UTF16 = (
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def is_vcard(data: bytes) -> bool:
    """Whether `data` starts with BEGIN:VCARD (after an optional BOM and white space)."""
    head = data[:_SNIFF_BYTES]
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be")):
        if head.startswith(bom):
            return _starts(head[len(bom) :].decode(name, errors="ignore"))
    for bom, name in _UTF16:
        if head.startswith(bom):
            return _starts(head[len(bom) :].decode(name, errors="ignore"))
    # UTF-16 without a BOM: the first letter (B or white space) has a NUL beside it.
    if head[1:2] == b"\x00":
        return _starts(head.decode("utf-16-le", errors="ignore"))
    if head[:1] == b"\x00":
        return _starts(head.decode("utf-16-be", errors="ignore"))
    return _starts(head.removeprefix(codecs.BOM_UTF8).decode("latin-1"))


def _starts(text: str) -> bool:
    return text.lstrip(" \t\r\n\ufeff")[: len(_MARKER)].upper() == _MARKER


def read_upload(
    data: bytes,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> ParsedFile:
    """The upload's rows: a vCard file's cards (`importer.vcards`), else the CSV file's rows.

    `sheet` is the worksheet of a spreadsheet; no spreadsheet is read yet, so it is unused.
    Raises ImportFileError for a file that cannot be imported.
    """
    check_size(len(data))
    if is_vcard(data):
        return read_vcards(data, encoding=encoding, delimiter=delimiter)
    return read_csv(data, encoding=encoding, delimiter=delimiter)
