"""Workbook benchmark: an .xlsx of 20,000 customers (about 2 MiB, as Excel saves it: shared
strings, numbers stored as numbers, a title row) read as the preview reads it, and checked as
the preview checks it; beside openpyxl's read-only mode merely reading the same workbook's
values (the baseline, measured in the same run).

Goals: reading at least 3× faster than the baseline; aim: reading and the preview's check of
the file within 1.0 s; the peak memory of a process like a server's (Django with every page's
code, and calamine's memory, which tracemalloc does not see) at most 200 MB while it reads and
checks the file once, as a preview request does.

Run with `make bench` (or `python -m benchmarks.workbooks`). It uses its own SQLite file under
var/.
"""

from __future__ import annotations

import gc
import io
import multiprocessing
import os
import random
import statistics
import time
import tracemalloc
from pathlib import Path

from benchmarks.django_setup import configure_django, sqlite_url

ROOT = Path(__file__).resolve().parent.parent
DB_FILE = ROOT / "var" / "bench-workbooks.sqlite3"
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
ROWS = 20_000
GOAL_SPEED_UP = 3.0
AIM_SECONDS = 1.0
GOAL_PEAK_MB = 200

HEADERS = [
    "Kundennummer", "Firmenname", "Anrede", "Vorname", "Nachname", "Straße", "PLZ", "Ort",
    "Land", "Telefon", "E-Mail", "Webseite", "Ansprechpartner 1 Vorname",
    "Ansprechpartner 1 Nachname", "Ansprechpartner 1 E-Mail", "Notiz",
]  # fmt: skip
_FIRMS = ["Bäckerei", "Metallbau", "Gärtnerei", "Steuerberatung", "Autohaus", "Druckerei",
          "Schreinerei", "Elektro", "Café", "Reisebüro", "Optik", "Sanitär"]  # fmt: skip
_NAMES = ["Müller", "Schäfer", "Meyer", "Weiß", "Groß", "Köhler", "Hoffmann", "Schröder",
          "Krüger", "Böhm", "Jäger", "Koch", "Wolf", "Neumann", "Schwarz",
          "Zimmermann"]  # fmt: skip
_FIRST = ["Jörg", "Anna", "Lukas", "Sören", "Jürgen", "Maria", "Björn", "Käthe", "Sophie",
          "Max", "Jonas", "Lea"]  # fmt: skip
_FORMS = ["GmbH", "KG", "GmbH & Co. KG", "e. K.", "AG", "OHG"]
_STREETS = ["Hauptstraße", "Bahnhofstraße", "Mühlenweg", "Gartenstraße", "Schulstraße",
            "Königsallee", "Lindenstraße", "Am Markt"]  # fmt: skip
# (postal code as Excel keeps it: a number, its leading zero lost), city.
_CITIES = [(1067, "Dresden"), (4109, "Leipzig"), (10115, "Berlin"), (20095, "Hamburg"),
           (80331, "München"), (50667, "Köln"), (90402, "Nürnberg"), (6108, "Halle (Saale)"),
           (70173, "Stuttgart"), (28195, "Bremen")]  # fmt: skip


def customers_workbook(rows: int = ROWS) -> bytes:
    """The customers as Excel writes them (XlsxWriter writes what Excel writes)."""
    import xlsxwriter

    rng = random.Random(2026)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Kunden")
    sheet.write(0, 0, "Kundenliste 2026", book.add_format({"bold": True}))
    sheet.write_row(1, 0, HEADERS)
    for index in range(rows):
        name = rng.choice(_NAMES)
        firm = f"{rng.choice(_FIRMS)} {name} {rng.choice(_FORMS)}"
        code, city = rng.choice(_CITIES)
        domain = f"{name.lower()}-{index}.example"
        for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
            domain = domain.replace(umlaut, spelled)
        person = rng.random() < 0.3
        first, last = rng.choice(_FIRST), rng.choice(_NAMES)
        sheet.write_row(
            index + 2,
            0,
            [
                10000 + index,
                "" if person else firm,
                rng.choice(["Herr", "Frau"]) if person else "",
                rng.choice(_FIRST) if person else "",
                name if person else "",
                f"{rng.choice(_STREETS)} {rng.randint(1, 120)}",
                code,
                city,
                "Deutschland",
                f"+49 {rng.randint(30, 9999)} {rng.randint(100000, 9999999)}",
                f"info@{domain}",
                f"https://www.{domain}",
                "" if person else first,
                "" if person else last,
                "" if person else f"{index}.kontakt@{domain}",
                "Rückruf erbeten – „dringend“" if rng.random() < 0.1 else "",
            ],
        )
    book.close()
    return out.getvalue()


def setup_django() -> None:
    configure_django(sqlite_url(DB_FILE))


def preview_memory(data: bytes) -> tuple[float, float]:
    """(MB before, peak MB) of a process like a server's: Django set up on the migrated
    database, every page's code loaded as after its first request; then the file read and
    checked once, as a preview request does, its result alive at the peak."""
    configure_django(sqlite_url(DB_FILE, fresh=False), migrate=False)
    from django.urls import get_resolver
    from django.utils import translation

    from core.collector import collector_paused
    from importer.checking import auto_mapping
    from importer.formats import read_upload
    from importer.targets import get_target

    get_resolver().url_patterns  # noqa: B018
    translation.activate("de")
    target = get_target("customers")
    gc.collect()
    before = high_water_mb()
    with collector_paused():
        parsed = read_upload(data)
        checked = target.check_file(parsed, auto_mapping(parsed.headers, target.columns))
    peak = high_water_mb()
    assert len(checked) == ROWS
    return before, peak


def high_water_mb() -> float:
    """The process's peak resident memory so far. (Not getrusage's ru_maxrss: on Linux a
    spawned process starts with its parent's, which exec keeps.)"""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def openpyxl_reading(data: bytes) -> int:
    """The baseline: every value of the first sheet, read-only mode, nothing done with it."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    count = 0
    for row in book.worksheets[0].iter_rows(values_only=True):
        count += len(row)
    book.close()
    return count


def run() -> list[tuple[str, float]]:
    setup_django()
    from django.utils import translation

    from core.collector import collector_paused
    from importer.checking import auto_mapping
    from importer.formats import read_upload
    from importer.reading import MAX_BYTES
    from importer.targets import get_target

    translation.activate("de")
    # Made in a process of its own, so that writing it costs this one no memory.
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        data = pool.apply(customers_workbook)
    assert len(data) <= MAX_BYTES, len(data)
    target = get_target("customers")
    mapping = auto_mapping(read_upload(data).headers, target.columns)

    # As the import's services do, and the baseline alike: no cycle collection meanwhile.
    def read() -> int:
        with collector_paused():
            return len(read_upload(data).rows)

    def read_and_check() -> list:
        # The preview's path for the file: read the upload, check every row (its part that
        # depends on the file alone; what the database adds is the CSV benchmark's).
        with collector_paused():
            return target.check_file(read_upload(data), mapping)

    # Memory in a process of its own, as a server process has it (see preview_memory).
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        started_rss_mb, peak_rss_mb = pool.apply(preview_memory, (data,))
    reading, checking, baseline = [], [], []
    for _ in range(REPEAT):
        gc.collect()
        started = time.perf_counter()
        rows = read()
        reading.append(time.perf_counter() - started)
        gc.collect()
        started = time.perf_counter()
        checked = read_and_check()
        checking.append(time.perf_counter() - started)
    tracemalloc.start()
    read_and_check()
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    for _ in range(REPEAT):
        gc.collect()
        started = time.perf_counter()
        with collector_paused():
            cells = openpyxl_reading(data)
        baseline.append(time.perf_counter() - started)

    assert rows == ROWS, rows
    valid = sum(1 for row in checked if row.is_valid)
    assert valid == ROWS, [e for row in checked for e in row.errors][:5]
    assert all(row.values["billing_postal_code"].isdigit() for row in checked)
    zero = next(row for row in checked if row.values["billing_city"] == "Dresden")
    assert zero.values["billing_postal_code"] == "01067"
    ours, check_ms, base = median_ms(reading), median_ms(checking), median_ms(baseline)
    print(
        f"\nWorkbook of {ROWS:,} customers: {len(data):,} bytes (.xlsx, {cells:,} cells), "
        f"median of {REPEAT}"
    )
    print(f"{'step':<52}{'median ms':>12}{'goal':>14}")
    print(f"{'read (inspect the zip, calamine, cells as text)':<52}{ours:>12.0f}")
    print(
        f"{'read and check every row, as the preview':<52}{check_ms:>12.0f}"
        f"{'≤ 1000 (aim)':>14}  {'met' if check_ms <= AIM_SECONDS * 1000 else 'MISSED'}"
    )
    print(f"{'baseline: openpyxl read-only, values only':<52}{base:>12.0f}")
    print(
        f"{'speed-up of reading (baseline ÷ read)':<52}{base / ours:>11.1f}×{'≥ 3×':>14}"
        f"  {'met' if base / ours >= GOAL_SPEED_UP else 'MISSED'}"
    )
    print(
        f"{'peak of a server process in one preview':<52}{peak_rss_mb:>9.0f} MB"
        f"{'≤ 200 MB':>14}  {'met' if peak_rss_mb <= GOAL_PEAK_MB else 'MISSED'}"
    )
    print(
        f"{'  of which the read and check added':<52}{peak_rss_mb - started_rss_mb:>9.0f} MB"
        f" (before the read {started_rss_mb:.0f} MB)"
    )
    print(f"{'peak Python memory, read and check':<52}{traced_peak / 1e6:>9.0f} MB")
    return [("workbook read", ours), ("workbook read and check", check_ms)]


def main() -> None:
    run()


if __name__ == "__main__":
    main()
