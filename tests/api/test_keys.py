"""API keys: who gets in, how often, and Settings → API keys."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from api.keys import issue_key
from api.models import ApiKey
from api.views.keys import SHOWN_ONCE
from contacts_app.models import Contact

from .conftest import ApiClient
from .helpers import company_payload, make_contact

pytestmark = pytest.mark.django_db
URL = "/api/v1/contacts"


def test_no_key_is_a_401_in_the_error_shape(anonymous_api):
    response = anonymous_api.get(URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="Kontor API"'
    assert response.json()["message"].startswith("An API key is needed")


def test_a_wrong_or_revoked_key_is_a_401(acme, alice, shop_key):
    key, token = shop_key
    assert ApiClient(token[:-2] + "xx").get(URL).status_code == 401
    key.revoked_at = timezone.now()
    key.save()

    response = ApiClient(token).get(URL)

    assert response.status_code == 401
    assert response.json()["message"] == "This API key is not valid or was revoked."


def test_a_browser_session_does_not_authenticate_the_api(alice_client, acme):
    response = alice_client.post(URL, company_payload(), content_type="application/json")

    assert response.status_code == 401
    assert not Contact.objects.exists()


def test_a_viewer_key_reads_but_does_not_write(viewer_api, acme):
    contact = make_contact(acme, "Lesbar GmbH")

    assert viewer_api.get(URL).status_code == 200
    created = viewer_api.post(URL, company_payload())
    changed = viewer_api.put(f"{URL}/{contact.pk}", company_payload(version=contact.version))
    deleted = viewer_api.delete(f"{URL}/{contact.pk}")

    assert (created.status_code, changed.status_code, deleted.status_code) == (403, 403, 403)
    assert created.json()["message"] == "This API key may only read."
    assert list(Contact.objects.values_list("company_name", flat=True)) == ["Lesbar GmbH"]


def test_another_organizations_id_is_a_404(globex_api, acme):
    contact = make_contact(acme, "Geheim GmbH")

    for response in (
        globex_api.get(f"{URL}/{contact.pk}"),
        globex_api.put(f"{URL}/{contact.pk}", company_payload(version=contact.version)),
        globex_api.delete(f"{URL}/{contact.pk}"),
    ):
        assert response.status_code == 404
        assert response.json()["status"] == 404
    assert Contact.objects.get().company_name == "Geheim GmbH"
    assert globex_api.get(URL).json()["totalElements"] == 0


def test_an_id_that_names_nothing_is_a_404(api):
    assert api.get(f"{URL}/not-an-id").status_code == 404
    assert api.get(f"{URL}/6b6f6e74-6f72-8002-8000-000000000001").status_code == 404


def test_past_the_rate_limit_the_answer_is_429_with_retry_after(settings, api, monkeypatch):
    settings.API_RATE_LIMIT_PER_SECOND = 3
    monkeypatch.setattr("api.throttling.time.time", lambda: 1_800_000_000.25)  # one second

    statuses = [api.get(URL).status_code for _ in range(5)]

    assert statuses == [200, 200, 200, 429, 429]
    response = api.get(URL)
    assert response.status_code == 429
    assert response["Retry-After"] == "1"
    assert response.json()["message"] == "Too many requests: this API key may send 3 a second."


def test_the_next_second_lets_the_key_in_again(settings, api, monkeypatch):
    settings.API_RATE_LIMIT_PER_SECOND = 1
    now = [1_800_000_000.5]
    monkeypatch.setattr("api.throttling.time.time", lambda: now[0])
    assert [api.get(URL).status_code for _ in range(2)] == [200, 429]

    now[0] += 1

    assert api.get(URL).status_code == 200


def test_the_rate_limit_is_per_key(settings, acme, alice, api, monkeypatch):
    settings.API_RATE_LIMIT_PER_SECOND = 2
    monkeypatch.setattr("api.throttling.time.time", lambda: 1_800_000_000.0)
    _key, token = issue_key(organization=acme, name="Second", role=Role.MEMBER, by=alice)
    other = ApiClient(token)
    assert [api.get(URL).status_code for _ in range(3)] == [200, 200, 429]

    assert other.get(URL).status_code == 200


def test_the_key_is_stored_only_as_its_hash(acme, alice):
    key, token = issue_key(organization=acme, name="Shop", role=Role.MEMBER, by=alice)

    assert token.startswith(f"kontor_{key.prefix}_") and len(token) > 50
    assert key.secret_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ApiKey.objects.values().get())


def test_last_used_is_written_at_most_once_a_minute(api, shop_key, django_assert_num_queries):
    key, _token = shop_key
    api.get(URL)
    key.refresh_from_db()
    first = key.last_used_at
    assert first is not None

    api.get(URL)
    key.refresh_from_db()
    assert key.last_used_at == first

    ApiKey.objects.filter(pk=key.pk).update(last_used_at=first - timedelta(minutes=2))
    api.get(URL)
    key.refresh_from_db()
    assert key.last_used_at > first


# --- Settings → API keys ------------------------------------------------------------------------


def test_an_admin_creates_a_key_and_sees_it_once(alice_client, acme):
    response = alice_client.post(
        "/settings/api-keys/new/", {"name": "Buchungstool", "role": "viewer"}, follow=True
    )

    key = ApiKey.objects.get(organization=acme)
    assert (key.name, key.role) == ("Buchungstool", "viewer")
    page = response.content.decode()
    assert "API key “Buchungstool” created." in page
    token = response.context["new_key"]["token"]
    assert token in page and hashlib.sha256(token.encode()).hexdigest() == key.secret_hash
    again = alice_client.get("/settings/api-keys/").content.decode()
    assert token not in again and "Buchungstool" in again
    assert SHOWN_ONCE not in alice_client.session


def test_the_new_key_works_with_its_ceiling(alice_client, acme):
    response = alice_client.post(
        "/settings/api-keys/new/", {"name": "Leser", "role": "viewer"}, follow=True
    )
    reader = ApiClient(response.context["new_key"]["token"])

    assert reader.get(URL).status_code == 200
    assert reader.post(URL, company_payload()).status_code == 403


def test_revoking_a_key_stops_it_at_once(alice_client, shop_key, api):
    key, _token = shop_key

    response = alice_client.post(f"/settings/api-keys/{key.pk}/revoke/", follow=True)

    assert "no longer works" in response.content.decode()
    assert api.get(URL).status_code == 401


def test_the_key_pages_are_for_admins_only(bob_client, vera_client, shop_key):
    key, _token = shop_key
    for client in (bob_client, vera_client):
        assert client.get("/settings/api-keys/").status_code == 403
        assert (
            client.post("/settings/api-keys/new/", {"name": "X", "role": "member"}).status_code
            == 403
        )
        assert client.post(f"/settings/api-keys/{key.pk}/revoke/").status_code == 403
    key.refresh_from_db()
    assert key.is_active and ApiKey.objects.count() == 1


def test_another_organizations_admin_cannot_revoke(charlie_client, shop_key):
    key, _token = shop_key

    assert charlie_client.post(f"/settings/api-keys/{key.pk}/revoke/").status_code == 404
    key.refresh_from_db()
    assert key.is_active


def test_the_key_pages_speak_german(alice_client, shop_key):
    page = alice_client.get("/settings/api-keys/", HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "API-Schlüssel" in page and "Zurückziehen" in page
