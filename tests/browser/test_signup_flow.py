"""In Chromium: once Kontor has users, a new person signs up, confirms by e-mail and is in."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ERIKA_PASSWORD = "erika keeps a long passphrase"


def label(text: str) -> re.Pattern:
    """A form label as crispy-forms renders it, with or without the required asterisk."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def test_a_second_person_signs_up_and_confirms_the_address(
    live_server, settings, page, screenshot, alice
):
    settings.SITE_URL = live_server.url

    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/signup/$"))
    page.get_by_label(label("First name")).fill("Erika")
    page.get_by_label(label("Last name")).fill("Muster")
    page.get_by_label(label("E-mail address")).fill("erika@muster.test")
    page.get_by_label(label("Company or organization")).fill("Muster & Söhne KG")
    page.get_by_label(label("Password")).fill(ERIKA_PASSWORD)
    page.get_by_label(label("Password (again)")).fill(ERIKA_PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(re.compile(r"/signup/sent/$"))
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    expect(page.get_by_text("We have sent an e-mail to the address you entered.")).to_be_visible()
    screenshot(page, "11-signup-check-your-inbox")

    [message] = mail.outbox
    assert message.to == ["erika@muster.test"]
    link = re.search(rf"{re.escape(live_server.url)}/signup/confirm/\?token=[\w-]+", message.body)
    page.goto(link.group(0))

    expect(page).to_have_url(re.compile(r"/signup/confirm/$"))
    expect(page.get_by_role("heading", name="Confirm your account")).to_be_visible()
    expect(page.get_by_text("Muster & Söhne KG")).to_be_visible()
    page.get_by_label(label("Password")).fill(ERIKA_PASSWORD)
    screenshot(page, "12-signup-confirm")
    page.get_by_role("button", name="Create account and log in").click()

    expect(page).to_have_url(re.compile(r"/contacts/$"))
    expect(page.get_by_role("alert")).to_contain_text("Welcome to Kontor!")
    expect(page.get_by_test_id("user-menu")).to_have_text("Erika")
    screenshot(page, "13-signup-confirmed-on-contacts")

    # Erika is the admin of her own organization; alice, who was there before, is not in it.
    assert alice.memberships.get().organization.name == "Acme GmbH"


def test_in_development_the_inbox_page_points_to_the_terminal(
    live_server, settings, page, screenshot
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

    page.goto(live_server.url + "/signup/sent/")

    expect(page.get_by_test_id("mail-console-hint")).to_contain_text(
        "the e-mail was printed in the terminal where Kontor runs"
    )
    screenshot(page, "14-signup-check-your-inbox-development")
