"""The steps of an import: upload, assign columns, check, write, undo, discard.

Used by the import pages and by `manage.py import_csv`, so both behave the same.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from core.collector import collector_paused
from history.models import Source
from history.services import Via, open_changeset

from .bulk import id_ranges
from .checking import (
    KEPT_FORMAT,
    CheckResult,
    MixedRows,
    OnDuplicate,
    RowChoice,
    RowOutcome,
    keep_rows,
    kept_rows,
    missing_required,
)
from .columns import Column, normalize_header
from .csv_writing import write_csv
from .formats import is_vcard, read_upload
from .formulas import shield_cell
from .known_exports import initial_mapping
from .models import ImportRun, SavedMapping
from .reading import ImportFileError, ParsedFile, check_size
from .targets import get_target
from .undoing import UndoOutcome

ABANDONED_AFTER = timedelta(days=1)
ATTEMPTS = 3


def saved_assignments(organization: Organization, target: str) -> dict[str, str]:
    saved = SavedMapping.objects.filter(organization=organization, target=target).first()
    return saved.assignments if saved else {}


def start_import(
    *,
    organization: Organization,
    target: str,
    file_name: str,
    data: bytes,
    by: User | None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> tuple[ImportRun, ParsedFile]:
    """Read the upload (or raise ImportFileError) and keep it as a draft import."""
    check_size(len(data))
    with collector_paused():
        parsed = read_upload(data, encoding=encoding, delimiter=delimiter, sheet=sheet)
    if parsed.is_vcard and not get_target(target).reads_vcards:
        raise ImportFileError(
            _("This is a vCard file: it holds contacts. Import it as customers or suppliers."),
            code="vcard_target",
        )
    discard_abandoned(organization)
    run = ImportRun.objects.create(
        organization=organization,
        target=target,
        created_by=by,
        file_name=file_name[:255],
        file_size=len(data),
        file_data=data,
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        sheet=parsed.sheet,
        reading_notes=parsed.notes,
        mapping=initial_mapping(
            parsed.headers,
            get_target(target),
            saved_assignments(organization, target),
            recognise_exports=not parsed.is_vcard,
        )[0],
    )
    return run, parsed


def parse(run: ImportRun) -> ParsedFile:
    if run.file_data is None:
        raise ImportFileError(
            _("The uploaded file is no longer there. Please upload it again."), code="gone"
        )
    return read_upload(
        bytes(run.file_data),
        encoding=run.encoding or None,
        delimiter=run.delimiter or None,
        sheet=run.sheet or None,
    )


def vcard_file(run: ImportRun) -> ParsedFile | None:
    """The run's file as read, if it is a vCard file (the pages say how many cards it has and
    what was skipped); None for any other file."""
    if run.file_data is None or not is_vcard(bytes(run.file_data[:4096])):
        return None
    return parse(run)


def change_reading(
    run: ImportRun, *, encoding: str = "", delimiter: str = "", sheet: str = ""
) -> ParsedFile:
    """Read the file again with another encoding or delimiter, or another sheet of a workbook
    (ImportFileError if it fails)."""
    if parse(run).is_vcard:
        delimiter = run.delimiter  # a vCard file has none; it keeps its headers' language
    parsed = read_upload(
        bytes(run.file_data or b""),
        encoding=encoding or None,
        delimiter=delimiter or None,
        sheet=sheet or None,
    )
    headers_changed = parsed.headers != parse(run).headers if run.mapping else True
    run.encoding, run.delimiter, run.sheet = parsed.encoding, parsed.delimiter, parsed.sheet
    run.reading_notes = parsed.notes
    if headers_changed or len(run.mapping) != len(parsed.headers):
        run.mapping = initial_mapping(
            parsed.headers,
            run.import_target,
            saved_assignments(run.organization, run.target),
            recognise_exports=not parsed.is_vcard,
        )[0]
    run.save(update_fields=["encoding", "delimiter", "sheet", "reading_notes", "mapping"])
    return parsed


def set_mapping(run: ImportRun, *, mapping: Sequence[str], on_duplicate: str) -> list[Column]:
    """Store the assignment; return the required columns it leaves out (empty when fine)."""
    run.mapping = list(mapping)
    run.on_duplicate = on_duplicate
    run.save(update_fields=["mapping", "on_duplicate"])
    return missing_required(run.mapping, run.import_target.import_columns)


def set_mixed_rows(run: ImportRun, choice: str) -> None:
    """What a row with a company and a person's name becomes (`MixedRows`); ValueError for
    anything else."""
    if choice not in MixedRows.values:
        raise ValueError(f"Not a choice: {choice!r}")
    run.mixed_rows = choice
    run.save(update_fields=["mixed_rows"])


MAX_ROW_CHOICES = 5000


def set_choices(
    run: ImportRun,
    *,
    on_mismatch: str | None = None,
    on_probable: str | None = None,
    rows: dict[int, str] | None = None,
) -> None:
    """Store what the rows of the groups that need a decision do: the groups' choices, and
    rows chosen otherwise (line → RowChoice; "" for "as its group"), added to those stored.
    ValueError for anything that is no choice."""
    valid = set(RowChoice.values)
    for choice in (on_mismatch, on_probable):
        if choice is not None and choice not in valid:
            raise ValueError(f"Not a choice: {choice!r}")
    stored = {str(k): v for k, v in (run.row_choices or {}).items()}
    for line, choice in (rows or {}).items():
        if not isinstance(line, int) or line < 1 or (choice and choice not in valid):
            raise ValueError(f"Not a choice for a line: {line!r} {choice!r}")
        if choice:
            stored[str(line)] = choice
        else:
            stored.pop(str(line), None)
    if len(stored) > MAX_ROW_CHOICES:
        raise ValueError("Too many rows chosen one by one.")
    run.on_mismatch = on_mismatch or run.on_mismatch
    run.on_probable = on_probable or run.on_probable
    run.row_choices = stored
    run.save(update_fields=["on_mismatch", "on_probable", "row_choices"])


def checked_for(run: ImportRun) -> str:
    """What the file's part of a check depends on: the reading, the columns, the language
    of its messages and the checking rules' version."""
    basis = [
        KEPT_FORMAT,
        run.target,
        run.encoding,
        run.delimiter,
        run.mapping,
        run.mixed_rows,
        get_language(),
    ]
    if run.sheet:
        basis.append(run.sheet)
    return hashlib.sha256(json.dumps(basis).encode()).hexdigest()


def _file_rows(
    run: ImportRun, parsed: ParsedFile | None, *, keep: bool
) -> tuple[list[str], list[RowOutcome]]:
    """The file's headers and its part of the check: kept from an earlier check of the same,
    or done now (and kept, if `keep`)."""
    key = checked_for(run)
    kept = kept_rows(run.checked_rows) if run.checked_for == key else None
    if kept is not None:
        return kept
    parsed = parsed or parse(run)
    rows = run.import_target.check_file(parsed, run.mapping, mixed_rows=run.mixed_rows)
    if keep:
        run.checked_rows, run.checked_for = keep_rows(parsed.headers, rows), key
        ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.DRAFT).update(
            checked_rows=run.checked_rows, checked_for=key
        )
    return parsed.headers, rows


def check(run: ImportRun, parsed: ParsedFile | None = None, *, keep: bool = True) -> CheckResult:
    """Check every row, write nothing: the preview (and `import_csv --dry-run`).

    The file's part of the check is kept with a draft import (unless not to `keep`), so that
    the import itself need not do it again.
    """
    with collector_paused():
        _headers, rows = _file_rows(run, parsed, keep=keep and run.status == ImportRun.Status.DRAFT)
        return _check_database(run, rows)


def _check_database(run: ImportRun, rows: list[RowOutcome]) -> CheckResult:
    """The database's part of the check of the file's `rows`, with the run's choices."""
    return run.import_target.check_database(
        rows, run.mapping, organization=run.organization, choices=run.choices()
    )


def commit(run: ImportRun, *, by: User | None) -> CheckResult:
    """Write every valid row in one transaction; invalid rows are kept for the error file."""
    for attempt in range(ATTEMPTS):
        try:
            with collector_paused():
                return _commit(run, by=by)
        except IntegrityError:
            # A contact saved through the form with a number typed in took a number that a
            # row brings, or created the number sequence first: check again against what is
            # there now. (Imports, and numbers handed out automatically, wait for an import
            # to finish, see _commit.)
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _commit(run: ImportRun, *, by: User | None) -> CheckResult:
    with transaction.atomic():
        # Lock the run so that a double click does not import the file twice. The file itself
        # is read only if the preview's check is not there to start from.
        locked = ImportRun.objects.select_for_update().defer("file_data").get(pk=run.pk)
        if locked.status == ImportRun.Status.DONE:
            raise ImportFileError(_("This file has already been imported."), code="done")
        # One import per organization writes at a time, and it checks the rows only once it
        # has its turn: two imports of the same file would otherwise both find a number free
        # and both insert it. Numbers handed out to new contacts wait for it too
        # (allocate_numbers). NO KEY UPDATE still lets others insert rows that refer to it.
        Organization.objects.lock_for_writing(run.organization_id)
        # The rows as the preview found them in the file (the file and the columns cannot
        # have changed since: the run is locked), checked again against the database now.
        locked.organization = run.organization
        headers, rows = _file_rows(locked, None, keep=False)
        result = _check_database(locked, rows)
        now = timezone.now()
        changeset = open_changeset(
            organization=run.organization,
            by=by,
            via=Via(Source.IMPORT, label=run.file_name, reference=run.pk),
        )
        created = run.import_target.write(
            result, organization=run.organization, by=by, now=now, changeset=changeset
        )
        run.created_ids = id_ranges(created)
        run.status = ImportRun.Status.DONE
        run.finished_at = now
        run.counts = result.counts
        if result.count("invalid"):
            fill_cells(locked, result)
            run.failed_rows = failed_rows_csv(headers, locked.delimiter, result)
        run.file_data = run.checked_rows = None
        run.checked_for = ""
        run.save()
        remember_mapping(run, headers)
    return result


def remember_mapping(run: ImportRun, headers: Sequence[str]) -> None:
    assignments = saved_assignments(run.organization, run.target)
    for header, key in zip(headers, run.mapping, strict=False):
        assignments[normalize_header(header)] = key
    SavedMapping.objects.update_or_create(
        organization=run.organization,
        target=run.target,
        defaults={"assignments": assignments},
    )


def fill_cells(run: ImportRun, result: CheckResult) -> None:
    """Give the invalid rows their cells as the file has them. The kept check keeps them only
    for the rows the file's part refused; a row refused by the database's part (a number taken
    since) is read from the file again."""
    missing = {row.line: row for row in result.rows if row.status == "invalid" and not row.cells}
    if not missing:
        return
    for line, cells in parse(run).rows:
        if line in missing:
            missing[line].cells = cells


def failed_rows_csv(headers: Sequence[str], delimiter: str, result: CheckResult) -> bytes:
    """The invalid rows with their original cells and a column saying what is wrong, in the
    uploaded file's delimiter; its cells and names as they were, formulas escaped."""
    width = len(headers)
    rows = []
    for row in result.rows:
        if row.status != "invalid":
            continue
        problems = "; ".join(
            _("line %(line)s: %(problem)s")
            % {"line": e.line, "problem": f"{e.column}: {e.message}" if e.column else e.message}
            for e in row.errors
        )
        # Exactly one cell per header, so that the reason stands in the error column.
        cells = (row.cells + [""] * width)[:width]
        rows.append([*(shield_cell(c) for c in cells), problems])
    # A workbook's rows come back as a CSV file with Excel's German delimiter.
    return write_csv([*headers, _("Error")], rows, delimiter=delimiter or ";")


def draft_failed_rows(run: ImportRun) -> bytes | None:
    """The rows with errors of an import not done yet, as the preview finds them now (None when
    there are none): to fix before importing, or when nothing can be imported at all."""
    with collector_paused():
        headers, rows = _file_rows(run, None, keep=True)
        result = _check_database(run, rows)
        if not result.count("invalid"):
            return None
        fill_cells(run, result)
        return failed_rows_csv(headers, run.delimiter, result)


def undo(run: ImportRun, *, by: User | None) -> UndoOutcome:
    """Delete what the import created and give what it updated its old values back, except
    records changed since (kept, and listed on the run); recorded as a change set."""
    with transaction.atomic(), collector_paused():
        locked = ImportRun.objects.select_for_update().defer("file_data").get(pk=run.pk)
        if locked.status != ImportRun.Status.DONE:
            raise ImportFileError(_("Only a finished import can be undone."), code="not_done")
        # As an import: the organization first, then the records (the target locks those it
        # touches before it reads what changed them since, so no edit slips in between).
        Organization.objects.lock_for_writing(run.organization_id)
        now = timezone.now()
        changeset = open_changeset(
            organization=run.organization,
            by=by,
            via=Via(Source.UNDO, label=run.file_name, reference=run.pk),
        )
        locked.organization = run.organization
        outcome = run.import_target.undo(locked, by=by, now=now, changeset=changeset)
        run.status = ImportRun.Status.UNDONE
        run.undone_at = now
        run.counts = {
            **run.counts,
            "undone": outcome.deleted,
            "reverted": outcome.reverted,
            "kept": len(outcome.kept),
            "not_reverted": run.counts.get("update", 0) if outcome.legacy else 0,
        }
        run.undo_kept = outcome.kept
        run.save(update_fields=["status", "undone_at", "counts", "undo_kept"])
    return outcome


def discard(run: ImportRun) -> None:
    ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.DRAFT).update(
        status=ImportRun.Status.DISCARDED, file_data=None, checked_rows=None, checked_for=""
    )


def discard_abandoned(organization: Organization | None = None) -> int:
    """Drop uploads that were never imported within a day."""
    stale = ImportRun.objects.filter(
        status=ImportRun.Status.DRAFT, created_at__lt=timezone.now() - ABANDONED_AFTER
    )
    if organization is not None:
        stale = stale.filter(organization=organization)
    return stale.update(
        status=ImportRun.Status.DISCARDED, file_data=None, checked_rows=None, checked_for=""
    )


__all__ = [
    "OnDuplicate",
    "RowChoice",
    "change_reading",
    "check",
    "commit",
    "discard",
    "discard_abandoned",
    "parse",
    "set_choices",
    "set_mapping",
    "set_mixed_rows",
    "start_import",
    "undo",
]
