"""The list and search pages ask the database a fixed number of queries, however much they show
(tags included)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts_app import services, tags
from contacts_app.models import Contact
from history.services import FORM

from .conftest import make_company, make_person

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


def fill(organization, count: int) -> None:
    """`count` contacts, every other one with two tags."""
    first = Contact.objects.filter(organization=organization).count()
    for n in range(first, first + count):
        if n % 3:
            make_company(
                organization,
                f"Maier Handel {n}",
                billing_city="Stuttgart",
                email_business=f"info{n}@maier.de",
                phone_business=f"0711 {n:06d}",
                persons=[{"first_name": "Max", "last_name": f"Maier {n}"}],
                profiles=[{"kind": "website", "value": f"https://maier{n}.de"}],
            )
        else:
            make_person(organization, "Anna", f"Maier {n}", is_supplier=True)
    tagged = Contact.objects.filter(organization=organization).order_by("pk")[first::2]
    tags.set_tags_in_bulk(
        organization=organization,
        names_by_contact={c.pk: ["VIP", f"Messe {c.pk % 4}"] for c in tagged},
        by=None,
        via=FORM,
    )


def queries_for(client, url: str, params: dict, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params, headers=headers)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "maier"},
        {"q": "0711"},
        {"q": "maier", "role": "customer", "kind": "company", "sort": "city"},
        {"q": "maier", "page": "2"},
        {"tag": "VIP"},
        {"tag": "VIP", "q": "maier", "sort": "-changed"},
        {"q": "max"},
        {"q": "info"},
    ],
    ids=[
        "list",
        "search",
        "phone",
        "filtered",
        "page-2",
        "tag",
        "tag-and-search",
        "via-person",
        "via-email",
    ],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_the_list_uses_a_fixed_number_of_queries(
    alice_client, acme, django_assert_max_num_queries, params, htmx
):
    url = reverse("contacts:list")
    headers = {"HX-Request": "true"} if htmx else {}
    alice_client.get(url)  # the first request stores the current organization in the session
    fill(acme, 5)
    if "tag" in params:
        params = {**params, "tag": acme.tags.get(name=params["tag"]).pk}
    alice_client.get(url, params)  # a sort asked for is remembered once, for the next visit
    few = queries_for(alice_client, url, params, **headers)
    fill(acme, 35)
    with django_assert_max_num_queries(MAX_QUERIES):
        many = queries_for(alice_client, url, params, **headers)
    assert many == few


def test_the_contact_page_uses_a_fixed_number_of_queries(alice_client, alice, acme):
    small = make_company(acme, "Klein", persons=[{"last_name": "Eins"}])
    big = make_company(
        acme,
        "Groß",
        persons=[{"last_name": f"Person {n}", "email": f"p{n}@gross.de"} for n in range(8)],
        profiles=[{"kind": "website", "value": f"https://gross{n}.de"} for n in range(4)],
    )
    for contact, notes in ((small, 1), (big, 10)):
        for n in range(notes):
            services.add_note(contact=contact, text=f"Note {n}", by=alice)
    url = reverse("contacts:detail", args=[small.pk])
    alice_client.get(url)  # the first request stores the current organization in the session
    few = queries_for(alice_client, url, {})
    many = queries_for(alice_client, reverse("contacts:detail", args=[big.pk]), {})
    assert many == few
