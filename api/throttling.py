"""A rate limit per API key: `API_RATE_LIMIT_PER_SECOND` requests in each second.

One counter per key and second. With Redis (`REDIS_URL`) the counters live there, so the limit
holds across every server process. Without Redis, each process counts in its own memory: the
cache would otherwise be the database table, and a write to it on every request would cost
more than most requests themselves (so with N worker processes a key may send up to N times
the limit). Past the limit the answer is 429 with `Retry-After`; when Redis is away, requests
are let through rather than refused.
"""

from __future__ import annotations

import time
from functools import cache

from django.core.cache import BaseCache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from core.cache import CacheUnavailable

from .authentication import KeyHolder


@cache
def _process_counters() -> LocMemCache:
    return LocMemCache("api-rate-limits", {"OPTIONS": {"MAX_ENTRIES": 100_000}})


def counters() -> BaseCache:
    shared = caches["default"]
    return _process_counters() if isinstance(shared, DatabaseCache) else shared


def count_request(store: BaseCache, counter: str) -> int:
    """The counter after counting this request (made, if it is new, for a few seconds)."""
    try:
        return store.incr(counter)
    except ValueError:  # not there yet
        if store.add(counter, 1, timeout=5):
            return 1
        return store.incr(counter)


class PerKeyRateThrottle(BaseThrottle):
    wait_seconds: float = 1.0

    def allow_request(self, request: Request, view: APIView) -> bool:
        from django.conf import settings

        holder = request.user
        if not isinstance(holder, KeyHolder):
            return True  # not authenticated: answered 401 before anything is read
        now = time.time()
        second = int(now)
        self.wait_seconds = 1.0 - (now - second)
        try:
            count = count_request(counters(), f"api-rate:{holder.key.pk}:{second}")
        except CacheUnavailable:
            return True
        return count <= settings.API_RATE_LIMIT_PER_SECOND

    def wait(self) -> float:
        return self.wait_seconds
