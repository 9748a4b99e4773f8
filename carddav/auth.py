"""HTTP Basic authentication for CardDAV: the account's e-mail address and an app password.

The login password is never accepted here: a device holds a password of its own, which its
owner revokes on Settings → Devices. Wrong guesses count against the same limits as the login
form's (`accounts.login_throttle`), per account and per client address; an unknown address
costs the same and says the same as a wrong password.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone

from accounts import login_throttle
from accounts.models import User, hash_token

from .models import AppPassword

# How often a device's "last used" is written: once a minute is enough to show, and a sync
# of many requests then writes it once.
LAST_USED_EVERY = timedelta(minutes=1)


@dataclass
class Device:
    user: User
    app_password: AppPassword


class NotAuthenticated(Exception):
    """No credentials, or wrong ones: answered with 401 and a Basic challenge."""


class TooManyAttempts(Exception):
    """The account or the client address had too many failed attempts lately."""


def credentials(request: HttpRequest) -> tuple[str, str] | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    email, colon, password = decoded.partition(":")
    return (email.strip(), password) if colon else None


def authenticate(request: HttpRequest) -> Device:
    given = credentials(request)
    if given is None:
        raise NotAuthenticated
    email, password = given
    address = login_throttle.client_address(request)
    if login_throttle.is_locked(email=email, address=address):
        raise TooManyAttempts
    found = (
        AppPassword.objects.filter(
            password_hash=hash_token(password.strip()),
            user__in=User.objects.with_email(email).filter(is_active=True),
        )
        .select_related("user")
        .first()
    )
    if found is None:
        login_throttle.record_failure(email=email, address=address)
        raise NotAuthenticated
    login_throttle.clear_account(email=email)
    now = timezone.now()
    if found.last_used_at is None or now - found.last_used_at > LAST_USED_EVERY:
        AppPassword.objects.filter(pk=found.pk).update(last_used_at=now)
        found.last_used_at = now
    return Device(found.user, found)
