"""A failing service is not an error page: Redis down or silent, the database away.

Kontor is configured as in production with REDIS_URL (config.settings), pointed at a closed
port or at a socket that accepts connections and never answers. Every page must answer within
2 seconds, logins and sign-ups work on the database, failed logins are still counted, and where
nothing can work the person gets a translated 503 page.
"""

from __future__ import annotations

import importlib
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client

from accounts.models import Membership, Organization, User
from core.cache import outages
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

QUICK_SECONDS = 2.0
LOCKED = "Too many failed login attempts."


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def silent_server(accepted: list[socket.socket] | None = None) -> Iterator[int]:
    """A server on 127.0.0.1 that accepts every connection and never sends a byte."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.1)
    accepted = [] if accepted is None else accepted
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _address = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=2)
        for connection in accepted:
            connection.close()
        listener.close()


def production_cache_settings(redis_url: str) -> tuple[dict, str]:
    """CACHES and SESSION_ENGINE exactly as config.settings builds them for this REDIS_URL."""
    from config import settings as project_settings

    previous = os.environ.get("REDIS_URL")
    os.environ["REDIS_URL"] = redis_url
    try:
        configured = importlib.reload(project_settings)
        return configured.CACHES, configured.SESSION_ENGINE
    finally:
        if previous is None:
            del os.environ["REDIS_URL"]
        else:
            os.environ["REDIS_URL"] = previous
        importlib.reload(project_settings)


@pytest.fixture(params=["closed port", "silent server"])
def redis_away(request, settings) -> Iterator[str]:
    """Kontor with REDIS_URL pointing at a Redis that is down, or that never answers."""
    with silent_server() as silent_port:
        port = closed_port() if request.param == "closed port" else silent_port
        caches, session_engine = production_cache_settings(f"redis://127.0.0.1:{port}/0")
        settings.CACHES = caches
        settings.SESSION_ENGINE = session_engine
        call_command("createcachetable", verbosity=0)
        outages.clear()
        yield request.param
        outages.clear()


@contextmanager
def answers_quickly():
    started = time.monotonic()
    yield
    elapsed = time.monotonic() - started
    assert elapsed < QUICK_SECONDS, f"took {elapsed:.2f} s"


def test_with_redis_away_a_person_logs_in_works_and_logs_out(redis_away, alice):
    client = Client()
    with answers_quickly():
        assert client.get("/login/").status_code == 200
    with answers_quickly():
        response = client.post("/login/", {"username": "alice@acme.test", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/contacts/"
    with answers_quickly():
        response = client.get("/contacts/")
    assert response.status_code == 200
    assert response.wsgi_request.user == alice
    with answers_quickly():
        assert client.post("/logout/").status_code == 302
    with answers_quickly():
        response = client.get("/contacts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_with_redis_away_a_sign_up_makes_the_whole_account(redis_away):
    client = Client()
    data = {
        "first_name": "Erika",
        "last_name": "Muster",
        "email": "erika@muster.test",
        "organization_name": "Muster KG",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    with answers_quickly():
        response = client.post("/signup/", data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    user = User.objects.get(email="erika@muster.test")
    assert Membership.objects.get(user=user).organization == Organization.objects.get(
        name="Muster KG"
    )
    assert client.get("/contacts/").status_code == 200


def test_with_redis_away_failed_logins_are_still_counted(redis_away, alice, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        with answers_quickly():
            response = client.post("/login/", {"username": "alice@acme.test", "password": "wrong"})
        assert response.status_code == 200

    response = client.post(
        "/login/",
        {"username": "alice@acme.test", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert LOCKED in response.text


def test_a_silent_redis_is_asked_once_and_then_left_alone_for_a_while(settings, alice):
    connections: list[socket.socket] = []
    with silent_server(connections) as port:
        caches, session_engine = production_cache_settings(f"redis://127.0.0.1:{port}/0")
        settings.CACHES = caches
        settings.SESSION_ENGINE = session_engine
        call_command("createcachetable", verbosity=0)
        outages.clear()
        client = Client()
        client.post("/login/", {"username": "alice@acme.test", "password": PASSWORD})
        time.sleep(0.2)  # the server thread has taken every connection made so far
        asked = len(connections)

        for _ in range(5):
            assert client.get("/contacts/").status_code == 200
        time.sleep(0.2)
        outages.clear()

    assert asked >= 1
    assert len(connections) == asked


def test_a_redis_outage_is_one_line_in_the_log(redis_away, alice, caplog):
    client = Client()
    with caplog.at_level(logging.WARNING):
        client.post("/login/", {"username": "alice@acme.test", "password": PASSWORD})
        client.get("/contacts/")

    outage_lines = [r for r in caplog.records if "Cache unavailable" in r.getMessage()]
    assert len(outage_lines) == 1
    assert not any(record.exc_info for record in caplog.records)


@pytest.fixture
def database_away(monkeypatch):
    """Every page the middleware serves meets a database that has gone away."""
    from accounts import tenancy

    def fail(self, request):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

    monkeypatch.setattr(tenancy.CurrentOrganizationMiddleware, "__call__", fail)


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "Kontor is temporarily unavailable"),
        ("de", "Kontor ist vorübergehend nicht erreichbar"),
    ],
)
def test_without_the_database_a_page_is_a_translated_503(database_away, language, heading):
    # The test client would raise what the page met; a browser gets the page.
    response = Client(raise_request_exception=False).get("/login/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert heading in response.text


def test_a_view_that_meets_a_failing_database_answers_503(alice_client, monkeypatch):
    from products import views

    def fail(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views.ProductList, "get_queryset", fail)

    response = alice_client.get("/products/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 503
    assert "Kontor is temporarily unavailable" in response.text


def test_a_failing_database_is_one_line_in_the_log(database_away, caplog):
    with caplog.at_level(logging.WARNING):
        Client(raise_request_exception=False).get("/login/")

    lines = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in lines] == [
        "Service unavailable: GET /login/ (OperationalError: connection to server at "
        "127.0.0.1, port 5432 failed)"
    ]
    assert not any(record.exc_info for record in caplog.records)
