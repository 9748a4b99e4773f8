"""The queue's webhook tasks (the same queue and worker as e-mail: django-tasks, database)."""

from __future__ import annotations

import logging

from django_tasks import task

from ..models import WebhookDelivery
from . import sending
from .events import deliveries_for

logger = logging.getLogger(__name__)


@task()
def fan_out(changeset_id: int) -> int:
    """Turn a change set into deliveries, one task each; returns how many."""
    deliveries = deliveries_for(changeset_id)
    for delivery in deliveries:
        schedule(delivery)
    return len(deliveries)


@task()
def deliver(delivery_id: int) -> str:
    delivery = sending.attempt(delivery_id)
    if delivery is None:
        return "skipped"
    if delivery.status == WebhookDelivery.Status.RETRYING:
        schedule(delivery)
    return delivery.status


def schedule(delivery: WebhookDelivery) -> None:
    """Queue the delivery's next attempt, at `next_attempt_at` if it has one."""
    when = delivery.next_attempt_at
    if when is None:
        deliver.enqueue(delivery.pk)
    elif deliver.get_backend().supports_defer:
        deliver.using(run_after=when).enqueue(delivery.pk)
    else:
        # The immediate backend (tests) cannot wait; the delivery stays "retrying".
        logger.warning("Webhook delivery %s: the task backend cannot schedule a retry", delivery.pk)
