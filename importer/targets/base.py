"""What an import target is: one kind of record that comes in and goes out as CSV.

Every target is one `ImportTarget`, in a module of its own in this package, and listed once in
`TARGETS` (`importer/targets/__init__.py`). The import pages, `manage.py import_csv`,
`export_csv` and `export_organization`, the CSV template, the quick reference PDF, the export and
the Django admin's import and export all go through that list, never through a target's name:
adding a target is adding its module and its line there. (Runs and saved column assignments
store the target's `key`; their choices are read from the list, so no migration either.)

What a target gives
-------------------

`key`
    The target's name in URLs (`/import/<key>/upload/`), in `--target` of the commands and in
    the database (`ImportRun.target`, `SavedMapping.target`, at most 12 characters). Never
    renamed once released.
`label`
    Its name for people, translated lazily ("Customers").
`columns`
    The file's columns (`importer.columns.Column`) in the template's order. The template, the
    quick reference, the column assignment (form, automatic, remembered), the check and the
    export are all made from them.
`import_columns`
    What the column assignment offers: `columns` and, for a target that has them, columns it
    only takes in (a contact's further phone numbers, see `contact_extras`); the check gets
    them as `columns` do.
`number_key`
    The key of the column that names an existing record; a file that repeats a number in two
    rows gets the second one refused.
`model`
    The model whose records `write` creates (their ids are what `undo` is given back).
`resource`
    A django-import-export resource for `model`: the Django admin's import and export for
    superusers (see `importer/admin.py`), row by row.
`records_label`, `records_url()`
    A link from an import's result page to the records it brought in.

When the importer calls what (`importer/services.py`), and what each may assume
--------------------------------------------------------------------------------

`check_file(parsed, mapping, *, mixed_rows)` → the rows (`checking.RowOutcome`)
    The file's part of the check: every cell parsed, every row checked against the rules a
    record keeps whatever the database holds. Called for the preview and `import_csv
    --dry-run`, and inside the import's transaction when the preview's outcome cannot be used.
    `mixed_rows` (`checking.MixedRows`, the run's choice) tells a contact target what a row
    with a company and a person's name becomes; others ignore it.
    It must not read the database: its outcome is kept with the upload (signed and pickled,
    `checking.keep_rows`) and the import starts from there as long as the file, the column
    assignment, the language and `checking.KEPT_FORMAT` are the same; so it may depend on
    nothing else, what it puts in `row.values` must pickle, and `row.parts` is not kept.
    Raise `KEPT_FORMAT` when what it keeps changes. Its loop runs for every cell of files of
    thousands of rows: no per-row queries or model instances.
`check_database(rows, mapping, *, organization, choices)` → `checking.CheckResult`
    The database's part, for the rows `check_file` left valid: each becomes "new", "update",
    "unchanged" or "skip", with `row.existing` the record it matches, or fails. What a row
    whose number exists does is `choices.on_duplicate`; rows that need the user's decision get
    a `row.group` (`checking.Group`) and follow `choices.for_row` (`checking.RowChoice`).
    Update rows carry `row.changes` ({field: (old, new)}) for the preview. Only reads, with a
    fixed number of queries however many rows (`bulk.one_of`). Called for the preview (no
    transaction, no lock: what it finds may change before the import) and again by the
    import right before `write`, see there.
`write(result, *, organization, by, now, changeset)` → ids of the `model` records created
    Creates the "new" rows and changes the "update" ones, and records both in `changeset`
    (the import's, `history`): creations by id range (`record_creations`), updates with each
    field's old and new value. Everything it creates or changes is stamped `updated_at = now`.
    Runs inside the import's `transaction.atomic()`, with the run's row locked and the
    organization's lock held (`Organization.objects.lock_for_writing`: one import of the
    organization writes at a time, and numbers handed out meanwhile wait for it), right after
    `check_database` saw the database as it is now. Raising `reading.ImportFileError` refuses
    the whole import (nothing is written); an `IntegrityError` makes the import check and
    write once more from the start, so both must be safe to repeat.
`undo(run, *, by, now, changeset)` → `undoing.UndoOutcome`
    Deletes what `run` created and gives what it updated its old values back, as the import's
    change set says (`undoing.import_changes`), except records changed since (a later change
    in the history, or `updated_at` other than `run.finished_at`), which it keeps and
    describes. Records what it does in `changeset` (source UNDO). Runs inside a transaction
    with the run locked and finished (`ImportRun.Status.DONE`); the organization's lock is
    not taken.
`records(organization)` → QuerySet
    Everything of this target the organization has, archived records included, in the
    export's order: what `export_csv` and `export_organization` write.
`export_table(records)` → `export_formats.ExportTable`
    `records` (from `records()`, or a filtered list of the same kind) as the header and the
    cells' texts, in `columns` (grown where the records need more, see `columns_for`), names
    and cells in the current language: a file that imports again unchanged. `export(records)`
    writes it as CSV (formulas escaped), `export_formats.xlsx_file` as a workbook.
`columns_for(headers)`, `columns_for_mapping(mapping)`
    The columns a file with these headers, or an assignment of these keys, can fill: `columns`
    unless the target's columns grow with the data (contact persons 3, 4, …).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from ..checking import CheckResult, ImportChoices, RowOutcome
from ..columns import Column
from ..export_formats import ExportTable, csv_file
from ..reading import ParsedFile

if TYPE_CHECKING:
    from import_export.resources import ModelResource

    from accounts.models import Organization, User
    from history.models import ChangeSet

    from ..undoing import UndoOutcome


class FinishedImport(Protocol):
    """What `undo` needs of an import run (`importer.models.ImportRun` is one)."""

    pk: Any
    organization: Organization
    organization_id: int
    finished_at: datetime | None

    def created_among(self, records: QuerySet) -> QuerySet: ...


class ImportTarget(ABC):
    """One kind of record Kontor imports and exports; see the module's documentation."""

    key: str
    label: str | Promise
    columns: Sequence[Column]
    number_key: str
    model: type[Model]
    resource: type[ModelResource]
    records_label: str | Promise
    # Whether a vCard file's cards (`importer.vcards`) are records of this target.
    reads_vcards: bool = False
    # Whether files of other programs are recognised by their headers (`importer.known_exports`).
    recognises_exports: bool = False

    @property
    def import_columns(self) -> Sequence[Column]:
        """What a file's column can be assigned to: `columns`, and columns a target takes in
        only (not in its template or export)."""
        return self.columns

    def __str__(self) -> str:
        return str(self.label)

    @abstractmethod
    def records_url(self) -> str: ...

    @abstractmethod
    def check_file(
        self, parsed: ParsedFile, mapping: Sequence[str], *, mixed_rows: str = ""
    ) -> list[RowOutcome]: ...

    @abstractmethod
    def check_database(
        self,
        rows: list[RowOutcome],
        mapping: Sequence[str],
        *,
        organization: Organization,
        choices: ImportChoices,
    ) -> CheckResult: ...

    @abstractmethod
    def write(
        self,
        result: CheckResult,
        *,
        organization: Organization,
        by: User | None,
        now: datetime,
        changeset: ChangeSet,
    ) -> list[int]: ...

    @abstractmethod
    def undo(
        self, run: FinishedImport, *, by: User | None, now: datetime, changeset: ChangeSet
    ) -> UndoOutcome: ...

    @abstractmethod
    def records(self, organization: Organization) -> QuerySet: ...

    @abstractmethod
    def export_table(self, records: QuerySet) -> ExportTable: ...

    def export(self, records: QuerySet) -> bytes:
        """The records as a CSV file."""
        return csv_file(self.export_table(records))

    def columns_for(self, headers: Sequence[str]) -> list[Column]:
        return list(self.columns)

    def columns_for_mapping(self, mapping: Sequence[str]) -> list[Column]:
        return list(self.columns)

    def import_columns_for(self, headers: Sequence[str]) -> list[Column]:
        """What a file with these headers can assign its columns to (`import_columns`, with
        as many repeated groups as the headers name, see `columns_for`)."""
        return list(self.import_columns)
