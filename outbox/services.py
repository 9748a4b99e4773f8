"""Putting e-mails into the queue; `accounts.emails.send_templated_email` renders them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from .models import Delivery
from .sending import SENDING_STUCK_AFTER
from .tasks import schedule

if TYPE_CHECKING:
    from accounts.models import Invitation


def queue_email(
    *,
    template: str,
    language: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str,
    invitation: Invitation | None = None,
) -> Delivery:
    """Record the rendered message and queue its sending; nothing is sent here."""
    if invitation is not None:
        # A new invitation e-mail carries a new link: the old one's would no longer work.
        invitation.deliveries.filter(
            status__in=[Delivery.Status.QUEUED, Delivery.Status.RETRYING]
        ).update(
            status=Delivery.Status.CANCELLED,
            reason=Delivery.Reason.SUPERSEDED,
            next_attempt_at=None,
            body_text="",
            body_html="",
        )
    delivery = Delivery.objects.create(
        template=template,
        language=language,
        to=to,
        subject=subject[:255],
        body_text=body_text,
        body_html=body_html,
        invitation=invitation,
    )
    schedule(delivery)
    # With the immediate backend the attempt has happened already.
    delivery.refresh_from_db()
    return delivery


def send_again(delivery: Delivery) -> bool:
    """Queue a retrying delivery, or one whose worker died while sending, for an attempt now.

    False if the delivery is in no such state (sent, failed, or being sent right now).
    """
    now = timezone.now()
    retrying = Q(status=Delivery.Status.RETRYING)
    stuck = Q(status=Delivery.Status.SENDING, last_attempt_at__lt=now - SENDING_STUCK_AFTER)
    updated = Delivery.objects.filter(retrying | stuck, pk=delivery.pk).update(
        status=Delivery.Status.RETRYING, next_attempt_at=now
    )
    if not updated:
        return False
    delivery.refresh_from_db()
    schedule(delivery)
    return True
