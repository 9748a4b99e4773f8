"""In Chromium: the salutation suggestions (also in a contact-person row added on the page),
the company card downloaded from the contact page, and a search row found "via" a person."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from contacts_app import services
from contacts_app.models import Contact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in_page(new_page, live_server, user, **context):
    client = Client()
    client.force_login(user)
    page = new_page(**context)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


@pytest.fixture
def bakery(acme, alice):
    return services.create_contact(
        organization=acme,
        data={"kind": "company", "company_name": "Bäckerei Müller", "billing_city": "Würzburg"},
        persons=[{"first_name": "Sabine", "last_name": "Weiß", "email": "sabine@backhaus.test"}],
        by=alice,
    )


def suggestions(field) -> list[str]:
    return field.evaluate("e => [...e.list.options].map(o => o.value + ' ' + o.label)")


def test_salutations_are_offered_in_the_form_and_in_a_new_contact_person_row(
    new_page, live_server, alice, acme, screenshot
):
    page = logged_in_page(new_page, live_server, alice, locale="de-DE")
    page.goto(live_server.url + reverse("contacts:create"))
    page.get_by_label("Firmenname").fill("Nordlicht Handel GmbH")
    page.get_by_role("button", name="Ansprechpartner hinzufügen").click()
    row = page.locator("[data-formset-row]").last
    salutation = row.get_by_label("Anrede")
    assert suggestions(salutation) == ["Herr Herr", "Frau Frau", "Divers Divers"]
    expect(salutation).to_have_attribute("placeholder", "keine")
    salutation.fill("Frau Dr.")  # any other is kept as typed
    row.get_by_label("Nachname").fill("Schröder")
    page.get_by_label("Erste Notiz").fill("Kennt uns von der Messe.")
    company_name = page.get_by_label("Firmenname")
    expect(company_name).to_have_attribute("aria-required", "true")
    salutation.focus()
    screenshot(page, "polish-salutation")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("angelegt")
    contact = Contact.objects.get(company_name="Nordlicht Handel GmbH")
    assert contact.persons.get().salutation == "Frau Dr."
    assert contact.notes.get().text == "Kennt uns von der Messe."


def test_the_company_card_is_downloaded_with_its_name(
    new_page, live_server, alice, bakery, screenshot
):
    page = logged_in_page(new_page, live_server, alice, locale="en-US")
    page.goto(live_server.url + reverse("contacts:detail", args=[bakery.pk]))
    screenshot(page, "polish-vcard-buttons", full_page=False)
    with page.expect_download() as got:
        page.get_by_test_id("vcard").click()
    download = got.value
    assert download.suggested_filename == "Bäckerei Müller.vcf"
    card = Path(download.path()).read_text(encoding="utf-8")
    assert "ORG:Bäckerei Müller" in card and "X-ABShowAs:COMPANY" in card and "N:;;;;" in card
    assert card.count("BEGIN:VCARD") == 1
    with page.expect_download() as got:
        page.get_by_test_id("vcard-persons").click()
    both = Path(got.value.path()).read_text(encoding="utf-8")
    assert got.value.suggested_filename == "Bäckerei Müller with contact persons.vcf"
    assert both.count("BEGIN:VCARD") == 2 and "N:Weiß;Sabine;;;" in both


def test_a_row_found_through_a_contact_person_says_so_as_one_types(
    new_page, live_server, alice, bakery, acme, screenshot
):
    services.create_contact(
        organization=acme,
        data={"kind": "person", "first_name": "Sabine", "last_name": "Kühn"},
        by=alice,
    )
    page = logged_in_page(new_page, live_server, alice, locale="de-DE")
    page.goto(live_server.url + reverse("contacts:list"))
    page.get_by_role("searchbox").press_sequentially("sab", delay=80)
    rows = page.get_by_test_id("contact-results").locator("tbody tr")
    expect(rows).to_have_count(2)
    bakery_row = rows.filter(has_text="Bäckerei Müller")
    expect(bakery_row.locator("[data-found-via]")).to_have_text("über Sabine Weiß")
    expect(rows.filter(has_text="Sabine Kühn").locator("[data-found-via]")).to_have_count(0)
    screenshot(page, "polish-list-via")
