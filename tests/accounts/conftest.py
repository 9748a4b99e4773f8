"""Helpers for the accounts tests: invitations made the way alice makes them, links from mail."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Organization, Role, User

LINK = re.compile(r"https://kontor\.test/invitations/(?P<token>[A-Za-z0-9_-]+)/")


def link_in(message: mail.EmailMessage) -> str:
    """The invitation link in the plain-text part of `message`, as a path for the test client."""
    match = LINK.search(message.body)
    assert match, f"no invitation link in {message.body!r}"
    return match.group(0).removeprefix("https://kontor.test")


def send_invitation(
    organization: Organization, by: User, email: str, role: str = Role.MEMBER, name: str = ""
) -> tuple[Invitation, str]:
    """Invite `email` and return the invitation and the link path from the e-mail."""
    invitation, _token = services.invite(
        organization=organization, by=by, email=email, name=name, role=role, language="en"
    )
    return invitation, link_in(mail.outbox[-1])


def clock_moved_by(**delta) -> mock._patch:
    """Patch Django's clock so that everything sees a time `delta` from now."""
    later = timezone.now() + timedelta(**delta)
    return mock.patch("django.utils.timezone.now", return_value=later)


@pytest.fixture
def dora_invited(acme, alice) -> tuple[Invitation, str]:
    """alice invited dora, who has no account yet, as a member of Acme."""
    return send_invitation(acme, alice, "dora@newco.test", name="Dora Newcomer")


SIGNUP_LINK = re.compile(r"https://kontor\.test(?P<path>/signup/confirm/\?token=(?P<token>[\w-]+))")


def signup_link_in(message: mail.EmailMessage) -> str:
    """The confirmation link in a sign-up e-mail, as a path for the test client."""
    match = SIGNUP_LINK.search(message.body)
    assert match, f"no confirmation link in {message.body!r}"
    return match.group("path")
