"""Products for the tests, made through the services as the pages and the importer make them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from accounts.models import Organization, User
from products import services
from products.models import Product


def make_product(
    organization: Organization,
    name: str = "Brötchen",
    *,
    price: str = "2.50",
    by: User | None = None,
    **fields: Any,
) -> Product:
    data = {"name": name, "unit": "Stück", "tax_rate": 7, "price": Decimal(price), **fields}
    return services.create_product(organization=organization, data=data, by=by)


def form_data(**overrides: str) -> dict[str, str]:
    """What the browser posts for the product form."""
    data = {
        "kind": "product",
        "name": "Fliesenkleber 25 kg",
        "number": "A-1001",
        "gtin": "",
        "unit": "Stück",
        "tax_rate": "19",
        "leading_price": "net",
        "price": "366,67",
        "description": "",
        "internal_note": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def product(acme, alice) -> Product:
    return make_product(acme, "Kaffeemaschine „Barista“", price="199.00", number="K-1", by=alice)
