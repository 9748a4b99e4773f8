"""Limits password guesses per account and per client address.

Every form that checks a password someone knows (the login, the admin's login, the old
password of a password change, the sign-up's confirmation) runs its check through
`PasswordGuessLimit`; they share the counters, so guesses spread over them count alike, and the
security audit refuses a password form without it.

Counters live in the database cache table (see `rate_limits`), shared by every server process,
with or without Redis: were they in Redis, a Redis that is away would either let every guess
through uncounted or turn every login away.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import rate_limits
from .identities import canonical_email


def _account_key(email: str) -> str:
    # One counter per identity: every spelling of an address counts against the same account.
    return rate_limits.cache_key("login-failures:account", canonical_email(email))


def _keys(email: str, address: str) -> list[tuple[str, int]]:
    return [
        (_account_key(email), settings.LOGIN_FAILURE_LIMIT),
        (rate_limits.cache_key("login-failures:address", address), settings.LOGIN_FAILURE_IP_LIMIT),
    ]


def is_locked(*, email: str, address: str) -> bool:
    return any(rate_limits.count(key) >= limit for key, limit in _keys(email, address))


def record_failure(*, email: str, address: str) -> None:
    for key, _limit in _keys(email, address):
        rate_limits.add_one(key, window=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def clear_account(*, email: str) -> None:
    rate_limits.clear(_account_key(email))


def client_address(request) -> str:
    """The client's address; behind NUM_PROXIES trusted proxies, taken from X-Forwarded-For."""
    proxies = settings.NUM_PROXIES
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


T = TypeVar("T")

LOCKED = _(
    "Too many failed login attempts. For your security, please wait %(minutes)s "
    "minutes and try again, or reset your password."
)


class PasswordGuessLimit:
    """Mixed into a form that checks a password: `limited(check, email=..., request=...)`
    refuses once the account or the client address had too many failures, counts a failed
    check, and clears the account's count after a right one."""

    password_guesses_limited = True  # what the security audit looks for
    request: HttpRequest | None = None

    def limited(self, check: Callable[[], T], *, email: str) -> T:
        address = client_address(self.request) if self.request is not None else "unknown"
        if is_locked(email=email, address=address):
            raise forms.ValidationError(
                LOCKED,
                code="locked",
                params={"minutes": settings.LOGIN_FAILURE_WINDOW_SECONDS // 60},
            )
        try:
            result = check()
        except forms.ValidationError:
            record_failure(email=email, address=address)
            raise
        clear_account(email=email)
        return result
