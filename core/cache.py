"""Redis as a cache that gives up fast and then stays out of the way for a while.

Kontor works without its cache (sessions are kept in the database, login limits in a database
table), so a Redis that is down or does not answer must cost a request a fraction of a second,
not Redis' own five-second socket timeout per command. After a failure the cache is skipped
for `RETRY_SECONDS` in this process: every call raises `CacheUnavailable` at once, and callers
decide what a missing cache means for them (a session falls back to the database).
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 10.0

F = TypeVar("F", bound=Callable[..., Any])


class CacheUnavailable(Exception):
    """The cache server is down or did not answer in time."""


class _Outages:
    """When each cache server may be asked again, shared by every thread of the process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._until: dict[str, float] = {}

    def check(self, server: str) -> None:
        if time.monotonic() < self._until.get(server, 0.0):
            raise CacheUnavailable(f"cache {server} skipped after a recent failure")

    def record(self, server: str, error: Exception) -> None:
        with self._lock:
            first = time.monotonic() >= self._until.get(server, 0.0)
            self._until[server] = time.monotonic() + RETRY_SECONDS
        if first:
            # One line per outage, not a traceback per request.
            logger.warning(
                "Cache unavailable (%s: %s); working without it for %d s",
                type(error).__name__,
                error,
                RETRY_SECONDS,
            )

    def clear(self) -> None:
        with self._lock:
            self._until.clear()


outages = _Outages()


def _guarded(method: F) -> F:
    @functools.wraps(method)
    def call(self: FailFastRedisCacheClient, *args: Any, **kwargs: Any) -> Any:
        outages.check(self.server)
        try:
            return method(self, *args, **kwargs)
        except RedisError as error:
            outages.record(self.server, error)
            raise CacheUnavailable(str(error)) from error

    return call  # type: ignore[return-value]


class FailFastRedisCacheClient(RedisCacheClient):
    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self.server = ",".join(servers)

    add = _guarded(RedisCacheClient.add)
    get = _guarded(RedisCacheClient.get)
    set = _guarded(RedisCacheClient.set)
    touch = _guarded(RedisCacheClient.touch)
    delete = _guarded(RedisCacheClient.delete)
    get_many = _guarded(RedisCacheClient.get_many)
    has_key = _guarded(RedisCacheClient.has_key)
    incr = _guarded(RedisCacheClient.incr)
    set_many = _guarded(RedisCacheClient.set_many)
    delete_many = _guarded(RedisCacheClient.delete_many)
    clear = _guarded(RedisCacheClient.clear)


class FailFastRedisCache(RedisCache):
    """Django's Redis cache with short socket timeouts, no retries and `CacheUnavailable`.

    Set the timeouts in OPTIONS (`socket_connect_timeout`, `socket_timeout`, in seconds).
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = FailFastRedisCacheClient
