"""Undoing a contact import: what it created is deleted, what it updated gets its old values
back, the notes it added to existing contacts are removed — except records changed since.

Everything comes from the import's change set (`importer.undoing`); the deletes and restores
are a fixed number of statements however many contacts (no Django collector walking thousands
of model instances, no query per contact), and are themselves recorded as a change set.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db.models import Model
from django.urls import reverse

from accounts.models import User
from contacts_app.history import KIND, NOTE_KIND, TAG_KIND
from contacts_app.models import Contact, ContactPerson, ContactTag, Note, Tag, WebProfile
from contacts_app.services import former_numbers_of, refresh_derived_fields
from contacts_app.tag_names import name_keys
from core.folding import fold
from history.models import Action, Change, ChangeSet
from history.services import record_changes, record_deletions

from .. import bulk
from ..undoing import (
    UndoOutcome,
    changed_at,
    import_changes,
    import_changeset,
    kept_record,
    restored_value,
)
from .base import FinishedImport

BATCH = 500
DERIVED = ("display_name", "sort_name", "search_text", "version", "updated_by", "updated_at")


def undo_contacts(
    run: FinishedImport, *, by: User | None, now: datetime, changeset: ChangeSet
) -> UndoOutcome:
    source = import_changeset(run)
    if source is None:
        return undo_created_only(run)
    ids = list(
        Change.objects.filter(changeset=source, kind=KIND).values_list("object_id", flat=True)
    )
    # Locked before their history is read: an edit saved meanwhile waits, and is then seen.
    current = {
        pk: (updated_at, name, deleted_at)
        for pk, updated_at, name, deleted_at in Contact.all_objects.filter(
            organization=run.organization, pk__in=bulk.one_of(ids)
        )
        .select_for_update()
        .order_by("pk")
        .values_list("pk", "updated_at", "display_name", "deleted_at")
    }
    found = import_changes(source, KIND, children_of_contacts=True)
    outcome = UndoOutcome()
    doomed: list[int] = []
    for pk in found.created:
        if pk not in current:
            continue  # deleted for good since
        # A note written on it since counts too: deleting the contact would lose the note.
        later = sorted(found.later[pk] + found.later_of_children[pk], key=lambda c: c.pk)
        if later or changed_at(current[pk][0], run.finished_at):
            outcome.kept.append(_kept(pk, current[pk], later))
        else:
            doomed.append(pk)
    reverted: list[Change] = []
    for change in found.changed:
        pk = change.object_id
        if pk not in current:
            continue
        later = found.later[pk]
        if later or changed_at(current[pk][0], run.finished_at):
            outcome.kept.append(_kept(pk, current[pk], later))
        else:
            reverted.append(change)
    record_deletions(
        changeset, kind=KIND, table=Contact._meta.db_table, id_ranges=bulk.id_ranges(doomed)
    )
    bulk.delete_rows(Contact, doomed)
    record_changes(changeset, _revert(reverted, by=by, now=now))
    record_changes(changeset, _remove_added_notes(source))
    record_changes(changeset, _remove_created_tags(source))
    outcome.deleted, outcome.reverted = len(doomed), len(reverted)
    outcome.kept.sort(key=lambda k: fold(k["name"]))
    return outcome


def _kept(pk: int, current: tuple[Any, str, Any], later: list[Change]) -> dict[str, Any]:
    _updated_at, name, deleted_at = current
    url = None if deleted_at else reverse("contacts:detail", args=[pk])
    return kept_record(name=name, url=url, changes=later, model=Contact)


def _revert(changes: list[Change], *, by: User | None, now: datetime) -> list[Change]:
    """Put the old values of the import's `changes` back; return the undo's own changes."""
    if not changes:
        return []
    ids = [change.object_id for change in changes]
    contacts = Contact.all_objects.in_bulk(ids)
    persons_of: dict[int, list[Any]] = defaultdict(list)
    for person in ContactPerson.objects.filter(contact_id__in=bulk.one_of(ids)):
        persons_of[person.contact_id].append(person)
    former = former_numbers_of(ids)
    old_persons: dict[int, list[dict]] = {}
    old_profiles: dict[int, list[dict]] = {}
    old_tags: dict[int, list[str]] = {}
    fields: set[str] = set()
    history = []
    for change in changes:
        contact = contacts[change.object_id]
        for name, (old, _new) in change.fields.items():
            if name == "persons":
                old_persons[contact.pk] = old
            elif name == "profiles":
                old_profiles[contact.pk] = old
            elif name == "tags":
                old_tags[contact.pk] = old
            else:
                setattr(contact, name, restored_value(Contact, name, old))
                fields.add(name)
        contact.version += 1
        contact.updated_by, contact.updated_at = by, now
        refresh_derived_fields(
            contact, old_persons.get(contact.pk, persons_of[contact.pk]), former[contact.pk]
        )
        history.append(
            Change(
                kind=KIND,
                object_id=contact.pk,
                contact_id=contact.pk,
                action=Action.CHANGED,
                fields={name: [new, old] for name, (old, new) in change.fields.items()},
            )
        )
    Contact.all_objects.bulk_update(
        list(contacts.values()), sorted(fields | set(DERIVED)), batch_size=BATCH
    )
    _replace_children(ContactPerson, old_persons)
    _replace_children(WebProfile, old_profiles)
    _replace_tags(old_tags)
    return history


def _replace_tags(old: dict[int, list[str]]) -> None:
    """The contacts' tags as they were before the import, by name (a tag deleted since is
    not made again)."""
    if not old:
        return
    ids = list(old)
    organization_of = dict(
        Contact.all_objects.filter(pk__in=bulk.one_of(ids)).values_list("pk", "organization_id")
    )
    tags = Tag.objects.filter(organization_id__in=set(organization_of.values()))
    by_key = {
        (tag.organization_id, key): tag.pk
        for tag in tags
        for key in (tag.folded_name, tag.spelled_name)
    }
    ContactTag.objects.filter(contact_id__in=bulk.one_of(ids)).delete()
    pairs = set()
    for pk, names in old.items():
        for name in names:
            folded, spelled = name_keys(name)
            organization = organization_of[pk]
            tag = by_key.get((organization, folded)) or by_key.get((organization, spelled))
            if tag is not None:
                pairs.add((pk, tag))
    ContactTag.objects.bulk_create([ContactTag(contact_id=pk, tag_id=t) for pk, t in pairs])


def _replace_children(model: type[Model], old: dict[int, list]) -> None:
    """The contacts' persons (or profiles) replaced by those they had before the import."""
    if not old:
        return
    model._default_manager.filter(contact_id__in=bulk.one_of(list(old))).delete()
    model._default_manager.bulk_create(
        [model(contact_id=pk, **item) for pk, items in old.items() for item in items],
        batch_size=BATCH,
    )


def _remove_added_notes(source: ChangeSet) -> list[Change]:
    """Delete the notes the import added to existing contacts, unless edited since."""
    found = import_changes(source, NOTE_KIND)
    untouched = [pk for pk in found.created if not found.later[pk]]
    notes = list(
        Note.objects.filter(pk__in=bulk.one_of(untouched)).values_list("pk", "contact_id", "text")
    )
    Note.objects.filter(pk__in=bulk.one_of([pk for pk, _contact, _text in notes])).delete()
    return [
        Change(
            kind=NOTE_KIND,
            object_id=pk,
            contact_id=contact_id,
            action=Action.DELETED,
            fields={"text": [text, None]},
        )
        for pk, contact_id, text in notes
    ]


def _remove_created_tags(source: ChangeSet) -> list[Change]:
    """Delete the tags the import created that no contact carries any more (a colleague may
    have given one to a contact since: then it stays)."""
    created = Change.objects.filter(changeset=source, kind=TAG_KIND, action=Action.CREATED)
    ids = list(created.values_list("object_id", flat=True))
    if not ids:
        return []
    carried = set(
        ContactTag.objects.filter(tag_id__in=bulk.one_of(ids)).values_list("tag_id", flat=True)
    )
    doomed = list(
        Tag.objects.filter(pk__in=bulk.one_of([pk for pk in ids if pk not in carried])).values_list(
            "pk", "name"
        )
    )
    Tag.objects.filter(pk__in=bulk.one_of([pk for pk, _name in doomed])).delete()
    return [
        Change(kind=TAG_KIND, object_id=pk, action=Action.DELETED, fields={"name": [name, None]})
        for pk, name in doomed
    ]


def undo_created_only(run: FinishedImport) -> UndoOutcome:
    """An import from before the history: what it created and nobody changed since is
    deleted; what it updated stays (its old values were not kept)."""
    created = run.created_among(Contact.all_objects.filter(organization=run.organization))
    contacts = list(created.values_list("pk", "updated_at", "display_name", "deleted_at"))
    annotated = set(
        Note.objects.filter(contact__in=created, created_at__gt=run.finished_at).values_list(
            "contact_id", flat=True
        )
    )
    outcome = UndoOutcome(legacy=True)
    doomed = []
    for pk, updated_at, name, deleted_at in contacts:
        if changed_at(updated_at, run.finished_at) or pk in annotated:
            outcome.kept.append(_kept(pk, (updated_at, name, deleted_at), []))
        else:
            doomed.append(pk)
    bulk.delete_rows(Contact, doomed)
    outcome.deleted = len(doomed)
    outcome.kept.sort(key=lambda k: fold(k["name"]))
    return outcome
