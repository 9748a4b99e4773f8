"""/api/v1/articles: Kontor's products in lexoffice's article shape."""

from __future__ import annotations

from decimal import Decimal

import pytest

from api.ids import ARTICLE, to_uuid
from products.models import Product
from products.services import create_product

pytestmark = pytest.mark.django_db
URL = "/api/v1/articles"


def article(**extra):
    payload = {
        "title": "Kaffee 1 kg",
        "type": "PRODUCT",
        "articleNumber": "K-1",
        "gtin": "4006381333931",
        "unitName": "Stück",
        "price": {"netPrice": 12.5, "leadingPrice": "NET", "taxRate": 7},
    }
    payload.update(extra)
    return payload


def test_it_creates_an_article_and_computes_the_other_price(api, acme):
    response = api.post(URL, article())

    assert response.status_code == 201
    product = Product.objects.get(organization=acme)
    assert response.json()["id"] == to_uuid(ARTICLE, product.pk)
    assert (product.net_price, product.gross_price, product.tax_rate) == (
        Decimal("12.50"),
        Decimal("13.38"),
        7,
    )
    body = api.get(f"{URL}/{product.pk}").json()
    assert body["price"] == {
        "netPrice": 12.5,
        "grossPrice": 13.38,
        "leadingPrice": "NET",
        "taxRate": 7.0,
    }
    assert (body["title"], body["type"], body["articleNumber"], body["unitName"]) == (
        "Kaffee 1 kg",
        "PRODUCT",
        "K-1",
        "Stück",
    )


def test_article_writes_are_in_the_history_via_the_api(api, acme):
    from history.models import ChangeSet, Source

    api.post(URL, article())

    assert list(ChangeSet.objects.values_list("source", "label")) == [(Source.API, "Online shop")]


def test_a_gross_price_leads_when_it_says_so(api, acme):
    api.post(URL, article(price={"grossPrice": 119, "leadingPrice": "GROSS", "taxRate": 19}))

    product = Product.objects.get()
    assert (product.net_price, product.gross_price) == (Decimal("100.00"), Decimal("119.00"))


def test_the_product_form_refuses_what_the_page_refuses(api, acme):
    create_product(organization=acme, by=None, data={"name": "Alt", "number": "K-1", "price": 1})

    response = api.post(
        URL,
        article(gtin="4006381333932", price={"netPrice": 1, "leadingPrice": "NET", "taxRate": 16}),
    )

    assert response.status_code == 400
    fields = {d["field"] for d in response.json()["details"]}
    assert fields == {"articleNumber", "gtin", "price.taxRate"}
    assert Product.objects.count() == 1


def test_filters_and_pages(api, acme):
    for number, kind in (("A-1", "product"), ("A-2", "service"), ("A-3", "service")):
        create_product(
            organization=acme,
            by=None,
            data={"name": number, "number": number, "kind": kind, "price": 1},
        )

    assert api.get(URL, {"articleNumber": "A-2"}).json()["totalElements"] == 1
    services = api.get(URL, {"type": "SERVICE", "size": 1})
    assert (services.json()["totalElements"], services.json()["totalPages"]) == (2, 2)
    assert api.get(URL, {"type": "THING"}).status_code == 400


def test_a_stale_version_is_a_409(api, acme):
    api.post(URL, article())
    product = Product.objects.get()
    version = api.get(f"{URL}/{product.pk}").json()["version"]

    first = api.put(f"{URL}/{product.pk}", article(title="Kaffee 500 g", version=version))
    second = api.put(f"{URL}/{product.pk}", article(title="Tee", version=version))

    assert first.status_code == 200 and first.json()["version"] != version
    assert second.status_code == 409
    product.refresh_from_db()
    assert product.name == "Kaffee 500 g"


def test_delete_and_tenancy(api, viewer_api, globex_api, acme):
    api.post(URL, article())
    product = Product.objects.get()

    assert globex_api.get(f"{URL}/{product.pk}").status_code == 404
    assert viewer_api.delete(f"{URL}/{product.pk}").status_code == 403
    assert api.delete(f"{URL}/{product.pk}").status_code == 204
    assert not Product.objects.filter(pk=product.pk).exists()
