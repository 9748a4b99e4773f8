"""Whether the e-mail queue is being worked off, for a health check page or a monitor."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Min
from django.utils import timezone

from .models import Delivery

# The worker looks for work every second; an e-mail due this long means it is not running.
ALLOWED_LAG = timedelta(minutes=5)


def _oldest_due(now: datetime) -> datetime | None:
    """The earliest moment at which a waiting delivery should have been tried, or None."""
    Status = Delivery.Status
    waiting = Delivery.objects.waiting()
    candidates = [
        waiting.filter(status=Status.QUEUED).aggregate(t=Min("created_at"))["t"],
        waiting.filter(status=Status.RETRYING, next_attempt_at__lte=now).aggregate(
            t=Min("next_attempt_at")
        )["t"],
        waiting.filter(status=Status.SENDING).aggregate(t=Min("last_attempt_at"))["t"],
    ]
    return min((t for t in candidates if t is not None), default=None)


def _emails(count: int) -> str:
    return f"{count} e-mail" if count == 1 else f"{count} e-mails"


def queue_status() -> tuple[bool, str]:
    """(ok, detail): ok while no e-mail has been due for longer than ALLOWED_LAG."""
    now = timezone.now()
    waiting = Delivery.objects.waiting().count()
    failed = Delivery.objects.filter(
        status=Delivery.Status.FAILED, last_attempt_at__gte=now - timedelta(days=1)
    ).count()
    failures = f"; {failed} failed in the last 24 hours" if failed else ""
    oldest = _oldest_due(now)
    if oldest is None:
        return True, f"{_emails(waiting)} waiting, none due{failures}"
    lag = max(now - oldest, timedelta(0))
    detail = f"{_emails(waiting)} waiting, the oldest due for {int(lag.total_seconds())} s"
    if lag > ALLOWED_LAG:
        return False, f"{detail}: is the worker (manage.py db_worker) running?{failures}"
    return True, detail + failures


def tasks_lag(now: datetime) -> timedelta | None:
    """How long the oldest task that is due (a reset to look up, a delivery) has waited."""
    from django_tasks_db.models import DBTaskResult

    oldest = DBTaskResult.objects.ready().aggregate(t=Min("enqueued_at"))["t"]
    return None if oldest is None else max(now - oldest, timedelta(0))


def raise_unless_moving() -> None:
    """For /healthz: raise when e-mails (or the tasks that make them) wait too long."""
    ok, detail = queue_status()
    if not ok:
        raise RuntimeError(detail)
    lag = tasks_lag(timezone.now())
    if lag is not None and lag > ALLOWED_LAG:
        raise RuntimeError(
            f"a task has waited {int(lag.total_seconds())} s: is the worker running?"
        )
