"""Changing one's password while logged in, and logging out."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "alice's fresh passphrase"


def test_it_changes_the_password_and_keeps_alice_logged_in(alice_client, alice):
    response = alice_client.post(
        "/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.redirect_chain == [("/password/change/done/", 302)]
    assert "Your new password is active." in response.text
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert alice_client.get("/contacts/").status_code == 200


def test_it_wants_the_old_password(alice_client, alice):
    response = alice_client.post(
        "/password/change/",
        {"old_password": "guess", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "Your old password was entered incorrectly." in response.text
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_other_sessions_end_when_the_password_changes(alice, alice_client):
    other_browser = Client()
    other_browser.post("/login/", {"username": "alice@acme.test", "password": PASSWORD})
    assert other_browser.get("/contacts/").status_code == 200

    alice_client.post(
        "/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert other_browser.get("/contacts/")["Location"] == "/login/?next=/contacts/"


def test_logout_ends_the_session(alice_client):
    response = alice_client.post("/logout/")

    assert response["Location"] == "/login/"
    assert alice_client.get("/contacts/")["Location"] == "/login/?next=/contacts/"
