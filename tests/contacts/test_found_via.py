"""A search result found through a contact person or an e-mail address says so."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from .conftest import make_company, make_person

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
DE = {"accept-language": "de"}


def rows(client, query: str, **headers) -> dict[str, str]:
    """Each row's name → the "via …" line under it ("" where there is none)."""
    page = client.get(reverse("contacts:list"), {"q": query}, headers=headers).text
    found = {}
    for row in re.findall(r"<tr data-contact-row.*?</tr>", page, re.S):
        name = html.unescape(re.search(r"data-row-link>([^<]*)</a>", row).group(1))
        via = re.search(r"<div[^>]*data-found-via>([^<]*)</div>", row)
        found[name] = html.unescape(via.group(1)) if via else ""
    return found


@pytest.fixture
def bakery(acme):
    return make_company(
        acme,
        "Bäckerei Müller",
        billing_city="Würzburg",
        email_business="bestellung@backhaus.example",
        persons=[
            {"first_name": "Sabine", "last_name": "Weiß", "email": "sabine@backhaus.example"},
            {"first_name": "Jörg", "last_name": "Klein"},
        ],
    )


def test_a_row_found_through_a_contact_person_names_the_person(alice_client, bakery, acme):
    make_person(acme, "Sabine", "Weißmann")
    assert rows(alice_client, "weiß", **EN) == {
        "Bäckerei Müller": "via Sabine Weiß",
        "Sabine Weißmann": "",
    }
    assert rows(alice_client, "wei", **DE)["Bäckerei Müller"] == "über Sabine Weiß"
    assert rows(alice_client, "jörg", **EN) == {"Bäckerei Müller": "via Jörg Klein"}


def test_a_row_found_by_its_own_name_or_city_says_nothing_more(alice_client, bakery):
    assert rows(alice_client, "mü", **EN) == {"Bäckerei Müller": ""}
    assert rows(alice_client, "würzburg", **EN) == {"Bäckerei Müller": ""}
    # The name and a person together: the person is what the name alone does not explain.
    assert rows(alice_client, "bäckerei sabine", **EN) == {"Bäckerei Müller": "via Sabine Weiß"}


def test_a_row_found_through_an_e_mail_address_names_the_address(alice_client, bakery):
    assert rows(alice_client, "bestellung", **EN) == {
        "Bäckerei Müller": "via bestellung@backhaus.example"
    }
    assert rows(alice_client, "sabine@", **EN) == {"Bäckerei Müller": "via Sabine Weiß"}


def test_the_htmx_results_say_so_too(alice_client, bakery):
    response = alice_client.get(
        reverse("contacts:list"), {"q": "sabine"}, headers={"HX-Request": "true", **EN}
    )
    assert "via Sabine Weiß" in response.text
