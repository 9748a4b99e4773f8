"""Failed logins are limited per account and per client address."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed login attempts. For your security, please wait 15 minutes"
WRONG = "Please enter a correct e-mail address and password."


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_FAILURE_IP_LIMIT = 20
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 900


def log_in(email: str, password: str, address: str = "10.0.0.1", client: Client | None = None):
    client = client or Client()
    return client.post(
        "/login/",
        {"username": email, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def fail(times: int, email: str = "alice@acme.test", address: str = "10.0.0.1") -> None:
    for _ in range(times):
        response = log_in(email, "wrong password", address)
        assert response.status_code == 200


def test_a_wrong_password_says_so(alice):
    response = log_in("alice@acme.test", "wrong password")

    assert response.status_code == 200
    assert WRONG in response.text
    assert LOCKED not in response.text


def test_the_right_password_logs_in(alice):
    response = log_in("alice@acme.test", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/contacts/"


def test_it_locks_an_account_after_five_failures_even_for_the_right_password(alice):
    fail(5)

    response = log_in("alice@acme.test", PASSWORD)

    assert response.status_code == 200
    assert LOCKED in response.text
    assert "reset your password" in response.text
    assert "_auth_user_id" not in response.wsgi_request.session


def test_four_failures_do_not_lock(alice):
    fail(4)

    assert log_in("alice@acme.test", PASSWORD).status_code == 302


def test_the_account_lock_holds_from_every_address_and_in_any_case(alice):
    for n in range(5):
        log_in("alice@acme.test", "wrong password", address=f"10.0.1.{n}")

    response = log_in("ALICE@acme.test", PASSWORD, address="192.0.2.50")

    assert LOCKED in response.text


def test_the_account_lock_leaves_other_accounts_alone(alice, bob):
    fail(5, email="alice@acme.test", address="10.0.0.1")

    assert log_in("bob@acme.test", PASSWORD, address="10.0.0.2").status_code == 302


def test_it_locks_an_address_that_tries_many_accounts(alice):
    for n in range(20):
        log_in(f"guess{n}@acme.test", "wrong password", address="203.0.113.9")

    from_there = log_in("alice@acme.test", PASSWORD, address="203.0.113.9")
    from_elsewhere = log_in("alice@acme.test", PASSWORD, address="198.51.100.7")

    assert LOCKED in from_there.text
    assert from_elsewhere.status_code == 302


def test_a_successful_login_resets_the_account_counter(alice):
    fail(4)
    assert log_in("alice@acme.test", PASSWORD).status_code == 302

    fail(4)

    assert log_in("alice@acme.test", PASSWORD).status_code == 302


def test_the_lock_survives_a_new_session(alice):
    """The counters live in the shared cache, not in the session a client could throw away."""
    fail(5)

    fresh = Client()
    response = log_in("alice@acme.test", PASSWORD, client=fresh)

    assert LOCKED in response.text


def test_the_lock_ends_after_the_window(alice):
    fail(5)
    later = time.time() + 901

    with mock.patch("django.core.cache.backends.locmem.time.time", return_value=later):
        response = log_in("alice@acme.test", PASSWORD)

    assert response.status_code == 302


def test_behind_a_proxy_it_counts_the_forwarded_address(alice, settings):
    settings.NUM_PROXIES = 1
    client = Client()
    for n in range(20):
        client.post(
            "/login/",
            {"username": f"guess{n}@acme.test", "password": "wrong"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )

    attacker = client.post(
        "/login/",
        {"username": "alice@acme.test", "password": PASSWORD},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    colleague = Client().post(
        "/login/",
        {"username": "alice@acme.test", "password": PASSWORD},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )

    assert LOCKED in attacker.text
    assert colleague.status_code == 302


@pytest.fixture
def database_cache(settings):
    """The cache Kontor uses without Redis: a table every server process shares."""
    from django.core.management import call_command

    table = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kontor_test_cache",
    }
    settings.CACHES = {"default": table, "login_limits": table}
    call_command("createcachetable", verbosity=0)


def test_with_the_database_cache_the_lock_lasts_as_long_as_the_message_says(alice, database_cache):
    from django.utils import timezone

    fail(5)
    fourteen_minutes_later = timezone.now() + timedelta(minutes=14)

    with mock.patch("django.core.cache.backends.db.tz_now", return_value=fourteen_minutes_later):
        response = log_in("alice@acme.test", PASSWORD)

    assert LOCKED in response.text


class TestAdminLogin:
    """/admin/login/ is a second way in: it counts against the same limits as /login/."""

    @pytest.fixture
    def staff(self, alice):
        alice.is_staff = True
        alice.save()
        return alice

    @staticmethod
    def admin_log_in(email: str, password: str, address: str = "10.0.0.1"):
        return Client().post(
            "/admin/login/?next=/admin/",
            {"username": email, "password": password, "next": "/admin/"},
            REMOTE_ADDR=address,
            HTTP_ACCEPT_LANGUAGE="en",
        )

    def test_the_right_password_logs_in(self, staff):
        response = self.admin_log_in("alice@acme.test", PASSWORD)

        assert response.status_code == 302
        assert response["Location"] == "/admin/"

    def test_it_locks_an_account_after_five_failures(self, staff):
        for _ in range(5):
            assert self.admin_log_in("alice@acme.test", "wrong password").status_code == 200

        response = self.admin_log_in("alice@acme.test", PASSWORD)

        assert response.status_code == 200
        assert LOCKED in response.text
        assert "_auth_user_id" not in response.wsgi_request.session

    def test_it_locks_an_address_that_tries_many_accounts(self, staff):
        for n in range(20):
            self.admin_log_in(f"guess{n}@acme.test", "wrong password", address="203.0.113.9")

        from_there = self.admin_log_in("alice@acme.test", PASSWORD, address="203.0.113.9")
        from_elsewhere = self.admin_log_in("alice@acme.test", PASSWORD, address="198.51.100.7")

        assert LOCKED in from_there.text
        assert from_elsewhere.status_code == 302

    def test_failures_on_the_login_page_count_for_the_admin_and_back(self, staff):
        fail(3)
        for _ in range(2):
            self.admin_log_in("alice@acme.test", "wrong password")

        assert LOCKED in self.admin_log_in("alice@acme.test", PASSWORD).text
        assert LOCKED in log_in("alice@acme.test", PASSWORD).text
