"""The platform around the apps: /healthz, the lock files, the port, the browser setup."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from packaging.requirements import Requirement

from core import health
from core.cache import outages
from tests.browser import chromium
from tests.test_service_failures import closed_port, production_cache_settings

BASE_DIR = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.django_db


# /healthz


def test_healthz_reports_database_and_cache_without_login_or_data(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert {"database", "cache"} <= set(body["checks"])
    assert all(check["ok"] for check in body["checks"].values())
    assert set(body["checks"]["database"]) == {"ok", "required", "ms"}


def test_healthz_answers_a_load_balancer_probing_by_address_over_plain_http(settings):
    settings.ALLOWED_HOSTS = ["kontor.example.com"]
    settings.SECURE_SSL_REDIRECT = True

    response = Client().get("/healthz", HTTP_HOST="10.1.2.3:8000")

    assert response.status_code == 200


def test_healthz_with_redis_down_is_degraded_but_in_service(settings):
    caches, _engine = production_cache_settings(f"redis://127.0.0.1:{closed_port()}/0")
    settings.CACHES = caches
    call_command("createcachetable", verbosity=0)
    outages.clear()

    response = Client().get("/healthz")
    outages.clear()

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_healthz_without_the_database_is_503(monkeypatch):
    def database_gone() -> None:
        raise OSError("connection refused")

    monkeypatch.setitem(
        health.CHECKS, "database", health.HealthCheck("database", database_gone, required=True)
    )

    response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_a_part_of_kontor_adds_its_own_check_to_healthz(monkeypatch):
    monkeypatch.setattr(health, "CHECKS", dict(health.CHECKS))

    @health.register_check("mail_queue", required=False)
    def mail_queue_is_moving() -> None:
        raise RuntimeError("oldest message waits for 2 hours")

    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"]["mail_queue"]["ok"] is False
    assert "2 hours" not in response.text  # a failure's details go to the log only


def test_healthz_takes_no_post(client):
    assert client.post("/healthz").status_code == 405


# Lock files


def locked(path: Path) -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9._-]+)==([^ \\\n]+)", path.read_text(), flags=re.MULTILINE)
    return {name.lower().replace("_", "-"): version for name, version in pins}


@pytest.mark.parametrize(
    ("lock_file", "groups"), [("requirements.txt", []), ("requirements-dev.txt", ["dev"])]
)
def test_the_lock_files_pin_every_dependency_within_the_ranges_of_pyproject(lock_file, groups):
    project = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for group in groups:
        wanted += project["optional-dependencies"][group]
    pins = locked(BASE_DIR / lock_file)
    text = (BASE_DIR / lock_file).read_text()

    for line in wanted:
        requirement = Requirement(line)
        name = requirement.name.lower().replace("_", "-")
        assert name in pins, f"{name} is not in {lock_file}: run make lock"
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]} vs {line}"
    # Every pin carries its hashes, so an install gets exactly the files that were locked.
    assert len(re.findall(r"==[^ \\\n]+ \\\n    --hash=sha256:", text)) == len(pins)


def test_the_development_lock_installs_the_same_versions_as_the_production_lock():
    production = locked(BASE_DIR / "requirements.txt")
    development = locked(BASE_DIR / "requirements-dev.txt")

    assert {name: development.get(name) for name in production} == production


# The port


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"KONTOR_PORT": "8101"}, "http://127.0.0.1:8101"),
        (
            {"KONTOR_PORT": "8101", "SITE_URL": "https://kontor.example.com"},
            ("https://kontor.example.com"),
        ),
    ],
)
def test_links_in_e_mails_follow_the_port_of_make_run_unless_site_url_says_otherwise(
    monkeypatch, env, expected
):
    from config import settings as project_settings

    for key in ("KONTOR_PORT", "SITE_URL"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    try:
        site_url = importlib.reload(project_settings).SITE_URL
        assert site_url == expected
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)


def test_make_run_passes_its_port_to_kontor():
    makefile = (BASE_DIR / "Makefile").read_text()
    run = makefile.split("\nrun:")[1].split("\n\n")[0]

    assert "KONTOR_PORT=$(PORT)" in run and "runserver $(HOST):$(PORT)" in run
    assert "browser" not in run.splitlines()[0]  # make run never needs a browser


# Browser setup for make test


@pytest.fixture
def no_browser(monkeypatch) -> list[list[str]]:
    """No Chromium starts; every install command is recorded and fails unless told otherwise."""
    commands: list[list[str]] = []
    monkeypatch.setattr(chromium, "starts", lambda: False)

    def run(command, **options):
        commands.append(command)
        return False

    monkeypatch.setattr(chromium, "_run", run)
    return commands


def test_without_a_browser_and_without_root_it_stops_with_one_line(no_browser, monkeypatch, capsys):
    monkeypatch.setattr(chromium.os, "geteuid", lambda: 1000)

    assert chromium.ensure_installed() == 1

    assert [command[1:] for command in no_browser] == [["install", "chromium"]]
    errors = capsys.readouterr().err.strip().splitlines()
    assert errors == [
        "browser tests need Chromium: install Debian's package (apt-get install chromium) "
        "or Playwright's build (.venv/bin/playwright install chromium)"
    ]


def test_without_a_browser_or_network_root_installs_the_system_package(no_browser, monkeypatch):
    monkeypatch.setattr(chromium.os, "geteuid", lambda: 0)
    monkeypatch.setattr(chromium.shutil, "which", lambda name: f"/usr/bin/{name}")
    installed = []

    def run(command, **options):
        no_browser.append(command)
        if command[0] == "apt-get" and "install" in command:
            installed.append(True)
            return True
        return command[0] == "apt-get"

    monkeypatch.setattr(chromium, "_run", run)
    monkeypatch.setattr(chromium, "starts", lambda: bool(installed))

    assert chromium.ensure_installed() == 0

    assert [command[:2] for command in no_browser[1:]] == [
        ["apt-get", "update"],
        ["apt-get", "install"],
    ]
    assert "chromium" in no_browser[-1]


def test_a_server_process_holds_no_pdf_or_workbook_writer_until_one_is_asked_for():
    """fpdf2 and XlsxWriter (some 50 MB together) load with the first quick reference or Excel
    export, not with every server process's pages."""
    script = (
        "import sys, django; django.setup();"
        "from django.urls import get_resolver; get_resolver().url_patterns;"
        "from importer.downloads import xlsx_file, quick_reference_pdf;"
        "print(sorted({'fpdf', 'xlsxwriter'} & set(sys.modules)))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": ""}
    loaded = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]", loaded.stderr
