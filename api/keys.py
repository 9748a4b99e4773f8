"""Making, finding and revoking API keys.

A key reads `kontor_<prefix>_<secret>`: the prefix (12 hex digits, not secret) finds the row,
the SHA-256 of the whole key is compared with the stored hash in constant time. The key itself
is shown once, right after it is made, and never stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.utils import timezone

from accounts.models import Organization, User

from .models import ApiKey

KEY_START = "kontor_"
# How often at most `last_used_at` is written: a write per request would cost more than the
# request itself, and "last used" to the minute is all the page shows.
LAST_USED_PRECISION = timedelta(minutes=1)
# A hash to compare with when no key has the prefix, so that a wrong prefix costs the same.
_NO_KEY_HASH = hashlib.sha256(b"no such key").hexdigest()


def hash_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_key(
    *, organization: Organization, name: str, role: str, by: User | None
) -> tuple[ApiKey, str]:
    """A new key and its secret (to be shown once)."""
    prefix = secrets.token_hex(6)
    token = f"{KEY_START}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        organization=organization,
        name=name,
        role=role,
        prefix=prefix,
        secret_hash=hash_key(token),
        created_by=by,
    )
    return key, token


def find_key(token: str) -> ApiKey | None:
    """The active key `token` is, or None."""
    prefix = _prefix_of(token)
    key = None
    if prefix:
        key = (
            ApiKey.objects.select_related("organization", "created_by")
            .filter(prefix=prefix, revoked_at__isnull=True)
            .first()
        )
    expected = key.secret_hash if key is not None else _NO_KEY_HASH
    if not hmac.compare_digest(hash_key(token), expected) or key is None:
        return None
    return key


def _prefix_of(token: str) -> str:
    if not token.startswith(KEY_START):
        return ""
    prefix, _separator, secret = token.removeprefix(KEY_START).partition("_")
    return prefix if len(prefix) == 12 and secret else ""


def note_use(key: ApiKey) -> None:
    """Record that the key was used now, at most once per LAST_USED_PRECISION."""
    now = timezone.now()
    if key.last_used_at is not None and now - key.last_used_at < LAST_USED_PRECISION:
        return
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    key.last_used_at = now


def revoke_key(key: ApiKey) -> None:
    ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
