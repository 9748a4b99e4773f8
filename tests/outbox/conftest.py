"""A real queue (the database backend, a worker run in the test) and local SMTP servers.

`smtp_accepting` is an aiosmtpd server on 127.0.0.1 that keeps what it receives;
`smtp_refusing` is a port nobody listens on; `smtp_hanging` accepts connections and never
says a word, so only the SMTP timeout ends an attempt.
"""

from __future__ import annotations

import email
import email.policy
import re
import socket
from datetime import datetime, timedelta
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from outbox.models import Delivery

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
SMTP_TIMEOUT = 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler that keeps every message, or refuses recipients with `refuse`."""

    def __init__(self) -> None:
        self.envelopes: list = []
        self.refuse = ""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def subjects(self) -> list[str]:
        return [
            str(email.message_from_bytes(e.content, policy=email.policy.default)["Subject"])
            for e in self.envelopes
        ]


@pytest.fixture
def queue(settings, transactional_db):
    """The database task backend as in production; the worker runs when the test says so.

    The worker commits as it goes, so these tests need real transactions.
    """
    settings.TASKS = DATABASE_QUEUE
    settings.OUTBOX_RETRY_MINUTES = [1, 5]
    settings.EMAIL_TIMEOUT = SMTP_TIMEOUT


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False


@pytest.fixture
def smtp_accepting(settings, queue):
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    use_smtp(settings, port)
    yield mailbox
    controller.stop()


@pytest.fixture
def smtp_refusing(settings, queue):
    use_smtp(settings, free_port())


@pytest.fixture
def smtp_hanging(settings, queue):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # the kernel completes the handshake; nobody ever answers
    use_smtp(settings, silent.getsockname()[1])
    yield
    silent.close()


def run_worker(at: datetime | None = None) -> None:
    """Let the worker work off every task that is due (at `at`, if given), then return."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    if at is None:
        worker.run()
        return
    with mock.patch("django.utils.timezone.now", return_value=at):
        worker.run()


def run_worker_until_final(delivery: Delivery) -> list[str]:
    """Run the worker at each next attempt's time until `delivery` is final; its states."""
    states = []
    for _ in range(10):
        delivery.refresh_from_db()
        if delivery.status not in Delivery.WAITING_STATUSES:
            return states
        when = delivery.next_attempt_at
        run_worker(at=when + timedelta(seconds=1) if when else timezone.now())
        delivery.refresh_from_db()
        states.append(delivery.status)
    raise AssertionError(f"delivery still {delivery.status} after 10 runs")


def delivery_cell(page: str) -> str:
    """The text of the first invitation's delivery cell on the users page."""
    match = re.search(r'<td data-testid="delivery">(.*?)</td>', page, re.DOTALL)
    assert match, "no delivery cell on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())
