"""Import benchmark: the 2 MiB sample (7,895 customers) through Kontor's importer, preview and
commit, and its undo; beside the same import with the history switched off, the floor (the same
rows written with nothing else, `benchmarks.import_floor`) and the same file through a plain
django-import-export Resource (the baseline).

The goals that depend on the machine are ratios of figures taken in the same run, so that they
hold on any machine: the history costs the import at most 15 %, preview and commit together
take at most twice the floor.

Run with `make bench` (or `python -m benchmarks.imports`). It uses its own SQLite file under var/.
"""

from __future__ import annotations

import gc
import os
import statistics
import time
import tracemalloc
from pathlib import Path

from benchmarks.django_setup import configure_django, sqlite_url

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "importer" / "fixtures" / "kunden-2mib-cp1252.csv"
DB_FILE = ROOT / "var" / "bench-import.sqlite3"
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
GOAL_HISTORY_COST = 0.15  # the history may cost an import at most this much more
GOAL_FLOOR_RATIO = 2.0  # preview + commit at most this many times the floor
GOAL_UNDO_MS = 1000.0


def setup_django() -> None:
    configure_django(sqlite_url(DB_FILE))


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
        "run": run,
    }


def without_history(step, *args, **kwargs):
    """`step` with the history switched off, as no import of Kontor's runs: the benchmark's
    measure of what the history costs."""
    from history.services import recording_off

    with recording_off():
        return step(*args, **kwargs)


def undo_seconds(run, by=None) -> tuple[float, int]:
    """Seconds to undo `run`, and the records it deleted."""
    from importer import services

    gc.collect()
    started = time.perf_counter()
    outcome = services.undo(run, by=by)
    return time.perf_counter() - started, outcome.deleted


def floor_seconds(organization, data: bytes) -> float:
    from benchmarks.import_floor import prepared_rows, write_floor

    prepared = prepared_rows(organization, data)
    gc.collect()
    return write_floor(prepared)


def ratio_lines(on: dict, off: dict, floor: list[float]) -> list[str]:
    """The ratios of the goals, from medians of seconds ("preview" and "commit" lists)."""
    with_history = median_ms(on["preview"]) + median_ms(on["commit"])
    without = median_ms(off["preview"]) + median_ms(off["commit"])
    cost = with_history / without - 1
    times_floor = with_history / median_ms(floor)
    return [
        f"{'history: with ÷ without − 1':<44}{cost:>11.0%} {'≤ 15 %':>13}"
        f"  {'met' if cost <= GOAL_HISTORY_COST else 'MISSED'}",
        f"{'preview + commit ÷ floor':<44}{times_floor:>11.2f}× {'≤ 2×':>13}"
        f"  {'met' if times_floor <= GOAL_FLOOR_RATIO else 'MISSED'}",
    ]


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

    # Turns: with history, without, the floor; each into an organization of its own.
    on: dict[str, list[float]] = {"preview": [], "commit": []}
    off: dict[str, list[float]] = {"preview": [], "commit": []}
    floor, runs = [], []
    for _ in range(REPEAT):
        runs.append(preview_then_commit(next(orgs), data))
        unrecorded = without_history(preview_then_commit, next(orgs), data)
        floor.append(floor_seconds(next(orgs), data))
        for steps, measured in ((on, runs[-1]), (off, unrecorded)):
            steps["preview"].append(measured["preview"])
            steps["commit"].append(measured["commit"])
    preview_times, commit_times = on["preview"], on["commit"]
    undone = [undo_seconds(r["run"]) for r in runs]
    undo_times = [seconds for seconds, _deleted in undone]
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
    print(
        f"{'  the same without history':<44}"
        f"{median_ms(off['preview']):>8.0f} +{median_ms(off['commit']):>5.0f}"
    )
    print(f"{'floor: the same rows, bare executemany':<44}{median_ms(floor):>12.0f}")
    undo_ms = median_ms(undo_times)
    print(
        f"{'undo (all ' + format(undone[-1][1], ',') + ' records deleted)':<44}{undo_ms:>12.0f}"
        f"{'≤ 1000':>14}  {'met' if undo_ms <= GOAL_UNDO_MS else 'MISSED'}"
    )
    print(f"{'baseline: plain django-import-export':<44}{base:>12.0f}")
    print(f"{'speed-up (baseline ÷ preview+commit)':<44}{base / ours:>12.1f}×{'≥ 5×':>13}")
    print(f"{'peak Python memory, preview and commit':<44}{peak / 1e6:>10.0f} MB{'≤ 200 MB':>14}")
    print(f"{'queries: commit of 1,000 rows':<44}{small_queries:>12}")
    print(f"{'queries: commit of all rows':<44}{runs[-1]['queries']:>12}")
    for line in ratio_lines(on, off, floor):
        print(line)
    print(f"Rows in the database: {Contact.objects.count():,}")
    return [
        ("import preview", median_ms(preview_times)),
        ("import commit", median_ms(commit_times)),
        ("import undo", undo_ms),
    ]


def main() -> None:
    run()


if __name__ == "__main__":
    main()
