"""Following an invitation link: what the invited person sees and what accepting does."""

import pytest
from django.core import mail
from django.test import Client

from accounts.models import AuditEvent, Invitation, Membership, Role, User
from tests.conftest import PASSWORD

from .conftest import clock_moved_by, send_invitation

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "dora's own long passphrase"


def accept_data(**overrides) -> dict:
    return {
        "first_name": "Dora",
        "last_name": "Newcomer",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }


def open_link(client: Client, link: str):
    """Follow the link as a browser would and return the page it ends on."""
    return client.get(link, follow=True, HTTP_ACCEPT_LANGUAGE="en")


def accept(client: Client, **overrides):
    return client.post("/invitations/accept/", accept_data(**overrides), HTTP_ACCEPT_LANGUAGE="en")


def test_the_link_moves_the_token_out_of_the_address_bar(client, dora_invited):
    _invitation, link = dora_invited

    response = client.get(link)

    assert response.status_code == 302
    assert response["Location"] == "/invitations/accept/"


def test_the_page_shows_organization_inviter_and_address(client, dora_invited):
    _invitation, link = dora_invited

    page = open_link(client, link)

    assert page.status_code == 200
    assert "Join Acme GmbH on Kontor" in page.text
    assert "Alice Admin invited you as <strong>Member</strong>." in page.text
    assert 'value="dora@newco.test" readonly' in page.text
    assert 'value="Dora"' in page.text
    assert 'value="Newcomer"' in page.text
    for label in ["First name", "Last name", "Password", "Password (again)"]:
        assert label in page.text


def test_opening_the_link_changes_nothing(client, dora_invited):
    invitation, link = dora_invited

    open_link(client, link)
    open_link(Client(), link)  # e.g. a mail scanner, before the person does

    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not User.objects.filter(email="dora@newco.test").exists()
    assert open_link(client, link).status_code == 200


def test_accepting_creates_the_user_and_lands_on_the_contacts(client, dora_invited, acme):
    _invitation, link = dora_invited
    open_link(client, link)

    response = accept(client)

    assert response.status_code == 302
    assert response["Location"] == "/contacts/"
    dora = User.objects.get(email="dora@newco.test")
    assert dora.get_full_name() == "Dora Newcomer"
    assert dora.check_password(NEW_PASSWORD)
    assert Membership.objects.get(user=dora).organization == acme
    assert Membership.objects.get(user=dora).role == Role.MEMBER
    contacts = client.get("/contacts/", HTTP_ACCEPT_LANGUAGE="en")
    assert contacts.status_code == 200
    assert contacts.wsgi_request.user == dora
    assert "Welcome to Acme GmbH!" in contacts.text


def test_accepting_gives_the_invited_role(client, acme, alice):
    _invitation, link = send_invitation(acme, alice, "dora@newco.test", role=Role.VIEWER)
    open_link(client, link)

    accept(client)

    assert Membership.objects.get(user__email="dora@newco.test").role == Role.VIEWER


def test_accepting_is_recorded_and_shown_on_the_users_page(client, dora_invited, alice_client):
    invitation, link = dora_invited
    open_link(client, link)

    accept(client)

    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.JOINED, target_email="dora@newco.test"
    ).exists()
    page = alice_client.get("/settings/users/", HTTP_ACCEPT_LANGUAGE="en")
    assert "dora@newco.test joined (Member)" in page.text
    assert "No open invitations." in page.text


def test_it_validates_the_two_passwords(client, dora_invited):
    _invitation, link = dora_invited
    open_link(client, link)

    differ = accept(client, password2="something else entirely")
    short = accept(client, password1="kurz", password2="kurz")

    assert "The two passwords differ." in differ.text
    assert "This password is too short." in short.text
    assert not User.objects.filter(email="dora@newco.test").exists()


def test_it_rejects_a_used_token(client, dora_invited):
    _invitation, link = dora_invited
    open_link(client, link)
    accept(client)

    again = Client().get(link, HTTP_ACCEPT_LANGUAGE="en")

    assert again.status_code == 410
    assert "This invitation has already been used" in again.text
    assert "If you accepted it yourself, just log in." in again.text


def test_it_rejects_a_second_post_with_the_same_session(client, dora_invited):
    _invitation, link = dora_invited
    open_link(client, link)
    accept(client)

    response = accept(client, first_name="Mallory")

    assert response.status_code == 404
    assert User.objects.get(email="dora@newco.test").first_name == "Dora"
    assert Membership.objects.filter(user__email="dora@newco.test").count() == 1


def test_it_rejects_an_expired_token(client, dora_invited):
    _invitation, link = dora_invited

    with clock_moved_by(days=7, minutes=1):
        response = client.get(link, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 410
    assert "This invitation has expired" in response.text
    assert (
        'Ask Alice Admin (<a href="mailto:alice@acme.test">alice@acme.test</a>) at Acme GmbH '
        "to send you a new invitation." in response.text
    )


def test_the_link_still_works_just_before_seven_days(client, dora_invited):
    _invitation, link = dora_invited

    with clock_moved_by(days=6, hours=23):
        response = open_link(client, link)

    assert response.status_code == 200
    assert "Join Acme GmbH on Kontor" in response.text


def test_it_refuses_to_accept_once_the_link_expired_while_the_form_was_open(client, dora_invited):
    _invitation, link = dora_invited
    open_link(client, link)

    with clock_moved_by(days=8):
        response = accept(client)

    assert response.status_code == 410
    assert "This invitation has expired" in response.text
    assert not User.objects.filter(email="dora@newco.test").exists()


def test_the_expiry_follows_the_setting(client, acme, alice, settings):
    settings.INVITATION_MAX_AGE_DAYS = 2
    _invitation, link = send_invitation(acme, alice, "dora@newco.test")

    with clock_moved_by(days=2, minutes=1):
        assert client.get(link).status_code == 410


@pytest.mark.parametrize(
    "link",
    [
        "/invitations/not-a-token/",
        "/invitations/" + "A" * 43 + "/",
        "/invitations/" + "x" * 500 + "/",
        "/invitations/%00%ff/",
    ],
)
def test_it_answers_a_malformed_link_with_a_clear_page(client, db, link):
    response = client.get(link, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert "This invitation link is not valid" in response.text
    assert "Ask the person who invited you to send a new invitation." in response.text


def test_the_accept_page_without_a_link_says_so(client, db):
    response = client.get("/invitations/accept/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert "This invitation link is not valid" in response.text


def test_resend_kills_the_old_token(client, dora_invited, alice_client):
    invitation, old_link = dora_invited
    alice_client.post(f"/settings/invitations/{invitation.pk}/resend/")
    new_link = mail.outbox[-1].body.split("https://kontor.test")[1].split()[0]

    old = client.get(old_link, HTTP_ACCEPT_LANGUAGE="en")
    new = open_link(Client(), new_link)

    assert old.status_code == 404
    assert "This invitation link is not valid" in old.text
    assert new.status_code == 200


def test_resend_kills_an_old_token_that_was_already_opened(client, dora_invited, alice_client):
    invitation, old_link = dora_invited
    open_link(client, old_link)
    alice_client.post(f"/settings/invitations/{invitation.pk}/resend/")

    response = accept(client)

    assert response.status_code == 404
    assert not User.objects.filter(email="dora@newco.test").exists()


def test_revoke_kills_the_link(client, dora_invited, alice_client):
    invitation, link = dora_invited
    open_link(client, link)

    alice_client.post(f"/settings/invitations/{invitation.pk}/revoke/")
    opened_again = Client().get(link, HTTP_ACCEPT_LANGUAGE="en")
    posted = accept(client)

    assert opened_again.status_code == 410
    assert "This invitation was withdrawn" in opened_again.text
    assert posted.status_code == 410
    assert not User.objects.filter(email="dora@newco.test").exists()


class TestExistingAccount:
    """charlie already uses Kontor for Globex; alice invites him to Acme as well."""

    @pytest.fixture
    def charlie_invited(self, acme, alice, charlie):
        return send_invitation(acme, alice, "Charlie@Globex.test", role=Role.MEMBER)

    def test_it_asks_him_to_log_in(self, client, charlie_invited):
        _invitation, link = charlie_invited

        page = open_link(client, link)

        assert "You already have a Kontor account for Charlie@Globex.test. Log in to join." in (
            page.text
        )
        assert 'href="/login/?next=/invitations/accept/"' in page.text
        assert "password1" not in page.text

    def test_after_login_he_joins_and_keeps_his_password(
        self, client, charlie_invited, acme, globex, charlie
    ):
        _invitation, link = charlie_invited
        open_link(client, link)

        login = client.post(
            "/login/?next=/invitations/accept/",
            {
                "username": "charlie@globex.test",
                "password": PASSWORD,
                "next": "/invitations/accept/",
            },
        )
        join_page = client.get(login["Location"], HTTP_ACCEPT_LANGUAGE="en")
        joined = client.post("/invitations/accept/")

        assert login["Location"] == "/invitations/accept/"
        assert "Join Acme GmbH" in join_page.text
        assert joined["Location"] == "/contacts/"
        roles = dict(charlie.memberships.values_list("organization__slug", "role"))
        assert roles == {"acme": Role.MEMBER, "globex": Role.ADMIN}
        charlie.refresh_from_db()
        assert charlie.check_password(PASSWORD)
        contacts = client.get("/contacts/")
        assert contacts.wsgi_request.organization == acme

    def test_opening_the_join_page_changes_nothing(self, charlie_invited, charlie_client):
        invitation, link = charlie_invited

        page = open_link(charlie_client, link)

        assert "Join Acme GmbH" in page.text
        assert not Membership.objects.filter(
            user__email="charlie@globex.test", organization__slug="acme"
        ).exists()
        invitation.refresh_from_db()
        assert invitation.accepted_at is None

    def test_someone_else_logged_in_is_told_to_log_out(self, charlie_invited, bob_client):
        invitation, link = charlie_invited

        page = open_link(bob_client, link)
        post = bob_client.post("/invitations/accept/", HTTP_ACCEPT_LANGUAGE="en")

        message = (
            "This invitation is for Charlie@Globex.test, but you are logged in as bob@acme.test."
        )
        assert message in page.text
        assert post.status_code == 200
        assert message in post.text
        invitation.refresh_from_db()
        assert invitation.accepted_at is None
        assert not Membership.objects.filter(
            user__email="charlie@globex.test", organization__slug="acme"
        ).exists()

    def test_logging_out_from_the_wrong_account_leads_back_to_the_invitation(
        self, charlie_invited, bob_client
    ):
        _invitation, link = charlie_invited
        wrong_user_page = open_link(bob_client, link)
        assert f'<input type="hidden" name="next" value="{link}">' in wrong_user_page.text

        page = bob_client.post("/logout/", {"next": link}, follow=True, HTTP_ACCEPT_LANGUAGE="en")

        assert page.wsgi_request.user.is_anonymous
        assert "Log in to join." in page.text


def test_an_invitation_to_another_address_does_not_log_a_stranger_in(dora_invited, bob_client):
    """bob opens dora's link while logged in; accepting creates dora and logs in as dora."""
    _invitation, link = dora_invited
    open_link(bob_client, link)

    accept(bob_client)

    dora = User.objects.get(email="dora@newco.test")
    assert bob_client.get("/contacts/").wsgi_request.user == dora
    assert not Invitation.objects.pending().exists()
