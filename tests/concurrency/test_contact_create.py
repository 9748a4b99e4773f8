"""Many contacts saved through the form at the same moment: every one gets its own number."""

from __future__ import annotations

from functools import partial

from django.urls import reverse

from contacts_app.models import Contact
from tests.contacts.conftest import contact_post_data

from .conftest import browser_for, run_together, tabs_of

TABS_EACH = 25


def test_fifty_contacts_created_at_once_get_fifty_distinct_numbers(acme, alice, bob):
    url = reverse("contacts:create")
    tabs = []
    for user in (alice, bob):
        browser = browser_for(user)
        assert browser.get(url).status_code == 200
        tabs += tabs_of(browser, TABS_EACH)
    posts = [
        partial(
            tab.post,
            url,
            contact_post_data(company_name=f"Gleichzeitig {n:02d} GmbH", is_supplier=n % 5 == 0),
        )
        for n, tab in enumerate(tabs)
    ]

    responses = run_together(*posts)

    assert [r.status_code for r in responses] == [302] * len(tabs)
    contacts = Contact.objects.filter(organization=acme)
    customers = sorted(contacts.values_list("customer_number", flat=True))
    suppliers = sorted(filter(None, contacts.values_list("supplier_number", flat=True)))
    assert customers == list(range(10000, 10000 + len(tabs)))
    assert suppliers == list(range(70000, 70000 + len(tabs) // 5))
    # Each tab is sent on to the contact it created.
    assert {r["Location"] for r in responses} == {
        reverse("contacts:detail", args=[pk]) for pk in contacts.values_list("pk", flat=True)
    }
