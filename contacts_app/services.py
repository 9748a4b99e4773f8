"""Everything that changes contacts: creating, updating, numbering, archiving, the trash, notes.

Views, the importer, management commands and tests all write through these functions, so the
rules (numbers, search text, optimistic locking) hold whichever way data comes in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Organization, User
from core.folding import fold
from history.models import Action, Change, Source
from history.services import (
    FORM,
    Via,
    delete_recorded,
    open_changeset,
    record_change,
)
from history.versions import state_after

from .history import KIND, NOTE_KIND, contact_state
from .models import (
    CUSTOMER_NUMBERS,
    SUPPLIER_NUMBERS,
    Contact,
    ContactPerson,
    FormerNumber,
    Note,
    NumberSequence,
    WebProfile,
)
from .search import build_search_text
from .tags import replace_tags, tags_would_change

NUMBER_RANGES = {
    NumberSequence.Role.CUSTOMER: ("customer_number", CUSTOMER_NUMBERS),
    NumberSequence.Role.SUPPLIER: ("supplier_number", SUPPLIER_NUMBERS),
}
ATTEMPTS = 5


class ContactChanged(Exception):
    """Someone else saved the contact after the form was opened."""

    def __init__(self, current: Contact) -> None:
        super().__init__("contact changed")
        self.current = current


class NumberRangeExhausted(Exception):
    """No free number is left in the role's range."""


def allocate_numbers(*, organization: Organization, role: str, count: int = 1) -> list[int]:
    """Reserve the next `count` free numbers of a role; numbers are never handed out twice.

    Must run inside a transaction: the sequence row stays locked until it commits.
    """
    field, (low, high) = NUMBER_RANGES[NumberSequence.Role(role)]
    # An import holds this lock while it checks and writes its rows (which bring numbers of
    # their own): handing out a number meanwhile would take one of them, so wait for it.
    Organization.objects.lock_for_writing(organization.pk)
    sequence = (
        NumberSequence.objects.select_for_update()
        .filter(organization=organization, role=role)
        .first()
    )
    fresh = sequence is None
    if sequence is None:
        # Like lexoffice: continue after the highest number contacts already have (those in
        # the trash too: their numbers stay theirs until they are purged).
        highest = Contact.all_objects.filter(
            organization=organization, **{f"{field}__gte": low, f"{field}__lte": high}
        ).aggregate(m=Max(field))["m"]
        sequence = NumberSequence.objects.create(
            organization=organization, role=role, last_value=highest or low - 1
        )
    numbers = _free_numbers(organization, field, sequence.last_value + 1, high, count)
    if numbers is None and fresh:
        # An imported contact holds the top of the range, but nothing was ever handed out
        # automatically: the free numbers below it have never been used.
        numbers = _free_numbers(organization, field, low, high, count)
    if numbers is None:
        raise NumberRangeExhausted(role)
    sequence.last_value = numbers[-1]
    sequence.save(update_fields=["last_value"])
    return numbers


def _free_numbers(
    organization: Organization, field: str, start: int, high: int, count: int
) -> list[int] | None:
    """The first `count` numbers from `start` that no contact has (in the trash or not), or
    None if too few."""
    taken = set(
        Contact.all_objects.filter(
            organization=organization, **{f"{field}__gte": start, f"{field}__lte": high}
        ).values_list(field, flat=True)
    )
    # Numbers of contacts merged into others stay theirs (the search finds them by those).
    taken.update(
        FormerNumber.objects.filter(
            organization=organization, number__gte=start, number__lte=high
        ).values_list("number", flat=True)
    )
    if high - start + 1 - len(taken) < count:
        return None
    numbers: list[int] = []
    candidate = start
    while len(numbers) < count:
        if candidate not in taken:
            numbers.append(candidate)
        candidate += 1
    return numbers


def _assign_missing_numbers(contact: Contact) -> None:
    if contact.is_customer and not contact.customer_number:
        (contact.customer_number,) = allocate_numbers(
            organization=contact.organization, role=NumberSequence.Role.CUSTOMER
        )
    if contact.is_supplier and not contact.supplier_number:
        (contact.supplier_number,) = allocate_numbers(
            organization=contact.organization, role=NumberSequence.Role.SUPPLIER
        )


DERIVED_FROM = (
    "kind",
    "company_name",
    "title",
    "first_name",
    "last_name",
    "customer_number",
    "supplier_number",
    "billing_city",
    "billing_country",
    "shipping_city",
    *Contact.EMAIL_FIELDS,
    *Contact.PHONE_FIELDS,
    *Contact.KEYWORD_FIELDS,
)
PERSON_DERIVED_FROM = ("first_name", "last_name", "email", "phone", "mobile")


def derived_fields(
    values: Mapping[str, Any],
    persons: Sequence[Mapping[str, Any]],
    former_numbers: Iterable[int] = (),
) -> dict:
    """A contact's display name, sort key and search text from its values and contact persons.

    `values` maps the contact's field names (those in DERIVED_FROM; missing ones count as empty)
    to their values; each person maps those in PERSON_DERIVED_FROM. `former_numbers` are those
    of contacts merged into it, which the search finds it by too.
    """
    get = values.get
    if get("kind") == Contact.Kind.PERSON:
        display_name = " ".join(p for p in (get("title"), get("first_name"), get("last_name")) if p)
        sort_basis = f"{get('last_name') or ''} {get('first_name') or ''}"
    else:
        display_name = get("company_name") or ""
        sort_basis = display_name
    return {
        "display_name": display_name,
        "sort_name": fold(sort_basis).strip()[:250],
        "search_text": build_search_text(
            names=[get("company_name"), get("first_name"), get("last_name")]
            + [f"{p.get('first_name') or ''} {p.get('last_name') or ''}" for p in persons],
            numbers=[get("customer_number"), get("supplier_number"), *former_numbers],
            emails=[get(f) for f in Contact.EMAIL_FIELDS] + [p.get("email") for p in persons],
            phones=[get(f) for f in Contact.PHONE_FIELDS]
            + [p.get("phone") for p in persons]
            + [p.get("mobile") for p in persons],
            places=[get("billing_city"), get("shipping_city")],
            keywords=[get(f) for f in Contact.KEYWORD_FIELDS],
            country=get("billing_country") or "DE",
        ),
    }


def refresh_derived_fields(
    contact: Contact,
    persons: Iterable[ContactPerson | dict],
    former_numbers: Iterable[int] | None = None,
) -> None:
    """Set the contact's display name, sort key and search text from its data (no save).

    The former numbers are read from the database unless given (a new contact has none).
    """
    person_values = [
        p if isinstance(p, dict) else {f: getattr(p, f) for f in PERSON_DERIVED_FROM}
        for p in persons
    ]
    if former_numbers is None:
        former_numbers = (
            FormerNumber.objects.filter(contact_id=contact.pk).values_list("number", flat=True)
            if contact.pk
            else ()
        )
    values = {f: getattr(contact, f) for f in DERIVED_FROM}
    for name, value in derived_fields(values, person_values, former_numbers).items():
        setattr(contact, name, value)


def former_numbers_of(contact_ids: Sequence[int]) -> dict[int, list[int]]:
    """The former numbers of many contacts in one query, for a bulk `refresh_derived_fields`."""
    found: dict[int, list[int]] = {pk: [] for pk in contact_ids}
    rows = FormerNumber.objects.filter(contact_id__in=list(contact_ids))
    for contact_id, number in rows.values_list("contact_id", "number"):
        found[contact_id].append(number)
    return found


SHIPPING_FIELDS = (
    "shipping_supplement",
    "shipping_street",
    "shipping_postal_code",
    "shipping_city",
    "shipping_country",
)
# A shipping address is there when one of these is filled (a country alone is none).
SHIPPING_ADDRESS_MARKS = ("shipping_street", "shipping_postal_code", "shipping_city")


def settle_shipping_address(values: dict[str, Any]) -> None:
    """The one rule for a contact's shipping address, applied to `values` in place.

    With `has_shipping_address` given (the form), a contact without one keeps no shipping
    fields. Without it (a file's row), the address counts as there when a street, postal code
    or city is given, and the flag is set so.
    """
    if "has_shipping_address" not in values:
        if any(values.get(f) for f in SHIPPING_ADDRESS_MARKS):
            values["has_shipping_address"] = True
        return
    if not values["has_shipping_address"]:
        values.update(dict.fromkeys(SHIPPING_FIELDS, ""))


def settle_contact_values(values: dict[str, Any], *, kind: str) -> None:
    """The rules of a contact's values, applied to `values` in place by the form's save and
    the import alike: the shipping address (`settle_shipping_address`), and a company has no
    salutation or title of its own (its contact persons have them)."""
    settle_shipping_address(values)
    if kind == Contact.Kind.COMPANY:
        values["salutation"] = values["title"] = ""


def _apply(contact: Contact, data: dict[str, Any]) -> None:
    data = dict(data)
    settle_contact_values(data, kind=data.get("kind") or contact.kind)
    for name, value in data.items():
        setattr(contact, name, value)


# What tells that a person saved anew is one the contact had: its card's UID when the row
# carries it (CardDAV, a restored version), else the same name, else the same address or number.
PERSON_IDENTITIES = (
    ("card_uid",),
    ("first_name", "last_name"),
    ("email",),
    ("phone",),
    ("mobile",),
)
# What a person's row carries over from the person it is found to be, unless it gives it.
PERSON_CARRIED = ("card_uid", "card_properties")


def _identity(person: ContactPerson | Mapping[str, Any], fields: tuple[str, ...]) -> tuple:
    get = person.get if isinstance(person, Mapping) else lambda f, d="": getattr(person, f, d)
    values = tuple(fold(str(get(f, "") or "")).strip() for f in fields)
    return values if all(values) else ()


def _carry_card_identities(old: Sequence[ContactPerson], rows: Sequence[dict]) -> list[dict]:
    """The rows, each with the card UID (and the card's further properties) of the person it
    is, so that a phone sees an edited contact person as the same card."""
    rows = [dict(r) for r in rows]
    unmatched = list(old)
    for fields in PERSON_IDENTITIES:
        for row in rows:
            if row.get("card_uid") and fields != ("card_uid",):
                continue
            key = _identity(row, fields)
            match = next((p for p in unmatched if key and _identity(p, fields) == key), None)
            if match is not None:
                unmatched.remove(match)
                for name in PERSON_CARRIED:
                    row.setdefault(name, getattr(match, name))
                row["card_uid"] = row.get("card_uid") or match.card_id
    return rows


def _give_persons_card_ids(contact: Contact) -> None:
    """Persons added without a card UID (a form, an import) get the one their card has been
    known by, before the contact's state is read: the UID is no change of the contact's."""
    for person in contact.persons.filter(card_uid=""):
        ContactPerson.objects.filter(pk=person.pk).update(card_uid=person.card_id)


def _replace_children(
    contact: Contact, persons: Sequence[dict] | None, profiles: Sequence[dict] | None
) -> list[ContactPerson]:
    if persons is not None:
        old = list(contact.persons.all())
        persons = _carry_card_identities(old, persons)
        contact.persons.all().delete()
        if contact.kind == Contact.Kind.COMPANY:
            ContactPerson.objects.bulk_create(
                [ContactPerson(contact=contact, **p) for p in persons]
            )
    if profiles is not None:
        contact.web_profiles.all().delete()
        WebProfile.objects.bulk_create([WebProfile(contact=contact, **p) for p in profiles])
    return list(contact.persons.all())


def create_contact(
    *,
    organization: Organization,
    data: dict[str, Any],
    by: User | None,
    persons: Sequence[dict] = (),
    profiles: Sequence[dict] = (),
    tags: Sequence[str] = (),
    first_note: str = "",
    via: Via = FORM,
) -> Contact:
    """Create a contact with its contact persons, web profiles, tags (by name, created where
    missing) and, if given, its first note; numbers are assigned."""
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                contact = Contact(organization=organization, created_by=by, updated_by=by)
                _apply(contact, data)
                _assign_missing_numbers(contact)
                persons = list(persons) if contact.kind == Contact.Kind.COMPANY else []
                refresh_derived_fields(contact, persons)
                contact.save()
                _replace_children(contact, persons, list(profiles))
                if tags:
                    replace_tags(contact, tags)
                changeset = open_changeset(organization=organization, by=by, via=via)
                record_change(
                    changeset,
                    kind=KIND,
                    object_id=contact.pk,
                    contact_id=contact.pk,
                    before=None,
                    after=None,
                )
                if first_note:
                    add_note(contact=contact, text=first_note, by=by, via=via)
                return contact
        except IntegrityError:
            # Another request took the same number or created the sequence row first.
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def update_contact(
    *,
    contact: Contact,
    data: dict[str, Any],
    by: User | None,
    expected_version: int,
    persons: Sequence[dict] | None = None,
    profiles: Sequence[dict] | None = None,
    tags: Sequence[str] | None = None,
    via: Via = FORM,
) -> Contact:
    """Save changes unless someone saved the contact since `expected_version` was read.

    `persons`, `profiles` and `tags` (names, created where missing) replace the contact's
    (None: they stay as they are). The change is recorded in the history, field by field.
    """
    with transaction.atomic():
        if _needs_a_number(contact, data) or (
            tags is not None and tags_would_change(contact, tags)
        ):
            # Numbers are handed out under the organization's lock (see allocate_numbers), which
            # an import takes before it locks contacts: take it first here too, or an import
            # updating this contact meanwhile would wait for us while we wait for it. Tags
            # change under it too, so that merging or deleting a tag misses none given meanwhile.
            Organization.objects.lock_for_writing(contact.organization_id)
        current = Contact.objects.select_for_update().filter(pk=contact.pk).first()
        if current is None:
            # Deleted while the form was sent (an import undone, say): nothing left to save.
            raise Http404
        if current.version != expected_version:
            raise ContactChanged(Contact.objects.select_related("updated_by").get(pk=contact.pk))
        if persons is not None:
            _give_persons_card_ids(current)
        before = contact_state(current)
        data = {k: v for k, v in data.items() if k != "kind"}  # a contact never changes kind
        _apply(current, data)
        _assign_missing_numbers(current)
        current.version += 1
        current.updated_by = by
        saved_persons = _replace_children(current, persons, profiles)
        if tags is not None:
            replace_tags(current, tags)
        refresh_derived_fields(current, saved_persons)
        current.save()
        after = contact_state(current, persons=saved_persons)
        if after != before:
            changeset = open_changeset(organization=current.organization, by=by, via=via)
            record_change(
                changeset,
                kind=KIND,
                object_id=current.pk,
                contact_id=current.pk,
                before=before,
                after=after,
            )
    return current


def _needs_a_number(contact: Contact, data: Mapping[str, Any]) -> bool:
    """Whether saving `data` gives the contact a role it has no number for."""
    return any(
        data.get(role, getattr(contact, role)) and not (data.get(field) or getattr(contact, field))
        for role, field in (("is_customer", "customer_number"), ("is_supplier", "supplier_number"))
    )


def set_archived(*, contact: Contact, archived: bool, by: User | None, via: Via = FORM) -> None:
    with transaction.atomic():
        was = Contact.objects.filter(pk=contact.pk).values_list("archived", flat=True).get()
        # The version is counted up in the database: an edit saved since `contact` was read
        # must count too, or a form opened after that edit would not learn of the archiving.
        Contact.objects.filter(pk=contact.pk).update(
            archived=archived, updated_by=by, updated_at=timezone.now(), version=F("version") + 1
        )
        contact.refresh_from_db(fields=["archived", "updated_by", "updated_at", "version"])
        if was != archived:
            changeset = open_changeset(organization=contact.organization, by=by, via=via)
            record_change(
                changeset,
                kind=KIND,
                object_id=contact.pk,
                contact_id=contact.pk,
                before={"archived": was},
                after={"archived": archived},
            )


def trash_contact(*, contact: Contact, by: User | None, via: Via = FORM) -> None:
    """Move the contact to the trash: hidden everywhere, its numbers kept, back whole on
    `restore_contact` until it is purged (settings.TRASH_DAYS)."""
    with transaction.atomic():
        now = timezone.now()
        moved = Contact.objects.filter(pk=contact.pk).update(
            deleted_at=now, deleted_by=by, updated_at=now, version=F("version") + 1
        )
        if not moved:
            return  # in the trash already
        contact.deleted_at, contact.deleted_by = now, by
        changeset = open_changeset(organization=contact.organization, by=by, via=via)
        record_change(
            changeset,
            kind=KIND,
            object_id=contact.pk,
            contact_id=contact.pk,
            before={},
            after={},
            action=Action.TRASHED,
        )


def restore_contact(*, contact: Contact, by: User | None, via: Via = FORM) -> bool:
    """Bring a contact back from the trash, with its persons, profiles, notes and numbers;
    False if it was not there (restored or purged meanwhile)."""
    with transaction.atomic():
        now = timezone.now()
        restored = Contact.all_objects.filter(pk=contact.pk, deleted_at__isnull=False).update(
            deleted_at=None,
            deleted_by=None,
            updated_by=by,
            updated_at=now,
            version=F("version") + 1,
        )
        if not restored:
            return False
        contact.deleted_at = contact.deleted_by = None
        changeset = open_changeset(organization=contact.organization, by=by, via=via)
        record_change(
            changeset,
            kind=KIND,
            object_id=contact.pk,
            contact_id=contact.pk,
            before={},
            after={},
            action=Action.RESTORED,
        )
    return True


def delete_contact(*, contact: Contact, by: User | None = None, via: Via = FORM) -> None:
    """Delete for good, in the trash or not (the admin, tests); pages move contacts to the
    trash instead, and the trash purges them."""
    everyone = Contact.all_objects.filter(organization=contact.organization_id)
    _delete_for_good(everyone, [contact.pk], organization=contact.organization, by=by, via=via)


def purge_contacts(
    *,
    organization: Organization,
    ids: Sequence[int],
    by: User | None,
    via: Via,
    trashed_before: datetime | None = None,
) -> list[str]:
    """Delete for good those of these contacts that are in the trash (moved there before
    `trashed_before`, if given), with their contact persons, web profiles and notes; returns
    the names of those deleted. A contact restored meanwhile stays."""
    trash = Contact.all_objects.trashed().filter(organization=organization)
    if trashed_before is not None:
        trash = trash.filter(deleted_at__lt=trashed_before)
    return _delete_for_good(trash, ids, organization=organization, by=by, via=via)


def _delete_for_good(candidates: QuerySet, ids: Sequence[int], **who: Any) -> list[str]:
    """Delete those of `candidates` (contacts) whose id is in `ids`, with their contact persons,
    web profiles and notes, each deletion recorded; returns their names."""
    columns = ("display_name", "customer_number", "supplier_number")
    return delete_recorded(
        candidates,
        ids,
        columns=columns,
        deletion=_deletion,
        name=lambda _pk, name, *_numbers: name,
        **who,
    )


def _deletion(pk: int, name: str, customer: int | None, supplier: int | None) -> Change:
    """A contact's deletion for the history, keeping what named it."""
    fields: dict[str, list[Any]] = {"display_name": [name, None]}
    if customer:
        fields["customer_number"] = [customer, None]
    if supplier:
        fields["supplier_number"] = [supplier, None]
    return Change(kind=KIND, object_id=pk, contact_id=pk, action=Action.DELETED, fields=fields)


def _record_note(note: Note, *, by: User | None, via: Via, before, after, action) -> None:
    changeset = open_changeset(organization=note.contact.organization, by=by, via=via)
    record_change(
        changeset,
        kind=NOTE_KIND,
        object_id=note.pk,
        contact_id=note.contact_id,
        before=before,
        after=after,
        action=action,
    )


def add_note(*, contact: Contact, text: str, by: User | None, via: Via = FORM) -> Note:
    with transaction.atomic():
        note = Note.objects.create(contact=contact, text=text, author=by)
        # A note's creation keeps its text: the timeline shows it after the note is deleted.
        _record_note(note, by=by, via=via, before={}, after={"text": text}, action=Action.CREATED)
    return note


def update_note(*, note: Note, text: str, by: User | None = None, via: Via = FORM) -> Note:
    with transaction.atomic():
        # The note may carry the new text already (a model form puts it there).
        stored = Note.objects.filter(pk=note.pk).values_list("text", flat=True).get()
        before = {"text": stored}
        note.text = text
        note.save(update_fields=["text", "updated_at"])
        if before["text"] != text:
            _record_note(
                note, by=by, via=via, before=before, after={"text": text}, action=Action.CHANGED
            )
    return note


def delete_note(*, note: Note, by: User | None = None, via: Via = FORM) -> None:
    with transaction.atomic():
        _record_note(
            note, by=by, via=via, before={"text": note.text}, after={}, action=Action.DELETED
        )
        note.delete()


def restore_version(*, contact: Contact, change: Change, by: User | None) -> Contact:
    """Make the contact what it was right after `change` (itself a change, recorded)."""
    state = state_after(contact_state(contact), change)
    persons, profiles, tags = state.pop("persons"), state.pop("profiles"), state.pop("tags")
    when = timezone.localtime(change.changeset.created_at)
    return update_contact(
        contact=contact,
        data=state,
        persons=persons,
        profiles=profiles,
        # A tag deleted since comes back (in the palette's next colour): the version had it.
        tags=tags,
        expected_version=contact.version,
        by=by,
        via=Via(Source.RESTORE, label=when.isoformat(timespec="minutes"), reference=change.pk),
    )
