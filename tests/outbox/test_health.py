"""outbox.health.queue_status(): a monitor learns when e-mails wait and nobody sends them."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.utils import timezone

from outbox.health import queue_status

from .conftest import run_worker


def later(**delta):
    return mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(**delta))


def invite(client):
    client.post("/settings/users/invite/", {"email": "dora@newco.test", "role": "member"})


def test_an_empty_queue_is_healthy(queue):
    assert queue_status() == (True, "0 e-mails waiting, none due")


def test_an_e_mail_just_queued_is_still_healthy(smtp_accepting, alice_client):
    invite(alice_client)

    ok, detail = queue_status()

    assert ok
    assert detail.startswith("1 e-mail waiting, the oldest due for ")


def test_an_e_mail_waiting_for_six_minutes_means_the_worker_is_not_running(
    smtp_accepting, alice_client
):
    invite(alice_client)

    with later(minutes=6):
        ok, detail = queue_status()

    assert not ok
    assert detail == (
        "1 e-mail waiting, the oldest due for 360 s: is the worker (manage.py db_worker) running?"
    )


def test_a_retry_that_is_not_due_yet_is_healthy_and_failures_are_counted(
    smtp_refusing, alice_client, settings
):
    settings.OUTBOX_RETRY_MINUTES = [30]
    invite(alice_client)
    run_worker()

    with later(minutes=10):
        assert queue_status() == (True, "1 e-mail waiting, none due")
    with later(minutes=31):
        run_worker(at=timezone.now())
        assert queue_status() == (
            True,
            "0 e-mails waiting, none due; 1 failed in the last 24 hours",
        )


def test_a_reset_waiting_for_the_worker_too_long_shows_on_healthz(queue, alice, client):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from accounts.tasks import send_password_reset

    send_password_reset.enqueue("alice@acme.test", "en")
    assert client.get("/healthz").json()["checks"]["mail_queue"]["ok"] is True
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))

    checks = client.get("/healthz").json()["checks"]

    assert checks["mail_queue"]["ok"] is False
