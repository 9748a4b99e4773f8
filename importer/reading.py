"""Uploaded bytes → a header and rows, or one clear `ImportFileError`.

Everything that can be wrong with a file *as a whole* is decided here: empty, binary, an encoding
that does not fit, no header, duplicate or too many columns, a cell that is absurdly long. What
can be wrong with a single row (too few or too many cells, bad values) is left to the row layer,
which gets every row with the physical line it starts on so that its messages can name the line
the user sees in an editor.

Characters are never replaced: a file either decodes strictly in the chosen encoding or is
refused with a message that names the encoding, so "Müller", "€" and "„…“" survive or the user
hears why not.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import chardet
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

MAX_BYTES = 2 * 1024 * 1024  # 2 MiB = 2,097,152 bytes
MAX_COLUMNS = 200
MAX_CELL_CHARS = 10_000
DELIMITERS = (";", ",", "\t", "|")

# How much of the text the delimiter is guessed from; enough for any sane header and rows.
_DELIMITER_SAMPLE_CHARS = 64 * 1024
_DELIMITER_SAMPLE_RECORDS = 100

_SEP_LINE = re.compile(r'\A[ \t]*"?sep=(?P<sep>[^\r\n"])"?[ \t]*(?:\r\n|\r|\n|\Z)', re.IGNORECASE)


class ImportFileError(Exception):
    """The file as a whole cannot be imported; `message` says why, in the user's language.

    The message stays lazy until it is shown, so an error kept for later is rendered in the
    language of whoever reads it.
    """

    def __init__(self, message: str | Promise, *, code: str, params: dict[str, Any] | None = None):
        self.template = message
        self.code = code
        self.params = params or {}
        super().__init__(message)

    @property
    def message(self) -> str:
        text = str(self.template)
        return text % self.params if self.params else text

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"ImportFileError(code={self.code!r}, params={self.params!r})"


class Row(NamedTuple):
    """One record of the file: the physical line it starts on and its cells, untrimmed."""

    line: int
    cells: list[str]


@dataclass
class ParsedFile:
    encoding: str
    delimiter: str
    headers: list[str]
    rows: list[Row] = field(default_factory=list)
    header_line: int = 1
    # "csv", "vcard" for a .vcf file turned into rows (`importer.vcards`: each row's line is
    # its card's BEGIN line; the pictures and contact groups left out are counted), or the kind
    # of workbook ("xlsx", "xls", "ods": then encoding and delimiter are empty, and `sheet` is
    # the sheet read, one of `sheets`).
    kind: str = "csv"
    skipped_photos: int = 0
    skipped_groups: int = 0
    # The program a vCard file names as its writer (PRODID), as the user knows it; "" if none
    # Kontor knows.
    producer: str = ""
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    # Line → indexes of the cells a workbook stored as numbers (a postal code that lost its
    # leading zero is one; see the contact target).
    numbers: dict[int, frozenset[int]] = field(default_factory=dict)
    # What the user should know about how the file was read (codes of READING_NOTES).
    notes: list[str] = field(default_factory=list)

    @property
    def is_vcard(self) -> bool:
        return self.kind == "vcard"

    @property
    def is_workbook(self) -> bool:
        return self.kind not in ("csv", "vcard")

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def note_messages(self) -> list[str]:
        return [str(READING_NOTES[code]) for code in self.notes]

    @property
    def encoding_label(self) -> str:
        return encoding_label(self.encoding)

    @property
    def delimiter_label(self) -> str:
        return delimiter_label(self.delimiter)


# ---------------------------------------------------------------------------------------------
# Encodings

ENCODING_CHOICES: list[tuple[str, str | Promise]] = [
    ("utf-8", "UTF-8"),
    ("utf-8-sig", "UTF-8 (BOM)"),
    ("cp1252", format_lazy("Windows-1252 ({})", _("Western European"))),
    ("iso8859-15", "ISO-8859-15 (Latin-9)"),
    ("iso8859-1", "ISO-8859-1 (Latin-1)"),
    ("cp1250", format_lazy("Windows-1250 ({})", _("Central European"))),
    ("iso8859-2", "ISO-8859-2 (Latin-2)"),
    ("cp1251", format_lazy("Windows-1251 ({})", _("Cyrillic"))),
    ("cp1254", format_lazy("Windows-1254 ({})", _("Turkish"))),
    ("utf-16-le", "UTF-16 LE"),
    ("utf-16-be", "UTF-16 BE"),
    ("mac-roman", "Mac Roman"),
    ("cp850", "DOS Latin-1 (CP850)"),
]
_LABELS = dict(ENCODING_CHOICES)
_BOMS = (
    # UTF-32 first: its little-endian BOM begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# What chardet calls the look-alikes of Windows-1252. For Western text they decode the same
# letters, but only Windows-1252 has „ “ – € where Excel puts them.
_WESTERN = frozenset({"cp1252", "iso8859-1", "iso8859-15", "ascii"})
# Letters that German, French, Spanish or Italian text practically never contains, but that
# Polish, Czech, Turkish or Cyrillic bytes turn into when read as Windows-1252.
_UNLIKELY_WESTERN_LETTERS = frozenset("ŸƒþÞðÐýÝ")
# Non-letters that may stand between two letters in real Western text.
_IN_WORD_MARKS = frozenset("’‘´`·–—‐‑")
_ASCII_BYTES = bytes(range(128))
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\x0b\x0c\x1a") + b"\x7f"
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")
_C1_CONTROLS = re.compile(r"[\x80-\x9f]")

_SIGNATURES = (
    (b"PK\x03\x04", "spreadsheet"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "spreadsheet"),
    (b"%PDF-", "binary"),
    (b"\x89PNG\r\n\x1a\n", "binary"),
    (b"\xff\xd8\xff", "binary"),
    (b"GIF87a", "binary"),
    (b"GIF89a", "binary"),
    (b"\x1f\x8b", "binary"),
)

KIND_LABELS = {
    "csv": _("CSV file"),
    "xlsx": _("Excel workbook"),
    "xls": _("Excel 97–2003 workbook"),
    "ods": _("OpenDocument spreadsheet"),
}

EMPTY = _("The file is empty.")
BLANK = _("The file contains only blank lines and no data.")
BINARY = _(
    "This is not a CSV file: it contains binary data (an image, a PDF or similar). "
    "Please upload a CSV file."
)
SPREADSHEET = _(
    "This is a spreadsheet file (Excel or similar), not a CSV file. In your spreadsheet program "
    "choose “Save as” and the type “CSV”, then upload that file."
)
# What a reader may have to tell about a file it read (`ParsedFile.notes`), by code.
READING_NOTES = {
    "macros_ignored": _(
        "The workbook contains macros. Kontor read only the values in its cells; no macro was run."
    ),
    "numbers_summary_passed": _(
        "The workbook was exported from Apple Numbers: its first sheet, the export summary, was "
        "passed over and the first table read."
    ),
}
NO_DATA = _("The file has a header line but no data rows.")
TOO_LARGE = _("The file is larger than %(limit)s. Split it into smaller files and import each.")


def encoding_label(encoding: str) -> str:
    """A readable name for a codec name ("cp1252" → "Windows-1252 (Western European)")."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return encoding
    return str(_LABELS.get(name, name.upper()))


def encoding_choices(current: str | None = None) -> list[tuple[str, str | Promise]]:
    """ENCODING_CHOICES, plus `current` if detection picked one that is not among them."""
    choices = list(ENCODING_CHOICES)
    if current and current not in _LABELS:
        choices.append((current, encoding_label(current)))
    return choices


def delimiter_label(delimiter: str) -> str:
    return {"\t": str(_("Tab")), " ": str(_("Space"))}.get(delimiter, delimiter)


def check_size(size: int) -> None:
    """Refuse a file of `size` bytes if it is over MAX_BYTES (shared by upload and CLI)."""
    if size > MAX_BYTES:
        raise ImportFileError(TOO_LARGE, code="too_large", params={"limit": "2 MiB"})


def normalize_encoding(encoding: str) -> str:
    """Python's name for a text codec, or ImportFileError for something that is not one."""
    try:
        info = codecs.lookup(encoding.strip())
    except (LookupError, ValueError, TypeError):
        info = None
    # A few codecs (base64, rot13, zlib…) are registered but do not turn bytes into text.
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise ImportFileError(
            _("“%(encoding)s” is not a character encoding Kontor knows."),
            code="unknown_encoding",
            params={"encoding": encoding},
        )
    return info.name


def detect_encoding(data: bytes) -> str:
    """The codec `data` is written in, as Python's codec name.

    A BOM decides; else UTF-16 without BOM is recognised by its pattern of NUL bytes; else strict
    UTF-8; else chardet's guess, except that text which reads as Western European is taken as
    Windows-1252 rather than any of the code pages chardet cannot tell apart from it.
    Raises ImportFileError for empty and binary data.
    """
    if not data:
        raise ImportFileError(EMPTY, code="empty")
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    _refuse_known_binary(data)
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise ImportFileError(BINARY, code="binary")
        return utf16
    _refuse_control_bytes(data)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return _guess_legacy_encoding(data)
    return "utf-8"


def _refuse_known_binary(data: bytes) -> None:
    for signature, code in _SIGNATURES:
        if data.startswith(signature):
            raise ImportFileError(SPREADSHEET if code == "spreadsheet" else BINARY, code=code)


def _refuse_control_bytes(data: bytes) -> None:
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    # A stray control character can be in a real export; many of them cannot.
    if controls > max(2, len(data) // 100):
        raise ImportFileError(BINARY, code="binary")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 LE/BE if `data` has NULs in every other byte, as mostly-Latin UTF-16 text has."""
    if len(data) < 2 or len(data) % 2:
        return None
    pairs = len(data) // 2
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    if odd_nuls >= pairs * 0.3 and even_nuls <= pairs * 0.02:
        return "utf-16-le"
    if even_nuls >= pairs * 0.3 and odd_nuls <= pairs * 0.02:
        return "utf-16-be"
    return None


def _guess_legacy_encoding(data: bytes) -> str:
    try:
        as_1252: str | None = data.decode("cp1252")
    except UnicodeDecodeError:
        as_1252 = None
    if as_1252 is not None and _reads_as_western(data, as_1252):
        return "cp1252"
    guesses = _chardet_guesses(data)
    for name in guesses:
        if name in _WESTERN and as_1252 is not None:
            return "cp1252"
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        if not _C1_CONTROLS.search(text):
            return name
    if as_1252 is not None:
        return "cp1252"
    raise ImportFileError(
        _(
            "Kontor could not tell which character encoding this file uses. "
            "Save it as “CSV UTF-8” and upload it again."
        ),
        code="undetectable_encoding",
    )


def _chardet_guesses(data: bytes) -> list[str]:
    try:
        results = chardet.detect_all(data)
    except Exception:  # a heuristic library must not turn an upload into a 500
        logger.exception("chardet failed on an uploaded file")
        return []
    names = []
    for result in results:
        try:
            names.append(codecs.lookup(result["encoding"]).name)  # type: ignore[arg-type]
        except (LookupError, TypeError):
            continue
    return names


def _reads_as_western(data: bytes, text: str) -> bool:
    """Whether `text` (the data read as Windows-1252) looks like Western European writing.

    In German, French or Spanish text accented letters are a small share of all letters and sit
    inside words; Polish or Czech read this way shows symbols inside words ("Wroc³aw"), Turkish
    shows Icelandic letters ("Ýstanbul"), Cyrillic or Greek consist of accented letters only.
    """
    specials = data.translate(None, _ASCII_BYTES).decode("cp1252")
    if not specials:
        return True
    if any(char in _UNLIKELY_WESTERN_LETTERS for char in set(specials)):
        return False
    accented = sum(1 for char in specials if char.isalpha())
    ascii_letters = len(data) - len(data.translate(None, _ASCII_LETTERS))
    if accented > 0.3 * (accented + ascii_letters):
        return False
    marks = {char for char in set(specials) if not char.isalpha() and char not in _IN_WORD_MARKS}
    return not any(_between_letters(text, mark) for mark in marks)


def _between_letters(text: str, char: str, limit: int = 1000) -> bool:
    position = text.find(char)
    while position >= 0 and limit:
        if 0 < position < len(text) - 1:
            before, after = text[position - 1], text[position + 1]
            if before.isalpha() and after.isalpha():
                return True
        position = text.find(char, position + 1)
        limit -= 1
    return False


def decode(data: bytes, encoding: str | None = None) -> str:
    """`data` as text, in `encoding` or the detected one; a leading BOM is dropped.

    Raises ImportFileError naming the encoding if the bytes do not fit it, and for binary data.
    """
    if not data:
        raise ImportFileError(EMPTY, code="empty")
    name = normalize_encoding(encoding) if encoding else detect_encoding(data)
    try:
        text = data.decode(name)
    except (UnicodeError, ValueError) as error:
        line = data.count(b"\n", 0, getattr(error, "start", 0)) + 1
        raise ImportFileError(
            _(
                "The file cannot be read as %(encoding)s: line %(line)s contains bytes that are "
                "not valid in that encoding. Choose another encoding, or save the file as "
                "“CSV UTF-8” and upload it again."
            ),
            code="encoding",
            params={"encoding": encoding_label(name), "line": line},
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    _refuse_control_chars(text)
    return text


def _refuse_control_chars(text: str) -> None:
    # Also catches a wrongly chosen encoding (UTF-16 read as Latin-1) and NUL-ridden text.
    if "\x00" in text:
        raise ImportFileError(BINARY, code="binary")
    controls = len(_CONTROL_CHARS.findall(text, 0, 100_000))
    if controls > max(2, min(len(text), 100_000) // 100):
        raise ImportFileError(BINARY, code="binary")


# ---------------------------------------------------------------------------------------------
# Delimiters


def _sep_line(text: str) -> re.Match[str] | None:
    return _SEP_LINE.match(text)


def detect_delimiter(text: str) -> str:
    """The delimiter among ; , tab | that splits the text into the most consistent columns.

    Excel's `sep=X` first line wins. Otherwise each candidate must give the header at least two
    columns; among those, the one with which most rows have as many cells as the header wins,
    then the one with more columns, then the order above. A file with only one column gets `;`.
    """
    match = _sep_line(text)
    if match:
        return match["sep"]
    sample = text[:_DELIMITER_SAMPLE_CHARS]
    truncated = len(text) > len(sample)
    best: tuple[tuple[bool, float, int, int], str] | None = None
    for rank, candidate in enumerate(DELIMITERS):
        counts = _column_counts(sample, candidate, drop_last=truncated)
        if not counts:
            continue
        header, rest = counts[0], counts[1:]
        consistent = sum(1 for count in rest if count == header) / len(rest) if rest else 1.0
        score = (header >= 2, consistent, header, -rank)
        if best is None or score > best[0]:
            best = (score, candidate)
    return best[1] if best else DELIMITERS[0]


def _column_counts(sample: str, delimiter: str, *, drop_last: bool) -> list[int]:
    counts = []
    try:
        for record in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
            # Lines of bare delimiters count: they show the delimiter as well as any other.
            if len(record) > 1 or (record and record[0].strip()):
                counts.append(len(record))
            if len(counts) > _DELIMITER_SAMPLE_RECORDS:
                break
    except csv.Error:
        return counts
    if drop_last and len(counts) > 1:
        counts.pop()
    return counts


def _normalize_delimiter(delimiter: str) -> str:
    named = {"tab": "\t", "\\t": "\t", "semicolon": ";", "comma": ",", "pipe": "|"}
    value = named.get(delimiter.strip().lower(), delimiter) if delimiter.strip() else delimiter
    if len(value) != 1 or value in '\r\n"' or value.isalnum():
        raise ImportFileError(
            _("“%(delimiter)s” cannot be used as a delimiter; use one of ; , | or tab."),
            code="bad_delimiter",
            params={"delimiter": delimiter},
        )
    return value


# ---------------------------------------------------------------------------------------------
# Reading


def read_csv(
    data: bytes, *, encoding: str | None = None, delimiter: str | None = None
) -> ParsedFile:
    """Decode and split an uploaded CSV file; raise ImportFileError if it cannot be imported.

    Blank records (empty lines, lines of delimiters only) are skipped. Line breaks are
    normalised to "\\n", also inside quoted cells. Cells are kept as they are, headers trimmed.
    """
    check_size(len(data))
    chosen = normalize_encoding(encoding) if encoding else detect_encoding(data)
    text = decode(data, chosen)
    if not text.strip():
        raise ImportFileError(BLANK, code="blank")
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    offset = 0
    match = _sep_line(text)
    if match:
        delimiter = delimiter or match["sep"]
        text = text[match.end() :]
        offset = 1
        if not text.strip():
            raise ImportFileError(BLANK, code="blank")
    delimiter = _normalize_delimiter(delimiter) if delimiter else detect_delimiter(text)

    records = _records(text, delimiter, offset)
    header_line, raw_headers = records[0] if records else (1 + offset, [])
    headers = [cell.strip().strip("\ufeff").strip() for cell in raw_headers]
    check_headers(headers)
    rows = [Row(line, cells) for line, cells in records[1:]]
    if not rows:
        raise ImportFileError(NO_DATA, code="no_data")
    return ParsedFile(
        encoding=chosen, delimiter=delimiter, headers=headers, rows=rows, header_line=header_line
    )


def _records(text: str, delimiter: str, offset: int) -> list[tuple[int, list[str]]]:
    """(line the record starts on, cells) for each non-blank record, checking cell lengths."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            line = start + offset
            start = reader.line_num + 1
            joined = "".join(cells)
            # Blank lines are skipped, but a first line of bare delimiters is a missing header.
            if (not joined or joined.isspace()) and (records or len(cells) < 2):
                continue
            if len(joined) > MAX_CELL_CHARS:
                for index, cell in enumerate(cells):
                    if len(cell) > MAX_CELL_CHARS:
                        raise cell_too_long(line, index, opened_quote="\n" in cell)
            records.append((line, cells))
    except csv.Error:
        # Only the csv module's own field limit (131,072) ends up here in practice.
        column = _long_cell_column(text, delimiter, start)
        raise cell_too_long(start + offset, column) from None
    if records:
        line, cells = records[-1]
        if _ends_inside_quotes(text, delimiter, line - offset, cells):
            raise ImportFileError(
                _(
                    "A quotation mark in the cell on line %(line)s is opened but never closed, "
                    "so the rest of the file would end up in that one cell. Check the quotation "
                    "marks."
                ),
                code="unclosed_quote",
                params={"line": line},
            )
    return records


def cell_too_long(line: int, column: int, *, opened_quote: bool = False) -> ImportFileError:
    params = {"line": line, "column": column + 1, "limit": f"{MAX_CELL_CHARS:,}"}
    if opened_quote:
        message = _(
            "The cell in line %(line)s, column %(column)s is longer than %(limit)s characters. "
            "Perhaps a quotation mark there is never closed."
        )
    else:
        message = _(
            "The cell in line %(line)s, column %(column)s is longer than %(limit)s characters."
        )
    return ImportFileError(message, code="cell_too_long", params=params)


def _lines_from(text: str, line: int) -> str:
    """The text from the start of the given (1-based) line on."""
    position = 0
    for _index in range(line - 1):
        position = text.find("\n", position) + 1
        if position == 0:
            return ""
    return text[position:]


def _scan_record(segment: str, delimiter: str) -> tuple[bool, int]:
    """Walk one record as the csv module does: (ends inside quotes, index of the first long cell).

    Only used when something went wrong, so plain Python speed is fine.
    """
    column, length, quoted, at_start, long_column = 0, 0, False, True, -1
    index, size = 0, len(segment)
    while index < size:
        char = segment[index]
        if quoted:
            if char == '"':
                if index + 1 < size and segment[index + 1] == '"':
                    index += 1
                    length += 1
                else:
                    quoted = False
            else:
                length += 1
        elif char == '"' and at_start:
            quoted = True
        elif char == delimiter:
            column, length = column + 1, 0
            at_start = True
            index += 1
            continue
        elif char == "\n":
            return False, long_column
        else:
            length += 1
        at_start = False
        if length > MAX_CELL_CHARS and long_column < 0:
            long_column = column
        index += 1
    return quoted, long_column


def _long_cell_column(text: str, delimiter: str, line: int) -> int:
    _quoted, column = _scan_record(_lines_from(text, line), delimiter)
    return max(column, 0)


def _ends_inside_quotes(text: str, delimiter: str, line: int, cells: list[str]) -> bool:
    """Whether the last record swallowed the lines after it because a quote never closed."""
    if not any("\n" in cell for cell in cells):
        return False
    return _scan_record(_lines_from(text, line), delimiter)[0]


_NUMBER_CHARS = frozenset("0123456789 .,/:+-()")
_EMAIL_OR_WEB = re.compile(r"\A(?:[^@\s]+@[^@\s]+|(?:https?://|www\.)\S+)\Z", re.IGNORECASE)


def _looks_like_data(header: str) -> bool:
    """A number with 3+ digits (postal code, phone, date), an e-mail or web address."""
    if len(header) > 254:
        return False
    if set(header) <= _NUMBER_CHARS and sum(char.isdigit() for char in header) >= 3:
        return True
    return bool(_EMAIL_OR_WEB.match(header))


def check_headers(headers: list[str]) -> None:
    named = [header for header in headers if header]
    if not named:
        raise ImportFileError(
            _(
                "The first line of the file must contain the column names, but it is empty or "
                "contains only delimiters."
            ),
            code="no_header",
        )
    if len(headers) > MAX_COLUMNS:
        raise ImportFileError(
            _("The file has %(count)s columns; at most %(limit)s are allowed."),
            code="too_many_columns",
            params={"count": f"{len(headers):,}", "limit": MAX_COLUMNS},
        )
    data_like = [header for header in named if _looks_like_data(header)]
    if data_like:
        raise ImportFileError(
            _(
                "The first line should contain the column names, but it looks like data "
                "(“%(value)s”). Add a line with the column names at the top; the template "
                "shows them."
            ),
            code="no_header",
            params={"value": data_like[0][:60]},
        )
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        key = header.casefold()
        if key in seen:
            raise ImportFileError(
                _(
                    "The column “%(name)s” appears more than once (columns %(first)s and "
                    "%(second)s). Each column needs a name of its own."
                ),
                code="duplicate_header",
                params={"name": header[:60], "first": seen[key] + 1, "second": index + 1},
            )
        seen[key] = index
