"""An invitation link accepted twice at the same moment: exactly one account, one membership."""

from __future__ import annotations

from functools import partial

from accounts.models import AuditEvent, Membership, Role, User
from tests.accounts.conftest import send_invitation

from .conftest import browser_for, run_together, tabs_of

EN = {"accept-language": "en"}
ACCEPT = "/invitations/accept/"


def accept_data(first: str, password: str) -> dict[str, str]:
    return {
        "first_name": first,
        "last_name": "Newcomer",
        "password1": password,
        "password2": password,
    }


def test_a_link_used_in_two_browsers_at_once_creates_one_user(acme, alice):
    _invitation, link = send_invitation(acme, alice, "dora@newco.test", name="Dora Newcomer")
    browsers = [browser_for(), browser_for()]
    for browser in browsers:
        assert browser.get(link).status_code == 302
    entered = [("Dora", "dora's laptop passphrase"), ("Dorothea", "dora's phone passphrase")]

    responses = run_together(
        *[
            partial(browser.post, ACCEPT, accept_data(first, password), headers=EN)
            for browser, (first, password) in zip(browsers, entered, strict=True)
        ]
    )

    won = [n for n, r in enumerate(responses) if r.status_code == 302]
    assert len(won) == 1, [r.status_code for r in responses]
    won, lost = won[0], 1 - won[0]
    assert responses[won]["Location"] == "/contacts/"
    # The other browser is told the link is used up; or, when the account already existed by
    # the time its request looked for one, to log in with it.
    told = {410: "This invitation has already been used", 200: "Log in to join."}
    assert responses[lost].status_code in told
    assert told[responses[lost].status_code] in responses[lost].text
    dora = User.objects.get(email__iexact="dora@newco.test")
    first, password = entered[won]
    assert dora.first_name == first
    assert dora.check_password(password)
    assert list(Membership.objects.filter(user=dora).values_list("organization", "role")) == [
        (acme.pk, Role.MEMBER)
    ]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.JOINED).count() == 1
    assert browsers[won].get("/contacts/").status_code == 200


def test_an_existing_user_joining_from_two_tabs_at_once_joins_once(acme, alice, charlie):
    _invitation, link = send_invitation(acme, alice, "charlie@globex.test")
    browser = browser_for(charlie)
    assert browser.get(link).status_code == 302
    assert "Join Acme GmbH" in browser.get(ACCEPT, headers=EN).text

    responses = run_together(
        *[partial(tab.post, ACCEPT, headers=EN) for tab in tabs_of(browser, 2)]
    )

    first, second = sorted(r.status_code for r in responses)
    assert first == 302
    # "Already used" (410), or, if the other tab had finished and taken the token out of the
    # shared session before this one read it, "not a valid link" (404).
    assert second in (404, 410)
    assert charlie.memberships.filter(organization=acme).count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.JOINED).count() == 1
