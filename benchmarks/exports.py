"""Export benchmark: 10,000 contacts downloaded from the contact list as CSV and as an Excel
workbook, on SQLite.

A fresh SQLite file (var/bench-exports.sqlite3) gets 10,000 demo contacts (contact persons, web
profiles, notes, tags). Each export is requested through Django's test client as the list's
"Export as CSV" and "Export as Excel" links send it. Beside them, measured in the same run:
reading the contacts into the export's table alone, and Python's csv module writing that table
(the floor of any CSV export), so that the figures say what the formats themselves cost on
this machine.

Run with `make bench`, or `python -m benchmarks.exports [--contacts N] [--repeat N]`.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import time
from pathlib import Path

from benchmarks.django_setup import configure_django, sqlite_url

ROOT = Path(__file__).resolve().parent.parent
DB_FILE = ROOT / "var" / "bench-exports.sqlite3"
# The workbook may cost at most this many times the CSV, both measured in the same run (a ratio
# holds on any machine; on an idle laptop both downloads of 10,000 contacts take a few seconds).
GOAL_RATIO = 3.0


def setup_django() -> None:
    configure_django(sqlite_url(DB_FILE))


def median_ms(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def run(count: int = 10_000, repeat: int = 5) -> list[tuple[str, float]]:
    setup_django()
    from django.test import Client
    from django.urls import reverse

    from accounts.models import Membership, Organization, Role, User
    from contacts_app.management.demo_contacts import seed_contacts
    from importer.targets.customers import CUSTOMERS

    user = User.objects.create(email="export@kontor.test")
    organization = Organization.objects.create(slug="export", name="Export")
    Membership.objects.create(user=user, organization=organization, role=Role.VIEWER)
    seed_contacts(organization, count, seed=1, author=user)
    client = Client()
    client.force_login(user)
    client.get(reverse("contacts:list"))  # the session learns the organization
    table = CUSTOMERS.export_table(CUSTOMERS.records(organization))

    def floor() -> None:
        writer = csv.writer(io.StringIO(), delimiter=",")
        writer.writerow(table.header)
        writer.writerows(table.rows)

    def download(name: str):
        def get() -> None:
            response = client.get(reverse(name), {"role": "customer"})
            assert response.status_code == 200, response.status_code

        return get

    figures = [
        ("floor: csv module, the table only", median_ms(floor, repeat)),
        (
            "reading the table",
            median_ms(lambda: CUSTOMERS.export_table(CUSTOMERS.records(organization)), repeat),
        ),
        ("export as CSV (request)", median_ms(download("importer:export_contacts"), repeat)),
        ("export as Excel (request)", median_ms(download("importer:export_contacts_xlsx"), repeat)),
    ]
    print(
        f"\nExport: {len(table.rows):,} customers, {len(table.header)} columns, SQLite, median "
        f"of {repeat} runs each."
    )
    header = f"{'step':<36}{'ms':>9}"
    print(header)
    print("-" * len(header))
    for label, ms in figures:
        print(f"{label:<36}{ms:>9.0f}")
    ratio = figures[3][1] / figures[2][1]
    print(
        f"Goal: the Excel download ≤ {GOAL_RATIO:.0f}× the CSV download: {ratio:.1f}×, "
        + ("met." if ratio <= GOAL_RATIO else "MISSED.")
    )
    return [(f"exports {label}", ms) for label, ms in figures]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args(argv)
    run(options.contacts, options.repeat)


if __name__ == "__main__":
    main()
