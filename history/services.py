"""Recording changes: one change set per action, one change per record it touched.

The domain apps describe their records as plain, JSON-ready dicts (their "state": field →
value, contact persons and web profiles as lists); this module only compares states and writes
what differs. Everything here runs inside the caller's transaction, so a change that is rolled
back leaves no history either.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Organization, User

from .models import Action, Change, ChangeSet, Source


@dataclass(frozen=True)
class Via:
    """Through what a change comes: the source, and what names it (file, key, device)."""

    source: str = Source.FORM
    label: str = ""
    reference: int | None = None


FORM = Via(Source.FORM)
COMMAND = Via(Source.COMMAND)
ADMIN = Via(Source.ADMIN)

_recording = ContextVar("history_recording", default=True)


@contextmanager
def recording_off() -> Iterator[None]:
    """Record nothing inside the block: for `make bench` only, which measures what the history
    costs an import. Never used by Kontor itself: every change it makes is recorded."""
    token = _recording.set(False)
    try:
        yield
    finally:
        _recording.reset(token)


def is_recording() -> bool:
    return _recording.get()


# Called as listener(changeset_id, organization_id) once the change set's transaction is
# committed: whoever must learn of changes from every source (pages, import, API, CardDAV)
# listens here instead of in each service.
ChangeListener = Callable[[int, int], None]
_listeners: list[ChangeListener] = []


def on_changes(listener: ChangeListener) -> ChangeListener:
    """Call `listener(changeset_id, organization_id)` after every change set is committed.

    It runs after the commit (never for a change set that is rolled back) and in the request
    that made the change, so it must be quick: look up, then queue the real work. It relies on
    the change set's changes being recorded in the same transaction, as every writer does.
    """
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def _tell_listeners(changeset_id: int, organization_id: int) -> None:
    for listener in _listeners:
        listener(changeset_id, organization_id)


def open_changeset(*, organization: Organization, by: User | None, via: Via) -> ChangeSet:
    changeset = ChangeSet(
        organization=organization,
        actor=by if by is not None and by.pk else None,
        source=via.source,
        label=via.label[:255],
        reference=via.reference,
        created_at=timezone.now(),
    )
    if is_recording():
        changeset.save()
        if _listeners:
            transaction.on_commit(partial(_tell_listeners, changeset.pk, organization.pk))
    return changeset


def differences(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value differs between the two states."""
    names = dict.fromkeys([*before, *after])
    return {
        name: [before.get(name), after.get(name)]
        for name in names
        if before.get(name) != after.get(name)
    }


def record_change(
    changeset: ChangeSet,
    *,
    kind: str,
    object_id: int,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    action: str = Action.CHANGED,
    contact_id: int | None = None,
) -> Change | None:
    """Record what changed between `before` and `after` (None, if nothing did).

    A creation (`before` is None) records no fields: the created version is the current
    state with every later change undone.
    """
    if before is None:
        fields: dict[str, list[Any]] = {}
        action = Action.CREATED
    else:
        fields = differences(before, after or {})
        if not fields and action == Action.CHANGED:
            return None
    if not is_recording():
        return None
    return Change.objects.create(
        changeset=changeset,
        kind=kind,
        object_id=object_id,
        contact_id=contact_id,
        action=action,
        fields=fields,
    )


def record_changes(changeset: ChangeSet, changes: Sequence[Change]) -> None:
    """Many changes of one change set at once (imports, bulk actions, merges)."""
    if not is_recording():
        return
    for change in changes:
        change.changeset = changeset
    Change.objects.bulk_create(changes, batch_size=2000)


def record_creations(
    changeset: ChangeSet, *, kind: str, table: str, id_ranges: Iterable[Sequence[int]]
) -> None:
    """One "created" change for every record of `table` whose id is in `id_ranges`, written
    by the database itself in one statement per range: an import of thousands of new
    contacts costs a few milliseconds of history, not a row sent per contact."""
    _record_ranges(changeset, kind=kind, table=table, id_ranges=id_ranges, action=Action.CREATED)


def record_deletions(
    changeset: ChangeSet, *, kind: str, table: str, id_ranges: Iterable[Sequence[int]]
) -> None:
    """One "deleted" change for every record of `table` whose id is in `id_ranges`, in one
    statement per range (call it before deleting them: it reads the ids from the table)."""
    _record_ranges(changeset, kind=kind, table=table, id_ranges=id_ranges, action=Action.DELETED)


DELETE_BATCH = 500


def delete_recorded(
    candidates: QuerySet,
    ids: Sequence[int],
    *,
    organization: Organization,
    by: User | None,
    via: Via,
    columns: Sequence[str],
    deletion: Callable[..., Change],
    name: Callable[..., str],
) -> list[str]:
    """Delete for good those of `candidates` whose id is in `ids`, each deletion recorded;
    return their names.

    A few hundred at a time, locked first (a restore waits, then finds nothing). Of each record
    only its id and `columns` are read; `deletion(pk, *columns)` is its change for the
    history, `name(pk, *columns)` what the user is told. The records go in one statement per
    batch, and what refers to them in one per table by their ids (Django deletes rows nothing
    refers to without reading them).
    """
    deleted: list[str] = []
    with transaction.atomic():
        changeset = None
        for start in range(0, len(ids), DELETE_BATCH):
            found = list(
                candidates.select_for_update()
                .filter(pk__in=ids[start : start + DELETE_BATCH])
                .values_list("pk", *columns)
            )
            if not found:
                continue
            if changeset is None:
                changeset = open_changeset(organization=organization, by=by, via=via)
            record_changes(changeset, [deletion(*row) for row in found])
            everyone = candidates.model._base_manager
            everyone.filter(pk__in=[row[0] for row in found]).only("pk").delete()
            deleted += [name(*row) for row in found]
    return deleted


def _record_ranges(
    changeset: ChangeSet, *, kind: str, table: str, id_ranges: Iterable[Sequence[int]], action: str
) -> None:
    if not is_recording():
        return
    quote = connection.ops.quote_name
    history = quote(Change._meta.db_table)
    columns = "changeset_id, kind, object_id, contact_id, action, fields"
    contact = "id" if kind == "contact" else "NULL"
    # The table and column names come from models, never from input.
    sql = (
        f"INSERT INTO {history} ({columns}) "  # noqa: S608
        f"SELECT %s, %s, id, {contact}, %s, %s FROM {quote(table)} WHERE id BETWEEN %s AND %s"
    )
    with connection.cursor() as cursor:
        for first, last in id_ranges:
            cursor.execute(sql, [changeset.pk, kind, action, "{}", first, last])
