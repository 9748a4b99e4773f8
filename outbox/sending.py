"""One attempt at sending a queued e-mail, and what a failure means for the next one.

A failure that can pass (server down, no answer, a 4xx reply) is tried again after the next
of `OUTBOX_RETRY_MINUTES`; when those are used up, or the server refuses for good (a 5xx
reply), the delivery has failed. Every attempt is bounded by `EMAIL_TIMEOUT`.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from .models import Delivery

logger = logging.getLogger(__name__)

Status = Delivery.Status
Reason = Delivery.Reason

# An attempt takes at most a few EMAIL_TIMEOUTs; one "sending" for longer lost its worker.
SENDING_STUCK_AFTER = timedelta(minutes=10)


def retry_delay(attempts: int) -> timedelta | None:
    """How long to wait after the `attempts`-th failed attempt; None when none is left."""
    minutes = settings.OUTBOX_RETRY_MINUTES
    if attempts > len(minutes):
        return None
    return timedelta(minutes=minutes[attempts - 1])


def _is_permanent(code: int) -> bool:
    return 500 <= code < 600


def classify(error: BaseException) -> tuple[str, bool]:
    """The reason to show for `error`, and whether trying again cannot help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return Reason.RECIPIENT_REFUSED, bool(codes) and all(map(_is_permanent, codes))
    if isinstance(error, smtplib.SMTPAuthenticationError):
        # Usually a wrong password in the settings: worth trying again once it is fixed.
        return Reason.LOGIN, False
    if isinstance(error, smtplib.SMTPConnectError):
        return Reason.UNREACHABLE, False
    if isinstance(error, smtplib.SMTPResponseException):
        return Reason.MESSAGE_REFUSED, _is_permanent(error.smtp_code)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        # smtplib reports a read that timed out as a lost connection; the cause tells.
        cause = error.__cause__ or error.__context__
        return (Reason.TIMEOUT if isinstance(cause, TimeoutError) else Reason.DISCONNECTED), False
    if isinstance(error, TimeoutError):
        return Reason.TIMEOUT, False
    if isinstance(error, OSError):
        return Reason.UNREACHABLE, False
    return Reason.ERROR, False


def _claim(delivery_id: int) -> Delivery | None:
    """Mark the delivery as being sent; None if it is not waiting (sent, cancelled, taken)."""
    now = timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, status__in=[Status.QUEUED, Status.RETRYING]
    ).update(status=Status.SENDING, attempts=F("attempts") + 1, last_attempt_at=now)
    if not claimed:
        return None
    return Delivery.objects.select_related("invitation").get(pk=delivery_id)


def _record(delivery: Delivery, **fields) -> Delivery:
    Delivery.objects.filter(pk=delivery.pk).update(**fields)
    for name, value in fields.items():
        setattr(delivery, name, value)
    return delivery


def _finish(delivery: Delivery, status: str, **fields) -> Delivery:
    """Record a final state and forget the message's text."""
    return _record(
        delivery, status=status, next_attempt_at=None, body_text="", body_html="", **fields
    )


def _record_failure(delivery: Delivery, error: BaseException) -> Delivery:
    reason, permanent = classify(error)
    detail = f"{type(error).__name__}: {error}"[:1000]
    delay = None if permanent else retry_delay(delivery.attempts)
    logger.warning(
        "E-mail %s to %s, attempt %s failed: %s",
        delivery.pk,
        delivery.to,
        delivery.attempts,
        detail,
    )
    if delay is None:
        return _finish(delivery, Status.FAILED, reason=reason, last_error=detail)
    return _record(
        delivery,
        status=Status.RETRYING,
        reason=reason,
        last_error=detail,
        next_attempt_at=timezone.now() + delay,
    )


def attempt(delivery_id: int) -> Delivery | None:
    """Try to send the delivery once; None if there was nothing to send."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    if delivery.invitation is not None and not delivery.invitation.is_pending:
        # Accepted, revoked or expired since it was queued: its link would only disappoint.
        return _finish(delivery, Status.CANCELLED, reason=Reason.OBSOLETE)
    try:
        delivery.as_message().send()
    except Exception as error:
        return _record_failure(delivery, error)
    logger.info("E-mail %s to %s sent", delivery.pk, delivery.to)
    return _finish(delivery, Status.SENT, sent_at=timezone.now(), reason="", last_error="")
