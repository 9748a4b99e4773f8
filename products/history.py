"""A product as the history sees it: its fields as one plain state (prices as text)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .models import Product

KIND = "product"
NOT_TRACKED = {"id", "organization", "created_by", "updated_by", "created_at", "updated_at"}
TRACKED = tuple(
    f.name for f in Product._meta.concrete_fields if f.editable and f.name not in NOT_TRACKED
)


def plain(value: Any) -> Any:
    """A field's value as JSON keeps it exactly (a price as its digits)."""
    if isinstance(value, Decimal):
        return str(value)
    return value


def product_state(product: Product) -> dict[str, Any]:
    return {name: plain(getattr(product, name)) for name in TRACKED}
