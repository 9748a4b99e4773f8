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

from django.db.models import Max, Q, QuerySet
from django.http import Http404

from accounts.models import Membership, Organization, Role, User
from contacts_app.models import Contact, ContactPerson, Note, WebProfile
from history.models import Change

from .cards import Card, contact_card, contact_card_name, person_card

CONTACT_NAME = re.compile(r"kontor-contact-([0-9]{1,18})\.vcf")
PERSON_NAME = re.compile(r"kontor-person-([0-9]{1,18})\.vcf")
SYNC_TOKEN = re.compile(r"urn:x-kontor:sync:([0-9]{1,18}):([0-9]{1,18})")


@dataclass
class Book:
    membership: Membership

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


def _children(model, organization: Organization, contact_ids: Iterable[int] | None, order):
    rows = model.objects.filter(
        contact__organization=organization,
        contact__archived=False,
        contact__deleted_at__isnull=True,
    )
    if contact_ids is not None:
        rows = rows.filter(contact_id__in=list(contact_ids))
    grouped = defaultdict(list)
    for row in rows.order_by(*order):
        grouped[row.contact_id].append(row)
    return grouped


def render_cards(
    organization: Organization, contacts: list[Contact], *, version: str = "3.0", whole=False
) -> list[Card]:
    """The cards of `contacts` (live, not archived, of `organization`) and of their persons.

    Three queries for persons, profiles and notes; `whole` reads those of the whole book
    instead of asking for a list of ids.
    """
    ids = None if whole else [c.pk for c in contacts]
    persons = _children(ContactPerson, organization, ids, ("-is_primary", "last_name", "id"))
    profiles = _children(WebProfile, organization, ids, ("kind", "id"))
    notes_rows = Note.objects.filter(
        contact__organization=organization,
        contact__archived=False,
        contact__deleted_at__isnull=True,
    ).order_by("-created_at", "-id")
    if ids is not None:
        notes_rows = notes_rows.filter(contact_id__in=ids)
    notes: dict[int, list[str]] = defaultdict(list)
    for contact_id, text in notes_rows.values_list("contact_id", "text"):
        notes[contact_id].append(text)
    cards = []
    for contact in contacts:
        cards.append(contact_card(contact, profiles[contact.pk], notes[contact.pk], version))
        for person in persons[contact.pk] if contact.is_company else ():
            person.contact = contact
            cards.append(person_card(person, contact, version))
    return cards


def all_cards(organization: Organization, version: str = "3.0") -> list[Card]:
    contacts = list(_book_contacts(organization).order_by("id"))
    return render_cards(organization, contacts, version=version, whole=True)


def cards_named(organization: Organization, names: Iterable[str], version="3.0") -> list[Card]:
    """The book's cards of these names (multiget), whichever exist."""
    names = set(names)
    contact_ids = {int(m[1]) for n in names if (m := CONTACT_NAME.fullmatch(n))}
    person_ids = {int(m[1]) for n in names if (m := PERSON_NAME.fullmatch(n))}
    stems = {n.removesuffix(".vcf") for n in names}
    owners = ContactPerson.objects.filter(
        Q(card_uid__in=stems) | Q(card_uid="", pk__in=person_ids),
        contact__organization=organization,
    ).values_list("contact_id", flat=True)
    contacts = list(
        _book_contacts(organization)
        .filter(
            Q(card_name__in=names) | Q(card_name="", pk__in=contact_ids) | Q(pk__in=list(owners))
        )
        .order_by("id")
    )
    return [c for c in render_cards(organization, contacts, version=version) if c.name in names]


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
    ).values_list("contact_id", "fields")
    touched: set[int] = set()
    person_ids: dict[int, set[str]] = defaultdict(set)
    for contact_id, fields in rows:
        touched.add(contact_id)
        for version_of_persons in (fields or {}).get("persons", []) or []:
            for person in version_of_persons or []:
                if person.get("card_uid"):
                    person_ids[contact_id].add(person["card_uid"])
    everything = Contact.all_objects.filter(organization=organization, pk__in=list(touched))
    in_book = [c for c in everything if not c.archived and c.deleted_at is None]
    hidden = [c for c in everything if c.archived or c.deleted_at is not None]
    changed = render_cards(organization, sorted(in_book, key=lambda c: c.pk), version=version)
    present = {card.name for card in changed}
    removed = [contact_card_name(c) for c in hidden]
    removed += [f"kontor-contact-{pk}.vcf" for pk in touched - {c.pk for c in everything}]
    hidden_ids = [c.pk for c in hidden]
    for person in ContactPerson.objects.filter(contact_id__in=hidden_ids).only("id", "card_uid"):
        removed.append(f"{person.card_id}.vcf")
    for ids in person_ids.values():
        removed += [f"{uid}.vcf" for uid in ids if f"{uid}.vcf" not in present]
    return SyncResult(latest, changed, sorted(set(removed) - present))
