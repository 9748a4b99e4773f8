"""PostgreSQL benchmark: contact search over 1,000,000 contacts, and the 2 MiB import.

A dedicated database (kontor_bench on the local server, created if missing and kept between
runs) holds ten organizations of 100,000 realistic contacts each. The measured one is seeded like
`benchmarks.contacts` does it (`seed_contacts`), the nine others from the same demo contact maker
but written with COPY, two organizations at a time. The list page and four searches are then
timed through Django's test client beside the naive `icontains` search, as in
`benchmarks.contacts`; the list and search pages' queries are counted for two page sizes; and the
2 MiB sample is imported into an empty organization, emptied again after each import.

The import is measured as in `benchmarks.imports`: with the history, without it and beside the
floor (the same rows written with COPY and nothing else), each in turn, and then undone.

Run with `make bench`, or `python -m benchmarks.postgres [--repeat N] [--naive N] [--imports N]
[--database URL]`; `BENCH_POSTGRES_URL` names another database for `make bench`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import operator
import os
import time
from pathlib import Path
from unittest import mock

from benchmarks.contacts import (
    as_query,
    median_ms,
    naive_contact_list,
    sample_queries,
    tag_cases,
    tag_contacts,
)
from benchmarks.django_setup import configure_django
from benchmarks.imports import (
    GOAL_UNDO_MS,
    SAMPLE,
    floor_seconds,
    preview_then_commit,
    ratio_lines,
    undo_seconds,
    without_history,
)

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/kontor_bench"
)
ORGANIZATIONS, PER_ORGANIZATION = 10, 100_000
MEASURED, IMPORTS = "bench-measured", "bench-import"
GOAL_MS, GOAL_SPEEDUP, GOAL_IMPORT_MS = 30.0, 10.0, 1500.0
COPY_BATCH = 5000


def create_database(url: str) -> None:
    """Create the benchmark database on its server if it is not there yet."""
    import psycopg
    from psycopg import sql

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# --- Seeding -------------------------------------------------------------------------------------


def _copy(cursor, model, objects: list) -> None:
    """COPY model instances into their table, every column as bulk_create would write it.

    The values are taken as they are (what the demo maker sets needs no conversion) and the
    time stamps are set here: asking every field to prepare its value would double the time.
    """
    from django.db import connection
    from django.utils import timezone

    fields = model._meta.concrete_fields
    stamps = [
        f.attname
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    row = operator.itemgetter(*(f.attname for f in fields))
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    now = timezone.now()
    with cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
        for obj in objects:
            values = obj.__dict__
            for name in stamps:
                values[name] = now
            copy.write_row(row(values))


def _reserve_ids(cursor, model, count: int) -> list[int]:
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [model._meta.db_table, count],
    )
    return [row[0] for row in cursor.fetchall()]


def copy_seed(organization, count: int, *, seed: int, author) -> int:
    """Write `count` demo contacts with COPY; numbers as `seed_contacts` would hand them out.

    The same maker as `seed_contacts`, so the contacts are as realistic; only the writing is
    quicker. Returns how many contacts lack a number because a range ran out.
    """
    from django.db import connection

    from contacts_app import services
    from contacts_app.management.demo_contacts import DemoContactMaker
    from contacts_app.models import Contact, ContactPerson, Note, NumberSequence, WebProfile

    maker = DemoContactMaker(organization, seed)
    next_number = {role: low for role, (_field, (low, _high)) in services.NUMBER_RANGES.items()}
    unnumbered = 0
    for start in range(0, count, COPY_BATCH):
        batch = [maker.make() for _ in range(min(COPY_BATCH, count - start))]
        children: dict = {ContactPerson: [], WebProfile: [], Note: []}
        with connection.cursor() as cursor:
            for demo, pk in zip(batch, _reserve_ids(cursor, Contact, len(batch)), strict=True):
                contact = demo.contact
                contact.id = pk
                contact.created_by = contact.updated_by = author
                for role, (field, (_low, high)) in services.NUMBER_RANGES.items():
                    if getattr(contact, f"is_{role}") and next_number[role] <= high:
                        setattr(contact, field, next_number[role])
                        next_number[role] += 1
                unnumbered += (contact.is_customer and not contact.customer_number) or (
                    contact.is_supplier and not contact.supplier_number
                )
                services.refresh_derived_fields(contact, demo.persons)
                notes = [Note(text=t, author=author) for t in demo.notes]
                for child in [*demo.persons, *demo.profiles, *notes]:
                    child.contact_id = pk
                children[ContactPerson] += demo.persons
                children[WebProfile] += demo.profiles
                children[Note] += notes
            _copy(cursor, Contact, [d.contact for d in batch])
            for model, objects in children.items():
                for obj, pk in zip(objects, _reserve_ids(cursor, model, len(objects)), strict=True):
                    obj.id = pk
                _copy(cursor, model, objects)
    for role, (_field, (low, high)) in services.NUMBER_RANGES.items():
        if next_number[role] > low:
            NumberSequence.objects.create(
                organization=organization, role=role, last_value=min(next_number[role] - 1, high)
            )
    return unnumbered


def _seed_organization(task: tuple[int, int, int, bool]) -> tuple[str, float, int]:
    """Seed one organization in one transaction, so that it is either complete or empty."""
    from django.db import connection, transaction

    from accounts.models import Organization, User
    from contacts_app.management.demo_contacts import seed_contacts

    organization_id, count, author_id, measured = task
    organization = Organization.objects.get(pk=organization_id)
    author = User.objects.get(pk=author_id)
    started = time.perf_counter()
    with transaction.atomic():
        if measured:
            # As benchmarks.contacts seeds its measured organization: the same searches.
            unnumbered = seed_contacts(organization, count, seed=1000 + count, author=author)
        else:
            unnumbered = copy_seed(organization, count, seed=100 + organization_id, author=author)
    connection.close()
    return organization.slug, time.perf_counter() - started, unnumbered


def fill(count: int = PER_ORGANIZATION) -> tuple:
    """The ten organizations with `count` contacts each (kept if they are already there)."""
    from django.db import connection
    from django.db.models import Count

    from accounts.models import Membership, Organization, Role, User
    from contacts_app.search import PG_INDEX, PG_INDEX_PARTS, ensure_search_index

    user, _ = User.objects.get_or_create(email="bench@kontor.test")
    slugs = [MEASURED, *(f"bench-other-{n}" for n in range(1, ORGANIZATIONS))]
    for slug in slugs:
        org, _ = Organization.objects.get_or_create(slug=slug, defaults={"name": slug})
        Membership.objects.get_or_create(user=user, organization=org, role=Role.ADMIN)
    organizations = Organization.objects.filter(slug__in=slugs).annotate(n=Count("contacts"))
    unseeded = [o for o in organizations if o.n == 0]
    if unseeded:
        started = time.perf_counter()
        # Building the trigram index once afterwards is far quicker than keeping it up to date
        # row by row.
        with connection.cursor() as cursor:
            for part in range(PG_INDEX_PARTS):
                cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}_{part}")
        tasks = [(o.pk, count, user.pk, o.slug == MEASURED) for o in unseeded]
        connection.close()  # the worker processes open their own
        with multiprocessing.get_context("fork").Pool(2) as pool:
            for slug, seconds, unnumbered in pool.imap_unordered(_seed_organization, tasks):
                how = "seed_contacts" if slug == MEASURED else "COPY"
                past = f", {unnumbered:,} past the number ranges" if unnumbered else ""
                print(f"  {slug}: {count:,} contacts ({how}) in {seconds:.0f} s{past}")
        seeded = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            ensure_search_index()
        print(
            f"Seeded {len(unseeded) * count:,} contacts into {len(unseeded)} organizations in "
            f"{seeded:.0f} s, two at a time; search index built in "
            f"{time.perf_counter() - started - seeded:.0f} s."
        )
    with connection.cursor() as cursor:
        # Fresh statistics, and the rows the last run's import left deleted cleaned up (they
        # also take the all-visible mark off pages the measured organization's rows share,
        # which counting them in the index alone relies on), as autovacuum would have.
        cursor.execute("VACUUM ANALYZE")
    measured = Organization.objects.get(slug=MEASURED)
    tag_contacts(measured)  # as in benchmarks.contacts: the list shows tags
    return user, measured


# --- Measuring -----------------------------------------------------------------------------------


def timings(client, params: dict, repeat: int, naive_repeat: int) -> dict[str, list[float]]:
    """Seconds per request, as `benchmarks.contacts.timings` measures them, naive fewer times.

    Kontor via htmx and as a whole page take turns; the naive search (via htmx) comes after
    them. Each naive request reads a million contacts and takes seconds: a few are enough for
    its median.
    """
    from django.urls import reverse

    url = reverse("contacts:list")
    htmx = {"HX-Request": "true"}

    def naive_htmx():
        with mock.patch("contacts_app.views.contact_list", naive_contact_list):
            return client.get(url, params, headers=htmx)

    kontor = {
        "kontor": lambda: client.get(url, params, headers=htmx),
        "page": lambda: client.get(url, params),
    }
    samples: dict[str, list[float]] = {"kontor": [], "page": [], "naive": []}
    for group, warm, times in ((kontor, 3, repeat), ({"naive": naive_htmx}, 1, naive_repeat)):
        for request in group.values():  # warm caches: templates, translations, table pages
            for _ in range(warm):
                assert request().status_code == 200
        for _ in range(times):
            for name, request in group.items():
                started = time.perf_counter()
                request()
                samples[name].append(time.perf_counter() - started)
    return samples


def search_table(client, organization, repeat: int, naive_repeat: int) -> list[str]:
    """The list and search timings as in benchmarks.contacts; returns the labels that miss."""
    from contacts_app.forms import ContactFilterForm
    from contacts_app.selectors import contact_list

    header = (
        f"{'request':<24}{'query':<16}{'found':>8}{'Kontor ms':>11}{'page ms':>9}"
        f"{'naive ms':>10}{'×':>7}"
    )
    print(header)
    print("-" * len(header))
    failures = []
    queries = sample_queries(organization)
    cases = [(label, query, {"q": query} if query else {}) for label, query in queries]
    cases += tag_cases(organization, queries)
    for label, query, params in cases:
        flt = ContactFilterForm(as_query(params), organization=organization).as_filter()
        found = contact_list(organization, flt).count()
        naive_found = naive_contact_list(organization, flt).count()
        samples = timings(client, params, repeat, naive_repeat)
        ours, page, naive = (median_ms(samples[k]) for k in ("kontor", "page", "naive"))
        speedup = naive / ours
        note = f"  (naive found {naive_found:,})" if naive_found != found else ""
        print(
            f"{label:<24}{query:<16}{found:>8,}{ours:>11.1f}{page:>9.1f}{naive:>10.1f}"
            f"{speedup:>6.1f}×{note}"
        )
        # A tag filter is an index lookup either way: only its time has a goal.
        if params and (ours > GOAL_MS or ("q" in params and speedup < GOAL_SPEEDUP)):
            failures.append(label)
    return failures


def query_counts(client, organization) -> bool:
    """Queries of the list and search pages at two page sizes; True when they are the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    url = reverse("contacts:list")
    queries = sample_queries(organization)
    cases = [(label, {"q": q} if q else {}) for label, q in queries]
    cases += [(label, params) for label, _shown, params in tag_cases(organization, queries)]
    cases.append(("list page 40", {"page": "40"}))
    print(f"\n{'queries of':<28}{'25 a page':>10}{'100 a page':>11}{'htmx 25':>9}{'htmx 100':>10}")
    same = True
    for label, params in cases:
        counts = []
        for headers in ({}, {"HX-Request": "true"}):
            for size in (25, 100):
                with (
                    mock.patch("contacts_app.views.PAGE_SIZE", size),
                    CaptureQueriesContext(connection) as captured,
                ):
                    assert client.get(url, params, headers=headers).status_code == 200
                counts.append(len(captured))
        same = same and counts[0] == counts[1] and counts[2] == counts[3]
        print(f"{label:<28}{counts[0]:>10}{counts[1]:>11}{counts[2]:>9}{counts[3]:>10}")
    return same


def empty(organization) -> None:
    """Take out what an import left: contacts, imports, remembered columns, number sequences."""
    from contacts_app.models import NumberSequence
    from importer.models import ImportRun, SavedMapping

    organization.contacts.all().delete()
    for model in (ImportRun, SavedMapping, NumberSequence):
        model.objects.filter(organization=organization).delete()


def import_times(user, repeat: int) -> dict:
    """Seconds of the 2 MiB sample's import into an empty organization, in turns: with the
    history (then undone), without it, and the floor.

    Always the same organization, emptied after each import: it keeps its part of the search
    index, so repeated runs stay comparable.
    """
    from django.utils import translation

    from accounts.models import Organization

    data = SAMPLE.read_bytes()
    translation.activate("de")
    org, _ = Organization.objects.get_or_create(slug=IMPORTS, defaults={"name": IMPORTS})
    empty(org)
    on: dict[str, list[float]] = {"preview": [], "commit": []}
    off: dict[str, list[float]] = {"preview": [], "commit": []}
    floor, undo, rows = [], [], 0
    for _ in range(repeat):
        try:
            steps = preview_then_commit(org, data, by=user)
            rows = steps["imported"]["new"]
            seconds, _deleted = undo_seconds(steps["run"], by=user)
            undo.append(seconds)
            empty(org)
            unrecorded = without_history(preview_then_commit, org, data, by=user)
            empty(org)
            floor.append(floor_seconds(org, data))
            for times, measured in ((on, steps), (off, unrecorded)):
                times["preview"].append(measured["preview"])
                times["commit"].append(measured["commit"])
        finally:
            empty(org)
    return {"on": on, "off": off, "floor": floor, "undo": undo, "rows": rows}


def run(
    url: str = DATABASE_URL,
    count: int = PER_ORGANIZATION,
    repeat: int = 30,
    naive_repeat: int = 5,
    import_repeat: int = 3,
) -> list[str]:
    import psycopg

    try:
        create_database(url)
    except psycopg.OperationalError as error:
        # `make bench` runs everywhere; without a PostgreSQL server this one has nothing to do.
        print(f"\nPostgreSQL benchmark skipped, no server: {error}".rstrip())
        return []
    configure_django(url)
    from django.db import connection
    from django.test import Client

    from contacts_app.models import Contact

    user, organization = fill(count)
    client = Client()
    client.force_login(user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print(
        f"\nContacts list and search on {version}: {Contact.objects.count():,} contacts in "
        f"{ORGANIZATIONS} organizations, {organization.contacts.count():,} in the measured one, "
        f"median of {repeat} requests ({naive_repeat} of the naive search)."
    )
    failures = search_table(client, organization, repeat, naive_repeat)
    print(
        f"Goal for every search: ≤ {GOAL_MS:.0f} ms and ≥ {GOAL_SPEEDUP:.0f}× faster than naive: "
        + ("met." if not failures else f"missed by {', '.join(failures)}.")
    )
    constant = query_counts(client, organization)
    print("Queries independent of the page size: " + ("yes." if constant else "NO."))

    measured = import_times(user, import_repeat)
    on, off, floor = measured["on"], measured["off"], measured["floor"]
    print(
        f"\nImport of {SAMPLE.name} ({measured['rows']:,} new customers) into an empty "
        f"organization beside the {ORGANIZATIONS} others, median (fastest) of {import_repeat}:"
    )
    for label, samples in (
        ("preview (upload, read, assign, check rows)", on["preview"]),
        ("commit (check against database, write all)", on["commit"]),
        ("  preview without history", off["preview"]),
        ("  commit without history", off["commit"]),
        ("floor: the same rows, bare COPY", floor),
        ("undo (every record deleted)", measured["undo"]),
    ):
        print(f"{label:<44}{median_ms(samples):>8.0f} ms ({min(samples) * 1000:,.0f} ms)")
    total = median_ms(on["preview"]) + median_ms(on["commit"])
    verdict = "met" if total <= GOAL_IMPORT_MS else "missed"
    print(f"{'preview + commit':<44}{total:>8.0f} ms  goal ≤ {GOAL_IMPORT_MS:,.0f} ms: {verdict}")
    undo_ms = median_ms(measured["undo"])
    print(f"{'undo':<44}{undo_ms:>8.0f} ms  goal ≤ {GOAL_UNDO_MS:,.0f} ms (SQLite's)")
    for line in ratio_lines(on, off, floor):
        print(line)
    return failures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=PER_ORGANIZATION, help="per organization")
    parser.add_argument("--repeat", type=int, default=30, help="requests per measurement")
    parser.add_argument("--naive", type=int, default=5, help="naive requests per measurement")
    parser.add_argument("--imports", type=int, default=3, help="imports to take the median of")
    parser.add_argument("--database", default=DATABASE_URL, help="PostgreSQL URL")
    args = parser.parse_args(argv)
    run(
        url=args.database,
        count=args.contacts,
        repeat=args.repeat,
        naive_repeat=args.naive,
        import_repeat=args.imports,
    )


if __name__ == "__main__":
    main()
