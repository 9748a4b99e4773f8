"""Everything that changes products: create, update, archive, delete.

Views, the importer and the admin all go through these functions, so the computed price and the
search text are right whichever way a product comes in: `apply_product_data` is the one rule for
how given values become a product's fields. The importer builds many products with
`build_product` (and changes many with `apply_product_data`) and saves them in bulk.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from core.folding import fold_variants
from core.values import validate_gtin

from .models import Product

CENT = Decimal("0.01")


class ProductData(TypedDict, total=False):
    """What a product is made of. `price` is net or gross as `leading_price` says."""

    kind: str
    number: str
    gtin: str
    name: str
    description: str
    internal_note: str
    unit: str
    tax_rate: int | Decimal
    leading_price: str
    price: Decimal


# The fields given as they are (ProductData without the price), and every field that
# `apply_product_data` may change.
FIELDS = ("kind", "number", "gtin", "name", "description", "internal_note", "unit", "tax_rate")
APPLIED_FIELDS = (*FIELDS, "leading_price", "net_price", "gross_price", "search_text")
# Checked separately or not at all: the organization and users are set by the code, not typed.
NOT_CHECKED = ["organization", "created_by", "updated_by"]
NUMBER_TAKEN = _("Another product already has the number “%(number)s”.")


def compute_prices(
    *, price: Decimal, leading: str, tax_rate: int | Decimal
) -> tuple[Decimal, Decimal]:
    """(net, gross) from the price the user gave, both rounded to cents (half up)."""
    factor = (Decimal(100) + Decimal(tax_rate)) / 100
    if leading == Product.LeadingPrice.GROSS:
        gross = Decimal(price).quantize(CENT, ROUND_HALF_UP)
        return (gross / factor).quantize(CENT, ROUND_HALF_UP), gross
    net = Decimal(price).quantize(CENT, ROUND_HALF_UP)
    return net, (net * factor).quantize(CENT, ROUND_HALF_UP)


def product_search_text(product: Product) -> str:
    parts = [product.name, product.number, product.gtin, product.description]
    return " | ".join(fold_variants(part) for part in parts if part)


def refresh_derived_fields(product: Product) -> None:
    """Compute the price that was not entered, and the search text, from the rest."""
    leading = product.leading_price
    entered = product.gross_price if leading == Product.LeadingPrice.GROSS else product.net_price
    product.net_price, product.gross_price = compute_prices(
        price=entered, leading=leading, tax_rate=product.tax_rate
    )
    product.search_text = product_search_text(product)


def apply_product_data(product: Product, data: ProductData | Mapping[str, Any]) -> None:
    """Set the product's fields from `data` (those it has; the others stay), with the price not
    entered and the search text computed. Saves nothing."""
    values: Mapping[str, Any] = data
    for field in FIELDS:
        if field in values:
            value = values[field]
            setattr(product, field, value.strip() if isinstance(value, str) else value)
    if "tax_rate" in data:
        product.tax_rate = int(data["tax_rate"])
    if "leading_price" in data:
        product.leading_price = data["leading_price"]
    if "price" in data:
        if product.leading_price == Product.LeadingPrice.GROSS:
            product.gross_price = data["price"]
        else:
            product.net_price = data["price"]
    if product.gtin:
        # "4 006381 333931" is stored as its digits; a wrong one is left for full_clean to name.
        with suppress(ValidationError):
            product.gtin = validate_gtin(product.gtin)
    refresh_derived_fields(product)


def number_taken(
    *, organization: Organization, number: str, exclude: Product | None = None
) -> bool:
    if not number:
        return False
    others = Product.objects.filter(organization=organization, number=number)
    if exclude is not None and exclude.pk:
        others = others.exclude(pk=exclude.pk)
    return others.exists()


def _check_and_save(product: Product) -> None:
    product.full_clean(exclude=NOT_CHECKED, validate_constraints=False)
    taken = ValidationError(
        {"number": ValidationError(NUMBER_TAKEN, code="unique", params={"number": product.number})}
    )
    if number_taken(organization=product.organization, number=product.number, exclude=product):
        raise taken
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError:
        # Someone saved the same number between the check and now.
        raise taken from None


def build_product(
    *, organization: Organization, data: ProductData | Mapping[str, Any], by: User | None
) -> Product:
    """A new, unsaved product from `data`, with prices and search text computed."""
    product = Product(organization=organization, created_by=by, updated_by=by)
    apply_product_data(product, data)
    return product


def create_product(
    *, organization: Organization, data: ProductData | Mapping[str, Any], by: User | None
) -> Product:
    """Create a product; raises ValidationError (by field) if it breaks a rule."""
    product = build_product(organization=organization, data=data, by=by)
    _check_and_save(product)
    return product


def update_product(
    *, product: Product, data: ProductData | Mapping[str, Any], by: User | None
) -> Product:
    """Change the fields in `data`; raises ValidationError (by field) if it breaks a rule."""
    apply_product_data(product, data)
    product.updated_by = by
    _check_and_save(product)
    return product


def set_archived(*, product: Product, archived: bool, by: User | None) -> None:
    product.archived = archived
    product.updated_by = by
    product.save(update_fields=["archived", "updated_by", "updated_at"])


def archive_product(*, product: Product, by: User | None) -> None:
    set_archived(product=product, archived=True, by=by)


def unarchive_product(*, product: Product, by: User | None) -> None:
    set_archived(product=product, archived=False, by=by)


def delete_product(*, product: Product) -> None:
    product.delete()
