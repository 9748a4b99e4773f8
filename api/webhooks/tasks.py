"""The queue's webhook tasks (the same queue and worker as e-mail: django-tasks, database)."""

from __future__ import annotations

from django_tasks import task

from outbox.tasks import schedule_attempt

from ..models import WebhookDelivery
from . import sending
from .events import deliveries_for


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
    schedule_attempt(deliver, delivery.pk, delivery.next_attempt_at, what="Webhook delivery")
