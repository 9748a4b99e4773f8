"""In Chromium: bob uploads an Outlook export as it comes, Kontor recognises it and assigns
every column, and the person of a row with a company is the company's contact person."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from contacts_app.models import Contact

from .test_import import log_in, upload_customers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURES = Path(__file__).resolve().parents[1] / "importer" / "fixtures"


def test_bob_imports_an_outlook_export_without_assigning_a_column(
    live_server, page, screenshot, bob, acme
):
    log_in(page, live_server, bob)
    page.locator("#main-nav").get_by_role("link", name="Import", exact=True).click()
    upload_customers(page, FIXTURES / "outlook-de-cp1252.csv")
    expect(page).to_have_url(re.compile(r"/import/runs/\d+/columns/$"))
    expect(page.get_by_test_id("recognised")).to_contain_text("Outlook export (German) recognised")
    expect(page.get_by_label("Import “Firma” into")).to_have_value("company_name")
    expect(page.get_by_label("Import “Kategorien” into")).to_have_value("tags")
    expect(page.get_by_test_id("suggestion")).to_have_count(0)
    screenshot(page, "mapping-outlook-columns")

    page.get_by_role("button", name="Check the data").click()
    expect(page).to_have_url(re.compile(r"/import/runs/\d+/preview/$"))
    expect(page.get_by_test_id("counts").locator("[data-count=new]")).to_have_text("3")
    expect(page.get_by_test_id("counts").locator("[data-count=invalid]")).to_have_text("0")
    rule = page.get_by_test_id("mixed-rows")
    expect(rule).to_contain_text("becomes the company, with that person as its contact person")
    expect(
        rule.get_by_label("A row with a company name and a person's name becomes")
    ).to_have_value("company")
    screenshot(page, "mapping-outlook-preview")

    page.get_by_role("button", name="Import now (3 new, 0 updated)").click()
    expect(page).to_have_url(re.compile(r"/import/runs/\d+/$"))

    company = Contact.objects.get(organization=acme, display_name="Bäckerei Müller GmbH")
    page.goto(live_server.url + company.get_absolute_url())
    expect(page.get_by_role("heading", name="Bäckerei Müller GmbH")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Anna Schäfer")
    expect(page.locator("main")).to_contain_text("Einkaufsleiterin")
    expect(page.locator("main")).to_contain_text("Großhandel")
    screenshot(page, "mapping-outlook-company")


def test_a_suggestion_is_marked_and_taken_only_when_ticked(
    live_server, page, screenshot, bob, tmp_path
):
    log_in(page, live_server, bob)
    page.goto(live_server.url + "/import/")
    path = tmp_path / "kunden.csv"
    path.write_bytes(b"Nachname;Handynummer\r\nKrause;+49 170 1234567\r\n")
    upload_customers(page, path)
    expect(page).to_have_url(re.compile(r"/import/runs/\d+/columns/$"))
    row = page.get_by_test_id("suggested")
    expect(row.get_by_test_id("suggestion")).to_have_text("Suggestion")
    expect(page.get_by_label("Import “Handynummer” into")).to_have_value("phone_mobile")
    screenshot(page, "mapping-suggestion")
    page.get_by_role("button", name="Check the data").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("“Mobile” is only a suggestion")
    page.get_by_label("Use the suggestion").check()
    page.get_by_role("button", name="Check the data").click()
    expect(page).to_have_url(re.compile(r"/import/runs/\d+/preview/$"))
    expect(page.get_by_test_id("preview-rows")).to_contain_text("+49 170 1234567")
