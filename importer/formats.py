"""Which kind of file an upload is, told by its content, and the reader for it.

The file's name never decides: a workbook saved as "kunden.csv" is read as a workbook, a CSV
file called "kunden.xlsx" as CSV. Each kind is recognised by how its bytes begin (and, for zip
archives, by the parts inside, see `workbooks`); whatever no kind claims is read as CSV, which
refuses what is not text with a message of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import workbooks
from .reading import ParsedFile, check_size, read_csv


@dataclass(frozen=True)
class FileFormat:
    kind: str
    recognises: Callable[[bytes], bool]
    # Reads the bytes with the options chosen on the page (those that apply to this kind).
    read: Callable[..., ParsedFile]


FORMATS: tuple[FileFormat, ...] = (
    FileFormat("zip-workbook", workbooks.is_zip, workbooks.read_zip_workbook),
    FileFormat("ole2-workbook", workbooks.is_ole2, workbooks.read_ole2_workbook),
)


def read_upload(
    data: bytes,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> ParsedFile:
    """The uploaded bytes as a header and rows, whatever the kind of file; ImportFileError
    with a message for the user when they cannot be imported."""
    check_size(len(data))
    for file_format in FORMATS:
        if file_format.recognises(data):
            return file_format.read(data, sheet=sheet)
    return read_csv(data, encoding=encoding, delimiter=delimiter)
