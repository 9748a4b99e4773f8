"""Accounts' settings that an installation may leave out, with their defaults."""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    # How long a sign-up's confirmation link works.
    "SIGNUP_LINK_MAX_AGE_DAYS": 2,
    # E-mails anyone may ask for without logging in (password reset, sign-up), per recipient
    # address and per client address, within the window.
    "MAIL_LIMIT_PER_ADDRESS": 3,
    "MAIL_LIMIT_PER_CLIENT": 10,
    "MAIL_LIMIT_WINDOW_SECONDS": 3600,
}


def setting(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))
