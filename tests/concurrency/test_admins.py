"""Two admins demoting or removing each other at the same moment, many times over.

Never an error page, and after every round the organization still has an admin. Without the
organization lock taken first, PostgreSQL let both see the other as "another admin" (or the two
requests locked each other's rows and deadlocked into an error page).
"""

from __future__ import annotations

from functools import partial

import pytest
from django.test import Client

from accounts.models import Membership, Organization, Role, User

from .conftest import browser_for, run_together

ROUNDS = 20
EN = {"accept-language": "en"}


def demote(browser: Client, target: Membership):
    return browser.post(f"/settings/members/{target.pk}/role/", {"role": Role.MEMBER}, headers=EN)


def remove(browser: Client, target: Membership):
    return browser.post(f"/settings/members/{target.pk}/remove/", headers=EN)


def both_admins(organization: Organization, *users: User) -> list[Membership]:
    for user in users:
        Membership.objects.update_or_create(
            user=user, organization=organization, defaults={"role": Role.ADMIN}
        )
    return [Membership.objects.get(user=user, organization=organization) for user in users]


@pytest.mark.parametrize(
    ("alice_does", "bob_does"),
    [(demote, demote), (remove, remove), (demote, remove)],
    ids=["demote-demote", "remove-remove", "demote-remove"],
)
def test_two_admins_changing_each_other_at_once_leave_an_admin(
    acme, alice, bob, vera, alice_does, bob_does
):
    browsers = {alice: browser_for(alice), bob: browser_for(bob)}
    for round_ in range(ROUNDS):
        alice_membership, bob_membership = both_admins(acme, alice, bob)

        responses = run_together(
            partial(alice_does, browsers[alice], bob_membership),
            partial(bob_does, browsers[bob], alice_membership),
        )

        statuses = [r.status_code for r in responses]
        # 302: done, or told why not; 403: the other's change came first, before this request
        # was let in, and it is no admin's any more; 404: the membership to change was removed.
        assert all(status in (302, 403, 404) for status in statuses), (round_, statuses)
        admins = acme.memberships.filter(role=Role.ADMIN).count()
        assert admins >= 1, (round_, statuses)
        assert Membership.objects.filter(user=vera, organization=acme).exists()
