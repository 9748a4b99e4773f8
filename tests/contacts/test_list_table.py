"""The list as a table: the columns each user chooses, sorting by a header, both remembered per
user and organization; phone numbers and e-mail addresses as links to call and write."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.models import Membership, Role
from contacts_app.list_columns import COLUMNS, DEFAULT_COLUMNS
from contacts_app.models import ContactListPreference

from .conftest import make_company, make_person

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


@pytest.fixture
def book(acme):
    return [
        make_company(
            acme,
            "Deichkind Logistik",
            billing_city="Hamburg",
            billing_postal_code="20457",
            phone_business="+49 (0)40 3012345",
            email_business="dispo@deichkind.example",
        ),
        make_company(acme, "Alpen Software", billing_city="München", phone_office="089 1234567"),
        make_person(acme, "Carla", "Brandt", billing_city="Zwickau", is_supplier=True),
    ]


def headings(page: str) -> list[str]:
    head = page.split("<thead", 1)[1].split("</thead>", 1)[0]
    return [
        re.sub(r"<[^>]+>|[▲▼]", "", cell).strip()
        for cell in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)
    ]


def names(page: str) -> list[str]:
    return re.findall(r"data-row-link>([^<]*)</a>", page)


def test_the_list_shows_the_default_columns(alice_client, book):
    page = alice_client.get(reverse("contacts:list"), headers=EN).text
    # The first heading is the check box's for choosing the whole page.
    assert headings(page)[1:] == ["Name", "Number", "Kind", "City", "E-mail", "Phone", "Tags"]
    assert len(DEFAULT_COLUMNS) == 7


def test_phone_numbers_dial_and_addresses_write_with_a_tap(alice_client, book):
    page = alice_client.get(reverse("contacts:list")).text
    assert '<a href="tel:+49403012345" class="text-nowrap" data-reach>+49 (0)40 3012345</a>' in page
    assert 'href="tel:+49891234567"' in page
    assert '<a href="mailto:dispo@deichkind.example" data-reach>' in page


def test_a_user_chooses_the_columns_and_keeps_them(alice_client, alice, acme, book):
    response = alice_client.post(
        reverse("contacts:list_columns"),
        {"columns": ["city", "changed"], "params": "q=a&sort=city"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:list") + "?q=a&sort=city"
    page = alice_client.get(reverse("contacts:list"), headers=EN).text
    assert headings(page)[1:] == ["Name", "City", "Last change"]  # the name is always there
    saved = ContactListPreference.objects.get(user=alice, organization=acme)
    assert saved.columns == ["name", "city", "changed"]


def test_the_choice_is_the_users_own(alice_client, bob_client, book):
    alice_client.post(reverse("contacts:list_columns"), {"columns": ["city"]})
    page = bob_client.get(reverse("contacts:list"), headers=EN).text
    assert headings(page)[1:] == ["Name", "Number", "Kind", "City", "E-mail", "Phone", "Tags"]


def test_the_choice_belongs_to_one_organization(alice_client, alice, globex, book):
    Membership.objects.create(user=alice, organization=globex, role=Role.ADMIN)
    alice_client.post(reverse("contacts:list_columns"), {"columns": ["city"]})
    alice_client.post(reverse("accounts:organization_switch"), {"organization": "globex"})
    make_company(globex, "Globex Tochter")
    page = alice_client.get(reverse("contacts:list"), headers=EN).text
    assert "Kind" in headings(page)


def test_a_viewer_chooses_columns_too(vera_client, vera, book):
    response = vera_client.post(reverse("contacts:list_columns"), {"columns": ["phone"]})
    assert response.status_code == 302
    page = vera_client.get(reverse("contacts:list"), headers=EN).text
    assert headings(page) == ["Name", "Phone"]  # and no check box column


def test_the_column_chooser_only_leads_back_to_the_list(alice_client, book):
    for params in ("//evil.example/x", "https://evil.example", "\r\nLocation: x"):
        response = alice_client.post(
            reverse("contacts:list_columns"), {"columns": ["city"], "params": params}
        )
        assert response["Location"].startswith(reverse("contacts:list") + "?")
        assert "\n" not in response["Location"]


def test_a_header_sorts_the_list_and_the_next_click_turns_it_round(alice_client, book):
    page = alice_client.get(reverse("contacts:list"), {"q": "", "role": ""}).text
    city = re.search(r'<th class="col-city"[^>]*><a class="sort-link" href="([^"]+)"', page)
    assert city.group(1).endswith("sort=city")
    by_city = alice_client.get(reverse("contacts:list") + city.group(1).replace("&amp;", "&"))
    assert names(by_city.text) == ["Deichkind Logistik", "Alpen Software", "Carla Brandt"]
    assert '<th class="col-city" scope="col" aria-sort="ascending">' in by_city.text
    turned = re.search(
        r'<th class="col-city"[^>]*><a class="sort-link" href="([^"]+)"', by_city.text
    )
    assert turned.group(1).endswith("sort=-city")


def test_the_last_change_sorts_newest_first_at_the_first_click(alice_client, book):
    alice_client.post(reverse("contacts:list_columns"), {"columns": ["changed"]})
    page = alice_client.get(reverse("contacts:list")).text
    changed = re.search(r'<th class="col-changed"[^>]*><a class="sort-link" href="([^"]+)"', page)
    assert changed.group(1) == "?sort=-changed"


def test_the_sort_order_is_remembered_for_the_next_visit(alice_client, bob_client, book):
    alice_client.get(reverse("contacts:list"), {"sort": "-name"})
    assert names(alice_client.get(reverse("contacts:list")).text) == [
        "Deichkind Logistik",
        "Carla Brandt",
        "Alpen Software",
    ]
    assert names(bob_client.get(reverse("contacts:list")).text)[0] == "Alpen Software"
    # An order the list does not know is not remembered.
    alice_client.get(reverse("contacts:list"), {"sort": "password"})
    assert names(alice_client.get(reverse("contacts:list")).text)[0] == "Deichkind Logistik"


def test_columns_no_longer_known_are_left_out(alice_client, alice, acme, book):
    ContactListPreference.objects.create(
        user=alice, organization=acme, columns=["industry_of_old", "city"], sort="gone"
    )
    page = alice_client.get(reverse("contacts:list"), headers=EN).text
    assert headings(page)[1:] == ["Name", "City"]


def test_every_sortable_column_sorts_by_a_known_order():
    from contacts_app.selectors import SORTS

    for column in COLUMNS:
        if column.sort:
            assert column.sort in SORTS and f"-{column.sort}" in SORTS


def test_the_phone_has_the_filters_behind_one_button(alice_client, book):
    page = alice_client.get(reverse("contacts:list"), headers=EN).text
    assert 'data-bs-target="#list-filters"' in page
    assert re.search(r'id="list-filters"[^>]*>.*name="role"', page, re.S)


def test_the_keyboard_shortcut_for_a_new_contact_is_only_for_editors(
    alice_client, vera_client, book
):
    assert 'data-shortcut="n"' in alice_client.get(reverse("contacts:list")).text
    assert 'data-shortcut="n"' not in vera_client.get(reverse("contacts:list")).text


def test_the_list_and_its_bulk_bar_speak_german(alice_client, acme, book):
    page = alice_client.get(reverse("contacts:list"), headers={"accept-language": "de"}).text
    for text in ("Schlagwörter", "Spalten", "Schlagwort hinzufügen", "In den Papierkorb"):
        assert text in page
