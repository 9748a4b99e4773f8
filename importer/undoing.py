"""What undoing an import needs to know, read from the import's change set in the history.

An import records what it created and, field by field, what it changed (`ChangeSet` with source
IMPORT and the run's id as reference). The undo reads that back: the records to delete, the old
values to put back, and every change made to those records since, which keeps a record as it
is (nobody's later work is thrown away). The targets do the deleting and restoring
(`ImportTarget.undo`); the undo itself is a change set too (source UNDO).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import Model
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from history.models import Action, Change, ChangeSet, Source

from . import bulk

SHOWN_CHANGES = 5  # per kept record, as the result page lists them
SHOWN_VALUE = 60


@dataclass
class ImportChanges:
    """The import's changes of one kind of record, and what happened to those records since."""

    changeset: ChangeSet
    # Created: object id → the id of its "created" change. Changed: the import's changes.
    created: dict[int, int] = field(default_factory=dict)
    changed: list[Change] = field(default_factory=list)
    # Later changes by object id: of the record itself, and (for contacts) of its notes.
    later: dict[int, list[Change]] = field(default_factory=lambda: defaultdict(list))
    later_of_children: dict[int, list[Change]] = field(default_factory=lambda: defaultdict(list))


@dataclass
class UndoOutcome:
    """Records deleted, records given their old values back, and the records kept (as
    `kept_record` describes them). `legacy`: an import from before the history, whose updates
    cannot be reverted."""

    deleted: int = 0
    reverted: int = 0
    kept: list[dict[str, Any]] = field(default_factory=list)
    legacy: bool = False


def import_changeset(run: Any) -> ChangeSet | None:
    return (
        ChangeSet.objects.filter(
            organization_id=run.organization_id, source=Source.IMPORT, reference=run.pk
        )
        .order_by("id")
        .first()
    )


def import_changes(
    changeset: ChangeSet, kind: str, *, children_of_contacts: bool = False
) -> ImportChanges:
    """The changes `changeset` made to records of `kind`, and the changes made to them since;
    with `children_of_contacts`, also the later changes of records that belong to them (a note
    written on a contact the import created). A fixed number of queries."""
    found = ImportChanges(changeset=changeset)
    own = Change.objects.filter(changeset=changeset, kind=kind)
    # Creations as plain values: an import creates thousands, each a model instance cost more
    # than the query.
    found.created = dict(
        own.filter(action=Action.CREATED).order_by("id").values_list("object_id", "id")
    )
    found.changed = list(own.filter(action=Action.CHANGED).order_by("id"))
    ids_of_own = [*found.created.values(), *(change.pk for change in found.changed)]
    if not ids_of_own:
        return found
    first_id = min(ids_of_own)
    since = {change.object_id: change.pk for change in found.changed} | found.created
    ids = list(since)
    later = (
        Change.objects.filter(id__gt=first_id, kind=kind, object_id__in=bulk.one_of(ids))
        .exclude(changeset=changeset)
        .select_related("changeset__actor")
        .order_by("id")
    )
    for change in later:
        if change.pk > since[change.object_id]:
            found.later[change.object_id].append(change)
    if children_of_contacts:
        of_children = (
            Change.objects.filter(id__gt=first_id, contact_id__in=bulk.one_of(ids))
            .exclude(kind=kind)
            .exclude(changeset=changeset)
            .select_related("changeset__actor")
            .order_by("id")
        )
        for change in of_children:
            if change.contact_id is not None and change.pk > since[change.contact_id]:
                found.later_of_children[change.contact_id].append(change)
    return found


def restored_value(model: type[Model], name: str, value: Any) -> Any:
    """A value as the history keeps it (plain JSON) → as the model's field takes it."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # the history records fields of the record
    return field.to_python(value)


def kept_record(
    *, name: str, url: str | None, changes: Iterable[Change], model: type[Model]
) -> dict[str, Any]:
    """A record the undo leaves as it is, as the result page lists it: its name, a link, and
    each later change (who, when, through what, which fields from what to what)."""
    shown = []
    changes = list(changes)
    for change in changes[-SHOWN_CHANGES:]:
        changeset = change.changeset
        shown.append(
            {
                "when": formats.date_format(
                    timezone.localtime(changeset.created_at), "SHORT_DATETIME_FORMAT"
                ),
                "who": str(changeset.actor) if changeset.actor else "",
                "via": changeset.get_source_display(),
                "what": describe(change, model),
            }
        )
    return {"name": name, "url": url, "changes": shown, "more": max(0, len(changes) - len(shown))}


def changed_at(record_updated_at: datetime | None, finished_at: datetime | None) -> bool:
    """Whether a record was written after the import: the import stamps everything it
    writes with its own time."""
    return record_updated_at is not None and record_updated_at != finished_at


def describe(change: Change, model: type[Model]) -> str:
    """One later change in words: "moved to the trash", "note: added", "city: Köln → Jena"."""
    if change.action != Action.CHANGED or not change.fields:
        what = str(Action(change.action).label)
        return f"{_('note')}: {what}" if change.kind == "note" else what
    parts = []
    for name, (old, new) in change.fields.items():
        parts.append(f"{_label(model, name)}: {_shown(old)} → {_shown(new)}")
    return "; ".join(parts)


def _label(model: type[Model], name: str) -> str:
    labels = {"persons": _("contact persons"), "profiles": _("web profiles"), "text": _("note")}
    if name in labels:
        return str(labels[name])
    try:
        return str(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    except Exception:  # noqa: BLE001 - a field that is gone since: its name will do
        return name


def _shown(value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        names = []
        for item in value:
            if isinstance(item, dict):
                person = " ".join(p for p in (item.get("first_name"), item.get("last_name")) if p)
                names.append(person or str(item.get("value", "")))
        return ", ".join(n for n in names if n) or "—"
    text = str(value)
    return text if len(text) <= SHOWN_VALUE else text[: SHOWN_VALUE - 1] + "…"
