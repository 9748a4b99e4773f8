"""Bulk actions benchmark: 10,000 contacts chosen at once, each action as the list's bulk bar
sends it, on SQLite.

A fresh SQLite file (var/bench-bulk.sqlite3) gets 10,000 demo contacts in the measured
organization and as many in another one, which no action may touch. Each action is posted
through Django's test client, logged in, with "all that match" and the list's filter, as a
member ticking "Choose all 10,000 that match" would send it: add a tag, remove it, archive,
unarchive, move to the trash (the trash is emptied again between rounds, outside the
measurement). The table shows the median time of the whole request (reading the selection,
the transaction with its history, the redirect) and the history rows it wrote.

Run with `make bench`, or `python -m benchmarks.bulk [--contacts N] [--repeat N]`.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from benchmarks.django_setup import configure_django, sqlite_url

ROOT = Path(__file__).resolve().parent.parent
DB_FILE = ROOT / "var" / "bench-bulk.sqlite3"
GOAL_MS = 2000.0


def setup_django() -> None:
    configure_django(sqlite_url(DB_FILE))


def fill(count: int):
    from accounts.models import Membership, Organization, Role, User
    from contacts_app.management.demo_contacts import seed_contacts

    user = User.objects.create(email="bulk@kontor.test")
    organizations = []
    for seed, slug in enumerate(("bulk-measured", "bulk-other"), start=1):
        organization = Organization.objects.create(slug=slug, name=slug)
        Membership.objects.create(user=user, organization=organization, role=Role.MEMBER)
        seed_contacts(organization, count, seed=seed, author=user)
        # The demo maker archives some; here every contact starts active and is chosen.
        organization.contacts.update(archived=False)
        organizations.append(organization)
    return user, organizations[0], organizations[1]


def actions(organization, count: int):
    """(label, URL name, posted data, check after it) in the order a round runs them."""
    from contacts_app.models import Contact, ContactTag

    live = Contact.objects.filter(organization=organization)

    def tagged() -> int:
        return ContactTag.objects.filter(contact__organization=organization).count()

    return [
        ("add a tag", "contacts:bulk_tag_add", {"tag_name": "Aktion"}, lambda: tagged() == count),
        (
            "remove the tag",
            "contacts:bulk_tag_remove",
            {"tag_name": "Aktion"},
            lambda: not tagged(),
        ),
        (
            "archive",
            "contacts:bulk_archive",
            {},
            lambda: live.filter(archived=True).count() == count,
        ),
        (
            "unarchive",
            "contacts:bulk_unarchive",
            {"archived": "on"},
            lambda: not live.filter(archived=True).exists(),
        ),
        ("move to the trash", "contacts:bulk_trash", {}, lambda: not live.exists()),
    ]


def run(count: int = 10_000, repeat: int = 5) -> list[tuple[str, float]]:
    setup_django()
    from django.test import Client
    from django.urls import reverse

    from contacts_app.models import Contact
    from history.models import Change

    user, organization, other = fill(count)
    client = Client()
    client.force_login(user)
    client.get(reverse("contacts:list"))  # the session learns the organization
    untouched = Change.objects.filter(contact_id__in=other.contacts.values("pk")).count()
    samples: dict[str, list[float]] = {}
    written: dict[str, int] = {}
    for _round in range(repeat):
        for label, name, data, done in actions(organization, count):
            before = Change.objects.count()
            started = time.perf_counter()
            response = client.post(reverse(name), {"all_matching": "1", "sort": "name", **data})
            samples.setdefault(label, []).append(time.perf_counter() - started)
            assert response.status_code == 302, (label, response.status_code)
            assert done(), f"{label} did not reach all {count:,} contacts"
            written[label] = Change.objects.count() - before
        Contact.all_objects.filter(organization=organization).update(deleted_at=None)
    assert Change.objects.filter(contact_id__in=other.contacts.values("pk")).count() == untouched
    print(
        f"\nBulk actions: {count:,} contacts chosen (“all that match”), SQLite, median of "
        f"{repeat} requests each; another organization's {count:,} contacts stay untouched."
    )
    header = f"{'action':<20}{'ms':>9}{'history rows':>15}"
    print(header)
    print("-" * len(header))
    results, failures = [], []
    for label, times in samples.items():
        median = statistics.median(times) * 1000
        print(f"{label:<20}{median:>9.0f}{written[label]:>15,}")
        results.append((f"bulk {label}", median))
        if median > GOAL_MS:
            failures.append(label)
    print(
        f"Goal: every action on {count:,} contacts ≤ {GOAL_MS:,.0f} ms: "
        + ("met." if not failures else f"missed by {', '.join(failures)}.")
    )
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5, help="rounds of all actions")
    args = parser.parse_args(argv)
    run(count=args.contacts, repeat=args.repeat)


if __name__ == "__main__":
    main()
