"""Password reset by e-mail: the same answer for every address, links built from SITE_URL."""

import re

import pytest
from django.core import mail
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

RESET_LINK = re.compile(r"https://kontor\.test(/password/reset/[^/\s]+/[^/\s]+/)")
NEW_PASSWORD = "a brand new tolerable passphrase"


def ask_for_reset(client: Client, email: str, **extra):
    return client.post("/password/reset/", {"email": email}, HTTP_ACCEPT_LANGUAGE="en", **extra)


def test_it_answers_the_same_for_known_and_unknown_addresses(alice):
    known = ask_for_reset(Client(), "alice@acme.test")
    unknown = ask_for_reset(Client(), "nobody@acme.test")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/password/reset/sent/"
    page = Client().get("/password/reset/sent/", HTTP_ACCEPT_LANGUAGE="en")
    assert "If an account exists for the address you entered" in page.text


def test_it_mails_only_a_known_address(alice):
    ask_for_reset(Client(), "nobody@acme.test")
    assert mail.outbox == []

    ask_for_reset(Client(), "Alice@ACME.test")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@acme.test"]
    assert mail.outbox[0].subject == "Choose a new Kontor password"


def test_it_mails_neither_an_inactive_account(alice):
    alice.is_active = False
    alice.save()

    response = ask_for_reset(Client(), "alice@acme.test")

    assert response["Location"] == "/password/reset/sent/"
    assert mail.outbox == []


def test_the_link_is_built_from_site_url_not_from_the_host_header(alice, settings):
    settings.ALLOWED_HOSTS = ["*"]

    ask_for_reset(Client(), "alice@acme.test", HTTP_HOST="evil.example")

    message = mail.outbox[0]
    html = message.alternatives[0].content
    assert RESET_LINK.search(message.body)
    assert RESET_LINK.search(html)
    assert "evil.example" not in message.body
    assert "evil.example" not in html


def test_the_link_lets_the_user_choose_a_new_password(alice):
    ask_for_reset(Client(), "alice@acme.test")
    path = RESET_LINK.search(mail.outbox[0].body).group(1)
    client = Client()

    form_page = client.get(path, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Choose a new password" in form_page.text
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert done["Location"] == "/password/reset/complete/"
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert not alice.check_password(PASSWORD)


def test_the_link_works_only_once(alice):
    ask_for_reset(Client(), "alice@acme.test")
    path = RESET_LINK.search(mail.outbox[0].body).group(1)
    client = Client()
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = Client().get(path, follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert "This link no longer works" in again.text


class TestLimits:
    """At most 3 reset e-mails an hour to one address and 10 for one client address; beyond,
    the same answer and no e-mail, whether or not the address has an account."""

    @pytest.fixture(autouse=True)
    def _limits(self, settings):
        settings.MAIL_LIMIT_PER_ADDRESS = 3
        settings.MAIL_LIMIT_PER_CLIENT = 10
        settings.MAIL_LIMIT_WINDOW_SECONDS = 3600

    @staticmethod
    def ask(email: str, address: str = "10.0.0.1"):
        return ask_for_reset(Client(), email, REMOTE_ADDR=address)

    def test_the_fourth_request_for_an_address_within_the_hour_sends_nothing(self, alice):
        for n in range(3):
            self.ask("alice@acme.test", address=f"10.0.0.{n}")
        assert len(mail.outbox) == 3

        response = self.ask("ALICE@acme.test", address="10.0.0.99")

        assert response.status_code == 302
        assert response["Location"] == "/password/reset/sent/"
        assert len(mail.outbox) == 3

    def test_over_the_limit_known_and_unknown_addresses_get_the_same_answer(self, alice):
        for _ in range(3):
            self.ask("alice@acme.test")
            self.ask("nobody@acme.test", address="10.0.0.2")

        known = self.ask("alice@acme.test")
        unknown = self.ask("nobody@acme.test", address="10.0.0.2")

        assert known.status_code == unknown.status_code == 302
        assert known["Location"] == unknown["Location"] == "/password/reset/sent/"
        assert len(mail.outbox) == 3

    def test_a_client_may_ask_for_ten_addresses_an_hour(self, alice, bob):
        for n in range(9):
            self.ask(f"guess{n}@acme.test", address="203.0.113.9")

        self.ask("alice@acme.test", address="203.0.113.9")
        self.ask("bob@acme.test", address="203.0.113.9")
        self.ask("bob@acme.test", address="198.51.100.7")

        assert [m.to for m in mail.outbox] == [["alice@acme.test"], ["bob@acme.test"]]

    def test_the_limit_ends_an_hour_after_the_last_e_mail(self, alice):
        import time
        from unittest import mock

        for _ in range(4):
            self.ask("alice@acme.test")
        assert len(mail.outbox) == 3
        later = time.time() + 3601

        with mock.patch("django.core.cache.backends.locmem.time.time", return_value=later):
            self.ask("alice@acme.test")

        assert len(mail.outbox) == 4
