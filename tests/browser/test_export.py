"""In Chromium: two ticked contacts exported as an Excel workbook from the list's bulk bar."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_contact_list import address_book
from tests.browser.test_contacts import log_in
from tests.workbooks import read_workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alice_exports_two_ticked_contacts_as_excel(live_server, page, screenshot, alice, acme):
    acme.name = "Bäckerei-Verbund Süd"
    acme.save(update_fields=["name"])
    address_book(acme)
    log_in(page, live_server, alice)
    bar = page.get_by_test_id("bulk-bar")
    for name in ("Bäckerei Schmidt", "Elbtal Gärtnerei"):
        page.get_by_role("checkbox", name=f"Select {name}").check()
    expect(bar).to_contain_text("2 contacts chosen")
    screenshot(page, "export-01-two-ticked")

    with page.expect_download() as download_info:
        bar.get_by_role("button", name="Export as Excel").click()
    download = download_info.value
    assert download.suggested_filename.startswith("Bäckerei-Verbund Süd – Customers ")
    assert download.suggested_filename.endswith(".xlsx")

    book = read_workbook(Path(download.path()).read_bytes())
    assert book.sheet_names == ["Customers"]
    header, *rows = book.rows
    assert header[:2] == ["Customer number", "Company name"]
    found = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert sorted(found) == ["Bäckerei Schmidt", "Elbtal Gärtnerei"]
    assert found["Elbtal Gärtnerei"]["Phone"] == "0351 4711"
    assert found["Bäckerei Schmidt"]["Email"] == "laden@baeckerei-schmidt.example"
    assert book.untyped == []  # every cell text: the phone number keeps its leading zero
    # The list stays as it was: the download does not leave the page.
    expect(page.get_by_test_id("contact-results")).to_be_visible()
    screenshot(page, "export-02-after-download")
