"""vCard import benchmark: a .vcf of 5,000 cards (iPhone-, Google- and Outlook-shaped) read and
checked for the preview, beside the baseline measured in the same run: vobject's plain
`readComponents` over the same file plus the CSV path's preview of the equivalent CSV file
(the same rows under the same headers), which is what reading each card with vobject and then
importing its table would cost.

Goals: at least 3× faster than the baseline, 1.0 s or less; peak memory of the vCard preview
(traced by tracemalloc) at most 200 MB.

Run with `make bench` (or `python -m benchmarks.vcards`). It uses its own SQLite file under var/.
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
DB_FILE = ROOT / "var" / "bench-vcards.sqlite3"
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
CARDS = 5_000
GOAL_RATIO = 3.0
GOAL_SECONDS = 1.0
GOAL_PEAK_MB = 200


def setup_django() -> None:
    configure_django(sqlite_url(DB_FILE))


def card(number: int) -> str:
    """One card of three shapes in turn: an iPhone company card with its contact person, a
    Google person card, an Outlook 2.1 card in quoted-printable Windows-1252."""
    shape = number % 3
    if shape == 0:
        return (
            "BEGIN:VCARD\nVERSION:3.0\nPRODID:-//Apple Inc.//iPhone OS 17.1//EN\n"
            f"N:Schäfer{number};Anna;;;\nFN:Anna Schäfer{number}\n"
            f"ORG:Bäckerei {number} GmbH;\nTITLE:Geschäftsführerin\n"
            f"item1.EMAIL;type=INTERNET;type=WORK;type=pref:anna{number}@b{number}.de\n"
            f"TEL;type=CELL;type=VOICE;type=pref:+49 170 {number:07d}\n"
            f"TEL;type=WORK;type=VOICE:+49 30 {number:07d}\n"
            "item2.ADR;type=WORK;type=pref:;;Hauptstraße 5;Berlin;;10115;Deutschland\n"
            "item2.X-ABADR:de\nEND:VCARD\n"
        )
    if shape == 1:
        return (
            f"BEGIN:VCARD\nVERSION:3.0\nFN:Jürgen Özdemir{number}\n"
            f"N:Özdemir{number};Jürgen;;;\n"
            f"EMAIL;TYPE=INTERNET;TYPE=HOME:j{number}@example.org\n"
            f"TEL;TYPE=CELL:0171 {number:07d}\n"
            "ADR;TYPE=HOME:;;Lindenallee 12;Hamburg;;20249;Deutschland\n"
            "NOTE:Kunde seit 2019\\, zahlt pünktlich\nCATEGORIES:myContacts,Kunden\nEND:VCARD\n"
        )
    return (
        "BEGIN:VCARD\nVERSION:2.1\n"
        f"N;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:Gr=F6=DFer{number};J=FCrgen\n"
        f"ORG;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:S=FCd {number} GmbH\n"
        f"TEL;WORK;VOICE:+49 711 {number:07d}\nTEL;WORK;FAX:+49 711 {number:07d}9\n"
        f"EMAIL;PREF;INTERNET:j{number}@sued{number}.de\nREV:20231114T101500Z\nEND:VCARD\n"
    )


def vcf_file(count: int = CARDS) -> bytes:
    return "".join(card(n) for n in range(count)).replace("\n", "\r\n").encode()


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def run() -> None:
    setup_django()
    import vobject
    from django.utils import translation

    from accounts.models import Organization
    from importer import services
    from importer.csv_writing import write_csv
    from importer.formats import read_upload

    translation.activate("de")
    data = vcf_file()
    organization = Organization.objects.create(name="Bench", slug="bench")
    parsed = read_upload(data)
    csv_data = write_csv(parsed.headers, [cells for _line, cells in parsed.rows], delimiter=";")
    text = data.decode()

    def preview(upload: bytes) -> tuple[float, dict]:
        gc.collect()
        started = time.perf_counter()
        run, read = services.start_import(
            organization=organization, target="customers", file_name="k", data=upload, by=None
        )
        counts = services.check(run, read, keep=False).counts
        seconds = time.perf_counter() - started
        services.discard(run)
        return seconds, counts

    def vobject_seconds() -> float:
        gc.collect()
        started = time.perf_counter()
        found = sum(1 for _card in vobject.readComponents(text, allowQP=True))
        assert found == CARDS
        return time.perf_counter() - started

    def read_seconds() -> float:
        gc.collect()
        started = time.perf_counter()
        assert len(read_upload(data).rows) == CARDS
        return time.perf_counter() - started

    ours, baseline, vobject_alone, csv_alone, reading = [], [], [], [], []
    for _ in range(REPEAT):
        seconds, counts = preview(data)
        ours.append(seconds)
        reading.append(read_seconds())
        csv_seconds, csv_counts = preview(csv_data)
        vobject_time = vobject_seconds()
        vobject_alone.append(vobject_time)
        csv_alone.append(csv_seconds)
        baseline.append(vobject_time + csv_seconds)
    assert counts["new"] == csv_counts["new"] == CARDS, (counts, csv_counts)

    tracemalloc.start()
    preview(data)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    ratio = median(baseline) / median(ours)
    peak_mb = peak / 1024 / 1024
    print(
        f"\nvCard import: {CARDS:,} cards, {len(data):,} bytes, "
        f"{counts['new']:,} new, SQLite, median of {REPEAT}"
    )
    print(f"{'step':<52}{'median ms':>12}{'goal':>12}")
    rows = [
        ("read the .vcf (Kontor's reader)", median(reading), ""),
        ("vobject.readComponents over the same file", median(vobject_alone), ""),
        ("CSV path: preview of the equivalent CSV", median(csv_alone), ""),
        ("baseline: vobject + CSV preview", median(baseline), ""),
        ("vCard preview (upload, read, assign, check)", median(ours), "≤ 1000"),
    ]
    for label, seconds, goal in rows:
        print(f"{label:<52}{seconds * 1000:>12.0f}{goal:>12}")
    print(
        f"{'baseline ÷ vCard preview':<52}{ratio:>11.1f}×{'≥ 3×':>12}"
        f"  {'met' if ratio >= GOAL_RATIO else 'MISSED'}"
    )
    print(
        f"{'vCard preview within 1.0 s':<52}{median(ours):>11.2f}s{'≤ 1.0 s':>12}"
        f"  {'met' if median(ours) <= GOAL_SECONDS else 'MISSED'}"
    )
    print(
        f"{'peak memory of the vCard preview (tracemalloc)':<52}{peak_mb:>10.1f}MB"
        f"{'≤ 200 MB':>12}  {'met' if peak_mb <= GOAL_PEAK_MB else 'MISSED'}"
    )


def main() -> None:
    run()


if __name__ == "__main__":
    main()
