"""One attempt at a webhook delivery: signed, sent, logged, and tried again when it failed.

The signature: `Kontor-Signature: t=<unix time>,v1=<hex>`, where `<hex>` is the HMAC-SHA256,
with the webhook's secret as key, of `<unix time>.<body>`; the receiver recomputes it and
refuses a time more than a few minutes old (a replayed delivery). A delivery that fails (no
connection, a timeout, an answer other than 2xx) is tried again after each of
`WEBHOOK_RETRY_MINUTES`; then it has failed. "Send again" on the webhook's page queues it anew.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from ..models import WebhookDelivery
from .outgoing import Refused, post

logger = logging.getLogger(__name__)
Status = WebhookDelivery.Status
# An attempt takes at most a few timeouts; one "sending" for longer lost its worker.
SENDING_STUCK_AFTER = timedelta(minutes=5)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def retry_delay(attempts: int) -> timedelta | None:
    minutes = settings.WEBHOOK_RETRY_MINUTES
    if attempts > len(minutes):
        return None
    return timedelta(minutes=minutes[attempts - 1])


def _claim(delivery_id: int) -> WebhookDelivery | None:
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status__in=[Status.QUEUED, Status.RETRYING]
    ).update(status=Status.SENDING, attempts=F("attempts") + 1, last_attempt_at=timezone.now())
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)


def _record(delivery: WebhookDelivery, **fields: object) -> WebhookDelivery:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)
    for name, value in fields.items():
        setattr(delivery, name, value)
    return delivery


def _failed(delivery: WebhookDelivery, error: str, **fields: object) -> WebhookDelivery:
    delay = None if fields.pop("final", False) else retry_delay(delivery.attempts)
    logger.warning("Webhook delivery %s, attempt %s: %s", delivery.pk, delivery.attempts, error)
    if delay is None:
        return _record(
            delivery, status=Status.FAILED, error=error[:500], next_attempt_at=None, **fields
        )
    return _record(
        delivery,
        status=Status.RETRYING,
        error=error[:500],
        next_attempt_at=timezone.now() + delay,
        **fields,
    )


def attempt(delivery_id: int) -> WebhookDelivery | None:
    """Send the delivery once; None if there was nothing to send."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    hook = delivery.webhook
    if not hook.active:
        return _failed(delivery, "the webhook is switched off", final=True)
    body = delivery.payload.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Kontor-Webhooks/1",
        "Kontor-Event": delivery.event,
        "Kontor-Delivery": str(delivery.pk),
        "Kontor-Signature": signature(hook.secret, int(time.time()), body),
    }
    try:
        answer = post(hook.url, body, headers)
    except Refused as refused:
        return _failed(delivery, str(refused), final=True)
    except (OSError, http.client.HTTPException) as error:
        return _failed(delivery, f"{type(error).__name__}: {error}", response_status=None)
    fields = {
        "response_status": answer.status,
        "duration_ms": answer.duration_ms,
        "response_excerpt": answer.excerpt,
    }
    if 200 <= answer.status < 300:
        return _record(
            delivery,
            status=Status.DELIVERED,
            delivered_at=timezone.now(),
            next_attempt_at=None,
            error="",
            **fields,
        )
    return _failed(delivery, f"the receiver answered {answer.status}", **fields)


def send_again(delivery: WebhookDelivery) -> bool:
    """Queue a delivery for an attempt now (unless it is being sent right now)."""
    from .tasks import schedule

    now = timezone.now()
    busy = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=Status.SENDING, last_attempt_at__gte=now - SENDING_STUCK_AFTER
    )
    if busy.exists():
        return False
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=Status.QUEUED, next_attempt_at=None
    )
    delivery.refresh_from_db()
    schedule(delivery)
    return True
