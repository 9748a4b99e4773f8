"""Everything that changes tags and which contacts carry them.

A change of a contact's tags is a change of the contact: it is recorded in the contact's history
(its state holds the names of its tags, see `history.contact_state`) and counts up its version,
so that a form opened before learns of it. Renaming, merging or deleting a tag therefore records
a change for every contact carrying it, all in one change set.

Every writer here takes the organization's lock first (`lock_for_writing`), as the import does:
so a merge or a deletion never misses a tag that a colleague gives a contact meanwhile, and
two bulk actions never wait for each other's rows.

For the import: `set_tags(contact=, names=, by=, via=)` gives one contact exactly these tags,
`set_tags_in_bulk(organization=, names_by_contact=, by=, via=)` many at once; both create the
tags they name that do not exist yet, and `tag_names.parse_tag_names` checks a file's cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from accounts.models import Organization, User
from core.sql import one_param
from history.models import Action, Change, ChangeSet, Source
from history.services import FORM, Via, open_changeset, record_changes

from .history import KIND
from .models import Contact, ContactTag, Tag
from .tag_names import clean_tag_name, name_keys, sorted_names

BULK = Via(Source.BULK)
PALETTE = list(Tag.Colour.values)


class TagNameTaken(Exception):
    """Another tag of the organization has a name that compares the same."""

    def __init__(self, existing: Tag) -> None:
        super().__init__(existing.name)
        self.existing = existing


# --- reading ------------------------------------------------------------------------------


def tags_with_counts(organization: Organization) -> QuerySet[Tag]:
    """The organization's tags in name order, each with how many live contacts carry it."""
    # Ordered here: a model's own ordering does not hold for a query that counts.
    return (
        Tag.objects.filter(organization=organization)
        .annotate(contact_count=Count("contacts", filter=Q(contacts__deleted_at__isnull=True)))
        .order_by("folded_name", "id")
    )


def find_tag(organization: Organization, name: str, *, exclude_pk: int | None = None):
    """The organization's tag whose name compares the same as `name`, or None."""
    folded, spelled = name_keys(name)
    same = Tag.objects.filter(organization=organization).filter(
        Q(folded_name=folded) | Q(spelled_name=spelled)
    )
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    # Both may match different tags ("Muller" and "Mueller" for "Müller"): the folded one wins.
    return min(same, key=lambda tag: tag.folded_name != folded, default=None)


def tag_ids_by_contact(contact_ids: Sequence[int]) -> dict[int, set[int]]:
    current: dict[int, set[int]] = {pk: set() for pk in contact_ids}
    pairs = ContactTag.objects.filter(contact_id__in=one_param(contact_ids))
    for contact_id, tag_id in pairs.values_list("contact_id", "tag_id"):
        current[contact_id].add(tag_id)
    return current


def tag_names_by_contact(contact_ids: Sequence[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {pk: [] for pk in contact_ids}
    pairs = ContactTag.objects.filter(contact_id__in=one_param(contact_ids))
    for contact_id, name in pairs.values_list("contact_id", "tag__name"):
        names[contact_id].append(name)
    return {pk: sorted_names(found) for pk, found in names.items()}


# --- the tags themselves ------------------------------------------------------------------


def _insert_tag(organization: Organization, name: str, colour: str) -> Tag:
    folded, spelled = name_keys(name)
    with transaction.atomic():  # a savepoint: a clash leaves the caller's transaction usable
        return Tag.objects.create(
            organization=organization,
            name=name,
            colour=colour,
            folded_name=folded,
            spelled_name=spelled,
        )


def next_colour(organization: Organization) -> str:
    """New tags take the palette's colours in turn, so that they look different at once."""
    return PALETTE[Tag.objects.filter(organization=organization).count() % len(PALETTE)]


def create_tag(*, organization: Organization, name: str, colour: str = "") -> Tag:
    name = clean_tag_name(name)
    if existing := find_tag(organization, name):
        raise TagNameTaken(existing)
    try:
        return _insert_tag(organization, name, colour or next_colour(organization))
    except IntegrityError:
        existing = find_tag(organization, name)
        if existing is None:
            raise
        raise TagNameTaken(existing) from None


def resolve_tags(organization: Organization, names: Iterable[str]) -> list[Tag]:
    """The organization's tags with these names (as compared), in that order, each once;
    those that do not exist yet are created. The names must be clean (`clean_tag_name`)."""
    known = list(Tag.objects.filter(organization=organization))
    by_key = {key: tag for tag in known for key in (tag.folded_name, tag.spelled_name)}
    found: list[Tag] = []
    for name in names:
        folded, spelled = name_keys(name)
        tag = by_key.get(folded) or by_key.get(spelled)
        if tag is None:
            colour = PALETTE[len(known) % len(PALETTE)]
            try:
                tag = _insert_tag(organization, name, colour)
            except IntegrityError:  # created by someone else a moment ago
                tag = find_tag(organization, name)
                if tag is None:
                    raise
            known.append(tag)
            by_key.update({tag.folded_name: tag, tag.spelled_name: tag})
        if tag not in found:
            found.append(tag)
    return found


def update_tag(*, tag: Tag, name: str, colour: str, by: User | None, via: Via = FORM) -> Tag:
    """Rename and recolour; a new name is a change of every contact carrying the tag."""
    name = clean_tag_name(name)
    with transaction.atomic():
        Organization.objects.lock_for_writing(tag.organization_id)
        if clash := find_tag(tag.organization, name, exclude_pk=tag.pk):
            raise TagNameTaken(clash)
        renamed = Tag.objects.filter(pk=tag.pk).values_list("name", flat=True).get() != name
        carriers = _carriers(tag) if renamed else []
        before = tag_names_by_contact(carriers)
        tag.name, tag.colour = name, colour
        tag.folded_name, tag.spelled_name = name_keys(name)
        try:
            with transaction.atomic():
                tag.save()
        except IntegrityError:
            raise TagNameTaken(find_tag(tag.organization, name, exclude_pk=tag.pk) or tag) from None
        if renamed:
            _record(tag.organization, before, tag_names_by_contact(carriers), by=by, via=via)
    return tag


def merge_tag(*, tag: Tag, into: Tag, by: User | None, via: Via = FORM) -> int:
    """Give every contact carrying `tag` the tag `into` instead and delete `tag`.

    Returns how many contacts carried it.
    """
    if tag.pk == into.pk or tag.organization_id != into.organization_id:
        raise ValueError("a tag merges into another tag of its organization")
    with transaction.atomic():
        Organization.objects.lock_for_writing(tag.organization_id)
        carriers = _carriers(tag)
        before = tag_names_by_contact(carriers)
        have = set(
            ContactTag.objects.filter(tag=into, contact_id__in=one_param(carriers)).values_list(
                "contact_id", flat=True
            )
        )
        ContactTag.objects.bulk_create(
            [ContactTag(contact_id=pk, tag=into) for pk in carriers if pk not in have],
            batch_size=2000,
        )
        tag.delete()
        _record(into.organization, before, tag_names_by_contact(carriers), by=by, via=via)
    return len(carriers)


def delete_tag(*, tag: Tag, by: User | None, via: Via = FORM) -> int:
    """Take the tag off every contact and delete it; returns how many carried it."""
    with transaction.atomic():
        Organization.objects.lock_for_writing(tag.organization_id)
        carriers = _carriers(tag)
        before = tag_names_by_contact(carriers)
        organization = tag.organization
        tag.delete()
        _record(organization, before, tag_names_by_contact(carriers), by=by, via=via)
    return len(carriers)


def _carriers(tag: Tag) -> list[int]:
    """Every contact carrying the tag, those in the trash too (they get it back on restore)."""
    return list(ContactTag.objects.filter(tag=tag).values_list("contact_id", flat=True))


# --- which contacts carry which tags ------------------------------------------------------


def replace_tags(contact: Contact, names: Sequence[str]) -> list[Tag]:
    """Give the contact exactly the tags named (created where missing), recording nothing:
    for `services.create_contact` and `update_contact`, whose change covers the tags."""
    tags = resolve_tags(contact.organization, [clean_tag_name(n) for n in names])
    wanted = {tag.pk for tag in tags}
    current = tag_ids_by_contact([contact.pk])[contact.pk]
    ContactTag.objects.filter(contact=contact, tag_id__in=current - wanted).delete()
    ContactTag.objects.bulk_create(
        [ContactTag(contact=contact, tag_id=pk) for pk in wanted - current]
    )
    return tags


def tags_would_change(contact: Contact, names: Sequence[str]) -> bool:
    """Whether giving the contact these tags changes anything (compared as names compare)."""
    current = tag_names_by_contact([contact.pk])[contact.pk] if contact.pk else []
    return {name_keys(n)[0] for n in names} != {name_keys(n)[0] for n in current}


def set_tags(*, contact: Contact, names: Sequence[str], by: User | None, via: Via = FORM) -> bool:
    """Give one contact exactly these tags, recorded in its history; True if that changed it."""
    changed = set_tags_in_bulk(
        organization=contact.organization,
        names_by_contact={contact.pk: names},
        by=by,
        via=via,
    )
    contact.refresh_from_db(fields=["version", "updated_at", "updated_by"])
    return changed > 0


def set_tags_in_bulk(
    *,
    organization: Organization,
    names_by_contact: Mapping[int, Sequence[str]],
    by: User | None,
    via: Via,
    changeset: ChangeSet | None = None,
) -> int:
    """Give each contact (by id) exactly the tags named, in one transaction.

    The names are cleaned here (a ValidationError for one that is not valid, before anything
    is written); tags that do not exist yet are created. Contacts of other organizations are
    left alone. Each contact whose tags change gets one change in `changeset` (a new one if
    not given). Returns how many changed.
    """
    cleaned = {pk: [clean_tag_name(n) for n in names] for pk, names in names_by_contact.items()}
    with transaction.atomic():
        Organization.objects.lock_for_writing(organization.pk)
        ids = _own(organization, list(cleaned), trash_too=True)
        all_names = [name for pk in ids for name in cleaned[pk]]
        by_key = {
            key: tag
            for tag in resolve_tags(organization, all_names)
            for key in (tag.folded_name, tag.spelled_name)
        }

        def tag_of(name: str) -> int:
            folded, spelled = name_keys(name)
            return (by_key.get(folded) or by_key[spelled]).pk

        current = tag_ids_by_contact(ids)
        wanted = {pk: {tag_of(name) for name in cleaned[pk]} for pk in ids}
        return _retag(organization, current, wanted, by=by, via=via, changeset=changeset)


def add_tag_to_contacts(
    *, organization: Organization, ids: Sequence[int], tag: Tag, by: User | None, via: Via = BULK
) -> int:
    """The bulk action: `tag` for every live contact of `ids`; returns how many got it."""
    with transaction.atomic():
        Organization.objects.lock_for_writing(organization.pk)
        ids = _own(organization, ids)
        current = tag_ids_by_contact(ids)
        wanted = {pk: current[pk] | {tag.pk} for pk in ids}
        return _retag(organization, current, wanted, by=by, via=via)


def remove_tag_from_contacts(
    *, organization: Organization, ids: Sequence[int], tag: Tag, by: User | None, via: Via = BULK
) -> int:
    """The bulk action: `tag` off every live contact of `ids`; returns how many lost it."""
    with transaction.atomic():
        Organization.objects.lock_for_writing(organization.pk)
        ids = _own(organization, ids)
        current = tag_ids_by_contact(ids)
        wanted = {pk: current[pk] - {tag.pk} for pk in ids}
        return _retag(organization, current, wanted, by=by, via=via)


def _own(organization: Organization, ids: Sequence[int], *, trash_too: bool = False) -> list[int]:
    """Those of `ids` that are contacts of the organization (live ones, unless `trash_too`)."""
    contacts = Contact.all_objects if trash_too else Contact.objects
    own = contacts.filter(organization=organization, pk__in=one_param(list(ids)))
    return list(own.order_by("pk").values_list("pk", flat=True))


def _retag(
    organization: Organization,
    current: dict[int, set[int]],
    wanted: dict[int, set[int]],
    *,
    by: User | None,
    via: Via,
    changeset: ChangeSet | None = None,
) -> int:
    """Write the difference between the contacts' `current` and `wanted` tag ids and record it."""
    ContactTag.objects.bulk_create(
        [
            ContactTag(contact_id=pk, tag_id=t)
            for pk, tags in wanted.items()
            for t in tags - current[pk]
        ],
        batch_size=2000,
    )
    dropped: dict[int, list[int]] = {}
    for pk, tags in current.items():
        for tag_id in tags - wanted[pk]:
            dropped.setdefault(tag_id, []).append(pk)
    for tag_id, contact_ids in dropped.items():
        ContactTag.objects.filter(tag_id=tag_id, contact_id__in=one_param(contact_ids)).delete()
    name_of = dict(Tag.objects.filter(organization=organization).values_list("pk", "name"))
    before = {pk: sorted_names(name_of[t] for t in tags) for pk, tags in current.items()}
    after = {pk: sorted_names(name_of[t] for t in tags) for pk, tags in wanted.items()}
    return len(_record(organization, before, after, by=by, via=via, changeset=changeset))


def _record(
    organization: Organization,
    before: Mapping[int, list[str]],
    after: Mapping[int, list[str]],
    *,
    by: User | None,
    via: Via,
    changeset: ChangeSet | None = None,
) -> list[int]:
    """One change per contact whose tag names differ, and its version counted up."""
    changed = [pk for pk in before if before[pk] != after[pk]]
    if not changed:
        return []
    if changeset is None:
        changeset = open_changeset(organization=organization, by=by, via=via)
    record_changes(
        changeset,
        [
            Change(
                kind=KIND,
                object_id=pk,
                contact_id=pk,
                action=Action.CHANGED,
                fields={"tags": [before[pk], after[pk]]},
            )
            for pk in changed
        ],
    )
    Contact.all_objects.filter(pk__in=one_param(changed)).update(
        version=F("version") + 1, updated_at=timezone.now(), updated_by=by
    )
    return changed
