"""Settings from the environment: production values pass `check --deploy`."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


# Variables of the test run that a production server would not have.
NOT_INHERITED = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "HTTPS",
    "REDIS_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "kontor.example.com",
    "SITE_URL": "https://kontor.example.com",
}


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": ""})

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_development_defaults_need_no_environment():
    result = manage("check")

    assert result.returncode == 0, result.stdout + result.stderr


def test_login_limits_are_kept_where_every_server_process_sees_them(monkeypatch):
    """Login limits live in a database table, never per-process memory, and not in Redis."""
    import importlib

    monkeypatch.delenv("REDIS_URL", raising=False)
    from config import settings as project_settings

    reloaded = importlib.reload(project_settings)
    try:
        backend = reloaded.CACHES["default"]["BACKEND"]
        assert backend == "django.core.cache.backends.db.DatabaseCache"
        assert reloaded.CACHES["login_limits"]["BACKEND"] == backend
        monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
        with_redis = importlib.reload(project_settings)
        assert with_redis.CACHES["default"]["BACKEND"] == "core.cache.FailFastRedisCache"
        assert with_redis.CACHES["login_limits"]["BACKEND"] == backend
    finally:
        monkeypatch.delenv("REDIS_URL", raising=False)
        importlib.reload(project_settings)


@pytest.mark.parametrize(
    ("env", "setting", "expected"),
    [
        ({}, "SIGNUP_OPEN", True),
        ({"SIGNUP_OPEN": "0"}, "SIGNUP_OPEN", False),
        ({"SITE_URL": "https://kontor.example.com/"}, "SITE_URL", "https://kontor.example.com"),
        ({}, "INVITATION_MAX_AGE_DAYS", 7),
        ({}, "INVITATIONS_PER_ORGANIZATION_PER_DAY", 50),
    ],
)
def test_settings_come_from_the_environment(monkeypatch, env, setting, expected):
    import importlib

    from config import settings as project_settings

    for key in ["SIGNUP_OPEN", "SITE_URL", "INVITATION_MAX_AGE_DAYS", "INVITATIONS_PER_DAY"]:
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    try:
        assert getattr(importlib.reload(project_settings), setting) == expected
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)
