"""Counters of recent events per key (an account, a client address, a recipient).

They live in the `login_limits` cache, a database table whether or not Redis is configured:
every server process sees the same counts, and a Redis that is away neither lets guesses through
uncounted nor turns people away. The keys are digests, so the cache holds no address in clear.
"""

from __future__ import annotations

import hashlib

from django.core.cache import caches


def cache_key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"{kind}:{digest}"


def _counters():
    return caches["login_limits"]


def count(key: str) -> int:
    return _counters().get(key) or 0


def add_one(key: str, *, window: int) -> None:
    """Count one event; the counter expires a full `window` (seconds) after the latest one."""
    cache = _counters()
    cache.add(key, 0, timeout=window)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
    # The database cache's incr() re-sets the key with the default timeout (5 minutes), which
    # would end a limit before the time it promises; touch() restores it.
    cache.touch(key, timeout=window)


def clear(key: str) -> None:
    _counters().delete(key)
