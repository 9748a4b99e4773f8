"""In Chromium: alice finds two entries of one business on the duplicates page, merges them
keeping the name of one and the VAT ID of the other, then undoes the merge from the history."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from contacts_app import services
from contacts_app.models import Contact

from .test_contacts import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MUNICH = {"billing_postal_code": "80331", "billing_city": "München"}


def twins(acme, alice) -> tuple[Contact, Contact]:
    kept = services.create_contact(
        organization=acme,
        by=alice,
        data={
            "kind": "company",
            "company_name": "Holzbau Müller AG",
            "billing_street": "Hauptstraße 5",
            "email_business": "info@holzbau-mueller.de",
            **MUNICH,
        },
        persons=[{"first_name": "Jana", "last_name": "Schröder", "is_primary": True}],
    )
    services.add_note(contact=kept, text="Kunde seit 2012.", by=alice)
    other = services.create_contact(
        organization=acme,
        by=alice,
        data={
            "kind": "company",
            "company_name": "Holzbau Mueller",
            "vat_id": "DE123456788",
            "phone_business": "+49 89 123456",
            **MUNICH,
        },
        persons=[{"first_name": "Lukas", "last_name": "Müller"}],
    )
    services.add_note(contact=other, text="Liefert Holz.", by=alice)
    services.create_contact(
        organization=acme,
        by=alice,
        data={"kind": "company", "company_name": "Holzbau Müller AG", "billing_city": "Leipzig"},
    )
    return kept, other


def test_alice_merges_two_duplicates_field_by_field_and_undoes_it(
    live_server, page, screenshot, alice, acme
):
    kept, other = twins(acme, alice)
    log_in(page, live_server, alice)
    page.get_by_test_id("duplicates-link").click()
    expect(page.get_by_role("heading", name="Duplicates")).to_be_visible()
    group = page.get_by_test_id("duplicate-group")
    expect(group).to_have_count(1)  # the namesake in Leipzig is not taken for them
    expect(group.get_by_test_id("pair")).to_contain_text("Similar name, same postal code (80331)")
    screenshot(page, "duplicates-01-page")

    group.get_by_test_id("merge").click()
    expect(page.get_by_role("heading", name="Merge 2 contacts")).to_be_visible()
    table = page.get_by_test_id("merge-table")
    # The older contact is kept; its name stays, the VAT ID comes from the other.
    expect(table.get_by_label("Holzbau Müller AG", exact=True)).to_be_checked()
    row = page.get_by_test_id("merge-row-vat_id")
    expect(row.get_by_label("DE123456788")).to_be_checked()
    # Choose the other's phone number explicitly, and keep the kept contact's address.
    page.get_by_test_id("merge-row-phone_business").get_by_label("+49 89 123456").check()
    page.get_by_test_id("merge-row-billing_address").get_by_label(
        re.compile("Hauptstraße 5")
    ).check()
    screenshot(page, "duplicates-02-merge-page")
    page.get_by_test_id("merge-submit").click()

    expect(page.get_by_text("2 contacts were merged into “Holzbau Müller AG”.")).to_be_visible()
    expect(page.get_by_role("heading", name="Holzbau Müller AG")).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text="DE123456788")).to_be_visible()
    expect(page.get_by_test_id("persons")).to_contain_text("Lukas Müller")
    expect(page.get_by_test_id("notes")).to_contain_text("Liefert Holz.")
    expect(page.get_by_test_id("merge-entry")).to_contain_text(
        "Merged into this contact: Holzbau Mueller"
    )
    screenshot(page, "duplicates-03-merged-contact")
    merged = Contact.objects.get(pk=kept.pk)
    assert (merged.company_name, merged.vat_id, merged.phone_business) == (
        "Holzbau Müller AG",
        "DE123456788",
        "+49 89 123456",
    )
    assert not Contact.objects.filter(pk=other.pk).exists()

    # The search finds the merged contact by the number of the one merged into it.
    page.goto(f"{live_server.url}/contacts/?q={other.customer_number}")
    expect(page.get_by_test_id("contact-results")).to_contain_text("Holzbau Müller AG")

    page.goto(f"{live_server.url}{kept.get_absolute_url()}")
    page.get_by_test_id("undo-merge").click()
    expect(page.get_by_text("The merge was undone: “Holzbau Mueller” is back.")).to_be_visible()
    expect(page.get_by_test_id("persons")).not_to_contain_text("Lukas Müller")
    expect(page.get_by_test_id("notes")).not_to_contain_text("Liefert Holz.")
    expect(page.get_by_test_id("undo-merge")).to_have_count(0)
    screenshot(page, "duplicates-04-undone")
    restored = Contact.objects.get(pk=other.pk)
    assert restored.notes.get().text == "Liefert Holz."
    assert Contact.objects.get(pk=kept.pk).vat_id == ""

    page.goto(f"{live_server.url}/contacts/duplicates/")
    expect(page.get_by_test_id("duplicate-group")).to_have_count(1)


def test_the_duplicates_page_works_on_a_phone(live_server, new_page, screenshot, alice, acme):
    twins(acme, alice)
    phone = new_page(viewport={"width": 390, "height": 844})
    log_in(phone, live_server, alice)
    phone.goto(f"{live_server.url}/contacts/duplicates/")
    expect(phone.get_by_test_id("duplicate-group")).to_have_count(1)
    phone.get_by_test_id("merge").click()
    expect(phone.get_by_role("heading", name="Merge 2 contacts")).to_be_visible()
    screenshot(phone, "duplicates-05-merge-on-a-phone")
