"""In Chromium: bob deletes a company with two contact persons, a website and a note, finds it
in the trash and restores it whole; then he restores an earlier version from the contact's
history. A product's history, with an earlier version restored. And alice, an admin, deletes a
contact and a product for good from the trash."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from contacts_app import services
from contacts_app.models import Contact
from products import services as product_services
from products.models import Product

from .test_contacts import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def nordlicht(acme, by) -> Contact:
    contact = services.create_contact(
        organization=acme,
        data={"kind": "company", "company_name": "Nordlicht Handel GmbH", "billing_city": "Kiel"},
        by=by,
        persons=[
            {"first_name": "Jana", "last_name": "Bergström", "is_primary": True},
            {"first_name": "Tom", "last_name": "Kowalski"},
        ],
        profiles=[{"kind": "website", "value": "https://nordlicht.example"}],
    )
    services.add_note(contact=contact, text="Wants the spring catalogue.", by=by)
    return contact


def test_bob_restores_a_contact_from_the_trash_and_from_its_history(
    live_server, page, screenshot, bob, acme
):
    contact = nordlicht(acme, bob)
    services.update_contact(
        contact=contact,
        data={"company_name": "Nordlicht Handel AG", "billing_city": "Hamburg"},
        by=bob,
        expected_version=contact.version,
    )
    services.create_contact(
        organization=acme, data={"kind": "company", "company_name": "Zeppelin AG"}, by=bob
    )
    log_in(page, live_server, bob)

    # Delete: the confirmation says it goes to the trash.
    page.get_by_role("link", name="Nordlicht Handel AG").click()
    page.get_by_role("link", name="Delete").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete “Nordlicht Handel AG”?")
    expect(page.get_by_text("For 30 days it can be restored there whole")).to_be_visible()
    page.get_by_test_id("confirm-delete").click()
    expect(page).to_have_url(re.compile(r"/contacts/$"))
    expect(page.get_by_role("alert")).to_contain_text(
        "“Nordlicht Handel AG” was moved to the trash. It can be restored there for 30 days."
    )
    expect(page.get_by_test_id("contact-results")).not_to_contain_text("Nordlicht")

    # The trash, reached from the navigation.
    page.get_by_role("button", name="Settings").click()
    page.get_by_test_id("nav-trash").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trash")
    row = page.get_by_test_id("trash-item").filter(has_text="Nordlicht Handel AG")
    expect(row).to_contain_text("2 contact persons · 1 web profile · 1 note")
    expect(row).to_contain_text("by Bob Member")
    expect(row.get_by_test_id("days-left")).to_have_text("in 30 days")
    expect(row.get_by_test_id("delete-for-good")).to_have_count(0)  # admins only
    screenshot(page, "trash-01-page")

    # Restore: the contact's page, whole again.
    row.get_by_test_id("restore").click()
    expect(page).to_have_url(re.compile(rf"/contacts/{contact.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text(
        "“Nordlicht Handel AG” is back from the trash."
    )
    expect(page.get_by_test_id("persons")).to_contain_text("Jana Bergström")
    expect(page.get_by_test_id("persons")).to_contain_text("Tom Kowalski")
    expect(page.get_by_role("link", name="https://nordlicht.example")).to_be_visible()
    expect(page.get_by_test_id("notes")).to_contain_text("Wants the spring catalogue.")
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("restored from the trash")
    expect(history).to_contain_text("moved to the trash")

    # An earlier version from the history: the one it was created as.
    created = history.get_by_test_id("history-entry").last
    expect(created).to_contain_text("created")
    created.get_by_test_id("restore-version").click()
    expect(page.get_by_role("alert")).to_contain_text("was restored.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nordlicht Handel GmbH")
    expect(page.get_by_text("Kiel", exact=False).first).to_be_visible()
    expect(page.get_by_test_id("persons")).to_contain_text("Tom Kowalski")
    screenshot(page, "trash-02-contact-restored")
    restored = Contact.objects.get(pk=contact.pk)
    assert (restored.company_name, restored.billing_city) == ("Nordlicht Handel GmbH", "Kiel")
    assert restored.persons.count() == 2
    assert restored.notes.count() == 1


def test_alice_sees_a_products_history_and_restores_an_earlier_price(
    live_server, page, screenshot, alice, acme
):
    product = product_services.create_product(
        organization=acme,
        data={"name": "Kaffeemaschine Barista", "number": "K-1", "price": Decimal("199")},
        by=alice,
    )
    product_services.update_product(
        product=product, data={"price": Decimal("249"), "tax_rate": 7}, by=alice
    )
    product_services.archive_product(product=product, by=alice)
    log_in(page, live_server, alice)

    page.goto(f"{live_server.url}/products/{product.pk}/")
    history = page.get_by_test_id("history")
    entries = history.get_by_test_id("history-entry")
    expect(entries).to_have_count(3)
    expect(entries.nth(1)).to_contain_text("Net price: 199.00 € → 249.00 €")
    expect(entries.nth(1)).to_contain_text("Tax rate: 19 % → 7 %")
    expect(entries.nth(0)).to_contain_text("Archived: no → yes")
    screenshot(page, "trash-03-product-history")

    entries.last.get_by_test_id("restore-version").click()
    expect(page.get_by_role("alert")).to_contain_text("was restored.")
    expect(page.get_by_role("definition").filter(has_text="236.81 €")).to_be_visible()
    product.refresh_from_db()
    assert (product.net_price, product.tax_rate, product.archived) == (Decimal("199.00"), 19, False)

    # The product goes to the trash and is listed there with its number.
    page.get_by_test_id("product-actions").get_by_role("link", name="Delete").click()
    page.get_by_test_id("confirm-delete").click()
    page.get_by_test_id("trash-link").click()
    expect(page.get_by_test_id("trash-item")).to_contain_text("No. K-1")
    expect(page.get_by_test_id("delete-for-good")).to_be_visible()  # alice is an admin
    screenshot(page, "trash-04-products")
    assert Product.all_objects.trashed().filter(pk=product.pk).exists()


def test_alice_deletes_a_contact_and_a_product_for_good(live_server, page, screenshot, alice, acme):
    from contacts_app.models import ContactPerson, Note
    from history.models import Change

    contact = nordlicht(acme, alice)
    services.trash_contact(contact=contact, by=alice)
    product = product_services.create_product(
        organization=acme,
        data={"name": "Mühle Ölkanne", "number": "M-7", "price": Decimal("12.5")},
        by=alice,
    )
    product_services.trash_product(product=product, by=alice)
    log_in(page, live_server, alice)

    page.get_by_role("button", name="Settings").click()
    page.get_by_test_id("nav-trash").click()
    row = page.get_by_test_id("trash-item").filter(has_text="Nordlicht Handel GmbH")
    row.get_by_test_id("delete-for-good").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Delete “Nordlicht Handel GmbH” for good?"
    )
    screenshot(page, "trash-05-confirm-delete-for-good")
    page.get_by_test_id("confirm-delete-for-good").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "“Nordlicht Handel GmbH” was deleted for good."
    )
    expect(page.get_by_test_id("trash-item")).to_have_count(0)
    assert not Contact.all_objects.filter(pk=contact.pk).exists()
    assert not ContactPerson.objects.filter(contact_id=contact.pk).exists()
    assert not Note.objects.filter(contact_id=contact.pk).exists()
    deleted = Change.objects.get(kind="contact", object_id=contact.pk, action="deleted")
    assert deleted.fields["display_name"] == ["Nordlicht Handel GmbH", None]

    expect(page.get_by_test_id("trash-tab-products")).to_contain_text("1")
    page.get_by_test_id("trash-tab-products").click()
    row = page.get_by_test_id("trash-item").filter(has_text="Mühle Ölkanne")
    row.get_by_test_id("delete-for-good").click()
    page.get_by_test_id("confirm-delete-for-good").click()
    expect(page.get_by_role("alert")).to_contain_text("was deleted for good.")
    screenshot(page, "trash-06-products-emptied")
    assert not Product.all_objects.filter(pk=product.pk).exists()
    change = Change.objects.get(kind="product", object_id=product.pk, action="deleted")
    assert change.fields == {"name": ["Mühle Ölkanne", None], "number": ["M-7", None]}
