"""Checking an import: every row parsed and validated, nothing written.

A check has two parts. The file's part (cells parsed, rows validated, numbers repeated within the
file) depends on nothing but the file and the column assignment: the preview keeps its outcome
with the import (`keep_rows`), and the import itself starts from there (`kept_rows`). The
database's part (which numbers exist, what would change) runs for the preview and again inside
the writing transaction, so what is written is what the database allows at that moment.
"""

from __future__ import annotations

import hashlib
import hmac
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .columns import Column, column_index, normalize_header
from .formulas import FORMULA_STARTS, unescape_formula
from .reading import ParsedFile


class OnDuplicate(models.TextChoices):
    """What a row does whose number (or name) an existing record has."""

    UPDATE = "update", gettext_lazy("Update the existing record")
    SKIP = "skip", gettext_lazy("Skip the row")


class RowChoice(models.TextChoices):
    """What a row of a group that needs a decision does (see `Group`)."""

    UPDATE = "update", gettext_lazy("Update that contact anyway")
    NEW = "new", gettext_lazy("Import as a new contact with the next free number")
    SKIP = "skip", gettext_lazy("Skip the row")


class MixedRows(models.TextChoices):
    """What a row of a contact file with both a company name and a person's name becomes
    (`targets.contact_extras`)."""

    COMPANY = "company", gettext_lazy("A company with that person as its contact person")
    PERSONS = "persons", gettext_lazy("Every row is a person of its own")


class Group(models.TextChoices):
    """Rows the import does not apply on its own: the user decides for the group or row by row.

    MISMATCH: the row's number belongs to a contact with another name (or one in the trash).
    PROBABLE: a row without a number matches a contact by e-mail address, or by name and
    postal code.
    """

    MISMATCH = "mismatch", gettext_lazy("Number belongs to another contact")
    PROBABLE = "probable", gettext_lazy("Probably already in Kontor")


@dataclass(frozen=True)
class ImportChoices:
    """What the user chose for an import (`ImportRun.choices()`): rows whose number exists
    (`on_duplicate`), each group's choice and the rows chosen otherwise, by line."""

    on_duplicate: str = OnDuplicate.UPDATE
    on_mismatch: str = RowChoice.SKIP
    on_probable: str = RowChoice.SKIP
    rows: dict[int, str] = field(default_factory=dict)

    def for_row(self, line: int, group: str) -> str:
        chosen = self.rows.get(line)
        if chosen:
            return chosen
        return self.on_mismatch if group == Group.MISMATCH else self.on_probable


@dataclass
class CellError:
    line: int
    column: str
    value: str
    message: str


@dataclass
class RowOutcome:
    line: int
    cells: list[str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)
    status: str = "new"  # new, update, unchanged, skip, invalid
    existing: Any = None
    duplicate_of: int | None = None
    parts: Any = None  # the values split up for writing, when the target's check did that
    # Cells that look like formulas, imported as text (a notice, not an error).
    notices: list[CellError] = field(default_factory=list)
    # Set by the database's part of the check: the group that needs a decision (Group), the
    # choice that applies to the row (RowChoice), why it is in the group, and for rows that
    # update a record, what changes ({field: (old, new)}).
    group: str = ""
    choice: str = ""
    reason: str = ""
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    # The column keys whose cells a workbook stored as numbers (`ParsedFile.numbers`).
    numeric: frozenset[str] = frozenset()

    def fail(self, column: str, value: str, message: str) -> None:
        self.errors.append(CellError(self.line, column, value, message))
        self.status = "invalid"

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass
class CheckResult:
    rows: list[RowOutcome]
    columns: list[Column | None]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("new", "update", "unchanged", "skip", "invalid"), 0)
        for row in self.rows:
            counts[row.status] += 1
        counts["total"] = len(self.rows)
        return counts

    @property
    def errors(self) -> list[CellError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def notices(self) -> list[CellError]:
        return [notice for row in self.rows for notice in row.notices]

    def group(self, group: str) -> list[RowOutcome]:
        return [row for row in self.rows if row.group == group]


# Raised when what the file's part of the check keeps, or how it is kept, changes.
KEPT_FORMAT = 4
_SIGNATURE = "importer.checking.kept_rows"
_DIGEST_SIZE = hashlib.sha256().digest_size


def keep_rows(headers: Sequence[str], rows: Sequence[RowOutcome]) -> bytes:
    """The file's part of a check as bytes to store with the import, signed with SECRET_KEY.

    Only invalid rows keep their cells (for the error file); valid ones are written from their
    values. The signature makes sure that only what Kontor itself stored is ever unpickled.
    """
    data = pickle.dumps(
        (
            KEPT_FORMAT,
            list(headers),
            [
                (
                    row.line,
                    row.cells if row.errors else None,
                    row.values,
                    [(e.line, e.column, e.value, e.message) for e in row.errors],
                    row.status,
                    row.duplicate_of,
                    [(n.line, n.column, n.value, n.message) for n in row.notices],
                    # The target's split of the values, if its check made one: the import
                    # writes from it instead of splitting once more. (Shares their strings.)
                    row.parts,
                )
                for row in rows
            ],
        ),
        protocol=pickle.HIGHEST_PROTOCOL,
    )
    return salted_hmac(_SIGNATURE, data, algorithm="sha256").digest() + data


def kept_rows(blob: bytes | memoryview | None) -> tuple[list[str], list[RowOutcome]] | None:
    """The headers and rows `keep_rows` stored, or None if there are none or they cannot be
    trusted."""
    if not blob:
        return None
    blob = bytes(blob)
    signature, data = blob[:_DIGEST_SIZE], blob[_DIGEST_SIZE:]
    expected = salted_hmac(_SIGNATURE, data, algorithm="sha256").digest()
    if not hmac.compare_digest(signature, expected):
        return None
    kept_format, headers, rows = pickle.loads(data)  # noqa: S301 - signed: stored by Kontor
    if kept_format != KEPT_FORMAT:
        return None
    return headers, [
        RowOutcome(
            line=line,
            cells=cells or [],
            values=values,
            errors=[CellError(*error) for error in errors],
            status=status,
            duplicate_of=duplicate_of,
            notices=[CellError(*notice) for notice in notices],
            parts=parts,
        )
        for line, cells, values, errors, status, duplicate_of, notices, parts in rows
    ]


def auto_mapping(
    headers: Sequence[str], columns: Sequence[Column], saved: dict[str, str] | None = None
) -> list[str]:
    """A column key (or "" for not imported) per file column.

    The organization's saved assignment wins, then an exact name (German, English or a known
    alias, ignoring case and surrounding spaces). No column is assigned twice.
    """
    by_key = {column.key: column for column in columns}
    index = column_index(list(columns))
    used: set[str] = set()
    mapping: list[str] = []
    for header in headers:
        name = normalize_header(header)
        key = ""
        remembered = (saved or {}).get(name)
        if remembered in by_key and remembered not in used:
            key = remembered
        elif name in index and index[name].key not in used:
            key = index[name].key
        if key:
            used.add(key)
        mapping.append(key)
    return mapping


def mapped_columns(mapping: Sequence[str], columns: Sequence[Column]) -> list[Column | None]:
    by_key = {column.key: column for column in columns}
    return [by_key.get(key) if key else None for key in mapping]


def missing_required(mapping: Sequence[str], columns: Sequence[Column]) -> list[Column]:
    chosen = set(mapping)
    return [column for column in columns if column.required and column.key not in chosen]


def parse_rows(parsed: ParsedFile, mapping: Sequence[str], columns: Sequence[Column]):
    """Parse every mapped cell of every row; rows with a wrong cell count are invalid."""
    # This loop runs for every cell of a file of thousands of rows: work out once what can be.
    targets = [
        (index, column, column.key, column.parse, column.formula_notice)
        for index, column in enumerate(mapped_columns(mapping, columns))
        if column is not None
    ]
    required = [c for c in columns if c.required and c.key in mapping]
    width = len(parsed.headers)
    formula_message = _(
        "Starts like a spreadsheet formula: imported as the text it is, nothing is calculated."
    )
    outcomes: list[RowOutcome] = []
    numbers = parsed.numbers
    for line, cells in parsed.rows:
        row = RowOutcome(line=line, cells=cells)
        outcomes.append(row)
        if numbers and line in numbers:
            numeric = numbers[line]
            row.numeric = frozenset(key for index, _c, key, *_rest in targets if index in numeric)
        # Empty cells after the last column (a trailing delimiter) are harmless.
        if len(cells) < width or any(c.strip() for c in cells[width:]):
            row.fail(
                "",
                "",
                _("This line has %(cells)s cells, but the header has %(columns)s.")
                % {"cells": len(cells), "columns": width},
            )
            continue
        values = row.values
        for index, column, key, parse, formula_notice in targets:
            stripped = cells[index].strip()
            if not stripped:
                continue
            # An apostrophe in front marks the cell as text, as Kontor's own export writes it.
            value = unescape_formula(stripped) if stripped[0] == "'" else stripped
            try:
                parsed_value = values[key] = parse(value)
            except ValidationError as error:
                row.fail(column.label, value, " ".join(error.messages))
                continue
            if (
                formula_notice
                and value is stripped
                and value.startswith(FORMULA_STARTS)
                and isinstance(parsed_value, str | tuple)  # tuple: the notes of one cell
            ):
                row.notices.append(CellError(line, column.label, value, formula_message))
        for column in required:
            if column.key not in values and not any(e.column == column.label for e in row.errors):
                row.fail(column.label, "", _("This column is required."))
    return outcomes


def check_file_rows(
    parsed: ParsedFile,
    mapping: Sequence[str],
    columns: Sequence[Column],
    *,
    check_row: Callable[[RowOutcome, dict[str, Column]], None],
    number_key: str,
) -> list[RowOutcome]:
    """The file's part of a check, for any target: every cell parsed, every row that parsed
    checked by `check_row`, and rows repeating another's number (`number_key`) flagged."""
    by_key = {column.key: column for column in columns}
    rows = parse_rows(parsed, mapping, columns)
    for row in rows:
        if row.is_valid:
            check_row(row, by_key)
    flag_duplicates_in_file(rows, number_key, by_key[number_key].label)
    return rows


def flag_duplicates_in_file(rows: Sequence[RowOutcome], key: str, label: str) -> None:
    """The second and later rows with the same number are invalid: which one is right?"""
    first_line: dict[Any, int] = {}
    for row in rows:
        value = row.values.get(key)
        if value in (None, ""):
            continue
        normalized = value.casefold() if isinstance(value, str) else value
        if normalized in first_line:
            row.duplicate_of = first_line[normalized]
            row.fail(
                label,
                str(value),
                _("The same number is already in line %(line)s of this file.")
                % {"line": first_line[normalized]},
            )
        elif row.is_valid:
            first_line[normalized] = row.line
