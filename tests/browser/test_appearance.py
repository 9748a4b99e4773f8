"""Pages follow the system's dark mode, keep a choice made, and switch language in a click."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/login/?next=/contacts/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/contacts/$"))


def theme(page) -> str:
    return page.evaluate("document.documentElement.getAttribute('data-bs-theme')")


def test_a_dark_system_gets_dark_pages_and_the_choice_is_kept(
    new_page, live_server, alice, screenshot
):
    page = new_page(color_scheme="dark")
    log_in(page, live_server, alice)
    assert theme(page) == "dark"
    screenshot(page, "appearance-dark-contacts")

    page.get_by_role("button", name="Light").click()
    assert theme(page) == "light"
    page.reload()
    assert theme(page) == "light"

    page.get_by_role("button", name="Like the system").click()
    assert theme(page) == "dark"


def test_the_language_switches_in_one_click(page, live_server, alice):
    log_in(page, live_server, alice)

    page.get_by_test_id("language-switch").get_by_role("button", name="Deutsch").click()

    expect(page.get_by_role("link", name="Kontakte", exact=True)).to_be_visible()
    page.get_by_test_id("language-switch").get_by_role("button", name="English").click()
    expect(page.get_by_role("link", name="Contacts", exact=True)).to_be_visible()
