"""The duplicate finder: groups of an organization's contacts that are probably the same.

Comparing every contact with every other would be 5,000,000,000 comparisons at 100,000
contacts. Instead, contacts are put in blocks by what duplicates share — an e-mail address, a
VAT ID, a phone number, or the start of a name's word together with the postal code or the city
— and only contacts that share a block are compared (`matching.pair_reasons`). Name blocks use
the first four letters of each word, so a typo further on, a swapped first and last name or a
legal form written differently still meet; a block larger than `MAX_BLOCK` (a switchboard's
number, an address everybody was given) says nothing and is left out.

Pairs someone dismissed as "not the same" are left out, the rest joined into groups (contacts
linked by any pair). The result is kept in the cache per organization, under a key that changes
with every change to its contacts and dismissed pairs, so it is computed once per change.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, QuerySet
from rapidfuzz import fuzz, process

from accounts.models import Organization, User
from core.collector import collector_paused

from .matching import (
    NAME_SIMILARITY,
    PROFILE_FIELDS,
    MatchProfile,
    pair_reasons,
    profile_from_row,
)
from .models import Contact, ContactPerson, DismissedPair

# Blocks with more contacts than this are left out (see the module's docstring).
MAX_BLOCK = 60
CACHE_SECONDS = 24 * 3600
# Part of the cache key: a new matcher must not show groups found by the old one.
MATCHER_VERSION = 1
Reasons = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class DuplicateGroup:
    """Contacts that are probably one, with each pair found and why."""

    contact_ids: tuple[int, ...]  # in the order of the contacts' names
    pairs: tuple[tuple[int, int, Reasons], ...]


def read_profiles(organization: Organization) -> list[MatchProfile]:
    """A profile of each of the organization's contacts (not those in the trash)."""
    person_emails: dict[int, list[str]] = defaultdict(list)
    persons = ContactPerson.objects.filter(
        contact__organization=organization, contact__deleted_at__isnull=True
    ).exclude(email="")
    for contact_id, email in _rows(persons.values_list("contact_id", "email")):
        person_emails[contact_id].append(email)
    contacts = Contact.objects.filter(organization=organization).order_by()
    no_emails: list[str] = []
    with collector_paused():
        return [
            profile_from_row(row, person_emails.get(row[0], no_emails))
            for row in _rows(contacts.values_list(*PROFILE_FIELDS))
        ]


def _rows(queryset: QuerySet) -> Iterable[tuple]:
    """The rows of a values_list() as the database driver gives them (text and numbers only):
    Django's per-row work took longer than the reading itself at 100,000 contacts."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(5000):
            yield from rows


def find_pairs(profiles: Sequence[MatchProfile]) -> dict[tuple[int, int], Reasons]:
    """Every pair of profiles that is probably one contact, by index into `profiles`."""
    with collector_paused():
        candidates = _shared_keys(profiles)
        candidates.update(_alike_in_blocks(profiles, _name_blocks(profiles)))
        pairs = {}
        for first, second in candidates:
            if reasons := pair_reasons(profiles[first], profiles[second]):
                pairs[(first, second)] = tuple(reasons)
    return pairs


def _shared_keys(profiles: Sequence[MatchProfile]) -> set[tuple[int, int]]:
    """Pairs of one kind sharing an e-mail address, a phone number or a VAT ID."""
    # A merge keeps one kind, so only contacts of one kind are duplicates. One dict for every
    # key: addresses hold an @, phone keys only digits, VAT IDs letters first.
    first_with: dict[str, dict[str, int]] = {"company": {}, "person": {}}
    shared: dict[tuple[str, str], list[int]] = {}
    for index, p in enumerate(profiles):
        seen = first_with[p.kind]
        for key in (*p.emails, *p.phones, p.vat_id):
            if key and (first := seen.setdefault(key, index)) != index:
                shared.setdefault((p.kind, key), [first]).append(index)
    pairs: set[tuple[int, int]] = set()
    for members in shared.values():
        if len(members) <= MAX_BLOCK:
            pairs.update(_pairs_of(members))
    return pairs


def _name_blocks(profiles: Sequence[MatchProfile]) -> list[list[int]]:
    """Contacts of one kind and place (postal code, city) whose names have a word starting alike.

    A block that holds the same contacts for the postal code as for the city (one postal code
    for the whole town) is kept once.
    """
    places: dict[tuple[str, str], dict[str, list[int]]] = {}
    for index, p in enumerate(profiles):
        for place in (p.postal_code, p.city):
            if place:
                prefixes = places.setdefault((p.kind, place), {})
                for prefix in p.prefixes:
                    prefixes.setdefault(prefix, []).append(index)
    unique: dict[tuple, list[int]] = {}
    for (kind, _place), prefixes in places.items():
        for prefix, members in prefixes.items():
            if 1 < len(members) <= MAX_BLOCK:
                unique.setdefault((kind, prefix, *members), members)
    return list(unique.values())


def _alike_in_blocks(
    profiles: Sequence[MatchProfile], blocks: Iterable[list[int]]
) -> Iterable[tuple[int, int]]:
    """Pairs of a name block whose names are alike enough to be looked at (`names_alike`).

    Each name is compared with those after it in the block in one call (rapidfuzz's loop in C);
    a pair in several blocks is compared in each, which costs less than finding out. The words
    are compared sorted; where two of a name's words start alike a typo can change their order,
    so those are compared as written too.
    """
    cores = [p.core for p in profiles]
    written = [p.core_as_written for p in profiles]
    initials_repeat = [_initials_repeat(p.core_as_written) for p in profiles]
    for members in blocks:
        for names, only in ((cores, None), (written, initials_repeat)):
            if only is not None and not any(only[m] for m in members):
                continue
            block_names = [names[m] for m in members]
            for position in range(len(members) - 1):
                if only is not None and not only[members[position]]:
                    continue
                for _name, _score, found in process.extract(
                    block_names[position],
                    block_names[position + 1 :],
                    scorer=fuzz.ratio,
                    score_cutoff=NAME_SIMILARITY,
                    limit=None,
                ):
                    yield members[position], members[position + 1 + found]


def _initials_repeat(name: str) -> bool:
    words = name.split(" ")
    return len({w[:1] for w in words}) < len(words)


def _pairs_of(members: list[int]) -> Iterable[tuple[int, int]]:
    for position, first in enumerate(members):
        for second in members[position + 1 :]:
            yield (first, second) if first < second else (second, first)


def group_pairs(
    profiles: Sequence[MatchProfile],
    pairs: dict[tuple[int, int], Reasons],
    dismissed: set[tuple[int, int]] = frozenset(),  # type: ignore[assignment]
) -> list[DuplicateGroup]:
    """The pairs (by index) joined into groups of contact ids, dismissed pairs (by id) left out."""
    parent: dict[int, int] = {}

    def root(i: int) -> int:
        while parent.get(i, i) != i:
            parent[i] = parent.get(parent[i], parent[i])
            i = parent[i]
        return i

    kept = []
    for (a, b), reasons in pairs.items():
        ids = _ordered(profiles[a].pk, profiles[b].pk)
        if ids in dismissed:
            continue
        kept.append((a, b, reasons))
        parent[root(a)] = root(b)
    members: dict[int, list[int]] = defaultdict(list)
    for index in {i for a, b, _r in kept for i in (a, b)}:
        members[root(index)].append(index)
    pairs_of: dict[int, list[tuple[int, int, Reasons]]] = defaultdict(list)
    for a, b, reasons in kept:
        pairs_of[root(a)].append((profiles[a].pk, profiles[b].pk, reasons))

    def order(i: int) -> tuple[str, int]:
        return profiles[i].sort_name, profiles[i].pk

    groups = []
    for group_root, indexes in members.items():
        indexes.sort(key=order)
        groups.append((order(indexes[0]), indexes, sorted(pairs_of[group_root])))
    groups.sort(key=lambda group: group[0])
    return [
        DuplicateGroup(contact_ids=tuple(profiles[i].pk for i in indexes), pairs=tuple(group_pairs))
        for _first, indexes, group_pairs in groups
    ]


def _ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def dismissed_pairs(organization: Organization) -> set[tuple[int, int]]:
    return set(
        DismissedPair.objects.filter(organization=organization).values_list("first", "second")
    )


def duplicate_groups(organization: Organization) -> list[DuplicateGroup]:
    """The organization's groups of probable duplicates, from the cache while nothing changed."""
    key = _cache_key(organization)
    groups = cache.get(key)
    if groups is None:
        profiles = read_profiles(organization)
        groups = group_pairs(profiles, find_pairs(profiles), dismissed_pairs(organization))
        cache.set(key, groups, CACHE_SECONDS)
    return groups


def _cache_key(organization: Organization) -> str:
    """A key that changes with any change to the contacts or the dismissed pairs.

    Every write to a contact sets its `updated_at` (the trash too), and creating, trashing,
    restoring or purging one changes the count.
    """
    # Two queries, each answered from an index; together they would read every contact.
    contacts = Contact.objects.filter(organization=organization)
    contacts = {"count": contacts.count(), "changed": contacts.aggregate(m=Max("updated_at"))["m"]}
    dismissed = DismissedPair.objects.filter(organization=organization).aggregate(
        count=Count("id"), last=Max("id")
    )
    state = f"{MATCHER_VERSION}|{contacts['count']}|{contacts['changed']}|"
    state += f"{dismissed['count']}|{dismissed['last']}"
    digest = hashlib.sha256(state.encode()).hexdigest()[:32]
    return f"duplicates:{organization.pk}:{digest}"


def dismiss_pair(*, organization: Organization, first: Contact, second: Contact, by: User) -> None:
    """Remember that the two contacts are not the same (nothing happens if it is known)."""
    low, high = sorted((first, second), key=lambda c: c.pk)
    try:
        with transaction.atomic():
            DismissedPair.objects.get_or_create(
                organization=organization, first=low, second=high, defaults={"dismissed_by": by}
            )
    except IntegrityError:
        pass  # dismissed by someone else at the same moment
