"""An invitation's e-mail leaves the request: the page answers at once whatever the mail
server does, and the users page tells what became of the e-mail — never "sent" unless it was.
"""

from __future__ import annotations

import time

import pytest
from django.core import mail

from accounts.models import Invitation
from outbox.models import Delivery

from .conftest import SMTP_TIMEOUT, delivery_cell, run_worker, run_worker_until_final


def invite(client, email="dora@newco.test", language="en"):
    started = time.perf_counter()
    response = client.post(
        "/settings/users/invite/",
        {"email": email, "name": "Dora Newcomer", "role": "member"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    return response, time.perf_counter() - started


def users_page(client, language="en") -> str:
    return client.get("/settings/users/", HTTP_ACCEPT_LANGUAGE=language).text


@pytest.mark.parametrize("server", ["smtp_accepting", "smtp_refusing", "smtp_hanging"])
def test_the_invite_page_answers_in_under_a_second_whatever_the_mail_server_does(
    request, server, alice_client
):
    request.getfixturevalue(server)

    response, seconds = invite(alice_client)

    assert response.status_code == 302
    assert seconds < 1
    assert Delivery.objects.get().status == Delivery.Status.QUEUED
    assert delivery_cell(users_page(alice_client)) == "queued, not sent yet"


def test_with_the_server_accepting_the_invitation_is_sent_and_shown_as_sent(
    smtp_accepting, alice_client
):
    invite(alice_client)

    run_worker()

    [envelope] = smtp_accepting.envelopes
    assert envelope.rcpt_tos == ["dora@newco.test"]
    assert smtp_accepting.subjects == ["Invitation to Acme GmbH on Kontor"]
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 1)
    assert delivery.invitation == Invitation.objects.get()
    assert delivery_cell(users_page(alice_client)).startswith("sent ")


def test_the_message_text_is_deleted_once_it_is_sent(smtp_accepting, alice_client):
    invite(alice_client)
    assert "/invitations/" in Delivery.objects.get().body_text

    run_worker()

    delivery = Delivery.objects.get()
    assert (delivery.body_text, delivery.body_html) == ("", "")
    assert delivery.subject == "Invitation to Acme GmbH on Kontor"


def test_with_the_port_closed_it_retries_then_fails_and_never_shows_sent(
    smtp_refusing, alice_client
):
    invite(alice_client)

    run_worker()

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.RETRYING, 1)
    assert delivery.reason == Delivery.Reason.UNREACHABLE
    assert "ConnectionRefusedError" in delivery.last_error
    cell = delivery_cell(users_page(alice_client))
    assert cell.startswith("retrying (attempt 1 failed, next at ")
    assert cell.endswith("the mail server could not be reached")

    states = run_worker_until_final(delivery)

    assert states == ["retrying", "failed"]
    delivery.refresh_from_db()
    assert delivery.attempts == 3
    assert delivery.sent_at is None
    page = users_page(alice_client)
    assert delivery_cell(page) == "failed: the mail server could not be reached"
    assert "sent " not in delivery_cell(page)
    assert Invitation.objects.get().is_pending


def test_a_hanging_server_is_given_up_on_after_the_smtp_timeout(smtp_hanging, alice_client):
    invite(alice_client)

    started = time.perf_counter()
    run_worker()
    seconds = time.perf_counter() - started

    assert SMTP_TIMEOUT <= seconds < SMTP_TIMEOUT + 3
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.reason) == (
        Delivery.Status.RETRYING,
        Delivery.Reason.TIMEOUT,
    )
    assert run_worker_until_final(delivery) == ["retrying", "failed"]
    assert (
        delivery_cell(users_page(alice_client)) == "failed: the mail server did not answer in time"
    )


def test_a_refused_address_fails_at_once_without_retrying(smtp_accepting, alice_client):
    smtp_accepting.refuse = "550 5.1.1 No such user here"
    invite(alice_client)

    run_worker()

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 1)
    assert delivery_cell(users_page(alice_client)) == "failed: the mail server refused the address"
    assert smtp_accepting.envelopes == []


def test_a_failed_invitation_is_resent_from_the_users_page(smtp_accepting, alice_client):
    smtp_accepting.refuse = "550 5.1.1 No such user here"
    invite(alice_client)
    run_worker()
    page = users_page(alice_client)
    invitation = Invitation.objects.get()
    assert f'action="/settings/invitations/{invitation.pk}/resend/"' in page
    smtp_accepting.refuse = ""

    alice_client.post(f"/settings/invitations/{invitation.pk}/resend/")
    run_worker()

    assert len(smtp_accepting.envelopes) == 1
    assert delivery_cell(users_page(alice_client)).startswith("sent ")
    assert invitation.deliveries.count() == 2


def test_a_resend_replaces_the_e_mail_still_waiting_with_the_old_link(smtp_refusing, alice_client):
    invite(alice_client)
    run_worker()
    first = Delivery.objects.get()
    invitation = Invitation.objects.get()

    alice_client.post(f"/settings/invitations/{invitation.pk}/resend/")

    first.refresh_from_db()
    assert (first.status, first.reason) == (
        Delivery.Status.CANCELLED,
        Delivery.Reason.SUPERSEDED,
    )
    assert first.body_text == ""
    assert delivery_cell(users_page(alice_client)) == "queued, not sent yet"


def test_an_invitation_revoked_before_its_e_mail_left_is_not_sent(smtp_accepting, alice_client):
    invite(alice_client)
    invitation = Invitation.objects.get()
    alice_client.post(f"/settings/invitations/{invitation.pk}/revoke/")

    run_worker()

    assert smtp_accepting.envelopes == []
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.reason) == (
        Delivery.Status.CANCELLED,
        Delivery.Reason.OBSOLETE,
    )


def test_the_delivery_state_is_shown_in_german(smtp_refusing, alice_client):
    invite(alice_client, language="de")
    delivery = Delivery.objects.get()
    run_worker_until_final(delivery)

    cell = delivery_cell(users_page(alice_client, language="de"))

    assert cell == "fehlgeschlagen: der Mailserver war nicht erreichbar"


def test_nothing_is_sent_inside_the_request(queue, settings, alice_client):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    invite(alice_client)

    assert mail.outbox == []
    run_worker()
    assert [m.to for m in mail.outbox] == [["dora@newco.test"]]
