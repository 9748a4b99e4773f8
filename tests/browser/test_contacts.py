"""In Chromium: alice creates a company with two contact persons and a website, finds it by
typing part of a contact person's name, adds a note and downloads its vCard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from contacts_app import services
from contacts_app.models import Contact
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def label(text: str) -> re.Pattern:
    """A form label as crispy-forms renders it, with or without the required asterisk."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/login/?next=/contacts/")
    page.get_by_label(label("E-mail address")).fill(user.email)
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/contacts/$"))


def others(acme) -> None:
    """Contacts that the search has to leave out."""
    for name, city in [
        ("Zeppelin Logistik AG", "Friedrichshafen"),
        ("Bäckerei Schmidt", "Köln"),
        ("Alpen Software GmbH", "München"),
    ]:
        services.create_contact(
            organization=acme,
            data={"kind": "company", "company_name": name, "billing_city": city},
            by=None,
            persons=[{"first_name": "Petra", "last_name": "Meyer"}],
        )
    services.create_contact(
        organization=acme,
        data={
            "kind": "person",
            "first_name": "Erika",
            "last_name": "Mustermann",
            "billing_city": "Berlin",
            "email_private": "erika@example.org",
            "phone_mobile": "+49 171 2345678",
        },
        by=None,
    )


def fill_person(row, **values) -> None:
    for field, value in values.items():
        row.get_by_label(label(field)).fill(value)


def test_alice_creates_finds_annotates_and_downloads_a_company(
    live_server, page, new_page, screenshot, alice, acme
):
    others(acme)
    log_in(page, live_server, alice)
    expect(page.get_by_test_id("result-count")).to_have_text("4 contacts")
    screenshot(page, "contacts-01-list")

    # The form: company is preselected; contact persons and a website are added in place.
    page.get_by_role("link", name="New contact").click()
    expect(page.get_by_role("heading", name="New contact")).to_be_visible()
    expect(page.get_by_label(label("Last name")).first).to_be_hidden()  # person fields
    page.get_by_label(label("Company name")).fill("Nordlicht Handel GmbH")
    page.get_by_label(label("VAT ID")).fill("DE 123 456 788")
    page.get_by_label(label("Street and number")).first.fill("Am Sandtorkai 12")
    page.get_by_label(label("Postal code")).first.fill("20457")
    page.get_by_label(label("City")).first.fill("Hamburg")
    page.get_by_label(label("E-mail (business)")).fill("info@nordlicht.example")
    page.get_by_label(label("Phone (business)")).fill("+49 40 3012345")

    persons = page.locator("[data-prefix=persons]")
    rows = persons.locator("[data-formset-row]")
    expect(rows).to_have_count(0)
    persons.get_by_role("button", name="Add contact person").click()
    persons.get_by_role("button", name="Add contact person").click()
    expect(rows).to_have_count(2)
    fill_person(
        rows.nth(0),
        **{
            "Salutation": "Frau",
            "First name": "Jana",
            "Last name": "Bergström",
            "Position": "Einkauf",
            "E-mail": "jana.bergstroem@nordlicht.example",
            "Phone": "+49 40 3012345",
            "Extension": "21",
        },
    )
    rows.nth(0).get_by_label(label("Primary")).check()
    fill_person(rows.nth(1), **{"First name": "Tom", "Last name": "Kowalski"})

    # A third row added by mistake is removed again in place.
    persons.get_by_role("button", name="Add contact person").click()
    rows.nth(2).get_by_role("button", name="Remove contact person").click()
    expect(rows.nth(2)).to_be_hidden()

    profiles = page.locator("[data-prefix=profiles]")
    profiles.get_by_role("button", name="Add web profile").click()
    profile = profiles.locator("[data-formset-row]").first
    profile.get_by_label(label("Kind")).select_option("website")
    profile.get_by_label(label("Address or name")).fill("https://nordlicht.example")
    screenshot(page, "contacts-02-form-desktop")

    phone_page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(phone_page, live_server, alice)
    phone_page.goto(f"{live_server.url}/contacts/new/")
    phone_page.locator("[data-prefix=persons]").get_by_role(
        "button", name="Add contact person"
    ).click()
    screenshot(phone_page, "contacts-03-form-phone")
    assert_fits_the_viewport(phone_page)

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nordlicht Handel GmbH")
    expect(page.get_by_role("alert")).to_contain_text("Contact “Nordlicht Handel GmbH” created.")
    contact = Contact.objects.get(company_name="Nordlicht Handel GmbH")
    assert contact.vat_id == "DE123456788"
    assert [p.last_name for p in contact.persons.all()] == ["Bergström", "Kowalski"]
    assert list(contact.web_profiles.values_list("value", flat=True)) == [
        "https://nordlicht.example"
    ]
    expect(page.get_by_test_id("persons")).to_contain_text("Jana Bergström")
    expect(page.get_by_test_id("persons")).to_contain_text("Tom Kowalski")
    expect(page.get_by_role("link", name="https://nordlicht.example")).to_have_attribute(
        "href", "https://nordlicht.example"
    )

    # Search: typing part of a contact person's name narrows the list without a reload.
    page.get_by_role("link", name="Contacts", exact=True).first.click()
    expect(page.get_by_test_id("result-count")).to_have_text("5 contacts")
    # The page's scripts are deferred: they listen once the document is parsed.
    page.wait_for_load_state("domcontentloaded")
    page.evaluate("window.kontorNotReloaded = true")
    page.keyboard.press("/")
    search = page.get_by_role("searchbox")
    expect(search).to_be_focused()
    search.press_sequentially("bergstr", delay=40)
    expect(page.get_by_test_id("result-count")).to_have_text("1 contact")
    results = page.get_by_test_id("contact-results")
    expect(results).to_contain_text("Nordlicht Handel GmbH")
    expect(results).not_to_contain_text("Zeppelin")
    expect(page).to_have_url(re.compile(r"\?q=bergstr"))
    assert page.evaluate("window.kontorNotReloaded") is True

    # The URL carries the query: a reload shows the same result.
    page.reload()
    expect(page.get_by_role("searchbox")).to_have_value("bergstr")
    expect(page.get_by_test_id("result-count")).to_have_text("1 contact")

    phone_list = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(phone_list, live_server, alice)
    screenshot(phone_list, "contacts-04-list-phone")
    assert_fits_the_viewport(phone_list)

    # A note, added without a reload.
    page.get_by_role("link", name="Nordlicht Handel GmbH").click()
    expect(page.get_by_test_id("notes")).to_contain_text("No notes yet.")
    page.wait_for_load_state("domcontentloaded")  # htmx (deferred) sends the note form
    page.evaluate("window.kontorNotReloaded = true")
    page.get_by_label(label("Note")).fill("Wants the spring catalogue.\nCall Jana after 10.")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_test_id("notes")).to_contain_text("Wants the spring catalogue.")
    expect(page.get_by_test_id("notes")).not_to_contain_text("No notes yet.")
    expect(page.get_by_label(label("Note"))).to_have_value("")
    assert page.evaluate("window.kontorNotReloaded") is True
    assert contact.notes.get().author == alice
    screenshot(page, "contacts-05-detail")

    phone_detail = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(phone_detail, live_server, alice)
    phone_detail.goto(f"{live_server.url}/contacts/{contact.pk}/")
    screenshot(phone_detail, "contacts-06-detail-phone")
    assert_fits_the_viewport(phone_detail)

    # The vCard.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download vCard").click()
    download = download_info.value
    assert download.suggested_filename == "Nordlicht Handel GmbH.vcf"
    card = Path(download.path()).read_bytes().decode()
    assert card.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    lines = card.replace("\r\n ", "").split("\r\n")
    for expected in [
        "FN:Nordlicht Handel GmbH",
        "ORG:Nordlicht Handel GmbH",
        "EMAIL;TYPE=INTERNET,WORK:info@nordlicht.example",
        "TEL;TYPE=WORK,VOICE:+49403012345",
        "URL:https://nordlicht.example",
    ]:
        assert expected in lines, expected
    # The company's card is the company's; its contact persons come on the second link.
    assert "Bergström" not in card
    with page.expect_download() as download_info:
        page.get_by_role("link", name="with contact persons").click()
    with_persons = Path(download_info.value.path()).read_bytes().decode()
    assert with_persons.count("BEGIN:VCARD") == 3 and "Bergström" in with_persons


def assert_fits_the_viewport(page) -> None:
    """Nothing sticks out sideways: the page does not scroll horizontally."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow}px wider than the viewport"


def test_the_back_button_brings_back_the_whole_search_page(live_server, page, alice, acme):
    others(acme)
    log_in(page, live_server, alice)
    page.wait_for_load_state("domcontentloaded")  # htmx (deferred) listens to the search box
    search = page.get_by_role("searchbox")
    search.press_sequentially("zep", delay=40)
    expect(page).to_have_url(re.compile(r"/contacts/\?q=zep(&|$)"))
    search.press_sequentially("pelin", delay=40)
    expect(page).to_have_url(re.compile(r"/contacts/\?q=zeppelin(&|$)"))
    expect(page.get_by_test_id("result-count")).to_have_text("1 contact")

    page.get_by_role("link", name="Zeppelin Logistik AG").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zeppelin Logistik AG")

    page.go_back()
    expect(page).to_have_url(re.compile(r"/contacts/\?q=zeppelin(&|$)"))
    # The whole page, not the list fragment the search swapped in.
    expect(page.get_by_role("link", name="Kontor")).to_be_visible()
    expect(page.get_by_role("heading", name="Contacts", level=1)).to_be_visible()
    expect(page.get_by_role("searchbox")).to_have_value("zeppelin")
    expect(page.get_by_test_id("result-count")).to_have_text("1 contact")

    # One step further back, the search box shows the query its list was found with.
    page.go_back()
    expect(page).to_have_url(re.compile(r"/contacts/\?q=zep(&|$)"))
    expect(page.get_by_role("searchbox")).to_have_value("zep")
    expect(page.get_by_test_id("contact-results")).to_contain_text("Zeppelin Logistik AG")
    # No copy of a page with contacts on it stays in the browser's storage.
    assert "Zeppelin" not in page.evaluate("JSON.stringify(sessionStorage)")


def test_a_phone_number_typed_internationally_narrows_the_list_sign_by_sign(
    live_server, page, screenshot, alice, acme
):
    for name, phone, country in [
        ("Elbflorenz Druck GmbH", "0351 4711 00", "DE"),
        ("Wiener Kaffee GmbH", "01 234 56 78", "AT"),
        ("Dresdner Bank Filiale", "+49 351 9876", "DE"),
        ("Lyon Textiles SARL", "+33 4 72 00 11 22", "FR"),
    ]:
        services.create_contact(
            organization=acme,
            data={
                "kind": "company",
                "company_name": name,
                "phone_business": phone,
                "billing_country": country,
            },
            by=alice,
        )
    log_in(page, live_server, alice)
    page.wait_for_load_state("domcontentloaded")  # htmx (deferred) listens to the search box
    search = page.get_by_role("searchbox")
    count = page.get_by_test_id("result-count")
    results = page.get_by_test_id("contact-results")

    search.press_sequentially("+49 351", delay=40)
    expect(page).to_have_url(re.compile(r"q=%2B49%20351"))
    expect(count).to_have_text("2 contacts")
    expect(results).to_contain_text("Elbflorenz Druck GmbH")  # written 0351 …
    expect(results).to_contain_text("Dresdner Bank Filiale")
    screenshot(page, "search-phone-international")
    search.press_sequentially(" 47", delay=40)
    expect(count).to_have_text("1 contact")
    expect(results).to_contain_text("Elbflorenz Druck GmbH")

    search.fill("")
    search.press_sequentially("0043 1 234", delay=40)
    expect(count).to_have_text("1 contact")
    expect(results).to_contain_text("Wiener Kaffee GmbH")
