"""Merging two to five contacts into one, and undoing a merge from the history.

The user picks the contact to keep and, field by field, whose value it keeps (`MERGE_CHOICES`;
an address is one choice, so no street is paired with another contact's town). The kept
contact then gets the values picked, every role any of them had, all their contact persons and
web profiles (the same one only once) — one change in its history, written by `update_contact`
— and the others' notes and history move to it (`MOVED_WITH_A_CONTACT`). The others go to the
trash, marked with the merge (`MergedContact`), with their persons and profiles as they were.

Numbers stay reserved: the kept contact keeps its own; a role it gains takes the number the
first of the others had for it; every other number becomes one of its former numbers
(`FormerNumber`), which the search finds it by and no new contact is given.

The undo puts back what the merge changed on the kept contact and nobody changed since,
removes the persons and profiles it brought, restores the others from the trash, gives back the
numbers and moves their notes and history back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from history.models import Action, Change, Source
from history.services import Via, open_changeset

from .history import KIND, TRACKED, contact_state
from .models import Contact, ContactMerge, FormerNumber, MergedContact, Note
from .services import NUMBER_RANGES, restore_contact, trash_contact, update_contact

MIN_MERGED, MAX_MERGED = 2, 5


class MergeRefused(Exception):
    """The merge or its undo cannot be done; the message says why, for the user."""


class MergeConflict(Exception):
    """One of the contacts was saved by someone else after the merge page was opened."""

    def __init__(self, contact: Contact) -> None:
        super().__init__("contact changed")
        self.contact = contact


@dataclass(frozen=True)
class MergeChoice:
    """Fields whose values come from one contact together."""

    name: str
    label: Any
    fields: tuple[str, ...]


def _one(field: str) -> MergeChoice:
    return MergeChoice(
        field, getattr(Contact._meta.get_field(field), "verbose_name", field), (field,)
    )


# What the merge decides by itself: the kind (one for all), the roles (every one any of them
# had), the numbers (see the module's docstring) and the archive (archived if all were).
SET_BY_THE_MERGE = frozenset(
    ["kind", "is_customer", "is_supplier", "customer_number", "supplier_number", "archived"]
)
ADDRESSES = (
    MergeChoice(
        "billing_address",
        _("billing address"),
        (
            "billing_supplement",
            "billing_street",
            "billing_postal_code",
            "billing_city",
            "billing_country",
        ),
    ),
    MergeChoice(
        "shipping_address",
        _("shipping address"),
        (
            "has_shipping_address",
            "shipping_supplement",
            "shipping_street",
            "shipping_postal_code",
            "shipping_city",
            "shipping_country",
        ),
    ),
)


def _choices() -> tuple[MergeChoice, ...]:
    """A choice for every field the history tracks, in its order; an address is one."""
    choices: list[MergeChoice] = []
    in_an_address = {field: address for address in ADDRESSES for field in address.fields}
    for field in TRACKED:
        if field in SET_BY_THE_MERGE:
            continue
        choice = in_an_address.get(field) or _one(field)
        if choice not in choices:
            choices.append(choice)
    return tuple(choices)


MERGE_CHOICES = _choices()
CHOICES_BY_NAME = {choice.name: choice for choice in MERGE_CHOICES}


def default_picks(contacts: Sequence[Contact], kept: Contact) -> dict[str, int]:
    """Whose values each choice starts with: the kept contact's, else the first that has any."""
    picks = {}
    for choice in MERGE_CHOICES:
        filled = [c for c in contacts if any(_filled(c, f) for f in choice.fields)]
        picks[choice.name] = (kept if kept in filled or not filled else filled[0]).pk
    return picks


def _filled(contact: Contact, field: str) -> bool:
    value = getattr(contact, field)
    if field == "has_shipping_address":
        return bool(value)
    if field.endswith("_country"):
        return field == "billing_country" and bool(value) and _filled(contact, "billing_city")
    return value not in ("", None)


# --- what moves with a merged contact, besides its fields, persons and profiles --------------


class MovedRows:
    """Rows of another table that belong to a contact through `contact_id` and move with a
    merge: moved by id, and those ids kept, so that the undo moves the same rows back.

    Tags do not move as rows: the kept contact gets every tag any of them carries, through its
    own change, which the undo takes back.
    """

    def __init__(self, name: str, model: type[Model]) -> None:
        self.name, self.model = name, model

    def rows(self, contact_id: int):
        return self.model._default_manager.filter(contact_id=contact_id)

    def move(self, *, kept: Contact, other: Contact) -> list[int]:
        ids = list(self.rows(other.pk).values_list("pk", flat=True))
        self.model._default_manager.filter(pk__in=ids).update(contact_id=kept.pk)
        return ids

    def move_back(self, *, kept: Contact, other: Contact, moved: list[int]) -> None:
        self.rows(kept.pk).filter(pk__in=moved).update(contact_id=other.pk)


MOVED_WITH_A_CONTACT: tuple[MovedRows, ...] = (
    MovedRows("notes", Note),
    MovedRows("former_numbers", FormerNumber),
    # Its history (its own changes and its notes'): the kept contact's timeline shows it.
    MovedRows("history", Change),
)


# --- the merge --------------------------------------------------------------------------------


def merge_contacts(
    *,
    organization: Organization,
    kept_id: int,
    contact_ids: Sequence[int],
    picks: dict[str, int],
    versions: dict[int, int],
    by: User | None,
) -> ContactMerge:
    """Merge the contacts `contact_ids` into `kept_id` (one of them).

    `picks` names for each choice of MERGE_CHOICES whose values to keep (a missing one: the kept
    contact's if it has any, else the first of the others that has; an unknown one: the kept
    contact's); `versions` are the contacts' versions as the user saw them.
    Raises MergeRefused or MergeConflict.
    """
    ids = sorted(set(contact_ids))
    if not MIN_MERGED <= len(ids) <= MAX_MERGED:
        raise MergeRefused(_("Choose between 2 and 5 contacts to merge."))
    if kept_id not in ids:
        raise MergeRefused(_("Choose which of the contacts to keep."))
    with transaction.atomic():
        # The organization's lock first, as everything handing out or moving numbers takes it.
        Organization.objects.lock_for_writing(organization.pk)
        contacts = list(
            Contact.objects.select_for_update().filter(organization=organization, pk__in=ids)
        )
        if len(contacts) != len(ids):
            raise MergeRefused(_("One of the contacts is no longer there."))
        for contact in contacts:
            if versions.get(contact.pk) != contact.version:
                raise MergeConflict(contact)
        if len({c.kind for c in contacts}) > 1:
            raise MergeRefused(_("A company and a person cannot be merged."))
        kept = next(c for c in contacts if c.pk == kept_id)
        others = sorted((c for c in contacts if c.pk != kept_id), key=lambda c: c.pk)
        return _merge(organization, kept, others, picks, by)


def _merge(
    organization: Organization,
    kept: Contact,
    others: list[Contact],
    picks: dict[str, int],
    by: User | None,
) -> ContactMerge:
    by_pk = {c.pk: c for c in [kept, *others]}
    # A choice not made keeps the kept contact's value, or the first the others have.
    picks = {**default_picks([kept, *others], kept), **picks}
    data: dict[str, Any] = {}
    for choice in MERGE_CHOICES:
        source = by_pk.get(picks[choice.name], kept)
        data.update({f: getattr(source, f) for f in choice.fields})
    data["is_customer"] = any(c.is_customer for c in by_pk.values())
    data["is_supplier"] = any(c.is_supplier for c in by_pk.values())
    data["archived"] = all(c.archived for c in by_pk.values())
    states = {c.pk: contact_state(c) for c in by_pk.values()}
    persons = _joined([states[c.pk]["persons"] for c in [kept, *others]], primary=True)
    profiles = _joined([states[c.pk]["profiles"] for c in [kept, *others]])
    # Every tag any of them carries, once (the undo takes back those the merge added).
    tags = sorted({name for c in [kept, *others] for name in states[c.pk]["tags"]})

    now = timezone.now()
    merge = ContactMerge.objects.create(
        organization=organization, kept=kept, merged_by=by, merged_at=now
    )
    moved: dict[str, dict[str, Any]] = {}
    for other in others:
        MergedContact.objects.create(merge=merge, contact=other)
        record: dict[str, Any] = {
            mover.name: mover.move(kept=kept, other=other) for mover in MOVED_WITH_A_CONTACT
        }
        record["numbers"] = _take_numbers(merge, data, kept, other)
        moved[str(other.pk)] = record
        trash_contact(
            contact=other, by=by, via=Via(Source.MERGE, label=str(kept), reference=merge.pk)
        )
    names = ", ".join(str(o) for o in others)
    via = Via(Source.MERGE, label=names, reference=merge.pk)
    update_contact(
        contact=kept,
        data=data,
        persons=persons,
        profiles=profiles,
        tags=tags,
        expected_version=kept.version,
        by=by,
        via=via,
    )
    merge.change = _change_of(merge, kept) or _empty_change(organization, kept, by, via)
    merge.moved = moved
    merge.save(update_fields=["change", "moved"])
    return merge


def _joined(groups: list[list[dict]], *, primary: bool = False) -> list[dict]:
    """The rows of every contact, each once; only the first primary contact person stays one."""
    rows: list[dict] = []
    has_primary = False
    for group in groups:
        for row in group:
            row = dict(row)
            if primary:
                row["is_primary"] = row["is_primary"] and not has_primary
                has_primary = has_primary or row["is_primary"]
            if not any(_same_row(row, r) for r in rows):
                rows.append(row)
    return rows


def _same_row(first: dict, second: dict) -> bool:
    return {k: v for k, v in first.items() if k != "is_primary"} == {
        k: v for k, v in second.items() if k != "is_primary"
    }


def _take_numbers(
    merge: ContactMerge, data: dict[str, Any], kept: Contact, other: Contact
) -> dict[str, int]:
    """The other's numbers: one for a role the kept contact has none for moves to it (returned,
    for the undo), the rest become its former numbers."""
    handed_over = {}
    for role, (field, _range) in NUMBER_RANGES.items():
        number = getattr(other, field)
        if not number:
            continue
        if not getattr(kept, field) and not data.get(field):
            data[field] = number
            handed_over[field] = number
            Contact.all_objects.filter(pk=other.pk).update(**{field: None})
        else:
            FormerNumber.objects.create(
                organization=merge.organization, contact=kept, role=role, number=number, merge=merge
            )
    return handed_over


def _change_of(merge: ContactMerge, kept: Contact) -> Change | None:
    return Change.objects.filter(
        changeset__source=Source.MERGE,
        changeset__reference=merge.pk,
        kind=KIND,
        object_id=kept.pk,
    ).first()


def _empty_change(organization: Organization, kept: Contact, by: User | None, via: Via) -> Change:
    """The merge's entry in the kept contact's history when no field of it changed."""
    changeset = open_changeset(organization=organization, by=by, via=via)
    return Change.objects.create(
        changeset=changeset,
        kind=KIND,
        object_id=kept.pk,
        contact_id=kept.pk,
        action=Action.CHANGED,
        fields={},
    )


# --- the undo ---------------------------------------------------------------------------------


def merges_of_changes(changes: Sequence[Change]) -> dict[int, ContactMerge]:
    """The merges whose entries in a kept contact's history these changes are, by change id."""
    if not any(c.changeset.source == Source.MERGE for c in changes):
        return {}
    merges = ContactMerge.objects.filter(change__in=changes).prefetch_related(
        Prefetch("merged", queryset=MergedContact.objects.select_related("contact"))
    )
    return {m.change_id: m for m in merges if m.change_id is not None}


def kept_contact_of(contact: Contact) -> Contact | None:
    """The contact `contact` (in the trash) was merged into, while that merge stands: what the
    trash can say of it, and where its merge is undone rather than restoring it alone."""
    mark = (
        MergedContact.objects.filter(contact=contact, merge__undone_at__isnull=True)
        .select_related("merge__kept")
        .order_by("-merge_id")
        .first()
    )
    return mark.merge.kept if mark else None


def merge_of_change(change: Change) -> ContactMerge | None:
    """The merge whose entry in the kept contact's history `change` is, if it is one."""
    return ContactMerge.objects.filter(change=change).first()


def can_be_undone(merge: ContactMerge) -> bool:
    """Not undone yet, and every merged contact still in the trash (not purged)."""
    if merge.undone_at is not None:
        return False
    return len(merge.merged.all()) == len(merge.moved)


def undo_merge(*, merge: ContactMerge, by: User | None) -> list[Contact]:
    """Undo the merge; returns the contacts brought back. Raises MergeRefused."""
    with transaction.atomic():
        Organization.objects.lock_for_writing(merge.organization_id)
        merge = (
            ContactMerge.objects.select_for_update(of=("self",))
            .select_related("change")
            .get(pk=merge.pk)
        )
        if merge.undone_at is not None:
            raise MergeRefused(_("This merge has been undone already."))
        others = list(
            Contact.all_objects.select_for_update().filter(merged_into__merge=merge).order_by("pk")
        )
        if len(others) != len(merge.moved):
            raise MergeRefused(
                _("This merge cannot be undone: a merged contact was deleted for good.")
            )
        kept = Contact.objects.select_for_update().filter(pk=merge.kept_id).first()
        if kept is None:
            raise MergeRefused(
                _("This merge cannot be undone while the contact it kept is in the trash.")
            )
        when = timezone.localtime(merge.merged_at).isoformat(timespec="minutes")
        via = Via(Source.RESTORE, label=when, reference=merge.change_id)
        # What moved comes back first, so that the kept contact's search text, written anew
        # below, no longer holds the others' numbers.
        FormerNumber.objects.filter(merge=merge, contact=kept).delete()
        for other in others:
            for mover in MOVED_WITH_A_CONTACT:
                moved = merge.moved[str(other.pk)].get(mover.name, [])
                mover.move_back(kept=kept, other=other, moved=moved)
        _put_back_fields(kept, merge, by, via)
        for other in others:
            for field, number in merge.moved[str(other.pk)].get("numbers", {}).items():
                taken = Contact.all_objects.filter(
                    organization_id=merge.organization_id, **{field: number}
                ).exists()
                if not taken:
                    Contact.all_objects.filter(pk=other.pk).update(**{field: number})
            restore_contact(contact=other, by=by, via=via)
        merge.undone_at = timezone.now()
        merge.save(update_fields=["undone_at"])
    return others


def _put_back_fields(kept: Contact, merge: ContactMerge, by: User | None, via: Via) -> None:
    """The kept contact as before the merge, but for what was changed on it since.

    The merge's change holds each field's value before and after it: a field still as the merge
    left it gets its old value back (one changed since keeps the newer value), and the contact
    persons and web profiles the merge brought are removed where they still are. Going back to
    the version before the merge (`history.versions.state_after`) would undo later edits too.
    """
    state = contact_state(kept)
    for name, (old, new) in (merge.change.fields if merge.change else {}).items():
        if name in ("persons", "profiles", "tags"):
            rows = list(state[name])
            for row in new:
                if row not in old and row in rows:
                    rows.remove(row)
            state[name] = rows
        elif state.get(name) == new:
            state[name] = old
    persons, profiles, tags = state.pop("persons"), state.pop("profiles"), state.pop("tags")
    update_contact(
        contact=kept,
        data=state,
        persons=persons,
        profiles=profiles,
        tags=tags,
        expected_version=kept.version,
        by=by,
        via=via,
    )
