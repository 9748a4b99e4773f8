"""Webhooks: events from every source, signed deliveries, retries, the log and SSRF."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from api.ids import CONTACT, to_uuid
from api.models import Webhook, WebhookDelivery
from api.webhooks import tasks
from api.webhooks.events import events_of
from contacts_app.models import Contact
from contacts_app.services import refresh_derived_fields
from history.models import Source
from history.services import Via, open_changeset, record_creations

from .helpers import company_payload, make_contact

pytestmark = pytest.mark.django_db
EVERY_CONTACT_EVENT = ["contact.created", "contact.changed", "contact.deleted"]


class Receiver:
    """A webhook receiver on 127.0.0.1 that answers `status` and keeps what it got."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.status)
                self.end_headers()
                self.wfile.write(b"thanks " * 200)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self) -> list[dict]:
        return [json.loads(r["body"]) for r in self.received]


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def hook(acme, receiver):
    return Webhook.objects.create(
        organization=acme, url=receiver.url, events=EVERY_CONTACT_EVENT, secret="s3cret"
    )


def test_a_contact_created_through_the_api_is_delivered_signed(
    api, hook, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/contacts", company_payload())

    (event,) = receiver.events()
    assert event["eventType"] == "contact.created"
    assert event["resourceIds"] == [response.json()["id"]]
    headers = receiver.received[0]["headers"]
    assert headers["Kontor-Event"] == "contact.created"
    timestamp, signature = (
        part.split("=", 1)[1] for part in headers["Kontor-Signature"].split(",")
    )
    expected = hmac.new(
        b"s3cret", f"{timestamp}.".encode() + receiver.received[0]["body"], hashlib.sha256
    )
    assert hmac.compare_digest(signature, expected.hexdigest())
    assert abs(int(timestamp) - time.time()) < 60
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)
    assert delivery.duration_ms is not None
    assert len(delivery.response_excerpt) == 500


def test_changes_from_the_pages_are_delivered_too(
    alice_client, acme, hook, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(
            "/contacts/new/",
            {
                "kind": "company",
                "company_name": "Vom Formular GmbH",
                "is_customer": "on",
                "billing_country": "DE",
                "persons-TOTAL_FORMS": "0",
                "persons-INITIAL_FORMS": "0",
                "profiles-TOTAL_FORMS": "0",
                "profiles-INITIAL_FORMS": "0",
            },
        )
    contact = Contact.objects.get(company_name="Vom Formular GmbH")

    assert [e["resourceIds"] for e in receiver.events()] == [[to_uuid(CONTACT, contact.pk)]]


def test_a_change_and_the_trash_are_their_own_events(
    api, acme, hook, receiver, django_capture_on_commit_callbacks
):
    contact = make_contact(acme, "Alt GmbH")
    url = f"/api/v1/contacts/{contact.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        api.put(url, company_payload("Neu GmbH", version=contact.version))
    with django_capture_on_commit_callbacks(execute=True):
        api.delete(url)

    assert [e["eventType"] for e in receiver.events()] == ["contact.changed", "contact.deleted"]


def test_only_the_events_a_hook_asked_for_are_sent(
    api, acme, hook, receiver, django_capture_on_commit_callbacks
):
    hook.events = ["contact.deleted"]
    hook.save()
    with django_capture_on_commit_callbacks(execute=True):
        api.post("/api/v1/contacts", company_payload())

    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


real_fan_out = tasks.fan_out


def queue_instead(monkeypatch) -> list[int]:
    """The change sets whose fan-out is queued, instead of running it."""
    queued: list[int] = []

    class Queued:
        @staticmethod
        def enqueue(changeset_id: int) -> None:
            queued.append(changeset_id)

    monkeypatch.setattr(tasks, "fan_out", Queued)
    return queued


def test_an_import_costs_one_task_and_sends_the_ids_in_bounded_batches(
    acme, alice, hook, receiver, django_capture_on_commit_callbacks, monkeypatch
):
    queued = queue_instead(monkeypatch)
    contacts = []
    for index in range(1500):
        contact = Contact(organization=acme, company_name=f"Import {index}")
        refresh_derived_fields(contact, [])
        contacts.append(contact)
    with django_capture_on_commit_callbacks(execute=True):
        created = Contact.objects.bulk_create(contacts)
        changeset = open_changeset(organization=acme, by=alice, via=Via(Source.IMPORT, "k.csv"))
        record_creations(
            changeset,
            kind="contact",
            table=Contact._meta.db_table,
            id_ranges=[(created[0].pk, created[-1].pk)],
        )

    assert queued == [changeset.pk]
    assert receiver.received == []
    real_fan_out.call(changeset.pk)
    batches = [len(e["resourceIds"]) for e in receiver.events()]
    assert batches == [1000, 500]


def test_no_hook_no_task(api, acme, django_capture_on_commit_callbacks, monkeypatch):
    queued = queue_instead(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        api.post("/api/v1/contacts", company_payload())

    assert queued == []


def test_a_failed_delivery_waits_for_its_next_attempt_and_can_be_sent_again(
    api, acme, hook, receiver, alice_client, django_capture_on_commit_callbacks
):
    receiver.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        api.post("/api/v1/contacts", company_payload())
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("retrying", 1, 503)
    assert delivery.next_attempt_at is not None
    assert "503" in delivery.error

    receiver.status = 204
    page = alice_client.post(
        f"/settings/webhooks/{hook.pk}/deliveries/{delivery.pk}/send-again/", follow=True
    )

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 2, 204)
    assert "The delivery was queued again." in page.content.decode()
    assert len(receiver.received) == 2


def test_after_the_last_retry_the_delivery_has_failed(settings, hook):
    settings.WEBHOOK_RETRY_MINUTES = [1]
    hook.url = "http://127.0.0.1:9/nothing-listens-here"
    hook.save()
    delivery = WebhookDelivery.objects.create(webhook=hook, event="contact.created", payload="{}")

    tasks.deliver.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "retrying"
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="retrying")
    tasks.deliver.call(delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    assert "ConnectionRefusedError" in delivery.error


def test_loopback_and_private_addresses_are_refused_after_resolving(settings, acme):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    receiver = Receiver()
    try:
        port = receiver.server.server_port
        for url in (
            f"http://localhost:{port}/",
            f"http://127.0.0.1:{port}/",
            "http://10.0.0.1/",
            "http://[::1]/",
            "http://169.254.169.254/latest",
        ):
            hook = Webhook.objects.create(
                organization=acme, url=url, events=["contact.created"], secret="x"
            )
            delivery = WebhookDelivery.objects.create(
                webhook=hook, event="contact.created", payload="{}"
            )

            tasks.deliver.call(delivery.pk)

            delivery.refresh_from_db()
            assert delivery.status == "failed", url
            assert "inside the network" in delivery.error, url
        assert receiver.received == []
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()


def test_events_of_notes_count_as_changes_of_their_contact():
    assert events_of([("note", 7, 3, "created"), ("contact", 3, 3, "changed")]) == {
        "contact.changed": [to_uuid(CONTACT, 3)]
    }


# --- Settings → Webhooks -----------------------------------------------------------------------


def test_an_admin_registers_a_webhook(alice_client, acme):
    response = alice_client.post(
        "/settings/webhooks/new/",
        {
            "url": "https://shop.example/kontor",
            "events": ["contact.created", "article.changed"],
            "active": "on",
        },
        follow=True,
    )

    hook = Webhook.objects.get(organization=acme)
    assert hook.events == ["contact.created", "article.changed"]
    assert len(hook.secret) == 64
    page = response.content.decode()
    assert "Webhook for https://shop.example/kontor added." in page and hook.secret in page


def test_a_webhook_to_this_machine_or_the_local_network_is_refused(alice_client, acme):
    for url in ("http://localhost:8000/", "http://127.0.0.1/", "http://192.168.1.10/hook"):
        response = alice_client.post(
            "/settings/webhooks/new/", {"url": url, "events": ["contact.created"]}
        )

        assert "not to this machine or the local network" in response.content.decode(), url
    assert not Webhook.objects.exists()


def test_the_log_shows_status_duration_and_attempts(alice_client, hook):
    WebhookDelivery.objects.create(
        webhook=hook,
        event="contact.changed",
        payload="{}",
        status="delivered",
        attempts=2,
        response_status=200,
        duration_ms=37,
    )

    page = alice_client.get(f"/settings/webhooks/{hook.pk}/").content.decode()

    assert "delivered" in page and "37 ms" in page and "Send again" in page


def test_the_webhook_pages_are_for_admins_and_their_organization(bob_client, charlie_client, hook):
    assert bob_client.get("/settings/webhooks/").status_code == 403
    assert bob_client.get(f"/settings/webhooks/{hook.pk}/").status_code == 403
    assert charlie_client.get(f"/settings/webhooks/{hook.pk}/").status_code == 404
    assert charlie_client.post(f"/settings/webhooks/{hook.pk}/delete/").status_code == 404
    assert Webhook.objects.filter(pk=hook.pk).exists()


def test_the_history_tells_its_listeners_after_the_commit_and_never_for_a_rollback(
    acme, alice, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from history import services as history

    told: list[tuple[int, int]] = []

    def listener(changeset_id: int, organization_id: int) -> None:
        told.append((changeset_id, organization_id))

    history.on_changes(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            kept = history.open_changeset(organization=acme, by=alice, via=history.FORM)
            assert told == []  # not before the commit
        with django_capture_on_commit_callbacks(execute=True):
            try:
                with transaction.atomic():
                    history.open_changeset(organization=acme, by=alice, via=history.FORM)
                    raise RuntimeError("rolled back")
            except RuntimeError:
                pass
    finally:
        history._listeners.remove(listener)

    assert told == [(kept.pk, acme.pk)]


def test_an_article_created_through_the_api_fires_its_event(
    api, acme, receiver, django_capture_on_commit_callbacks
):
    Webhook.objects.create(
        organization=acme, url=receiver.url, events=["article.created"], secret="s"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/articles",
            {
                "title": "Tee",
                "type": "PRODUCT",
                "unitName": "Stück",
                "price": {"netPrice": 3, "leadingPrice": "NET", "taxRate": 7},
            },
        )

    assert [e["eventType"] for e in receiver.events()] == ["article.created"]
    assert receiver.events()[0]["resourceIds"] == [response.json()["id"]]
