"""In Chromium: bob imports an iPhone's vCard export without assigning a column and finds the
contact person of a company card on its company's page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from contacts_app.models import Contact

from .test_import import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURES = Path(__file__).resolve().parents[1] / "importer" / "fixtures" / "vcards"


def test_bob_imports_an_iphone_vcard_file_and_finds_the_contact_person(
    live_server, page, screenshot, bob, acme
):
    log_in(page, live_server, bob)
    page.locator("#main-nav").get_by_role("link", name="Import", exact=True).click()
    customers = page.locator("#import-customers")
    customers.get_by_label("CSV file, workbook or vCard file (.vcf)").set_input_files(
        str(FIXTURES / "iphone-3.0.vcf")
    )
    customers.get_by_role("button", name="Upload and check").click()

    # The columns are Kontor's own: nothing to assign, the page names the file's kind.
    expect(page).to_have_url(re.compile(r"/import/runs/\d+/columns/$"))
    expect(page.get_by_test_id("file-kind")).to_have_text(
        "vCard file from Apple Contacts (iPhone), 3 cards · 1 photo is skipped: Kontor keeps no "
        "pictures"
    )
    expect(page.get_by_test_id("not-imported")).to_have_count(0)
    screenshot(page, "vcards-01-columns")

    page.get_by_role("button", name="Check the data").click()
    expect(page).to_have_url(re.compile(r"/import/runs/\d+/preview/$"))
    expect(page.get_by_test_id("counts").locator("[data-count=new]")).to_have_text("3")
    expect(page.get_by_test_id("counts").locator("[data-count=invalid]")).to_have_text("0")
    screenshot(page, "vcards-02-preview")

    page.get_by_role("button", name="Import now (3 new, 0 updated)").click()
    expect(page.get_by_role("alert")).to_contain_text("Import finished: 3 new, 0 updated")

    # The company's page shows the person of its card as its contact person.
    company = Contact.objects.get(organization=acme, company_name="Bäckerei Müller GmbH")
    page.goto(live_server.url + company.get_absolute_url())
    expect(page.get_by_role("heading", name="Bäckerei Müller GmbH")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Anna Schäfer")
    expect(page.locator("main")).to_contain_text("Geschäftsführerin")
    expect(page.locator("main")).to_contain_text("anna.schaefer@baeckerei-mueller.de")
    screenshot(page, "vcards-03-company")
