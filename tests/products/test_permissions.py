"""Viewers read, members and admins change, other organizations see nothing (404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from products.models import Product

from .conftest import form_data

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def product_urls(product: Product) -> dict[str, set[str]]:
    both, post = {"GET", "POST"}, {"POST"}
    return {
        reverse("products:detail", args=[product.pk]): {"GET"},
        reverse("products:edit", args=[product.pk]): both,
        reverse("products:archive", args=[product.pk]): post,
        reverse("products:unarchive", args=[product.pk]): post,
        reverse("products:delete", args=[product.pk]): both,
    }


def test_a_viewer_sees_products_but_no_edit_controls(vera_client, product):
    listing = vera_client.get(reverse("products:list"), headers=EN)
    detail = vera_client.get(reverse("products:detail", args=[product.pk]), headers=EN)

    assert listing.status_code == 200
    assert "Barista" in listing.text
    assert reverse("products:create") not in listing.text
    assert "New product" not in listing.text
    assert detail.status_code == 200
    for url in product_urls(product):
        if url != reverse("products:detail", args=[product.pk]):
            assert url not in detail.text
    assert 'data-testid="product-actions"' not in detail.text


def test_a_viewer_gets_403_on_every_post_and_form(vera_client, product):
    urls = [url for url, methods in product_urls(product).items() if "POST" in methods]
    for url in [*urls, reverse("products:create")]:
        assert vera_client.post(url, form_data(name="Vera")).status_code == 403, url
    for url in [reverse("products:create"), reverse("products:edit", args=[product.pk])]:
        assert vera_client.get(url).status_code == 403, url
    product.refresh_from_db()
    assert product.name == "Kaffeemaschine „Barista“"
    assert not product.archived
    assert Product.objects.count() == 1


@pytest.mark.parametrize("client_name", ["alice_client", "bob_client"])
def test_members_and_admins_may_change_products(request, client_name, product):
    client = request.getfixturevalue(client_name)
    assert client.get(reverse("products:edit", args=[product.pk])).status_code == 200
    response = client.post(reverse("products:archive", args=[product.pk]))
    assert response.status_code == 302


def test_another_organization_gets_404_on_every_product_url(charlie_client, product):
    for url, methods in product_urls(product).items():
        for method in methods:
            call = charlie_client.get if method == "GET" else charlie_client.post
            response = call(url, form_data(name="Charlie")) if method == "POST" else call(url)
            assert response.status_code == 404, (method, url)
    product.refresh_from_db()
    assert product.name == "Kaffeemaschine „Barista“"
    assert not product.archived


def test_another_organization_does_not_see_the_product_in_its_list(charlie_client, product):
    response = charlie_client.get(reverse("products:list"), {"status": "all"})
    assert response.status_code == 200
    assert "Barista" not in response.text


def test_a_missing_product_is_404_too(alice_client, db):
    assert alice_client.get(reverse("products:detail", args=[999999])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, product):
    for url in [reverse("products:list"), reverse("products:detail", args=[product.pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
