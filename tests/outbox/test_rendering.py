"""E-mails are rendered in the request: subject and plain text as plain text, HTML escaped."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts import services
from accounts.emails import send_templated_email
from accounts.models import Invitation, Membership, Organization, Role
from outbox.models import Delivery
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def soehne_admin():
    organization = Organization.objects.create(name="Alpha & Söhne", slug="alpha")
    admin = make_user("anna@alpha.test", "Anna", "Alpha")
    Membership.objects.create(user=admin, organization=organization, role=Role.ADMIN)
    return organization, admin


def test_the_invitation_subject_is_plain_text_not_html(soehne_admin):
    organization, admin = soehne_admin

    services.invite(
        organization=organization,
        by=admin,
        email="dora@newco.test",
        name="",
        role="member",
        language="en",
    )

    [message] = mail.outbox
    assert message.subject == "Invitation to Alpha & Söhne on Kontor"
    assert "Alpha & Söhne" in message.body
    assert "&amp;" not in message.body
    assert "Alpha &amp; Söhne" in message.alternatives[0].content


def test_it_returns_the_delivery_attached_to_the_invitation(soehne_admin):
    organization, admin = soehne_admin
    invitation, _token = services.invite(
        organization=organization,
        by=admin,
        email="dora@newco.test",
        name="",
        role="member",
        language="de",
    )

    delivery = send_templated_email(
        template="invitation",
        to="dora@newco.test",
        language="de",
        context={"organization": organization, "invitation": invitation, "link": "x", "days": 7},
        invitation=invitation,
    )

    assert isinstance(delivery, Delivery)
    assert delivery.status == Delivery.Status.SENT
    assert delivery.subject == "Einladung zu Alpha & Söhne auf Kontor"
    assert delivery.language == "de"
    assert delivery.invitation == invitation
    assert Invitation.objects.get().deliveries.count() == 2
