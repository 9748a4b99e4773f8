"""The queue's one task: send a delivery, and put it back in the queue for its next attempt."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

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
    schedule_attempt(deliver, delivery.pk, delivery.next_attempt_at, what="E-mail")


def schedule_attempt(send: Any, pk: int, when: datetime | None, *, what: str) -> None:
    """Queue `send` (a task taking the delivery's id) for delivery `pk`, at `when` if given;
    e-mail and webhooks retry alike."""
    if when is None:
        send.enqueue(pk)
    elif send.get_backend().supports_defer:
        send.using(run_after=when).enqueue(pk)
    else:
        # The immediate backend (tests) cannot wait; the delivery stays "retrying".
        logger.warning("%s %s: the task backend cannot schedule a retry", what, pk)
