"""`make bench`: every benchmark, each in a process of its own (each sets up its own database).

Add a benchmark by adding its module to BENCHMARKS; it needs a `main()` that runs it when the
module is executed with `python -m`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BENCHMARKS = [
    "benchmarks.contacts",
    "benchmarks.bulk",
    "benchmarks.imports",
    "benchmarks.duplicates",
    "benchmarks.postgres",
    "benchmarks.api",
    "benchmarks.carddav",
    "benchmarks.vcards",
]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks named on the command line (e.g. `contacts`), or all of them."""
    wanted = argv if argv is not None else sys.argv[1:]
    failed = []
    for module in BENCHMARKS:
        if wanted and module.rsplit(".", 1)[-1] not in wanted:
            continue
        result = subprocess.run([sys.executable, "-m", module], cwd=ROOT, check=False)  # noqa: S603
        if result.returncode:
            failed.append(module)
    if failed:
        print(f"Failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
