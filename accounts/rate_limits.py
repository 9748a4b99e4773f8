"""Counters of recent events per key (an account, a client address, a recipient).

They live in the default cache, which is a database table or Redis: either way every server
process sees the same counts. The keys are digests, so the cache holds no address in clear.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def cache_key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"{kind}:{digest}"


def count(key: str) -> int:
    return cache.get(key) or 0


def add_one(key: str, *, window: int) -> None:
    """Count one event; the counter expires a full `window` (seconds) after the latest one."""
    cache.add(key, 0, timeout=window)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
    # The database cache's incr() re-sets the key with the default timeout (5 minutes), which
    # would end a limit before the time it promises; touch() restores it.
    cache.touch(key, timeout=window)


def clear(key: str) -> None:
    cache.delete(key)
