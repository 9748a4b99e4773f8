"""Requests that really run at the same time, each in its own thread with its own connection.

Every test here uses `transactional_db`: each request commits for real, so the database's own
locks decide who waits, as they do between several server processes in production.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest
from django.db import connection
from django.test import Client

from accounts.models import User

T = TypeVar("T")


@pytest.fixture(autouse=True)
def _threads_share_the_database(database_shared_by_threads):
    """Before any persona is created, so that they all land in the database the threads use."""


def browser_for(user: User | None = None) -> Client:
    """A client that answers a crash with the 500 page, as a server does, instead of raising."""
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def tabs_of(browser: Client, count: int) -> list[Client]:
    """`count` tabs of one browser: they share its cookies, and so its session."""
    tabs = []
    for _ in range(count):
        tab = browser_for()
        tab.cookies = copy.deepcopy(browser.cookies)
        tabs.append(tab)
    return tabs


def run_together(*calls: Callable[[], T]) -> list[T]:
    """Run each call in its own thread, all released at the same moment; return their results.

    Each thread closes its database connection at the end, so no connection outlives the test.
    """
    start = threading.Barrier(len(calls), timeout=30)

    def run(call: Callable[[], T]) -> T:
        try:
            start.wait()
            return call()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(run, call) for call in calls]
        return [future.result(timeout=120) for future in futures]
