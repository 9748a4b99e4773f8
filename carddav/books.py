"""The address books and their cards, read from the contacts: one book per organization.

Tenancy: every book is found through the asking person's memberships (`book_for`), and every
card through its book's organization, so another organization's book or card is simply not
found (404). A book holds the organization's live contacts that are not archived, and each
company's contact persons as cards of their own.

Sync tokens are the history's change ids: every change of a contact, of its persons,
profiles or notes is a `history.Change` with a larger id than the ones before, so "what
changed since token n" is "the contacts of changes with an id above n". A sync reads a fixed
number of queries whatever the number of cards.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, QuerySet
from django.http import Http404

from accounts.models import Membership, Organization, Role, User
from contacts_app.history import KIND
from contacts_app.models import Contact, ContactPerson, Note, WebProfile
from contacts_app.tags import tag_names_by_contact
from history.models import Action, Change

from .cards import Card, contact_card, contact_card_name, person_card

CONTACT_NAME = re.compile(r"kontor-contact-([0-9]{1,18})\.vcf")
PERSON_NAME = re.compile(r"kontor-person-([0-9]{1,18})\.vcf")
# What a contact person's card shows of the company: a change of these (or of the persons)
# changes the persons' cards too; any other change of the company leaves them as they are.
PERSON_CARD_SOURCES = {"persons", "company_name", "billing_country"}
SYNC_TOKEN = re.compile(r"urn:x-kontor:sync:([0-9]{1,18}):([0-9]{1,18})")


@dataclass
class Book:
    membership: Membership
    path: str | None = None  # its URL path, once asked for

    @property
    def organization(self) -> Organization:
        return self.membership.organization

    @property
    def slug(self) -> str:
        return self.organization.slug

    @property
    def writable(self) -> bool:
        return self.membership.has_role(Role.MEMBER)


def books_of(user: User) -> list[Book]:
    memberships = Membership.objects.filter(user=user).select_related("organization")
    return [Book(m) for m in memberships.order_by("organization__name")]


def book_for(user: User, slug: str) -> Book:
    """The user's book of the organization `slug`; 404 for any other (or a former member)."""
    membership = (
        Membership.objects.filter(user=user, organization__slug=slug)
        .select_related("organization")
        .first()
    )
    if membership is None:
        raise Http404
    return Book(membership)


# --- sync tokens ------------------------------------------------------------------------------


def latest_change(organization: Organization) -> int:
    found = Change.objects.filter(
        changeset__organization=organization, contact_id__isnull=False
    ).aggregate(latest=Max("id"))["latest"]
    return found or 0


def sync_token(organization: Organization, change_id: int) -> str:
    return f"urn:x-kontor:sync:{organization.pk}:{change_id}"


def parse_sync_token(organization: Organization, token: str, latest: int) -> int | None:
    """The change id a client's token stands for; None when it is not one of this book's."""
    match = SYNC_TOKEN.fullmatch(token.strip())
    if match is None or int(match[1]) != organization.pk or int(match[2]) > latest:
        return None
    return int(match[2])


# --- cards ------------------------------------------------------------------------------------


def _book_contacts(organization: Organization) -> QuerySet[Contact]:
    return Contact.objects.filter(organization=organization, archived=False)


def _children(model, organization: Organization, contact_ids: list[int] | None, order):
    """Persons, profiles or notes of the given contacts (of the whole book if None)."""
    if contact_ids is None:
        rows = model.objects.filter(contact_id__in=_book_contacts(organization).values("id"))
    else:
        rows = model.objects.filter(contact_id__in=contact_ids)
    grouped = defaultdict(list)
    for row in rows.order_by(*order):
        grouped[row.contact_id].append(row)
    return grouped


# The card format's revision: a release that writes cards differently counts it up, so that
# every ETag changes and the clients fetch the cards anew.
CARD_FORMAT = 1


def last_changes(organization: Organization, contact_ids: list[int] | None) -> dict[int, int]:
    """The id of each contact's latest change (its notes' included): with its version, what
    tells that its card changed, without writing the card."""
    if contact_ids is None:
        rows = Change.objects.filter(contact_id__in=_book_contacts(organization).values("id"))
    else:
        rows = Change.objects.filter(contact_id__in=contact_ids)
    latest = rows.values("contact_id").annotate(latest=Max("id")).order_by()
    pairs = latest.values_list("contact_id", "latest")
    return {contact_id: last for contact_id, last in pairs if contact_id is not None}


def etag(contact_id: int, version: int, last_change: int, person_id: int | None = None) -> str:
    """A card's ETag: its contact's version and latest change (a contact person's card is
    written from the company's data and changes with it)."""
    person = f"-{person_id}" if person_id is not None else ""
    return f'"{CARD_FORMAT}-{contact_id}-{version}-{last_change}{person}"'


@dataclass
class Entry:
    """A card as a listing names it: name and ETag, without its text."""

    name: str
    etag: str


def book_entries(organization: Organization) -> list[Entry]:
    """Every card of the book with its ETag, read without writing a card (three queries)."""
    contacts = list(
        _book_contacts(organization)
        .order_by("id")
        .values_list("id", "version", "card_name", "kind")
    )
    last = last_changes(organization, None)
    persons = _children_rows(organization)
    entries = []
    for pk, version, card_name, kind in contacts:
        changed = last.get(pk, 0)
        entries.append(Entry(card_name or f"kontor-contact-{pk}.vcf", etag(pk, version, changed)))
        if kind == Contact.Kind.COMPANY:
            for person_id, card_uid in persons.get(pk, ()):
                name = f"{card_uid or f'kontor-person-{person_id}'}.vcf"
                entries.append(Entry(name, etag(pk, version, changed, person_id)))
    return entries


def _children_rows(organization: Organization) -> dict[int, list[tuple[int, str]]]:
    rows = ContactPerson.objects.filter(contact_id__in=_book_contacts(organization).values("id"))
    grouped: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for person_id, card_uid, contact_id in rows.order_by("id").values_list(
        "id", "card_uid", "contact_id"
    ):
        grouped[contact_id].append((person_id, card_uid))
    return grouped


def render_cards(
    organization: Organization, contacts: list[Contact], *, version: str = "3.0", whole=False
) -> list[Card]:
    """The cards of `contacts` (live, not archived, of `organization`) and of their persons.

    Five queries for persons, profiles, notes, tags and latest changes; `whole` reads those of
    the whole book instead of asking for a list of ids (the tags are always asked by id).
    """
    ids = None if whole else [c.pk for c in contacts]
    persons = _children(ContactPerson, organization, ids, ("-is_primary", "last_name", "id"))
    profiles = _children(WebProfile, organization, ids, ("kind", "id"))
    last = last_changes(organization, ids)
    if ids is None:
        notes_rows = Note.objects.filter(contact_id__in=_book_contacts(organization).values("id"))
    else:
        notes_rows = Note.objects.filter(contact_id__in=ids)
    notes: dict[int, list[str]] = defaultdict(list)
    ordered = notes_rows.order_by("-created_at", "-id")
    for contact_id, text in ordered.values_list("contact_id", "text"):
        notes[contact_id].append(text)
    tags = tag_names_by_contact([c.pk for c in contacts])
    cards = []
    for contact in contacts:
        changed = last.get(contact.pk, 0)
        tag = etag(contact.pk, contact.version, changed)
        cards.append(
            contact_card(
                contact, profiles[contact.pk], notes[contact.pk], tag, version, tags[contact.pk]
            )
        )
        for person in persons[contact.pk] if contact.is_company else ():
            person.contact = contact
            tag = etag(contact.pk, contact.version, changed, person.pk)
            cards.append(person_card(person, contact, tag, version))
    return cards


def all_cards(organization: Organization, version: str = "3.0") -> list[Card]:
    contacts = list(_book_contacts(organization).order_by("id"))
    return render_cards(organization, contacts, version=version, whole=True)


def cards_named(organization: Organization, names: Iterable[str], version="3.0") -> list[Card]:
    """The book's cards of these names (multiget), whichever exist. Each lookup is one
    indexed query (an OR of them makes SQLite read the whole table)."""
    names = set(names)
    contact_ids = {int(m[1]) for n in names if (m := CONTACT_NAME.fullmatch(n))}
    person_ids = {int(m[1]) for n in names if (m := PERSON_NAME.fullmatch(n))}
    stems = {n.removesuffix(".vcf") for n in names}
    persons = ContactPerson.objects.filter(contact__organization=organization)
    contact_ids |= set(persons.filter(card_uid__in=stems).values_list("contact_id", flat=True))
    if person_ids:
        contact_ids |= set(
            persons.filter(pk__in=person_ids, card_uid="").values_list("contact_id", flat=True)
        )
    if chosen := [n for n in names if not is_kontors_name(n)]:
        # (card_name != '' lets SQLite use the partial index of the names phones chose.)
        named = Contact.objects.filter(organization=organization, card_name__in=chosen)
        contact_ids |= set(named.exclude(card_name="").values_list("id", flat=True))
    contacts = list(_book_contacts(organization).filter(pk__in=contact_ids).order_by("id"))
    return [c for c in render_cards(organization, contacts, version=version) if c.name in names]


def is_kontors_name(name: str) -> bool:
    """Names of cards Kontor made (kontor-…); a phone may not choose one for a new card."""
    return name.startswith("kontor-")


def card_named(organization: Organization, name: str, version: str = "3.0") -> Card | None:
    found = cards_named(organization, [name], version)
    return found[0] if found else None


def name_is_taken(organization: Organization, name: str) -> bool:
    """Whether a card of this name exists, also hidden (archived, in the trash): a new card
    must not take its name."""
    contacts = Contact.all_objects.filter(organization=organization)
    if contacts.filter(card_name=name).exists():
        return True
    if (match := CONTACT_NAME.fullmatch(name)) and contacts.filter(pk=int(match[1])).exists():
        return True
    persons = ContactPerson.objects.filter(contact__organization=organization)
    if (match := PERSON_NAME.fullmatch(name)) and persons.filter(pk=int(match[1])).exists():
        return True
    return persons.filter(card_uid=name.removesuffix(".vcf")).exists()


@dataclass
class SyncResult:
    token: int
    changed: list[Card]
    removed: list[str]  # names of cards that left the book


def changes_since(organization: Organization, since: int, latest: int, version="3.0"):
    """What changed in the book after change `since` up to `latest`: the cards of contacts
    changed since, and the names of the cards that left (trashed, archived, deleted contacts,
    contact persons removed from a company)."""
    rows = Change.objects.filter(
        changeset__organization=organization,
        contact_id__isnull=False,
        id__gt=since,
        id__lte=latest,
    ).values_list("contact_id", "kind", "action", "fields")
    touched: set[int] = set()
    persons_touched: set[int] = set()
    person_ids: dict[int, set[str]] = defaultdict(set)
    for contact_id, kind, action, fields in rows:
        if contact_id is None:
            continue  # (excluded above; the type of the column allows it)
        touched.add(contact_id)
        if kind != KIND or action != Action.CHANGED or PERSON_CARD_SOURCES & set(fields or {}):
            persons_touched.add(contact_id)
        for version_of_persons in (fields or {}).get("persons", []) or []:
            for person in version_of_persons or []:
                if person.get("card_uid"):
                    person_ids[contact_id].add(person["card_uid"])
    everything = Contact.all_objects.filter(organization=organization, pk__in=list(touched))
    in_book = [c for c in everything if not c.archived and c.deleted_at is None]
    hidden = [c for c in everything if c.archived or c.deleted_at is not None]
    changed = [
        card
        for card in render_cards(organization, sorted(in_book, key=lambda c: c.pk), version=version)
        if card.person is None or card.contact.pk in persons_touched
    ]
    present = {card.name for card in changed}
    removed = [contact_card_name(c) for c in hidden]
    removed += [f"kontor-contact-{pk}.vcf" for pk in touched - {c.pk for c in everything}]
    hidden_ids = [c.pk for c in hidden]
    for person in ContactPerson.objects.filter(contact_id__in=hidden_ids).only("id", "card_uid"):
        removed.append(f"{person.card_id}.vcf")
    current = set(
        ContactPerson.objects.filter(contact_id__in=list(person_ids)).values_list(
            "card_uid", flat=True
        )
    )
    for ids in person_ids.values():
        removed += [f"{uid}.vcf" for uid in ids if uid not in current]
    return SyncResult(latest, changed, sorted(set(removed) - present))
