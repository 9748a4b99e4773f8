"""Every spelling of an address names one identity, and no look-alike reaches another account.

Runs on SQLite and PostgreSQL alike (CI runs both): PostgreSQL's case-insensitive comparison
once matched `alıce` (dotless ı) to `alice` and let an invitation take over an account.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from accounts import login_throttle
from accounts.identities import canonical_email
from accounts.models import Invitation, Membership, Organization, Role, User
from tests.conftest import PASSWORD, make_user

from .conftest import send_invitation, signup_link_in

pytestmark = pytest.mark.django_db

# Other spellings of the same addresses: each must lead to the same, one account.
SAME_PERSON = {
    "alice@acme.test": [
        "ALICE@ACME.TEST",
        "Alice@Acme.Test",
        "alice@ACME.test",
        "  alice@acme.test ",
        "alice@acme.test.",
        "\uff41\uff4c\uff49\uff43\uff45@acme.test",  # full-width local part
        "alice@\uff41\uff43\uff4d\uff45.test",  # full-width domain
        "ALICE@\uff21\uff23\uff2d\uff25.TEST",
    ],
    "kasimir.sommer@acme.test": [
        "\u212aasimir.sommer@acme.test",  # Kelvin sign
        "kasimir.\u017fommer@acme.test",  # long s
        "\u212aASIMIR.SOMMER@ACME.TEST",
    ],
    "rené@acme.test": [
        "rene\u0301@acme.test",  # e + combining acute
        "RENÉ@acme.test",
        "RENE\u0301@ACME.TEST",
    ],
    "anna@bücher.test": [
        "anna@xn--bcher-kva.test",
        "anna@BÜCHER.test",
        "Anna@Bu\u0308cher.test",  # u + combining diaeresis in the domain
    ],
}
# Look-alikes that are other addresses: none may reach alice's account.
OTHER_PEOPLE = [
    "al\u0131ce@acme.test",  # dotless ı: PostgreSQL's UPPER('ı') is 'I'
    "AL\u0131CE@acme.test",
    "al\u0130ce@acme.test",  # capital I with dot
    "\u0430lice@acme.test",  # Cyrillic а
    "alice@\u0430cme.test",
    "alice@acme.t\u0435st",  # Cyrillic е
    "alice@acm\u0117.test",  # ė
    "alice@acme.test.de",
]

VARIANT_COUNT = sum(len(v) for v in SAME_PERSON.values()) + len(OTHER_PEOPLE)


def test_there_are_at_least_twenty_variants():
    assert VARIANT_COUNT >= 20


@pytest.fixture
def people(acme):
    users = {}
    for address in SAME_PERSON:
        user = make_user(address, "Same", "Person")
        Membership.objects.create(user=user, organization=acme, role=Role.MEMBER)
        users[address] = user
    return users


def log_in(client: Client, email: str, password: str = PASSWORD):
    return client.post("/login/", {"username": email, "password": password})


SAME = [(address, variant) for address, variants in SAME_PERSON.items() for variant in variants]


@pytest.mark.parametrize(("address", "variant"), SAME)
def test_every_spelling_logs_in_to_the_one_account(people, address, variant):
    client = Client()

    response = log_in(client, variant)

    assert response.status_code == 302
    assert response.wsgi_request.user == people[address]


@pytest.mark.parametrize(("address", "variant"), SAME)
def test_no_spelling_creates_a_second_account(people, address, variant):
    response = Client().post(
        "/signup/",
        {
            "first_name": "Eve",
            "last_name": "Double",
            "email": variant,
            "organization_name": "Second Account GmbH",
            "password1": "eve's own long passphrase",
            "password2": "eve's own long passphrase",
        },
    )

    assert User.objects.filter(email_canonical=canonical_email(address)).count() == 1
    assert User.objects.count() == len(SAME_PERSON)
    assert not Organization.objects.filter(name="Second Account GmbH").exists()
    # A spelling the form takes is told, by e-mail to the account's address, that it has one.
    if response.status_code == 302:
        [message] = mail.outbox
        assert message.subject == "You already have a Kontor account"
        assert message.to == [address]
    else:
        assert mail.outbox == []


@pytest.mark.parametrize(("address", "variant"), SAME)
def test_an_invitation_in_any_spelling_joins_the_existing_account(
    people, globex, charlie, address, variant
):
    invitation, link = send_invitation(globex, charlie, variant)
    client = Client()
    log_in(client, address)

    client.get(link)
    client.post("/invitations/accept/")

    assert Membership.objects.filter(user=people[address], organization=globex).exists()
    assert User.objects.count() == len(SAME_PERSON) + 1  # and charlie


@pytest.mark.parametrize("variant", OTHER_PEOPLE)
def test_a_look_alike_does_not_log_in_with_the_password(people, variant):
    client = Client()

    response = log_in(client, variant)

    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.parametrize("variant", OTHER_PEOPLE)
def test_a_look_alike_is_an_account_of_its_own(people, variant):
    client = Client()
    client.post(
        "/signup/",
        {
            "first_name": "Eve",
            "last_name": "Lookalike",
            "email": variant,
            "organization_name": "Eve GmbH",
            "password1": "eve's own long passphrase",
            "password2": "eve's own long passphrase",
        },
    )
    if mail.outbox:
        # The look-alike is an address of its own: it gets the link to confirm it.
        assert mail.outbox[0].subject == "Confirm your Kontor account"
        client.get(signup_link_in(mail.outbox[0]))
        client.post("/signup/confirm/", {"password": "eve's own long passphrase"})

    # Either refused as an address (Cyrillic letters in the local part) or a new account.
    eves = list(User.objects.filter(email_canonical=canonical_email(variant)))
    assert User.objects.count() == len(SAME_PERSON) + len(eves)
    assert people["alice@acme.test"] not in eves
    assert not Membership.objects.filter(user__in=eves, organization__slug="acme").exists()
    assert people["alice@acme.test"].check_password(PASSWORD)


@pytest.mark.parametrize("variant", OTHER_PEOPLE)
def test_a_look_alike_gets_no_reset_mail_for_alice(people, variant):
    Client().post("/password/reset/", {"email": variant})

    assert [m.to for m in mail.outbox] == []


@pytest.mark.parametrize("variant", OTHER_PEOPLE)
def test_a_look_alike_counts_its_failures_apart_from_alice(people, settings, variant):
    settings.LOGIN_FAILURE_LIMIT = 5
    for _ in range(5):
        login_throttle.record_failure(email=variant, address="10.0.0.9")

    assert not login_throttle.is_locked(email="alice@acme.test", address="10.0.0.1")
    assert login_throttle.is_locked(email=variant, address="10.0.0.1")


@pytest.mark.parametrize(("address", "variant"), SAME)
def test_failures_in_any_spelling_count_against_the_one_account(people, settings, address, variant):
    settings.LOGIN_FAILURE_LIMIT = 5
    for _ in range(5):
        login_throttle.record_failure(email=variant, address="10.0.0.9")

    assert login_throttle.is_locked(email=address, address="10.0.0.1")


SETUP_LINK = re.compile(r"https://kontor\.test(/invitations/[A-Za-z0-9_-]+/)")


def test_an_invitation_for_a_look_alike_does_not_take_over_an_admin_without_password(db):
    """The attack: an admin made by create_organization has no password yet; another
    organization invites a look-alike of that address and sets a password through the link."""
    call_command(
        "create_organization",
        "Victim Org",
        "--admin-email",
        "victim.admin@victim.test",
        stdout=StringIO(),
    )
    victim = User.objects.get(email="victim.admin@victim.test")
    mallory = make_user("mallory@attacker.test", "Mallory", "Attacker")
    attackers = Organization.objects.create(name="Attackers", slug="attackers")
    Membership.objects.create(user=mallory, organization=attackers, role=Role.ADMIN)

    _invitation, link = send_invitation(attackers, mallory, "victim.admin@v\u0131ctim.test")
    client = Client()
    client.get(link)
    response = client.post(
        "/invitations/accept/",
        {
            "first_name": "Not",
            "last_name": "Victim",
            "password1": "mallory's long passphrase",
            "password2": "mallory's long passphrase",
        },
    )

    assert response.status_code == 302
    session_user = response.wsgi_request.user
    assert session_user != victim
    assert session_user.email == "victim.admin@v\u0131ctim.test"
    victim.refresh_from_db()
    assert not victim.has_usable_password()
    assert victim.first_name == ""
    assert not Membership.objects.filter(
        user=session_user, organization__name="Victim Org"
    ).exists()


def test_create_organization_finds_an_existing_account_in_any_spelling(alice):
    out = StringIO()
    call_command(
        "create_organization", "Zweitfirma", "--admin-email", "ALICE@\uff41cme.test", stdout=out
    )

    assert "existing account" in out.getvalue()
    assert User.objects.count() == 1
    assert Membership.objects.filter(user=alice, organization__name="Zweitfirma").exists()


def test_an_invitation_stores_the_canonical_address(acme, alice):
    invitation, _link = send_invitation(acme, alice, "Dora@Bücher.Test")

    invitation.refresh_from_db()
    assert invitation.email == "Dora@Bücher.Test"
    assert invitation.email_canonical == "dora@xn--bcher-kva.test"
    assert Invitation.objects.filter(email_canonical=canonical_email("DORA@bücher.test")).exists()


def test_inviting_a_member_in_another_spelling_is_refused(acme, alice, bob):
    client = Client()
    client.force_login(alice)

    response = client.post(
        "/settings/users/invite/",
        {"email": "BOB@\uff41cme.test", "name": "", "role": "member"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "This person is already a member of the organization." in response.text
    assert not Invitation.objects.exists()
