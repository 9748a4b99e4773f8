"""Strangers get 404 for Acme's objects; members and viewers get 403 for admin actions."""

import pytest
from django.core import mail

from accounts.models import Invitation, Membership, Organization, Role
from tests.conftest import client_for

from .conftest import send_invitation

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme_objects(acme, alice, bob) -> dict[str, int]:
    invitation, _link = send_invitation(acme, alice, "dora@newco.test")
    mail.outbox.clear()
    return {
        "invitation": invitation.pk,
        "bob": Membership.objects.get(user=bob, organization=acme).pk,
        "alice": Membership.objects.get(user=alice, organization=acme).pk,
    }


def object_posts(ids: dict[str, int]) -> list[tuple[str, dict]]:
    """Every POST of this issue that names one of Acme's objects."""
    return [
        (f"/settings/invitations/{ids['invitation']}/resend/", {}),
        (f"/settings/invitations/{ids['invitation']}/revoke/", {}),
        (f"/settings/members/{ids['bob']}/role/", {"role": Role.VIEWER}),
        (f"/settings/members/{ids['bob']}/remove/", {}),
        (f"/settings/members/{ids['alice']}/role/", {"role": Role.VIEWER}),
        (f"/settings/members/{ids['alice']}/remove/", {}),
    ]


def assert_nothing_changed(acme, alice, bob) -> None:
    invitation = Invitation.objects.get(email="dora@newco.test")
    assert invitation.revoked_at is None
    assert mail.outbox == []
    assert Membership.objects.get(user=bob, organization=acme).role == Role.MEMBER
    assert Membership.objects.get(user=alice, organization=acme).role == Role.ADMIN


def test_charlie_gets_404_for_every_object_of_acme(charlie_client, acme_objects, acme, alice, bob):
    for url, data in object_posts(acme_objects):
        response = charlie_client.post(url, data)
        assert response.status_code == 404, url

    assert_nothing_changed(acme, alice, bob)


def test_charlie_gets_404_for_objects_that_do_not_exist(charlie_client):
    for url in [
        "/settings/invitations/999999/resend/",
        "/settings/invitations/999999/revoke/",
        "/settings/members/999999/role/",
        "/settings/members/999999/remove/",
    ]:
        assert charlie_client.post(url, {"role": Role.VIEWER}).status_code == 404, url


def test_charlie_cannot_switch_into_acme(charlie_client, acme_objects, acme):
    response = charlie_client.post("/organizations/switch/", {"organization": "acme"})

    assert response.status_code == 404
    assert charlie_client.get("/contacts/").wsgi_request.organization.slug == "globex"


def test_charlie_sees_only_globex_on_the_users_page(charlie_client, acme_objects):
    page = charlie_client.get("/settings/users/", HTTP_ACCEPT_LANGUAGE="en").text

    assert "charlie@globex.test" in page
    for acme_detail in ["alice@acme.test", "bob@acme.test", "dora@newco.test", "Acme GmbH"]:
        assert acme_detail not in page


@pytest.mark.parametrize("persona", ["bob_client", "vera_client"])
def test_members_and_viewers_get_403_for_every_admin_post(
    request, persona, acme_objects, acme, alice, bob
):
    client = request.getfixturevalue(persona)
    posts = [
        *object_posts(acme_objects),
        ("/settings/users/invite/", {"email": "eve@newco.test", "role": Role.VIEWER}),
        ("/settings/organization/", {"name": "Renamed"}),
    ]

    for url, data in posts:
        assert client.post(url, data).status_code == 403, url

    assert_nothing_changed(acme, alice, bob)
    assert Organization.objects.get(slug="acme").name == "Acme GmbH"
    assert not Invitation.objects.filter(email="eve@newco.test").exists()


@pytest.mark.parametrize("persona", ["bob_client", "vera_client"])
def test_members_and_viewers_cannot_open_admin_pages(request, persona, vera, bob):
    client = request.getfixturevalue(persona)

    assert client.get("/settings/users/invite/").status_code == 403
    assert client.get("/settings/organization/").status_code == 403


def test_strangers_are_sent_to_the_login(client, acme_objects):
    for url, data in object_posts(acme_objects):
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/?next="), url
    for url in ["/settings/users/", "/settings/users/invite/", "/contacts/"]:
        assert client.get(url)["Location"] == f"/login/?next={url}"


def test_object_urls_only_take_posts(alice_client, acme_objects):
    for url, _data in object_posts(acme_objects):
        assert alice_client.get(url).status_code == 405, url


def test_a_user_without_organization_is_told_so(db, client):
    from tests.conftest import make_user

    loner = make_user("loner@nowhere.test", "Lone", "Wolf")
    client = client_for(loner)

    response = client.get("/contacts/", follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert response.redirect_chain == [("/organizations/none/", 302)]
    assert "You are not a member of any organization" in response.text


class TestSeveralOrganizations:
    @pytest.fixture
    def bob_in_both(self, bob, globex):
        Membership.objects.create(user=bob, organization=globex, role=Role.VIEWER)
        return client_for(bob)

    def test_the_menu_offers_the_switch(self, bob_in_both):
        page = bob_in_both.get("/contacts/", HTTP_ACCEPT_LANGUAGE="en").text

        assert "Switch organization" in page
        assert 'value="acme"' in page
        assert 'value="globex"' in page

    def test_a_single_organization_shows_no_switch(self, bob_client):
        page = bob_client.get("/contacts/", HTTP_ACCEPT_LANGUAGE="en").text

        assert "Switch organization" not in page

    def test_switching_changes_the_current_organization_and_role(self, bob_in_both, globex):
        response = bob_in_both.post(
            "/organizations/switch/", {"organization": "globex"}, HTTP_ACCEPT_LANGUAGE="en"
        )

        assert response["Location"] == "/contacts/"
        page = bob_in_both.get("/settings/users/", HTTP_ACCEPT_LANGUAGE="en")
        assert page.wsgi_request.organization == globex
        assert page.wsgi_request.membership.role == Role.VIEWER
        assert "You are now working in “Globex AG”." in page.text

    def test_the_role_comes_from_the_current_organization(self, bob_in_both):
        bob_in_both.post("/organizations/switch/", {"organization": "globex"})

        response = bob_in_both.post("/settings/organization/", {"name": "Renamed by a viewer"})

        assert response.status_code == 403

    def test_an_admin_of_globex_is_no_admin_of_acme(self, charlie, acme, bob):
        Membership.objects.create(user=charlie, organization=acme, role=Role.VIEWER)
        client = client_for(charlie)
        client.post("/organizations/switch/", {"organization": "acme"})

        bob_membership = Membership.objects.get(user=bob, organization=acme)
        response = client.post(f"/settings/members/{bob_membership.pk}/remove/")

        assert response.status_code == 403
        assert Membership.objects.filter(pk=bob_membership.pk).exists()
