"""The admin lists deliveries without their text and can hurry a waiting one."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from accounts.models import User
from outbox.models import Delivery

from .conftest import run_worker


def admin_client() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root@kontor.test", "x"))
    return client


def invite(client):
    client.post("/settings/users/invite/", {"email": "dora@newco.test", "role": "member"})


def test_the_list_shows_deliveries_but_not_their_links(smtp_refusing, alice_client):
    invite(alice_client)
    delivery = Delivery.objects.get()
    client = admin_client()

    listing = client.get("/admin/outbox/delivery/", HTTP_ACCEPT_LANGUAGE="en")
    detail = client.get(f"/admin/outbox/delivery/{delivery.pk}/change/")

    assert listing.status_code == detail.status_code == 200
    assert "dora@newco.test" in listing.text
    assert "/invitations/" in delivery.body_text
    assert "/invitations/" not in detail.text


def test_try_again_now_queues_a_retry_and_a_stuck_delivery(smtp_accepting, alice_client):
    invite(alice_client)
    stuck = Delivery.objects.get()
    Delivery.objects.filter(pk=stuck.pk).update(
        status=Delivery.Status.SENDING, last_attempt_at=timezone.now() - timedelta(hours=1)
    )
    client = admin_client()

    response = client.post(
        "/admin/outbox/delivery/",
        {"action": "try_again_now", "_selected_action": [stuck.pk]},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    run_worker()

    assert "1 e-mail queued for an attempt now." in response.text
    stuck.refresh_from_db()
    assert stuck.status == Delivery.Status.SENT
    assert len(smtp_accepting.envelopes) == 1


def test_try_again_now_leaves_a_sent_delivery_alone(smtp_accepting, alice_client):
    invite(alice_client)
    run_worker()
    delivery = Delivery.objects.get()

    response = admin_client().post(
        "/admin/outbox/delivery/",
        {"action": "try_again_now", "_selected_action": [delivery.pk]},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    run_worker()

    assert "0 e-mails queued for an attempt now." in response.text
    assert len(smtp_accepting.envelopes) == 1
