"""Which kind of file an upload is, told by its content, and the reader for it.

The file's name never decides: a workbook saved as "kunden.csv" is read as a workbook, a .vcf
saved as .txt is still a vCard file, a CSV file called "kunden.xlsx" is read as CSV. Each kind is
recognised by how its bytes begin (and, for zip archives, by the parts inside, see `workbooks`);
whatever no kind claims is read as CSV, which refuses what is not text with a message of its own.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass

from . import workbooks
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


def _read_vcards(
    data: bytes, *, encoding: str | None = None, delimiter: str | None = None, **_options
) -> ParsedFile:
    return read_vcards(data, encoding=encoding, delimiter=delimiter)


def _read_workbook(reader: Callable[..., ParsedFile]) -> Callable[..., ParsedFile]:
    def read(data: bytes, *, sheet: str | None = None, **_options) -> ParsedFile:
        return reader(data, sheet=sheet)

    return read


@dataclass(frozen=True)
class FileFormat:
    kind: str
    recognises: Callable[[bytes], bool]
    # Reads the bytes with the options chosen on the page (those that apply to this kind).
    read: Callable[..., ParsedFile]


FORMATS: tuple[FileFormat, ...] = (
    FileFormat("zip-workbook", workbooks.is_zip, _read_workbook(workbooks.read_zip_workbook)),
    FileFormat("ole2-workbook", workbooks.is_ole2, _read_workbook(workbooks.read_ole2_workbook)),
    FileFormat("vcard", is_vcard, _read_vcards),
)


def read_upload(
    data: bytes,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> ParsedFile:
    """The uploaded bytes as a header and rows, whatever the kind of file: a workbook's sheet
    (`importer.workbooks`), a vCard file's cards (`importer.vcards`), else a CSV file's rows.
    Raises ImportFileError with a message for the user when they cannot be imported."""
    check_size(len(data))
    for file_format in FORMATS:
        if file_format.recognises(data):
            return file_format.read(data, encoding=encoding, delimiter=delimiter, sheet=sheet)
    return read_csv(data, encoding=encoding, delimiter=delimiter)
