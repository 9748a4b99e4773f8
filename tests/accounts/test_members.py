"""Settings → Users: the lists, role changes, removal and the history."""

import pytest
from django.test import Client

from accounts.models import AuditEvent, Membership, Role
from tests.conftest import client_for, make_user

from .conftest import send_invitation

pytestmark = pytest.mark.django_db


def membership(user, organization) -> Membership:
    return Membership.objects.get(user=user, organization=organization)


def change_role(client: Client, member: Membership, role: str):
    return client.post(
        f"/settings/members/{member.pk}/role/", {"role": role}, HTTP_ACCEPT_LANGUAGE="en"
    )


def remove(client: Client, member: Membership):
    return client.post(f"/settings/members/{member.pk}/remove/", HTTP_ACCEPT_LANGUAGE="en")


def users_page(client: Client) -> str:
    return client.get("/settings/users/", HTTP_ACCEPT_LANGUAGE="en").text


def members_table(page: str) -> str:
    return page.split('data-testid="members"', 1)[1].split("</table>", 1)[0]


def test_the_users_page_lists_members_with_name_email_role_and_joined(alice_client, bob, vera):
    page = users_page(alice_client)

    assert "Active users" in page
    for column in ["Name", "E-mail", "Role", "Joined"]:
        assert f">{column}</th>" in page
    for name, email in [
        ("Alice Admin", "alice@acme.test"),
        ("Bob Member", "bob@acme.test"),
        ("Vera Viewer", "vera@acme.test"),
    ]:
        assert name in page
        assert email in page


def test_the_users_page_does_not_show_other_organizations(alice_client, charlie):
    page = users_page(alice_client)

    assert "charlie@globex.test" not in page
    assert "Charlie" not in page


@pytest.mark.parametrize("persona", ["bob_client", "vera_client"])
def test_members_and_viewers_see_the_list_but_no_controls(request, persona, alice, vera, bob):
    client = request.getfixturevalue(persona)

    response = client.get("/settings/users/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "alice@acme.test" in response.text
    assert "Invite user" not in response.text
    assert "/remove/" not in response.text
    assert "/role/" not in response.text


def test_the_users_page_needs_few_queries(alice_client, acme, alice, django_assert_max_num_queries):
    for n in range(15):
        user = make_user(f"user{n}@acme.test", "User", str(n))
        Membership.objects.create(user=user, organization=acme, role=Role.MEMBER)
        send_invitation(acme, alice, f"invitee{n}@newco.test")

    # The tenth: the newest e-mail delivery of every pending invitation, in one query.
    with django_assert_max_num_queries(10):
        response = alice_client.get("/settings/users/")

    assert response.status_code == 200


def test_an_admin_changes_a_role(alice_client, acme, bob):
    response = change_role(alice_client, membership(bob, acme), Role.VIEWER)

    assert response["Location"] == "/settings/users/"
    assert membership(bob, acme).role == Role.VIEWER
    assert "Bob Member is now: Viewer." in users_page(alice_client)


def test_a_role_change_takes_effect_at_once(alice_client, bob_client, acme, bob):
    assert bob_client.get("/settings/users/invite/").status_code == 403

    change_role(alice_client, membership(bob, acme), Role.ADMIN)

    assert bob_client.get("/settings/users/invite/").status_code == 200


def test_an_unknown_role_is_refused(alice_client, acme, bob):
    change_role(alice_client, membership(bob, acme), "owner")

    assert membership(bob, acme).role == Role.MEMBER
    assert "Please choose a valid role." in users_page(alice_client)


def test_the_last_admin_cannot_be_demoted(alice_client, acme, alice):
    change_role(alice_client, membership(alice, acme), Role.MEMBER)

    assert membership(alice, acme).role == Role.ADMIN
    assert "Alice Admin is the last admin. Make someone else an admin first." in users_page(
        alice_client
    )


def test_an_admin_can_step_down_when_another_admin_remains(alice_client, acme, alice, bob):
    change_role(alice_client, membership(bob, acme), Role.ADMIN)

    change_role(alice_client, membership(alice, acme), Role.MEMBER)

    assert membership(alice, acme).role == Role.MEMBER
    assert alice_client.get("/settings/users/invite/").status_code == 403


def test_the_last_admin_cannot_be_removed(alice_client, acme, alice):
    response = remove(alice_client, membership(alice, acme))

    assert response["Location"] == "/settings/users/"
    assert Membership.objects.filter(user=alice, organization=acme).exists()
    assert "Alice Admin is the last admin and cannot be removed." in users_page(alice_client)


def test_an_admin_removes_a_member(alice_client, acme, bob):
    response = remove(alice_client, membership(bob, acme))

    assert response["Location"] == "/settings/users/"
    assert not Membership.objects.filter(user=bob, organization=acme).exists()
    page = users_page(alice_client)
    assert "Bob Member was removed from Acme GmbH." in page
    assert "bob@acme.test" not in members_table(page)
    assert "Alice Admin removed bob@acme.test" in page


def test_removal_ends_access_at_once(alice_client, bob_client, acme, bob):
    assert bob_client.get("/contacts/").status_code == 200

    remove(alice_client, membership(bob, acme))

    contacts = bob_client.get("/contacts/")
    users = bob_client.get("/settings/users/")
    assert contacts.status_code == 302
    assert contacts["Location"] == "/organizations/none/"
    assert users["Location"] == "/organizations/none/"
    assert bob_client.post("/settings/users/invite/", {"email": "x@y.test"}).status_code == 302


def test_a_removed_user_keeps_their_other_organizations(alice_client, acme, globex, bob):
    Membership.objects.create(user=bob, organization=globex, role=Role.VIEWER)
    bob_client = client_for(bob)
    bob_client.post("/organizations/switch/", {"organization": "acme"})
    assert bob_client.get("/contacts/").wsgi_request.organization == acme

    remove(alice_client, membership(bob, acme))

    assert bob_client.get("/contacts/").wsgi_request.organization == globex


def test_an_admin_may_leave_when_another_admin_remains(alice_client, acme, alice, bob):
    change_role(alice_client, membership(bob, acme), Role.ADMIN)

    response = remove(alice_client, membership(alice, acme))

    assert response["Location"] == "/"
    assert not Membership.objects.filter(user=alice, organization=acme).exists()


def test_the_history_shows_who_did_what_to_whom(alice_client, acme, alice, bob, vera, client):
    invitation, link = send_invitation(acme, alice, "dora@newco.test", role=Role.VIEWER)
    alice_client.post(f"/settings/invitations/{invitation.pk}/resend/")
    alice_client.post(f"/settings/invitations/{invitation.pk}/revoke/")
    _second, link = send_invitation(acme, alice, "dora@newco.test", role=Role.VIEWER)
    client.get(link)
    client.post(
        "/invitations/accept/",
        {
            "first_name": "Dora",
            "last_name": "Newcomer",
            "password1": "dora's own long passphrase",
            "password2": "dora's own long passphrase",
        },
    )
    change_role(alice_client, membership(bob, acme), Role.VIEWER)
    remove(alice_client, membership(vera, acme))

    page = users_page(alice_client)

    history = page.split("History", 1)[1]
    for line in [
        "Alice Admin invited dora@newco.test (Viewer)",
        "Alice Admin sent the invitation to dora@newco.test again",
        "Alice Admin revoked the invitation of dora@newco.test",
        "dora@newco.test joined (Viewer)",
        "Alice Admin changed the role of bob@acme.test (Viewer)",
        "Alice Admin removed vera@acme.test",
    ]:
        assert line in history
    actions = acme.audit_events.values_list("action", flat=True)
    assert set(actions) >= {
        AuditEvent.Action.INVITED,
        AuditEvent.Action.RESENT,
        AuditEvent.Action.REVOKED,
        AuditEvent.Action.JOINED,
        AuditEvent.Action.ROLE_CHANGED,
        AuditEvent.Action.REMOVED,
    }


def test_the_history_shows_the_newest_first(alice_client, acme, bob, vera):
    change_role(alice_client, membership(bob, acme), Role.VIEWER)
    change_role(alice_client, membership(vera, acme), Role.MEMBER)

    history = users_page(alice_client).split("History", 1)[1]

    assert history.index("vera@acme.test") < history.index("bob@acme.test")


def test_the_only_admin_is_offered_no_demotion_or_removal(alice_client, acme, alice, bob):
    table = members_table(users_page(alice_client))

    assert f"/settings/members/{membership(alice, acme).pk}/" not in table
    assert "the only admin" in table
    assert f"/settings/members/{membership(bob, acme).pk}/remove/" in table


def test_with_two_admins_both_can_be_changed(alice_client, acme, alice, bob):
    change_role(alice_client, membership(bob, acme), Role.ADMIN)

    table = members_table(users_page(alice_client))

    assert f"/settings/members/{membership(alice, acme).pk}/remove/" in table
    assert f"/settings/members/{membership(bob, acme).pk}/remove/" in table
    assert "the only admin" not in table


def test_an_admin_who_lost_the_role_a_moment_ago_changes_nothing(acme, alice, bob, vera):
    """The view let alice in as an admin; by the time her change runs she is none."""
    from accounts import services

    Membership.objects.filter(user=alice).update(role=Role.MEMBER)

    with pytest.raises(services.NoLongerAdmin):
        services.change_role(membership=membership(bob, acme), role=Role.VIEWER, by=alice)
    with pytest.raises(services.NoLongerAdmin):
        services.remove_member(membership=membership(vera, acme), by=alice)

    assert membership(bob, acme).role == Role.MEMBER
    assert Membership.objects.filter(user=vera, organization=acme).exists()


def test_the_role_is_read_again_under_the_lock(acme, alice, bob):
    """The page showed bob as a member; since, he became the last admin: he stays one."""
    from accounts import services

    as_shown = membership(bob, acme)
    services.change_role(membership=membership(bob, acme), role=Role.ADMIN, by=alice)
    services.change_role(membership=membership(alice, acme), role=Role.MEMBER, by=alice)

    with pytest.raises(services.LastAdminError):
        services.change_role(membership=as_shown, role=Role.VIEWER, by=bob)

    assert membership(bob, acme).role == Role.ADMIN


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "You are no longer an admin of Acme GmbH."),
        ("de", "Sie sind nicht mehr Administrator von Acme GmbH."),
    ],
)
def test_an_admin_demoted_while_acting_is_told_so(alice_client, acme, bob, language, message):
    from unittest import mock

    from accounts import services

    with mock.patch.object(services, "change_role", side_effect=services.NoLongerAdmin):
        response = alice_client.post(
            f"/settings/members/{membership(bob, acme).pk}/role/",
            {"role": Role.VIEWER},
            HTTP_ACCEPT_LANGUAGE=language,
            follow=True,
        )

    assert response.redirect_chain == [("/settings/users/", 302)]
    assert message in response.text


def test_a_member_removed_while_the_page_was_open_is_not_found(alice_client, acme, bob):
    from unittest import mock

    from accounts import services

    with mock.patch.object(services, "remove_member", side_effect=Membership.DoesNotExist):
        response = remove(alice_client, membership(bob, acme))

    assert response.status_code == 404
