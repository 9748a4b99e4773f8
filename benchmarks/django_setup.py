"""Django for a benchmark, as production runs it, on a database of its own."""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sqlite_url(db_file: Path, *, fresh: bool = True) -> str:
    """The URL of the benchmark's SQLite file, emptied first if `fresh`."""
    db_file.parent.mkdir(parents=True, exist_ok=True)
    if fresh:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{db_file}"


def configure_django(database_url: str, *, migrate: bool = True) -> None:
    """Django as production runs it, on `database_url`, migrated (unless not to `migrate`: a
    database another process of the benchmark migrated), for the test client."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Measure what production runs: DEBUG off from the start, so that the template engine (which
    # migrate's system checks create) caches compiled templates and keeps no debug information;
    # no query log kept in memory.
    os.environ["DEBUG"] = "0"
    os.environ["HTTPS"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise, no collectstatic
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if migrate:
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # Static files unhashed, as there is no collectstatic here; it changes no request's work.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
