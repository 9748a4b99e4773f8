"""The queue's one task: send a delivery, and put it back in the queue for its next attempt."""

from __future__ import annotations

import logging

from django_tasks import task

from . import sending
from .models import Delivery

logger = logging.getLogger(__name__)


@task()
def deliver(delivery_id: int) -> str:
    delivery = sending.attempt(delivery_id)
    if delivery is None:
        return "skipped"
    if delivery.status == Delivery.Status.RETRYING:
        schedule(delivery)
    return delivery.status


def schedule(delivery: Delivery) -> None:
    """Queue the delivery's next attempt, at `next_attempt_at` if it has one."""
    when = delivery.next_attempt_at
    if when is None:
        deliver.enqueue(delivery.pk)
    elif deliver.get_backend().supports_defer:
        deliver.using(run_after=when).enqueue(delivery.pk)
    else:
        # The immediate backend (tests) cannot wait; the delivery stays "retrying".
        logger.warning("E-mail %s: the task backend cannot schedule a retry", delivery.pk)
