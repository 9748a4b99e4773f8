"""Bulk actions on many contacts at once: archive, unarchive, move to the trash.

Each is one transaction with one UPDATE for all contacts and one change set in the history
with a change per contact, so that 10,000 contacts take about as long as a page load (see
benchmarks/bulk.py). They do what `services.set_archived` and `services.trash_contact` do for
one contact, and record the same. Adding and removing a tag in bulk is in `tags.py`.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Organization, User
from core.sql import one_param
from history.models import Action, Change
from history.services import Via, open_changeset, record_changes

from .history import KIND
from .models import Contact
from .tags import BULK


def set_archived_in_bulk(
    *,
    organization: Organization,
    ids: Sequence[int],
    archived: bool,
    by: User | None,
    via: Via = BULK,
) -> int:
    """Archive (or make active again) the live contacts of `ids` that are not so already;
    returns how many changed."""
    with transaction.atomic():
        Organization.objects.lock_for_writing(organization.pk)
        changing = _locked_ids(
            Contact.objects.filter(organization=organization, archived=not archived), ids
        )
        if changing:
            Contact.objects.filter(pk__in=one_param(changing)).update(
                archived=archived,
                updated_by=by,
                updated_at=timezone.now(),
                version=F("version") + 1,
            )
            changes = [
                Change(
                    kind=KIND,
                    object_id=pk,
                    contact_id=pk,
                    action=Action.CHANGED,
                    fields={"archived": [not archived, archived]},
                )
                for pk in changing
            ]
            changeset = open_changeset(organization=organization, by=by, via=via)
            record_changes(changeset, changes)
    return len(changing)


def trash_in_bulk(
    *, organization: Organization, ids: Sequence[int], by: User | None, via: Via = BULK
) -> int:
    """Move the live contacts of `ids` to the trash (as `services.trash_contact` does one);
    returns how many were moved."""
    with transaction.atomic():
        Organization.objects.lock_for_writing(organization.pk)
        moving = _locked_ids(Contact.objects.filter(organization=organization), ids)
        if moving:
            now = timezone.now()
            Contact.objects.filter(pk__in=one_param(moving)).update(
                deleted_at=now, deleted_by=by, updated_at=now, version=F("version") + 1
            )
            changes = [
                Change(kind=KIND, object_id=pk, contact_id=pk, action=Action.TRASHED, fields={})
                for pk in moving
            ]
            changeset = open_changeset(organization=organization, by=by, via=via)
            record_changes(changeset, changes)
    return len(moving)


def _locked_ids(contacts, ids: Sequence[int]) -> list[int]:
    """Those of `ids` among `contacts`, locked until the transaction ends (on PostgreSQL; SQLite
    has one writer at a time anyway), so that the history names exactly the rows updated."""
    found = contacts.filter(pk__in=one_param(list(ids))).order_by("pk")
    return list(found.select_for_update().values_list("pk", flat=True))
