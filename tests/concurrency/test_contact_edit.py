"""Two people saving the same contact at the same moment: one save wins, the other is told."""

from __future__ import annotations

import re
from functools import partial

from django.urls import reverse

from tests.contacts.conftest import contact_post_data, make_company

from .conftest import browser_for, run_together

EN = {"accept-language": "en"}


def test_of_two_saves_at_once_one_wins_and_the_other_keeps_what_was_typed(acme, alice, bob):
    contact = make_company(acme, "Alt GmbH", billing_city="Bonn", by=alice)
    url = reverse("contacts:edit", args=[contact.pk])
    typed = {
        alice: {"company_name": "Alice GmbH", "billing_city": "Köln", "last": "Albrecht"},
        bob: {"company_name": "Bob GmbH", "billing_city": "Bremen", "last": "Brandt"},
    }
    browsers = {}
    for user in (alice, bob):
        browsers[user] = browser_for(user)
        form = browsers[user].get(url)
        assert re.search(r'name="version" value="1"', form.text)

    def save(user):
        fields = typed[user]
        data = contact_post_data(
            version=1,
            company_name=fields["company_name"],
            billing_city=fields["billing_city"],
            persons=[{"first_name": "Jana", "last_name": fields["last"]}],
        )
        return browsers[user].post(url, data, headers=EN)

    responses = dict(zip((alice, bob), run_together(partial(save, alice), partial(save, bob))))

    assert sorted(r.status_code for r in responses.values()) == [200, 302]
    winner = next(user for user, r in responses.items() if r.status_code == 302)
    loser = bob if winner == alice else alice
    contact.refresh_from_db()
    assert (contact.company_name, contact.billing_city, contact.version) == (
        typed[winner]["company_name"],
        typed[winner]["billing_city"],
        2,
    )
    assert contact.updated_by == winner
    assert list(contact.persons.values_list("last_name", flat=True)) == [typed[winner]["last"]]

    refused = responses[loser].text
    assert f"Not saved: this contact was changed by {winner.get_full_name()} at" in refused
    for value in typed[loser].values():
        assert f'value="{value}"' in refused
    # Saving the refused form again is a deliberate choice to replace the winner's changes.
    assert 'name="version" value="2"' in refused
