"""Limits failed logins per account and per client address.

Counters live in the database cache table (the `login_limits` cache), shared by every server
process, and with or without Redis: were they in Redis, a Redis that is away would either let
every guess through uncounted or turn every login away.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import caches

from .identities import canonical_email


def _counters():
    return caches["login_limits"]


def _key(kind: str, value: str) -> str:
    # One counter per identity: every spelling of an address counts against the same account.
    if kind == "account":
        value = canonical_email(value)
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"login-failures:{kind}:{digest}"


def _keys(email: str, address: str) -> list[tuple[str, int]]:
    return [
        (_key("account", email), settings.LOGIN_FAILURE_LIMIT),
        (_key("address", address), settings.LOGIN_FAILURE_IP_LIMIT),
    ]


def is_locked(*, email: str, address: str) -> bool:
    return any((_counters().get(key) or 0) >= limit for key, limit in _keys(email, address))


def record_failure(*, email: str, address: str) -> None:
    """Count one failure; the counters expire a full window after the latest failure."""
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    cache = _counters()
    for key, _limit in _keys(email, address):
        cache.add(key, 0, timeout=window)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=window)
        # The database cache's incr() re-sets the key with the default timeout (5 minutes),
        # which would end a lock before the time the message promises; touch() restores it.
        cache.touch(key, timeout=window)


def clear_account(*, email: str) -> None:
    _counters().delete(_key("account", email))


def client_address(request) -> str:
    """The client's address; behind NUM_PROXIES trusted proxies, taken from X-Forwarded-For."""
    proxies = settings.NUM_PROXIES
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
