"""Limits the e-mails anyone may ask for without logging in (password reset, sign-up).

At most MAIL_LIMIT_PER_ADDRESS of them go to one address and MAIL_LIMIT_PER_CLIENT are sent
for one client address within MAIL_LIMIT_WINDOW_SECONDS, so that nobody can fill a stranger's
inbox through Kontor. Over the limit the person is told the same as always ("check your
inbox"), whether or not the address has an account; only the e-mail is left out.
"""

from __future__ import annotations

from django.http import HttpRequest

from . import rate_limits
from .conf import setting
from .identities import canonical_email
from .login_throttle import client_address


def may_send(*, to: str, request: HttpRequest) -> bool:
    """Whether an e-mail to `to`, asked for by `request`'s client, is within the limits.

    If it is, it is counted: call this once per e-mail about to be sent, whether or not the
    address has an account (the client's count must not depend on it).
    """
    keys = [
        (rate_limits.cache_key("mail:to", canonical_email(to)), setting("MAIL_LIMIT_PER_ADDRESS")),
        (
            rate_limits.cache_key("mail:client", client_address(request)),
            setting("MAIL_LIMIT_PER_CLIENT"),
        ),
    ]
    if any(rate_limits.count(key) >= limit for key, limit in keys):
        return False
    for key, _limit in keys:
        rate_limits.add_one(key, window=setting("MAIL_LIMIT_WINDOW_SECONDS"))
    return True
