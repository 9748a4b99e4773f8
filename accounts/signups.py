"""Signing up: an account is made only for an address that has been shown to receive mail.

`sign_up()` answers every address alike: it hashes the password, stores a pending sign-up and
sends one e-mail — a confirmation link for an address without account, a note with links to
log in and to reset the password for one that has an account. So neither the page nor the
time it takes tells whether an address has an account. `confirm_sign_up()` makes the account,
its organization and the admin membership when the link is used.

The very first sign-up of an installation (no user at all yet) is the installer's own and
needs no confirmation.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from .conf import setting
from .emails import send_templated_email
from .identities import tidy_email
from .models import PendingSignUp, User, hash_token
from .services import create_organization


class SignUpUnavailable(Exception):
    """The link is malformed, expired or used, or the address has an account by now."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def confirmation_link(token: str) -> str:
    # The token travels as a parameter: the page it opens moves it into the session at once.
    return f"{settings.SITE_URL}{reverse('accounts:signup_confirm')}?token={token}"


def sign_up(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    organization_name: str,
    language: str,
    send_email: bool = True,
) -> User | None:
    """The first account of an installation, made at once; else None, and an e-mail is sent.

    `send_email=False` (over the mail limits) does all the same work but sends nothing.
    """
    email = tidy_email(email)
    details = {
        "email": email,
        "first_name": first_name,
        "last_name": last_name,
        "organization_name": organization_name,
        "password": make_password(password),
    }
    if not User.objects.exists():
        try:
            return _create_account(**details)
        except IntegrityError:
            pass  # someone took the address a moment ago: answered like any other sign-up
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        PendingSignUp.objects.filter(expires_at__lte=now).delete()
        account_email = User.objects.with_email(email).values_list("email", flat=True).first()
        # Stored for an address with an account too (its token is never sent): the same work.
        PendingSignUp.objects.create(
            **details,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + timedelta(days=setting("SIGNUP_LINK_MAX_AGE_DAYS")),
        )
    if send_email:
        # An account's e-mail goes to the address it has (the one shown to receive mail).
        _send(
            to=account_email or email,
            token=token,
            has_account=bool(account_email),
            language=language,
        )
    return None


def _send(*, to: str, token: str, has_account: bool, language: str) -> None:
    # Nothing typed into the form goes into the e-mail: the form is open to anyone, and the
    # e-mail to any address.
    context: dict[str, object]
    if has_account:
        template = "signup_account_exists"
        context = {
            "login_link": settings.SITE_URL + reverse("accounts:login"),
            "reset_link": settings.SITE_URL + reverse("accounts:password_reset"),
        }
    else:
        template = "signup_confirm"
        context = {
            "link": confirmation_link(token),
            "days": setting("SIGNUP_LINK_MAX_AGE_DAYS"),
        }
    send_templated_email(template=template, to=to, context=context, language=language)


def find_pending_sign_up(token: str) -> PendingSignUp:
    """The pending sign-up behind `token`, if it can still be confirmed; else SignUpUnavailable."""
    if not token or len(token) > 100:
        raise SignUpUnavailable("invalid")
    pending = PendingSignUp.objects.filter(token_hash=hash_token(token)).first()
    if pending is None:
        raise SignUpUnavailable("invalid")
    if pending.confirmed_at is not None:
        raise SignUpUnavailable("used")
    if pending.expires_at <= timezone.now():
        raise SignUpUnavailable("expired")
    if User.objects.with_email(pending.email).exists():
        raise SignUpUnavailable("account_exists")
    return pending


def confirm_sign_up(*, pending: PendingSignUp) -> User:
    """Make the account, its organization and the admin membership; the link is used up.

    Of several simultaneous confirmations (the same link twice, or two sign-ups of one
    address) exactly one makes an account; the others raise SignUpUnavailable.
    """
    now = timezone.now()
    with transaction.atomic():
        claimed = PendingSignUp.objects.filter(
            pk=pending.pk, confirmed_at__isnull=True, expires_at__gt=now
        ).update(confirmed_at=now, password="")
        if not claimed:
            raise SignUpUnavailable("used")
        # Asked again here, inside the transaction: an invitation may have made the account
        # since the page was shown. The unique canonical address settles a tie.
        if User.objects.with_email(pending.email).exists():
            raise SignUpUnavailable("account_exists")
        try:
            return _create_account(
                email=pending.email,
                first_name=pending.first_name,
                last_name=pending.last_name,
                organization_name=pending.organization_name,
                password=pending.password,
            )
        except IntegrityError as exc:
            raise SignUpUnavailable("account_exists") from exc


def _create_account(
    *, email: str, first_name: str, last_name: str, organization_name: str, password: str
) -> User:
    """The user (with the already hashed `password`), the organization and its admin."""
    with transaction.atomic():
        user = User(email=email, first_name=first_name, last_name=last_name, password=password)
        user.save()
        create_organization(name=organization_name, admin=user)
    return user
