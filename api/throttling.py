"""A rate limit per API key: `API_RATE_LIMIT_PER_SECOND` requests in each second.

Counted in the cache (Redis in production, else the database table), one counter per key and
second; past the limit the request is answered 429 with `Retry-After`.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from .authentication import KeyHolder


class PerKeyRateThrottle(BaseThrottle):
    wait_seconds: float = 1.0

    def allow_request(self, request: Request, view: APIView) -> bool:
        holder = request.user
        if not isinstance(holder, KeyHolder):
            return True  # not authenticated: answered 401 before anything is read
        now = time.time()
        second = int(now)
        self.wait_seconds = 1.0 - (now - second)
        counter = f"api-rate:{holder.key.pk}:{second}"
        # add() starts the counter only if it is not there, so incr() never misses it.
        cache.add(counter, 0, timeout=5)
        try:
            count = cache.incr(counter)
        except ValueError:  # expired between the two calls
            cache.set(counter, 1, timeout=5)
            count = 1
        return count <= settings.API_RATE_LIMIT_PER_SECOND

    def wait(self) -> float:
        return self.wait_seconds
