"""In Chromium: the contact list as a table with bulk actions and tags, as cards on a phone, by
keyboard; the tags page; the contact form's tag box."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from contacts_app import services, tags
from contacts_app.models import Contact
from history.models import Change, Source
from history.services import FORM
from tests.browser.test_contacts import PHONE, assert_fits_the_viewport, label, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPANIES = [
    ("Alpen Software GmbH", "München", "+49 89 1234567", "info@alpen-software.example"),
    ("Bäckerei Schmidt", "Köln", "0221 765432", "laden@baeckerei-schmidt.example"),
    ("Calw Metallbau KG", "Calw", "07051 12345", "kontakt@calw-metall.example"),
    ("Deichkind Logistik", "Hamburg", "+49 (0)40 3012345", "dispo@deichkind.example"),
    ("Elbtal Gärtnerei", "Dresden", "0351 4711", "hallo@elbtal.example"),
    ("Fjord Reisen AG", "Kiel", "0431 998877", "buchung@fjord-reisen.example"),
    ("Gutshof Lindenberg", "Potsdam", "0331 123123", "hof@lindenberg.example"),
    ("Hafenkontor Bremen", "Bremen", "0421 555666", "kontor@hafen-bremen.example"),
]


def address_book(acme) -> list[Contact]:
    contacts = []
    for name, city, phone, email in COMPANIES:
        contacts.append(
            services.create_contact(
                organization=acme,
                data={
                    "kind": "company",
                    "company_name": name,
                    "billing_city": city,
                    "phone_business": phone,
                    "email_business": email,
                },
                by=None,
            )
        )
    tags.set_tags_in_bulk(
        organization=acme,
        names_by_contact={contacts[0].pk: ["Newsletter"], contacts[3].pk: ["Stammkunde"]},
        by=None,
        via=FORM,
    )
    return contacts


def test_alice_tags_three_contacts_at_once_and_filters_by_the_tag(
    live_server, page, screenshot, alice, acme
):
    contacts = address_book(acme)
    log_in(page, live_server, alice)
    page.wait_for_load_state("domcontentloaded")
    results = page.get_by_test_id("contact-results")
    expect(results.locator("tbody tr")).to_have_count(8)
    # The default columns, the tags of each contact among them.
    for heading in ("Name", "Number", "Kind", "City", "E-mail", "Phone", "Tags"):
        expect(results.get_by_role("columnheader", name=heading)).to_be_visible()
    expect(results.get_by_role("row", name=re.compile("Deichkind"))).to_contain_text("Stammkunde")

    bar = page.get_by_test_id("bulk-bar")
    expect(bar).to_contain_text("Tick contacts to act on several at once.")
    expect(bar.get_by_role("button", name="Add tag")).to_be_disabled()
    for name in ("Bäckerei Schmidt", "Calw Metallbau KG", "Elbtal Gärtnerei"):
        page.get_by_role("checkbox", name=f"Select {name}").check()
    expect(bar).to_contain_text("3 contacts chosen")
    bar.get_by_role("combobox", name="Tag to add or remove").fill("Messe 2025")
    screenshot(page, "list-01-desktop-table-three-ticked")
    bar.get_by_role("button", name="Add tag").click()

    expect(page.get_by_role("alert")).to_contain_text("Tag “Messe 2025” added to 3 contacts.")
    messe = acme.tags.get(name="Messe 2025")
    tagged = Contact.objects.filter(tags=messe).order_by("company_name")
    assert [c.company_name for c in tagged] == [
        "Bäckerei Schmidt",
        "Calw Metallbau KG",
        "Elbtal Gärtnerei",
    ]
    # One action, one change set, one change per contact.
    changes = Change.objects.filter(fields__has_key="tags", object_id__in=[c.pk for c in tagged])
    assert changes.count() == 3
    assert {c.changeset_id for c in changes} == {changes[0].changeset_id}
    assert changes[0].changeset.source == Source.BULK

    # The filter: the tag chosen among the others narrows the list without a reload.
    page.wait_for_load_state("domcontentloaded")
    page.evaluate("window.kontorNotReloaded = true")
    page.locator("[data-tag-filter] summary").click()
    page.get_by_role("checkbox", name="Messe 2025").check()
    expect(page.get_by_test_id("result-count")).to_have_text("3 contacts")
    expect(page.locator("[data-tag-filter] summary")).to_have_text("Messe 2025")
    expect(page).to_have_url(re.compile(rf"tag={messe.pk}"))
    assert page.evaluate("window.kontorNotReloaded") is True
    page.mouse.click(5, 5)  # closes the tag menu
    screenshot(page, "list-02-desktop-filtered-by-tag")
    # Two tags: the contacts carrying both.
    tags.set_tags(contact=contacts[1], names=["Messe 2025", "Newsletter"], by=None)
    page.locator("[data-tag-filter] summary").click()
    page.get_by_role("checkbox", name="Newsletter").check()
    expect(page.get_by_test_id("result-count")).to_have_text("1 contact")
    expect(page.get_by_test_id("contact-results")).to_contain_text("Bäckerei Schmidt")


def test_the_columns_and_the_sort_order_are_the_users_own(live_server, page, alice, acme):
    address_book(acme)
    log_in(page, live_server, alice)
    results = page.get_by_test_id("contact-results")
    page.get_by_role("button", name="Columns").click()
    chooser = page.get_by_test_id("column-chooser")
    chooser.get_by_label("Kind").uncheck()
    chooser.get_by_label("Last change").check()
    chooser.get_by_role("button", name="Show these columns").click()
    expect(results.get_by_role("columnheader", name="Last change")).to_be_visible()
    expect(results.get_by_role("columnheader", name="Kind")).to_have_count(0)

    results.get_by_role("link", name="City").click()
    expect(results.get_by_role("columnheader", name="City")).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(results.locator("tbody tr").first).to_contain_text("Bremen")
    results.get_by_role("link", name="City").click()
    expect(results.locator("tbody tr").first).to_contain_text("Potsdam")

    # The next visit: the same columns, the same order.
    page.goto(f"{live_server.url}/contacts/")
    expect(results.get_by_role("columnheader", name="City")).to_have_attribute(
        "aria-sort", "descending"
    )
    expect(results.get_by_role("columnheader", name="Last change")).to_be_visible()


def test_the_list_is_driven_by_the_keyboard(live_server, page, alice, acme):
    address_book(acme)
    log_in(page, live_server, alice)
    page.wait_for_load_state("domcontentloaded")
    page.keyboard.press("/")
    search = page.get_by_role("searchbox")
    expect(search).to_be_focused()
    search.press("ArrowDown")
    expect(page.get_by_role("link", name="Alpen Software GmbH")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("link", name="Calw Metallbau KG")).to_be_focused()
    page.keyboard.press("x")  # ticks the row
    expect(page.get_by_role("checkbox", name="Select Calw Metallbau KG")).to_be_checked()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(search).to_be_focused()
    search.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bäckerei Schmidt")

    page.go_back()
    page.wait_for_load_state("domcontentloaded")
    page.locator("body").press("n")
    expect(page.get_by_role("heading", name="New contact")).to_be_visible()


def test_the_list_on_a_phone_shows_six_contacts_and_dials_with_a_tap(
    live_server, new_page, screenshot, alice, acme
):
    address_book(acme)
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(phone, live_server, alice)
    rows = phone.get_by_test_id("contact-results").locator("tbody tr")
    expect(rows).to_have_count(8)
    phone.wait_for_load_state("load")  # the style sheets, which make the rows cards
    height = PHONE["height"]
    fully_visible = phone.evaluate(
        """(height) => [...document.querySelectorAll('[data-contact-row]')]
            .filter(row => row.getBoundingClientRect().bottom <= height).length""",
        height,
    )
    assert fully_visible >= 6, f"only {fully_visible} contacts fit on the screen"
    assert_fits_the_viewport(phone)
    # The filters wait behind one button.
    expect(phone.get_by_label("Role")).to_be_hidden()
    screenshot(phone, "list-03-phone-390x844", full_page=False)

    deichkind = rows.filter(has_text="Deichkind Logistik")
    expect(deichkind.get_by_role("link", name="+49 (0)40 3012345")).to_have_attribute(
        "href", "tel:+49403012345"
    )
    expect(deichkind.get_by_role("link", name="dispo@deichkind.example")).to_have_attribute(
        "href", "mailto:dispo@deichkind.example"
    )
    phone.get_by_test_id("filters-button").tap()
    expect(phone.get_by_label("Role")).to_be_visible()
    expect(phone.locator("#list-filters.collapse.show")).to_be_visible()  # opened all the way
    screenshot(phone, "list-04-phone-filters-open", full_page=False)
    # Tapping a card (not its links) opens the contact.
    rows.filter(has_text="Fjord Reisen AG").locator("td.col-city").tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Fjord Reisen AG")


def test_alice_renames_and_merges_tags_on_the_tags_page(live_server, page, screenshot, alice, acme):
    contacts = address_book(acme)
    tags.set_tags(contact=contacts[2], names=["Newsleter"], by=None)  # a typo
    log_in(page, live_server, alice)
    page.get_by_role("link", name="Tags", exact=True).click()
    expect(page.get_by_test_id("tag-row")).to_have_count(3)
    screenshot(page, "tags-01-page")

    row = page.get_by_test_id("tag-row").filter(has_text="Stammkunde")
    row.get_by_role("link", name="Rename or recolour").click()
    page.get_by_label(label("Name")).fill("Stammkundin")
    page.get_by_label("Green").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Tag “Stammkundin” saved.")
    expect(page.get_by_test_id("tags")).to_contain_text("Stammkundin")

    page.get_by_test_id("tag-row").filter(has_text="Newsleter").get_by_role(
        "link", name="Merge"
    ).click()
    page.get_by_label(label("Merge into")).select_option(label="Newsletter")
    page.get_by_role("button", name="Merge").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "“Newsleter” merged into “Newsletter”: 1 contact carries “Newsletter” instead."
    )
    expect(page.get_by_test_id("tag-row")).to_have_count(2)
    assert [t.name for t in contacts[2].tags.all()] == ["Newsletter"]


def test_the_contact_form_takes_existing_and_new_tags(live_server, page, screenshot, alice, acme):
    contacts = address_book(acme)
    log_in(page, live_server, alice)
    page.goto(f"{live_server.url}/contacts/{contacts[4].pk}/edit/")
    page.wait_for_load_state("domcontentloaded")
    box = page.get_by_role("combobox", name="Type a tag, Enter to add it")
    box.fill("newsletter")  # an existing tag, however it is written
    box.press("Enter")
    box.fill("Bio-Betrieb")
    box.press("Enter")
    box.fill("Saisonware")  # typed, not confirmed: still taken
    screenshot(page, "tags-02-contact-form", full_page=False)
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_contain_text("saved")
    shown = page.get_by_test_id("contact-tags")
    expect(shown).to_have_text(re.compile(r"Bio-Betrieb\s*Newsletter\s*Saisonware"))
    contact = Contact.objects.get(pk=contacts[4].pk)
    assert sorted(t.name for t in contact.tags.all()) == ["Bio-Betrieb", "Newsletter", "Saisonware"]
    assert acme.tags.filter(name__iexact="newsletter").count() == 1
    # The history shows it.
    expect(page.get_by_test_id("history")).to_contain_text(
        "Tags: — → Bio-Betrieb, Newsletter, Saisonware"
    )
    # A chip's × takes a tag off again.
    page.goto(f"{live_server.url}/contacts/{contact.pk}/edit/")
    page.get_by_role("button", name="Remove the tag Saisonware").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("contact-tags")).not_to_contain_text("Saisonware")
