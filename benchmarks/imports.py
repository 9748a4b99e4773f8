"""Import benchmark: the 2 MiB sample (≈ 9,000 customers) through Kontor's importer, preview and
commit, beside the same file through a plain django-import-export Resource (the baseline).

Run with `make bench` (or `python -m benchmarks.imports`). It uses its own SQLite file under var/.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "importer" / "fixtures" / "kunden-2mib-cp1252.csv"
DB_FILE = ROOT / "var" / "bench-import.sqlite3"
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))


def setup_django() -> None:
    DB_FILE.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{DB_FILE}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB_FILE}"
    # As in production: no query log kept in memory.
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def preview_then_commit(organization, data: bytes, by=None) -> dict:
    """Upload `data` as customers, preview it, then import it, as the import pages do.

    Returns the seconds of each step (`preview` includes reading the upload), the counts of
    both and the number of queries of the commit.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from importer import services

    gc.collect()
    started = time.perf_counter()
    run, parsed = services.start_import(
        organization=organization, target="customers", file_name="k.csv", data=data, by=by
    )
    previewed = services.check(run, parsed).counts
    preview = time.perf_counter() - started
    gc.collect()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        imported = services.commit(run, by=by).counts
        commit = time.perf_counter() - started
    return {
        "preview": preview,
        "commit": commit,
        "previewed": previewed,
        "imported": imported,
        "queries": len(queries),
    }


def run() -> list[tuple[str, float]]:
    setup_django()
    from django.utils import translation

    from accounts.models import Organization
    from contacts_app.models import Contact
    from importer.reading import read_csv
    from importer.targets.customers import CustomerResource

    data = SAMPLE.read_bytes()
    translation.activate("de")
    orgs = iter(
        Organization.objects.create(name=f"Bench {i}", slug=f"bench-{i}") for i in range(100)
    )

    def baseline() -> int:
        import tablib

        org = next(orgs)
        parsed = read_csv(data)
        dataset = tablib.Dataset(headers=["Organisation", *parsed.headers])
        width = len(parsed.headers)
        for _line, cells in parsed.rows:
            dataset.append([org.slug, *(cells + [""] * width)[:width]])
        result = CustomerResource().import_data(dataset, dry_run=False)
        return result.totals["new"]

    runs = [preview_then_commit(next(orgs), data) for _ in range(REPEAT)]
    preview_times = [r["preview"] for r in runs]
    commit_times = [r["commit"] for r in runs]
    baseline_times = []
    for _ in range(max(1, REPEAT // 2)):
        gc.collect()
        started = time.perf_counter()
        baseline_new = baseline()
        baseline_times.append(time.perf_counter() - started)

    tracemalloc.start()
    preview_then_commit(next(orgs), data)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    lines = data.split(b"\r\n")
    small = b"\r\n".join(lines[:1001]) + b"\r\n"
    small_queries = preview_then_commit(next(orgs), small)["queries"]

    counts, imported = runs[-1]["previewed"], runs[-1]["imported"]
    rows = counts["total"]
    assert imported["new"] == counts["new"] == rows, (counts, imported)
    assert baseline_new > 0
    ours = median_ms(preview_times) + median_ms(commit_times)
    base = median_ms(baseline_times)
    print(
        f"\nImport of {SAMPLE.name}: {len(data):,} bytes, {rows:,} rows "
        f"({counts['new']:,} new, {counts['invalid']} invalid), SQLite, median of {REPEAT}"
    )
    print(f"{'step':<44}{'median ms':>12}{'goal':>14}")
    print(
        f"{'preview (upload, read, assign, check rows)':<44}{median_ms(preview_times):>12.0f}"
        f"{'≤ 500':>14}"
    )
    print(
        f"{'commit (check against database, write all)':<44}{median_ms(commit_times):>12.0f}"
        f"{'≤ 1000':>14}"
    )
    print(f"{'baseline: plain django-import-export':<44}{base:>12.0f}")
    print(f"{'speed-up (baseline ÷ preview+commit)':<44}{base / ours:>12.1f}×{'≥ 5×':>13}")
    print(f"{'peak Python memory, preview and commit':<44}{peak / 1e6:>10.0f} MB{'≤ 200 MB':>14}")
    print(f"{'queries: commit of 1,000 rows':<44}{small_queries:>12}")
    print(f"{'queries: commit of all rows':<44}{runs[-1]['queries']:>12}")
    print(f"Rows in the database: {Contact.objects.count():,}")
    return [
        ("import preview", median_ms(preview_times)),
        ("import commit", median_ms(commit_times)),
    ]


def main() -> None:
    run()


if __name__ == "__main__":
    main()
