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
