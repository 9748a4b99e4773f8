"""Password resets go through the queue too: a hanging mail server blocks no page."""

from __future__ import annotations

import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

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
    # The requests only queued the addresses; the worker makes and sends the e-mails.
    assert DBTaskResult.objects.filter(status="READY").count() == 3
    assert not Delivery.objects.exists()


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


def test_an_unknown_address_gets_no_e_mail(smtp_accepting, alice):
    response, _seconds = ask_for_reset("nobody@acme.test")
    run_worker()

    assert response.status_code == 302
    assert not Delivery.objects.exists()
    assert smtp_accepting.envelopes == []


def test_the_request_does_the_same_for_known_and_unknown_addresses(smtp_accepting, alice):
    def queries(email: str) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            ask_for_reset(email)
        # The same statements in the same order; only the values differ.
        return [q["sql"].replace(email, "?") for q in captured.captured_queries]

    known = queries("alice@acme.test")
    unknown = queries("nobody@acme.test")

    assert len(known) == len(unknown)

    def shape(sql: str) -> str:
        return sql.split(" VALUES ")[0].split(" WHERE ")[0]

    assert [shape(q) for q in known] == [shape(q) for q in unknown]
