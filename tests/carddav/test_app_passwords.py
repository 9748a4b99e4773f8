"""Settings → Devices and HTTP Basic: app passwords made, shown once, hashed, limited, revoked."""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Membership
from carddav.models import AppPassword
from tests.conftest import PASSWORD

from .conftest import BOOK, DavClient, issue

pytestmark = pytest.mark.django_db

HOME = "/dav/books/"


def test_a_person_creates_an_app_password_that_is_shown_once_and_stored_hashed(alice_client, alice):
    response = alice_client.post(reverse("carddav:device_create"), {"name": "Alice's iPhone"})
    assert response.status_code == 302

    page = alice_client.get(reverse("carddav:devices"))
    text = page.content.decode()
    assert "App password for “Alice&#x27;s iPhone” created." in text
    device = AppPassword.objects.get(user=alice)
    shown = page.context["new_password"]["password"]
    assert shown in text and len(shown) == 24
    assert device.password_hash != shown and shown not in device.password_hash
    again = alice_client.get(reverse("carddav:devices")).content.decode()
    assert shown not in again
    assert "Alice&#x27;s iPhone" in again and "<td>never</td>" in again


def test_the_app_password_logs_in_to_carddav_and_the_page_shows_when_it_was_last_used(
    alice_client, alice
):
    alice_client.post(reverse("carddav:device_create"), {"name": "Pixel"})
    password = alice_client.get(reverse("carddav:devices")).context["new_password"]["password"]

    response = DavClient("alice@acme.test", password).propfind(HOME, depth="0")

    assert response.status_code == 207
    assert AppPassword.objects.get(user=alice).last_used_at is not None
    assert "<td>never</td>" not in alice_client.get(reverse("carddav:devices")).content.decode()


def test_a_device_needs_a_name(alice_client, alice):
    response = alice_client.post(reverse("carddav:device_create"), {"name": "   "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not AppPassword.objects.exists()


def test_the_devices_page_is_in_german_for_german_speakers(alice_client):
    response = alice_client.get(reverse("carddav:devices"), HTTP_ACCEPT_LANGUAGE="de")
    text = response.content.decode()
    assert "Geräte" in text and "App-Passwort erstellen" in text


def test_the_login_password_never_opens_carddav(alice):
    response = DavClient("alice@acme.test", PASSWORD).propfind(HOME, depth="0")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")


def test_the_session_cookie_never_opens_carddav(alice_client):
    assert alice_client.generic("PROPFIND", HOME).status_code == 401


def test_every_spelling_of_the_address_is_the_same_account(alice):
    _device, password = issue(alice)
    assert DavClient(" ALICE@Acme.TEST ", password).propfind(HOME, depth="0").status_code == 207


def test_a_wrong_password_an_unknown_address_and_garbage_get_the_same_401(alice):
    issue(alice)
    garbage = Client(HTTP_AUTHORIZATION="Basic !!!")
    answers = [
        DavClient("alice@acme.test", "wrong").propfind(HOME, depth="0"),
        DavClient("nobody@acme.test", "wrong").propfind(HOME, depth="0"),
        garbage.generic("PROPFIND", HOME),
        Client().generic("PROPFIND", HOME),
    ]
    assert {a.status_code for a in answers} == {401}
    assert len({a.content for a in answers}) == 1


def test_failed_attempts_are_limited_like_logins(settings, alice):
    settings.LOGIN_FAILURE_LIMIT = 3
    _device, password = issue(alice)
    for _ in range(3):
        assert DavClient("alice@acme.test", "guess").propfind(HOME, depth="0").status_code == 401

    response = DavClient("alice@acme.test", password).propfind(HOME, depth="0")

    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    assert response["Retry-After"] == str(settings.LOGIN_FAILURE_WINDOW_SECONDS)


def test_a_right_password_clears_the_accounts_count(settings, alice):
    settings.LOGIN_FAILURE_LIMIT = 3
    _device, password = issue(alice)
    for _ in range(2):
        DavClient("alice@acme.test", "guess").propfind(HOME, depth="0")
    assert DavClient("alice@acme.test", password).propfind(HOME, depth="0").status_code == 207
    for _ in range(2):
        DavClient("alice@acme.test", "guess").propfind(HOME, depth="0")
    assert DavClient("alice@acme.test", password).propfind(HOME, depth="0").status_code == 207


def test_a_revoked_app_password_stops_working_at_once(alice_client, alice):
    device, password = issue(alice)
    dav = DavClient("alice@acme.test", password)
    assert dav.propfind(HOME, depth="0").status_code == 207

    response = alice_client.post(reverse("carddav:device_revoke", args=[device.pk]))

    assert response.status_code == 302
    assert not AppPassword.objects.filter(pk=device.pk).exists()
    assert dav.propfind(HOME, depth="0").status_code == 401


def test_nobody_revokes_another_persons_app_password(bob_client, charlie_client, alice):
    device, _password = issue(alice)
    assert bob_client.post(reverse("carddav:device_revoke", args=[device.pk])).status_code == 404
    assert (
        charlie_client.post(reverse("carddav:device_revoke", args=[device.pk])).status_code == 404
    )
    assert AppPassword.objects.filter(pk=device.pk).exists()


def test_a_removed_members_app_password_no_longer_opens_the_organizations_book(bob, acme):
    _device, password = issue(bob)
    dav = DavClient("bob@acme.test", password)
    assert dav.propfind(BOOK, depth="0").status_code == 207

    Membership.objects.filter(user=bob, organization=acme).delete()

    assert dav.propfind(BOOK, depth="0").status_code == 404
    assert dav.get(BOOK + "kontor-contact-1.vcf").status_code == 404
    assert b"/dav/books/acme/" not in dav.propfind(HOME, depth="1", body=b"").content


def test_a_deactivated_account_cannot_log_in(alice):
    _device, password = issue(alice)
    alice.is_active = False
    alice.save()
    assert DavClient("alice@acme.test", password).propfind(HOME, depth="0").status_code == 401


def test_basic_credentials_in_another_encoding_are_refused(alice):
    token = base64.b64encode("alice@acme.test:ümlaut".encode("latin-1")).decode()
    client = Client(HTTP_AUTHORIZATION=f"Basic {token}")
    assert client.generic("PROPFIND", HOME).status_code == 401
