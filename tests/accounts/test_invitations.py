"""Settings → Users → Invite user: the form, the e-mail, resend, revoke and the limits."""

import base64
import hashlib

import pytest
from django.core import mail

from accounts import services
from accounts.forms import InviteForm
from accounts.models import AuditEvent, Invitation, Membership, Role

from .conftest import LINK, clock_moved_by, link_in, send_invitation

pytestmark = pytest.mark.django_db


def invite(client, email="dora@newco.test", role=Role.MEMBER, name="", language="en"):
    return client.post(
        "/settings/users/invite/",
        {"email": email, "name": name, "role": role},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_an_admin_sees_the_invite_button_and_form(alice_client):
    users = alice_client.get("/settings/users/", HTTP_ACCEPT_LANGUAGE="en")
    form = alice_client.get("/settings/users/invite/", HTTP_ACCEPT_LANGUAGE="en")

    assert 'href="/settings/users/invite/"' in users.text
    assert form.status_code == 200
    for label in ["E-mail address", "Name (optional)", "Role"]:
        assert label in form.text


def test_it_sends_an_invitation(alice_client, acme):
    response = invite(alice_client, name="Dora Newcomer")

    assert response.status_code == 302
    assert response["Location"] == "/settings/users/"
    invitation = Invitation.objects.get()
    assert (invitation.organization, invitation.email) == (acme, "dora@newco.test")
    assert invitation.role == Role.MEMBER
    assert invitation.invited_by.email == "alice@acme.test"
    page = alice_client.get("/settings/users/", HTTP_ACCEPT_LANGUAGE="en")
    assert "The invitation to dora@newco.test is on its way" in page.text


def test_the_mail_has_text_and_html_with_a_link_from_site_url(alice_client):
    invite(alice_client, name="Dora Newcomer")

    [message] = mail.outbox
    assert message.to == ["dora@newco.test"]
    assert message.subject == "Invitation to Acme GmbH on Kontor"
    assert "Hello Dora Newcomer," in message.body
    assert "Alice Admin invites you to join Acme GmbH on Kontor as Member." in message.body
    assert "expires in 7 days" in message.body
    token = LINK.search(message.body).group("token")
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'href="https://kontor.test/invitations/{token}/"' in html
    assert "Alice Admin invites you to join Acme GmbH on Kontor as Member." in html


def test_the_link_ignores_the_host_header(alice_client, settings):
    settings.ALLOWED_HOSTS = ["*"]

    alice_client.post(
        "/settings/users/invite/",
        {"email": "dora@newco.test", "role": Role.MEMBER},
        HTTP_HOST="evil.example",
    )

    [message] = mail.outbox
    assert LINK.search(message.body)
    assert "evil.example" not in message.body
    assert "evil.example" not in message.alternatives[0].content


def test_the_mail_is_in_the_inviters_language(alice_client):
    invite(alice_client, language="de")

    assert Invitation.objects.get().language == "de"
    assert '<html lang="de">' in mail.outbox[0].alternatives[0].content


def test_the_token_is_stored_only_as_a_hash_and_has_at_least_128_bits(alice_client):
    invite(alice_client)

    token = LINK.search(mail.outbox[0].body).group("token")
    invitation = Invitation.objects.get()
    assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) >= 16
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(value) for value in Invitation.objects.values().get().values()]
    assert not any(token in value for value in stored)


def test_every_invitation_gets_its_own_token(alice_client):
    invite(alice_client, email="one@newco.test")
    invite(alice_client, email="two@newco.test")

    first, second = (LINK.search(m.body).group("token") for m in mail.outbox)
    assert first != second


def test_it_refuses_an_address_that_is_already_a_member(alice_client, bob):
    response = invite(alice_client, email="BOB@acme.test")

    assert response.status_code == 200
    assert "This person is already a member of the organization." in response.text
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_it_offers_a_resend_for_a_pending_invitation(alice_client):
    invite(alice_client)

    response = invite(alice_client, email="Dora@NewCo.test")

    invitation = Invitation.objects.get()
    assert response.status_code == 200
    assert "This address has already been invited. You can send the invitation again." in (
        response.text
    )
    assert f'action="/settings/invitations/{invitation.pk}/resend/"' in response.text
    assert "Send the invitation again" in response.text
    assert len(mail.outbox) == 1


def test_an_expired_invitation_does_not_block_a_new_one(alice_client, acme, alice):
    send_invitation(acme, alice, "dora@newco.test")

    with clock_moved_by(days=8):
        response = invite(alice_client)

    assert response.status_code == 302
    assert Invitation.objects.count() == 2


def test_resend_mails_a_new_link(alice_client, dora_invited):
    invitation, old_link = dora_invited

    response = alice_client.post(f"/settings/invitations/{invitation.pk}/resend/")

    assert response["Location"] == "/settings/users/"
    assert len(mail.outbox) == 2
    assert link_in(mail.outbox[-1]) != old_link
    page = alice_client.get("/settings/users/", HTTP_ACCEPT_LANGUAGE="en")
    assert (
        "A new invitation to dora@newco.test is on its way; the previous link no longer works."
        in page.text
    )


def test_resend_restarts_the_seven_days(alice_client, dora_invited):
    invitation, _link = dora_invited

    with clock_moved_by(days=6):
        alice_client.post(f"/settings/invitations/{invitation.pk}/resend/")
    invitation.refresh_from_db()

    with clock_moved_by(days=12):
        assert invitation.is_pending


def test_revoke_removes_the_invitation_from_the_pending_list(alice_client, dora_invited):
    invitation, _link = dora_invited

    response = alice_client.post(f"/settings/invitations/{invitation.pk}/revoke/")

    assert response["Location"] == "/settings/users/"
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    page = alice_client.get("/settings/users/", HTTP_ACCEPT_LANGUAGE="en")
    assert "The invitation for dora@newco.test was revoked." in page.text
    assert "No open invitations." in page.text


def test_a_revoked_invitation_cannot_be_resent(alice_client, dora_invited):
    invitation, _link = dora_invited
    alice_client.post(f"/settings/invitations/{invitation.pk}/revoke/")

    response = alice_client.post(f"/settings/invitations/{invitation.pk}/resend/")

    assert response.status_code == 404
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("persona", ["bob_client", "vera_client"])
def test_members_and_viewers_cannot_invite_at_all(request, persona):
    client = request.getfixturevalue(persona)

    assert client.get("/settings/users/invite/").status_code == 403
    assert invite(client, role=Role.VIEWER).status_code == 403
    assert not Invitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        (Role.ADMIN, ["viewer", "member", "admin"]),
        (Role.MEMBER, ["viewer", "member"]),
        (Role.VIEWER, ["viewer"]),
    ],
)
def test_the_role_choices_never_exceed_the_inviters_role(acme, role, offered):
    form = InviteForm(organization=acme, membership=Membership(organization=acme, role=role))

    assert [value for value, _label in form.fields["role"].choices] == offered


def test_the_form_refuses_a_role_above_the_inviters(acme):
    member = Membership(organization=acme, role=Role.MEMBER)
    form = InviteForm(
        {"email": "dora@newco.test", "role": Role.ADMIN}, organization=acme, membership=member
    )

    assert not form.is_valid()
    assert "role" in form.errors


def test_the_users_page_shows_the_pending_invitation(alice_client, dora_invited):
    page = alice_client.get("/settings/users/", HTTP_ACCEPT_LANGUAGE="en")

    assert "Pending invitations" in page.text
    assert "dora@newco.test" in page.text
    assert "Dora Newcomer" in page.text
    for column in ["Invited by", "Delivery", "Expires"]:
        assert f">{column}</th>" in page.text
    assert "Resend" in page.text
    assert "Revoke" in page.text


class TestDailyLimit:
    LIMIT_MESSAGE = (
        "Your organization has sent 50 invitations in the last 24 hours, the most allowed. "
        "Please try again tomorrow."
    )

    @pytest.fixture
    def fifty_sent(self, acme, alice, settings):
        settings.INVITATIONS_PER_ORGANIZATION_PER_DAY = 50
        for n in range(50):
            send_invitation(acme, alice, f"person{n}@newco.test")
        mail.outbox.clear()

    def test_the_fiftieth_invitation_is_still_sent(self, alice_client, acme, alice, settings):
        settings.INVITATIONS_PER_ORGANIZATION_PER_DAY = 50
        for n in range(49):
            send_invitation(acme, alice, f"person{n}@newco.test")

        assert invite(alice_client).status_code == 302

    def test_the_fifty_first_is_refused_with_a_clear_message(self, alice_client, fifty_sent):
        response = invite(alice_client)

        assert response.status_code == 200
        assert self.LIMIT_MESSAGE in response.text
        assert Invitation.objects.filter(email="dora@newco.test").count() == 0
        assert mail.outbox == []

    def test_resends_count_too(self, alice_client, fifty_sent):
        invitation = Invitation.objects.first()

        alice_client.post(f"/settings/invitations/{invitation.pk}/resend/")

        assert mail.outbox == []
        page = alice_client.get("/settings/users/", HTTP_ACCEPT_LANGUAGE="en")
        assert "Your organization has reached today&#x27;s limit of invitations." in page.text

    def test_it_is_counted_per_organization(self, fifty_sent, globex, charlie_client):
        assert invite(charlie_client).status_code == 302

    def test_a_day_later_inviting_works_again(self, alice_client, fifty_sent):
        with clock_moved_by(hours=24, minutes=1):
            response = invite(alice_client)

        assert response.status_code == 302
        assert len(mail.outbox) == 1


def test_every_action_is_recorded(alice_client, acme, alice):
    invite(alice_client, role=Role.VIEWER)
    invitation = Invitation.objects.get()
    alice_client.post(f"/settings/invitations/{invitation.pk}/resend/")
    alice_client.post(f"/settings/invitations/{invitation.pk}/revoke/")

    actions = list(
        acme.audit_events.order_by("id").values_list("action", "actor__email", "target_email")
    )
    assert actions == [
        (AuditEvent.Action.INVITED, "alice@acme.test", "dora@newco.test"),
        (AuditEvent.Action.RESENT, "alice@acme.test", "dora@newco.test"),
        (AuditEvent.Action.REVOKED, "alice@acme.test", "dora@newco.test"),
    ]


def test_services_invite_returns_the_token_it_mailed(acme, alice):
    invitation, token = services.invite(
        organization=acme, by=alice, email="dora@newco.test", name="", role="member", language="en"
    )

    assert f"/invitations/{token}/" in mail.outbox[0].body
    assert invitation.token_hash != token


def test_whether_the_address_has_an_account_is_not_told(alice_client, charlie):
    """charlie has an account (in Globex); dora has none: the inviter sees no difference."""
    with_account = invite(alice_client, email="charlie@globex.test", name="C")
    without = invite(alice_client, email="dora@newco.test", name="C")

    assert with_account.status_code == without.status_code == 302
    assert with_account["Location"] == without["Location"]
    first, second = mail.outbox
    assert first.subject == second.subject
    assert LINK.sub("", first.body) == LINK.sub("", second.body)


def test_a_request_that_passed_the_check_too_late_gets_the_form_error(alice_client, acme, alice):
    """Both requests passed the form's check; the database refuses the second invitation."""
    from unittest import mock

    first, _link = send_invitation(acme, alice, "dora@newco.test")

    with mock.patch.object(InviteForm, "clean_email", lambda form: form.cleaned_data["email"]):
        response = invite(alice_client, email="Dora@NewCo.test")

    assert response.status_code == 200
    assert "This address has already been invited. You can send the invitation again." in (
        response.text
    )
    assert f'action="/settings/invitations/{first.pk}/resend/"' in response.text
    assert Invitation.objects.get() == first
    assert len(mail.outbox) == 1


def test_an_expired_invitation_is_closed_when_the_address_is_invited_anew(
    alice_client, acme, alice
):
    expired, old_link = send_invitation(acme, alice, "dora@newco.test")

    with clock_moved_by(days=8):
        invite(alice_client)

    expired.refresh_from_db()
    assert expired.revoked_at is not None
    assert Invitation.objects.filter(accepted_at=None, revoked_at=None).count() == 1
    with clock_moved_by(days=8):
        page = alice_client.get(old_link, HTTP_ACCEPT_LANGUAGE="en")
    assert "This invitation has expired" in page.text


def test_the_database_allows_one_open_invitation_per_address(acme, alice):
    from django.db import IntegrityError, transaction

    send_invitation(acme, alice, "dora@newco.test")
    second = Invitation(organization=acme, email="DORA@newco.test", role=Role.MEMBER)
    second.issue_token()

    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
