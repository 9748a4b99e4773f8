"""Password resets go through the queue too: a hanging mail server blocks no page."""

from __future__ import annotations

import time

from django.test import Client

from outbox.models import Delivery

from .conftest import run_worker


def ask_for_reset(email="alice@acme.test"):
    started = time.perf_counter()
    response = Client().post("/password/reset/", {"email": email}, HTTP_ACCEPT_LANGUAGE="en")
    return response, time.perf_counter() - started


def test_three_resets_with_a_hanging_server_answer_at_once_and_the_login_page_too(
    smtp_hanging, alice
):
    for _ in range(3):
        response, seconds = ask_for_reset()
        assert response.status_code == 302
        assert seconds < 1

    started = time.perf_counter()
    login = Client().get("/login/")
    assert login.status_code == 200
    assert time.perf_counter() - started < 1
    assert Delivery.objects.filter(status=Delivery.Status.QUEUED).count() == 3


def test_the_reset_e_mail_is_sent_by_the_worker(smtp_accepting, alice):
    ask_for_reset("Alice@ACME.test")
    assert smtp_accepting.envelopes == []

    run_worker()

    [envelope] = smtp_accepting.envelopes
    assert envelope.rcpt_tos == ["alice@acme.test"]
    assert smtp_accepting.subjects == ["Choose a new Kontor password"]
    assert b"https://kontor.test/password/reset/" in envelope.content
    delivery = Delivery.objects.get()
    assert (delivery.template, delivery.status) == ("password_reset", Delivery.Status.SENT)


def test_an_unknown_address_queues_nothing(smtp_accepting, alice):
    response, _seconds = ask_for_reset("nobody@acme.test")

    assert response.status_code == 302
    assert not Delivery.objects.exists()
