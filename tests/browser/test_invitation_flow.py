"""In Chromium: alice signs up, invites bob; bob follows the e-mailed link and joins."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts import services
from accounts.models import Role
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOB_PASSWORD = "bob builds long passphrases"


def label(text: str) -> re.Pattern:
    """A form label as crispy-forms renders it, with or without the required asterisk."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def test_alice_signs_up_invites_bob_and_bob_joins(
    live_server, settings, page, new_page, screenshot
):
    settings.SITE_URL = live_server.url

    # alice's first visit leads to sign-up.
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/signup/$"))
    page.get_by_label(label("First name")).fill("Alice")
    page.get_by_label(label("Last name")).fill("Admin")
    page.get_by_label(label("E-mail address")).fill("alice@example.test")
    page.get_by_label(label("Company or organization")).fill("Beispiel GmbH")
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_label(label("Password (again)")).fill(PASSWORD)
    screenshot(page, "01-signup")
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(re.compile(r"/contacts/$"))
    expect(page.get_by_role("alert")).to_contain_text("Welcome to Kontor!")

    # Settings → Users → Invite user.
    page.get_by_role("button", name="Settings").or_(
        page.get_by_role("link", name="Settings")
    ).click()
    page.get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", name="Users", exact=True)).to_be_visible()
    page.get_by_role("link", name="Invite user").click()
    page.get_by_label(label("E-mail address")).fill("bob@example.test")
    page.get_by_label("Name (optional)").fill("Bob Builder")
    page.get_by_label(label("Role")).select_option(label="Member")
    screenshot(page, "02-invite")
    page.get_by_role("button", name="Send invitation").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "The invitation to bob@example.test is on its way"
    )
    pending = page.get_by_test_id("pending")
    expect(pending).to_contain_text("bob@example.test")
    expect(pending).to_contain_text("Alice Admin")
    screenshot(page, "03-users-with-pending-invitation")

    # bob gets the e-mail and opens the link in a browser of his own.
    [message] = mail.outbox
    assert message.to == ["bob@example.test"]
    link = re.search(rf"{re.escape(live_server.url)}/invitations/[\w-]+/", message.body).group(0)
    bob = new_page()
    bob.goto(link)

    expect(bob).to_have_url(re.compile(r"/invitations/accept/$"))
    expect(bob.get_by_role("heading", name="Join Beispiel GmbH on Kontor")).to_be_visible()
    expect(bob.get_by_text("Alice Admin invited you as Member.")).to_be_visible()
    expect(bob.get_by_label("E-mail address")).to_have_value("bob@example.test")
    expect(bob.get_by_label(label("First name"))).to_have_value("Bob")
    expect(bob.get_by_label(label("Last name"))).to_have_value("Builder")
    bob.get_by_label(label("Password")).fill(BOB_PASSWORD)
    bob.get_by_label(label("Password (again)")).fill(BOB_PASSWORD)
    screenshot(bob, "04-bob-accepts")
    bob.get_by_role("button", name="Set password and join").click()

    expect(bob).to_have_url(re.compile(r"/contacts/$"))
    expect(bob.get_by_role("alert")).to_contain_text("Welcome to Beispiel GmbH!")
    expect(bob.get_by_test_id("user-menu")).to_have_text("Bob")
    screenshot(bob, "05-bob-on-contacts")

    # alice sees bob among the users, and the history says what happened.
    page.reload()
    expect(page.get_by_test_id("members")).to_contain_text("bob@example.test")
    expect(page.get_by_test_id("audit")).to_contain_text("bob@example.test joined (Member)")
    expect(page.get_by_text("No open invitations.")).to_be_visible()
    screenshot(page, "06-users-after-join")


def test_the_users_page_works_on_a_phone(live_server, new_page, screenshot, acme, alice, bob, vera):
    services.invite(
        organization=acme,
        by=alice,
        email="dora.with.a.long.address@newcomer-example.test",
        name="Dora Newcomer",
        role=Role.VIEWER,
        language="en",
    )
    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.goto(live_server.url + "/login/")
    phone.get_by_label(label("E-mail address")).fill("alice@acme.test")
    phone.get_by_label(label("Password")).fill(PASSWORD)
    phone.get_by_role("button", name="Log in").click()
    expect(phone).to_have_url(re.compile(r"/contacts/$"))

    phone.goto(live_server.url + "/settings/users/")

    expect(phone.get_by_test_id("members")).to_contain_text("vera@acme.test")
    expect(phone.get_by_test_id("pending")).to_contain_text("Dora Newcomer")
    page_width = phone.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 390, "the page scrolls sideways on a phone"
    screenshot(phone, "07-users-on-a-phone")
