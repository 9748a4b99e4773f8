"""The product list asks the database a fixed number of queries, however much it shows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .conftest import make_product

pytestmark = pytest.mark.django_db

MAX_QUERIES = 8


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_needs_few_queries(alice_client, acme, django_assert_max_num_queries, count):
    for n in range(count):
        make_product(acme, f"Artikel {n}", number=f"A-{n}", gtin="4006381333931")

    with django_assert_max_num_queries(MAX_QUERIES):
        response = alice_client.get(reverse("products:list"), {"q": "artikel", "kind": "product"})

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count, 25)


def queries_for(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("products:list")).status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_the_page(alice_client, acme):
    make_product(acme, "Eins")
    queries_for(alice_client)  # the first visit also stores the current organization
    one = queries_for(alice_client)
    for n in range(30):
        make_product(acme, f"Artikel {n}")
    assert queries_for(alice_client) == one
