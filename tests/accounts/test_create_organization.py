"""`manage.py create_organization NAME --admin-email EMAIL` for installations without sign-up."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import Invitation, Membership, Organization, Role, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SETUP_LINK = re.compile(r"^https://kontor\.test(/invitations/[A-Za-z0-9_-]+/)$", re.MULTILINE)
NEW_PASSWORD = "the new admin's passphrase"


def create_organization(*args: str) -> str:
    out = StringIO()
    call_command("create_organization", *args, stdout=out)
    return out.getvalue()


def test_it_creates_the_organization_and_prints_its_slug(db):
    output = create_organization("Müller Bau GmbH", "--admin-email", "chef@mueller.test")

    organization = Organization.objects.get(name="Müller Bau GmbH")
    assert organization.slug == "muller-bau-gmbh"
    assert "Slug: muller-bau-gmbh" in output


def test_a_new_admin_gets_an_account_without_password_and_a_one_time_link(db):
    output = create_organization("Müller Bau GmbH", "--admin-email", "chef@mueller.test")

    user = User.objects.get(email="chef@mueller.test")
    assert not user.has_usable_password()
    membership = Membership.objects.get(user=user)
    assert (membership.organization.slug, membership.role) == ("muller-bau-gmbh", Role.ADMIN)
    assert SETUP_LINK.search(output)
    assert "valid for 7 days" in output
    assert Invitation.objects.get().token_hash not in output


def test_the_link_lets_the_new_admin_set_a_password(client):
    output = create_organization("Müller Bau GmbH", "--admin-email", "chef@mueller.test")
    link = SETUP_LINK.search(output).group(1)

    page = client.get(link, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        "/invitations/accept/",
        {
            "first_name": "Hans",
            "last_name": "Müller",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert "Join Müller Bau GmbH on Kontor" in page.text
    assert 'value="chef@mueller.test" readonly' in page.text
    assert response["Location"] == "/contacts/"
    user = User.objects.get(email="chef@mueller.test")
    assert user.get_full_name() == "Hans Müller"
    assert user.check_password(NEW_PASSWORD)
    assert Membership.objects.get(user=user).role == Role.ADMIN
    assert client.get("/settings/users/invite/").status_code == 200
    login = Client().post("/login/", {"username": "chef@mueller.test", "password": NEW_PASSWORD})
    assert login["Location"] == "/contacts/"


def test_the_link_works_only_once(client):
    output = create_organization("Müller Bau GmbH", "--admin-email", "chef@mueller.test")
    link = SETUP_LINK.search(output).group(1)
    client.get(link)
    client.post(
        "/invitations/accept/",
        {
            "first_name": "Hans",
            "last_name": "Müller",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    again = Client().get(link, HTTP_ACCEPT_LANGUAGE="en")

    assert again.status_code == 410
    assert "This invitation has already been used" in again.text


def test_an_existing_user_simply_becomes_admin(alice):
    output = create_organization("Acme Filiale Nord", "--admin-email", "ALICE@acme.test")

    organization = Organization.objects.get(name="Acme Filiale Nord")
    assert Membership.objects.get(user=alice, organization=organization).role == Role.ADMIN
    assert "existing account, can log in now" in output
    assert not SETUP_LINK.search(output)
    assert not Invitation.objects.exists()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    assert User.objects.count() == 1


def test_running_it_again_for_an_admin_without_password_prints_a_fresh_link(db):
    first = create_organization("Erste GmbH", "--admin-email", "chef@mueller.test")
    second = create_organization("Zweite GmbH", "--admin-email", "chef@mueller.test")

    assert SETUP_LINK.search(first).group(1) != SETUP_LINK.search(second).group(1)
    assert User.objects.count() == 1
    assert Membership.objects.filter(user__email="chef@mueller.test").count() == 2


def test_a_taken_name_gets_a_distinct_slug(acme):
    output = create_organization("Acme", "--admin-email", "chef@mueller.test")

    assert "Slug: acme-2" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Acme", "--admin-email", "not-an-address"], "Not a valid e-mail address"),
        (["   ", "--admin-email", "chef@mueller.test"], "The organization needs a name."),
    ],
)
def test_it_refuses_bad_input(db, args, message):
    with pytest.raises(CommandError, match=message):
        create_organization(*args)

    assert not Organization.objects.exists()
    assert not User.objects.exists()


def test_the_admin_email_is_required(db):
    with pytest.raises(CommandError, match="--admin-email"):
        create_organization("Acme")
