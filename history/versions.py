"""Earlier versions of a record, rebuilt from its current state and the changes since."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from .models import Change


def changes_of(kind: str, object_id: int) -> QuerySet[Change]:
    """The record's changes, newest first, with who made them and through what."""
    return (
        Change.objects.filter(kind=kind, object_id=object_id)
        .select_related("changeset__actor")
        .order_by("-id")
    )


def state_after(current: Mapping[str, Any], change: Change) -> dict[str, Any]:
    """The record as it was right after `change`: every later change's old values put back."""
    state = dict(current)
    later = Change.objects.filter(kind=change.kind, object_id=change.object_id, id__gt=change.id)
    for fields in later.order_by("-id").values_list("fields", flat=True):
        for name, (old, _new) in fields.items():
            state[name] = old
    return state


def changed_since(kind: str, object_id: int, change_id: int) -> bool:
    """Whether anything changed the record after the change `change_id`."""
    return Change.objects.filter(kind=kind, object_id=object_id, id__gt=change_id).exists()
