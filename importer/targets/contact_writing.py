"""Writing the checked rows of a contact file: new contacts in bulk, existing ones updated,
all of it recorded in the import's change set.

The write is a fixed number of statements per batch of rows (no query per row), which is what
makes a 9,000-row file take well under a second; so is its history: the creations are written
by the database in one statement per range of ids, the updates' old and new values are worked
out in the same loop that applies them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.utils.translation import gettext as _

from accounts.models import Organization, User
from contacts_app.history import KIND, NOTE_KIND, TAG_KIND, contact_state
from contacts_app.models import (
    Contact,
    ContactPerson,
    ContactTag,
    Note,
    NumberSequence,
    Tag,
    WebProfile,
)
from contacts_app.search import indexed_in_bulk
from contacts_app.services import (
    NumberRangeExhausted,
    allocate_numbers,
    derived_fields,
    former_numbers_of,
    refresh_derived_fields,
    settle_contact_values,
)
from contacts_app.tag_names import name_keys
from contacts_app.tags import resolve_tags
from history.models import Action, Change, ChangeSet
from history.services import differences, record_changes, record_creations

from .. import bulk
from ..checking import CheckResult, RowOutcome
from ..reading import ImportFileError
from .contact_kinds import row_kind
from .contact_rows import children_of, new_children, new_tags, split

BATCH = 500


def write_contacts(
    result: CheckResult,
    *,
    organization: Organization,
    role: str,
    number_key: str,
    by: User | None,
    now: datetime,
    changeset: ChangeSet,
) -> list[int]:
    """Create and update what the check allows, as changed at `now`, the new contacts in the
    role (NumberSequence.Role) whose number is `number_key`, recorded in `changeset`; return
    the ids of the contacts created. Must run inside transaction.atomic()."""
    roles = {
        "is_customer": role == NumberSequence.Role.CUSTOMER,
        "is_supplier": role == NumberSequence.Role.SUPPLIER,
    }
    new_rows = [row for row in result.rows if row.status == "new"]
    built = [_build(row, organization=organization, roles=roles, by=by) for row in new_rows]

    # Rows that bring their own number go in first, so that the numbers handed out to the
    # others skip them.
    with_number = [b for b in built if b[0].get(number_key)]
    without_number = [b for b in built if not b[0].get(number_key)]
    with indexed_in_bulk():
        ids = _insert(with_number, by=by, now=now)
        if without_number:
            try:
                numbers = allocate_numbers(
                    organization=organization, role=role, count=len(without_number)
                )
            except NumberRangeExhausted as error:
                raise ImportFileError(
                    _(
                        "There are not enough free numbers left for the rows without a number. "
                        "Give those rows numbers of their own, or import fewer rows."
                    ),
                    code="numbers_exhausted",
                ) from error
            for (contact, *_rest), number in zip(without_number, numbers, strict=True):
                contact[number_key] = number
        ids += _insert(without_number, by=by, now=now)
    record_creations(
        changeset, kind=KIND, table=Contact._meta.db_table, id_ranges=bulk.id_ranges(ids)
    )
    tagged: dict[int, list[str]] = {
        pk: list(row.values["tags"])
        for pk, row in zip(ids, [b[4] for b in (*with_number, *without_number)], strict=True)
        if row.values.get("tags")
    }
    updates = [row for row in result.rows if row.status == "update"]
    record_changes(changeset, _update(updates, by=by, now=now, tagged=tagged))
    _give_tags(organization, tagged, changeset)
    return ids


def _give_tags(
    organization: Organization, tagged: dict[int, list[str]], changeset: ChangeSet
) -> None:
    """The contacts (by id) get these tags in addition to theirs; missing tags are created
    (and recorded, for the undo). A new contact's tags belong to its creation, an updated
    one's are in its change."""
    if not tagged:
        return
    existing = set(Tag.objects.filter(organization=organization).values_list("pk", flat=True))
    tags = resolve_tags(organization, [name for names in tagged.values() for name in names])
    record_changes(
        changeset,
        [
            Change(
                kind=TAG_KIND,
                object_id=tag.pk,
                action=Action.CREATED,
                fields={"name": [None, tag.name]},
            )
            for tag in tags
            if tag.pk not in existing
        ],
    )
    by_key = {key: tag.pk for tag in tags for key in (tag.folded_name, tag.spelled_name)}
    pairs = {
        (pk, by_key.get(folded) or by_key[spelled])
        for pk, names in tagged.items()
        for folded, spelled in map(name_keys, names)
    }
    ContactTag.objects.bulk_create(
        [ContactTag(contact_id=pk, tag_id=tag) for pk, tag in sorted(pairs)], batch_size=2000
    )


def _build(row: RowOutcome, *, organization: Organization, roles: dict, by: User | None):
    """A new contact's field values (by attribute name), its persons, profiles and notes."""
    fields, persons, profiles, notes = row.parts or split(row.values)
    contact = {
        "organization_id": organization.pk,
        **roles,
        "created_by_id": by.pk if by else None,
        "updated_by_id": by.pk if by else None,
        **fields,
        "kind": row_kind(fields),
    }
    settle_contact_values(contact, kind=contact["kind"])
    if not fields.get("billing_country"):
        contact["billing_country"] = "DE"
    return contact, persons, profiles, notes, row


def _insert(built: list, *, by: User | None, now) -> list[int]:
    """Insert the built contacts with their children; return the contacts' ids."""
    if not built:
        return []
    contacts = []
    for contact, persons, _profiles, _note, _row in built:
        contact.update(derived_fields(contact, persons))
        contacts.append(contact)
    ids = bulk.insert_rows(Contact, contacts, now=now)
    persons, profiles, notes = [], [], []
    author = by.pk if by else None
    for pk, (_c, row_persons, row_profiles, row_notes, _row) in zip(ids, built, strict=True):
        persons += [{"contact_id": pk, **p} for p in row_persons]
        profiles += [{"contact_id": pk, "kind": k, "value": v} for k, v in row_profiles]
        # In the cell's order, oldest first: the ids keep that order for the next export.
        notes += [{"contact_id": pk, "text": text, "author_id": author} for text in row_notes]
    bulk.insert_rows(ContactPerson, persons, now=now, return_ids=False)
    bulk.insert_rows(WebProfile, profiles, now=now, return_ids=False)
    bulk.insert_rows(Note, notes, now=now, return_ids=False)
    return ids


def _update(
    rows: list[RowOutcome], *, by: User | None, now: datetime, tagged: dict[int, list[str]]
) -> list[Change]:
    """Apply the rows to their contacts; return what changed, for the history. The tags each
    row adds are put into `tagged` (by contact id) for `_give_tags`."""
    if not rows:
        return []
    contacts = [row.existing for row in rows]
    ids = [c.pk for c in contacts]
    children = children_of(contacts)
    persons_of: dict[int, list] = defaultdict(list)
    for person in ContactPerson.objects.filter(contact_id__in=bulk.one_of(ids)):
        persons_of[person.contact_id].append(person)
    profiles_of: dict[int, list] = defaultdict(list)
    for profile in WebProfile.objects.filter(contact_id__in=bulk.one_of(ids)):
        profiles_of[profile.contact_id].append(profile)
    former = former_numbers_of(ids)
    new_persons, new_profiles, new_notes = [], [], []
    history: list[Change] = []
    changed_fields: set[str] = set()
    for row in rows:
        contact = row.existing
        persons, profiles = persons_of[contact.pk], profiles_of[contact.pk]
        carried = children[contact.pk]["tags"]
        before = contact_state(contact, persons, profiles, tags=carried)
        fields, *_ = split(row.values)
        added_persons, added_profiles, added_notes = new_children(row, contact, children)
        if added_tags := new_tags(row, contact, children):
            tagged[contact.pk] = added_tags
        fields = dict(fields)
        settle_contact_values(fields, kind=contact.kind)
        for name, value in fields.items():
            setattr(contact, name, value)
            changed_fields.add(name)
        contact.version += 1
        contact.updated_by = by
        contact.updated_at = now
        added = [ContactPerson(contact=contact, **p) for p in added_persons]
        new_persons += added
        new_profiles += [WebProfile(contact=contact, kind=k, value=v) for k, v in added_profiles]
        new_notes += [Note(contact=contact, text=text, author=by) for text in added_notes]
        refresh_derived_fields(contact, persons + added, former[contact.pk])
        after = contact_state(
            contact,
            persons + added,
            [*profiles, *({"kind": k, "value": v} for k, v in added_profiles)],
            tags=[*carried, *added_tags],
        )
        history.append(
            Change(
                kind=KIND,
                object_id=contact.pk,
                contact_id=contact.pk,
                action=Action.CHANGED,
                fields=differences(before, after),
            )
        )
    Contact.all_objects.bulk_update(
        contacts,
        sorted(
            changed_fields
            | {
                "has_shipping_address",
                "version",
                "updated_by",
                "updated_at",
                "display_name",
                "sort_name",
                "search_text",
            }
        ),
        batch_size=BATCH,
    )
    ContactPerson.objects.bulk_create(new_persons, batch_size=BATCH)
    WebProfile.objects.bulk_create(new_profiles, batch_size=BATCH)
    Note.objects.bulk_create(new_notes, batch_size=BATCH)
    # A note an import adds to a contact is a record of its own: the undo removes it.
    history += [
        Change(
            kind=NOTE_KIND,
            object_id=note.pk,
            contact_id=note.contact_id,
            action=Action.CREATED,
            fields={"text": [None, note.text]},
        )
        for note in new_notes
        if note.pk is not None
    ]
    return history
