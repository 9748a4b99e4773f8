"""One address invited six times at the same moment: one invitation, one e-mail, no error."""

from __future__ import annotations

from functools import partial

from django.core import mail

from accounts.models import AuditEvent, Invitation

from .conftest import browser_for, run_together

EN = {"accept-language": "en"}
ALREADY = "This address has already been invited. You can send the invitation again."


def test_six_simultaneous_invitations_of_one_address_make_one(acme, alice):
    browsers = [browser_for(alice) for _ in range(6)]
    # Each in its own spelling: they are one address all the same.
    spellings = ["dora@newco.test", "Dora@newco.test", "DORA@NEWCO.TEST", "dora@NewCo.test"]
    posts = [
        partial(
            browser.post,
            "/settings/users/invite/",
            {"email": spellings[n % len(spellings)], "name": "Dora", "role": "member"},
            headers=EN,
        )
        for n, browser in enumerate(browsers)
    ]

    responses = run_together(*posts)

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 5 + [302], statuses
    for refused in (r for r in responses if r.status_code == 200):
        assert ALREADY in refused.text
    invitation = Invitation.objects.get()
    assert invitation.email_canonical == "dora@newco.test"
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.INVITED).count() == 1
