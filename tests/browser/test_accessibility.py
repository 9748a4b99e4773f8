"""Accessibility in Chromium: axe-core finds no serious or critical violation on the main
pages, in German and English, light and dark; the keyboard reaches every main action, and
what it focuses is outlined.

axe-core comes from the npm registry at test time, into a cache outside the repository
(KONTOR_AXE_DIR, /tmp/kontor-axe by default); without npm or the registry the axe tests are
skipped, saying so.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from contacts_app import services, tags

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_DIR = Path(os.environ.get("KONTOR_AXE_DIR", "/tmp/kontor-axe"))
AXE_SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_VERSION = "axe-core@4"
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("axe-core is not installed and there is no npm to install it with")
        try:
            subprocess.run(  # noqa: S603 - a fixed command
                [npm, "install", "--prefix", str(AXE_DIR), AXE_VERSION, "--no-audit", "--no-fund"],
                check=True,
                capture_output=True,
                timeout=300,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            pytest.skip(f"axe-core could not be installed from the npm registry: {error}")
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def book(acme, alice):
    company = services.create_contact(
        organization=acme,
        data={
            "kind": "company",
            "company_name": "Bäckerei Müller",
            "billing_city": "Würzburg",
            "email_business": "info@baeckerei-mueller.de",
            "phone_business": "0931 554433",
        },
        persons=[{"first_name": "Sabine", "last_name": "Weiß", "email": "sabine@backhaus.test"}],
        by=alice,
    )
    tags.set_tags(contact=company, names=["Stammkunde"], by=alice)
    services.add_note(contact=company, text="Liefert montags.", by=alice)
    services.create_contact(
        organization=acme,
        data={"kind": "person", "first_name": "Erika", "last_name": "Mustermann"},
        by=alice,
    )
    return company


def logged_in_page(new_page, live_server, user, **context):
    client = Client()
    client.force_login(user)
    page = new_page(bypass_csp=True, **context)  # axe is injected as a script of its own
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def violations(page, axe_source: str) -> list[dict]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ["violations"]});
          return r.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " — " + n.failureSummary),
          }));
        }"""
    )
    return [v for v in result if v["impact"] in SERIOUS]


def pages(book) -> dict[str, str]:
    return {
        "list": reverse("contacts:list") + "?q=sabine",
        "detail": reverse("contacts:detail", args=[book.pk]),
        "form": reverse("contacts:edit", args=[book.pk]),
        "new": reverse("contacts:create"),
        "import": reverse("importer:start"),
        "users": reverse("accounts:user_list"),
    }


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["de-DE", "en-US"])
def test_the_main_pages_have_no_serious_accessibility_violation(
    new_page, live_server, alice, book, axe_source, language, scheme
):
    page = logged_in_page(new_page, live_server, alice, locale=language, color_scheme=scheme)
    found = {}
    for name, path in pages(book).items():
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.lang") == language[:2], name
        if problems := violations(page, axe_source):
            found[name] = problems
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


def focus_ring(page) -> dict:
    return page.evaluate(
        """() => {
          const e = document.activeElement;
          const s = getComputedStyle(e);
          return {
            text: (e.innerText || e.value || e.getAttribute("aria-label") || "").trim(),
            tag: e.tagName,
            visible: e.matches(":focus-visible"),
            outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2,
          };
        }"""
    )


def tab_until(page, wanted: str, limit: int = 60) -> list[dict]:
    """Press Tab until the focus is on an element named `wanted`; every stop on the way."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = focus_ring(page)
        stops.append(stop)
        if stop["text"] == wanted:
            return stops
    raise AssertionError(f"Tab never reached {wanted!r}: {[s['text'] for s in stops]}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_keyboard_reaches_the_main_actions_each_outlined(
    new_page, live_server, alice, book, scheme, screenshot
):
    page = logged_in_page(new_page, live_server, alice, locale="en-US", color_scheme=scheme)
    page.goto(live_server.url + reverse("contacts:list"))
    stops = tab_until(page, "New contact")
    stops += tab_until(page, "Bäckerei Müller")
    screenshot(page, f"a11y-focus-list-{scheme}", full_page=False)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('contacts:detail', args=[book.pk])}")
    for action in ("Download vCard", "with contact persons", "Edit", "Archive", "Delete"):
        stops += tab_until(page, action)
    stops += tab_until(page, "Add note")
    screenshot(page, f"a11y-focus-detail-{scheme}", full_page=False)
    unringed = [s for s in stops if not (s["visible"] and s["outline"])]
    assert not unringed, unringed
