"""A sign-up confirmed twice at the same moment: never a second account, never an error page."""

from __future__ import annotations

from functools import partial

from django.core import mail
from django.test import Client

from accounts.models import Organization, PendingSignUp, User
from tests.accounts.conftest import signup_link_in
from tests.conftest import PASSWORD

from .conftest import browser_for, run_together

EN = {"accept-language": "en"}
CONFIRM = "/signup/confirm/"


def sign_up(organization_name: str) -> Client:
    """A browser that signed up erika and opened the link from the e-mail."""
    browser = browser_for()
    response = browser.post(
        "/signup/",
        {
            "first_name": "Erika",
            "last_name": "Muster",
            "email": "erika@muster.test",
            "organization_name": organization_name,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response["Location"] == "/signup/sent/"
    assert browser.get(signup_link_in(mail.outbox[-1])).status_code == 302
    return browser


def test_two_sign_ups_of_one_address_confirmed_at_once_make_one_account(alice):
    browsers = [sign_up("Erste GmbH"), sign_up("Zweite GmbH")]

    responses = run_together(
        *[partial(b.post, CONFIRM, {"password": PASSWORD}, headers=EN) for b in browsers]
    )

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [302, 410], statuses
    lost = next(r for r in responses if r.status_code == 410)
    assert "This address already has an account" in lost.text
    erika = User.objects.get(email_canonical="erika@muster.test")
    assert erika.memberships.count() == 1
    assert Organization.objects.filter(name__in=["Erste GmbH", "Zweite GmbH"]).count() == 1


def test_one_link_confirmed_from_two_browsers_at_once_makes_one_account(alice):
    first = sign_up("Muster KG")
    second = browser_for()
    assert second.get(signup_link_in(mail.outbox[-1])).status_code == 302

    responses = run_together(
        *[partial(b.post, CONFIRM, {"password": PASSWORD}, headers=EN) for b in (first, second)]
    )

    statuses = sorted(r.status_code for r in responses)
    assert statuses[0] == 302, statuses
    # "Already used", or "already has an account" if the other had finished before this one
    # looked the link up.
    assert statuses[1] == 410, statuses
    assert User.objects.filter(email_canonical="erika@muster.test").count() == 1
    assert Organization.objects.filter(name="Muster KG").count() == 1
    assert PendingSignUp.objects.get().confirmed_at is not None
