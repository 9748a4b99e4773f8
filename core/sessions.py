"""Sessions kept in the database with the cache in front (SESSION_ENGINE = "core.sessions").

Django's `cached_db` engine already reads the database when the cache misses, but a cache that
fails on some calls (a read after the database, a delete at logout) still ends in an error
page. Here every cache call that fails counts as a miss: the session lives on in the database.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib.sessions.backends import cached_db

from .cache import CacheUnavailable


class _CacheOrNothing:
    """The session cache, where a failing call is a miss (get) or nothing done (set, delete)."""

    def __init__(self, cache: Any) -> None:
        self._cache = cache

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self._cache.get(key, default)
        except CacheUnavailable:
            return default

    def set(self, key: str, value: Any, timeout: Any = None) -> None:
        with contextlib.suppress(CacheUnavailable):
            self._cache.set(key, value, timeout)

    def delete(self, key: str) -> None:
        with contextlib.suppress(CacheUnavailable):
            self._cache.delete(key)

    def __contains__(self, key: str) -> bool:
        try:
            return key in self._cache
        except CacheUnavailable:
            return False


class SessionStore(cached_db.SessionStore):
    _cache: Any

    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self._cache = _CacheOrNothing(self._cache)
