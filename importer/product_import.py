"""Importing products: the row rules, the bulk write, undo and export.

An existing product is recognised by its number, or, when the row has no number, by its name
among the products without a number, so that importing the same list twice creates no copies.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from products.models import Product
from products.services import build_product, compute_prices, refresh_derived_fields

from . import bulk
from .checking import CheckResult, RowOutcome, check_file_rows
from .columns import PRODUCT_COLUMNS, Column
from .documents import write_csv
from .exporting import cell
from .models import ImportRun, OnDuplicate
from .reading import ParsedFile

FIELDS = ("kind", "number", "gtin", "name", "description", "internal_note", "unit", "tax_rate")
BATCH = 500


def columns_for(target: str) -> list[Column]:
    return PRODUCT_COLUMNS


def _data(values: dict[str, Any]) -> dict[str, Any]:
    data = {k: values[k] for k in FIELDS if k in values}
    data["tax_rate"] = int(values.get("tax_rate", Decimal(19)))
    if "net_price" in values:
        data["leading_price"], data["price"] = Product.LeadingPrice.NET, values["net_price"]
    elif "gross_price" in values:
        data["leading_price"], data["price"] = Product.LeadingPrice.GROSS, values["gross_price"]
    return data


def _check_row(row: RowOutcome, columns: dict[str, Column]) -> None:
    values = row.values
    net, gross = values.get("net_price"), values.get("gross_price")
    if net is None and gross is None:
        row.fail(columns["net_price"].label, "", _("A product needs a net or a gross price."))
        return
    for key, price in (("net_price", net), ("gross_price", gross)):
        if price is not None and (price < 0 or price >= Decimal("1e10")):
            row.fail(
                columns[key].label,
                str(price),
                _("The price must be between 0 and 9,999,999,999.99."),
            )
    if net is not None and gross is not None and row.is_valid:
        _net, expected = compute_prices(
            price=net, leading=Product.LeadingPrice.NET, tax_rate=values.get("tax_rate", 19)
        )
        if abs(expected - gross) > Decimal("0.01"):
            row.fail(
                columns["gross_price"].label,
                str(gross),
                _("Net and gross price do not match the tax rate (expected %(gross)s).")
                % {"gross": expected},
            )


def check_file(parsed: ParsedFile, mapping: Sequence[str], *, target: str) -> list[RowOutcome]:
    """The file's part of the check: what the rows are, whatever the database holds."""
    return check_file_rows(
        parsed, mapping, PRODUCT_COLUMNS, check_row=_check_row, number_key="number"
    )


def check_database(
    rows: list[RowOutcome],
    mapping: Sequence[str],
    *,
    organization: Organization,
    target: str,
    on_duplicate: str,
) -> CheckResult:
    """The database's part: which rows are new, which update or repeat an existing product."""
    by_key = {c.key: c for c in PRODUCT_COLUMNS}
    numbers = [r.values["number"] for r in rows if r.is_valid and r.values.get("number")]
    names = [r.values["name"] for r in rows if r.is_valid and not r.values.get("number")]
    existing = Product.objects.filter(organization=organization)
    by_number = {p.number.casefold(): p for p in existing.filter(number__in=numbers)}
    by_name = (
        {p.name.casefold(): p for p in existing.filter(number="", name__in=names)} if names else {}
    )
    for row in rows:
        if not row.is_valid:
            continue
        number = row.values.get("number", "")
        product = (
            by_number.get(number.casefold())
            if number
            else by_name.get(row.values["name"].casefold())
        )
        if product is None:
            row.status = "new"
        elif on_duplicate == OnDuplicate.SKIP:
            row.existing, row.status = product, "skip"
        else:
            row.existing = product
            row.status = "update" if _changes(product, row.values) else "unchanged"
    return CheckResult(rows=rows, columns=[by_key.get(k) if k else None for k in mapping])


def _changes(product: Product, values: dict[str, Any]) -> bool:
    probe = Product(
        **{f: getattr(product, f) for f in (*FIELDS, "leading_price", "net_price", "gross_price")}
    )
    _apply(probe, values)
    return any(
        getattr(probe, f) != getattr(product, f) for f in (*FIELDS, "net_price", "gross_price")
    )


def _apply(product: Product, values: dict[str, Any]) -> None:
    data = _data(values)
    for name in FIELDS:
        if name in data:
            setattr(product, name, data[name])
    if "price" in data:
        product.leading_price = data["leading_price"]
        if data["leading_price"] == Product.LeadingPrice.NET:
            product.net_price = data["price"]
        else:
            product.gross_price = data["price"]
    refresh_derived_fields(product)


def write(
    result: CheckResult,
    *,
    organization: Organization,
    target: str,
    by: User | None,
    now: datetime,
) -> list[int]:
    """Create and update what the check allows, as changed at `now`; return the ids of the
    products created. Must run inside transaction.atomic()."""
    new = [
        build_product(organization=organization, data=_data(row.values), by=by)
        for row in result.rows
        if row.status == "new"
    ]
    bulk.insert(new, now=now)
    updates = [row for row in result.rows if row.status == "update"]
    for row in updates:
        _apply(row.existing, row.values)
        row.existing.updated_by = by
        row.existing.updated_at = now
    if updates:
        Product.objects.bulk_update(
            [row.existing for row in updates],
            [
                *FIELDS,
                "leading_price",
                "net_price",
                "gross_price",
                "search_text",
                "updated_by",
                "updated_at",
            ],
            batch_size=BATCH,
        )
    return [product.pk for product in new]


def undo(run: ImportRun) -> tuple[int, list[Product]]:
    """Delete what `run` created and nobody changed since; return (deleted, kept)."""
    created = run.created_among(Product.objects.filter(organization=run.organization))
    products = list(created.order_by("name"))
    untouched = [p.pk for p in products if p.updated_at == run.finished_at]
    kept = [p for p in products if p.updated_at != run.finished_at]
    Product.objects.filter(pk__in=bulk.one_of(untouched)).delete()
    return len(untouched), kept


KIND_NAMES = {
    "de": {"product": "Produkt", "service": "Dienstleistung"},
    "en": {"product": "Product", "service": "Service"},
}


def export_products(organization: Organization) -> bytes:
    language = "de" if (get_language() or "en").startswith("de") else "en"
    rows = []
    products = Product.objects.filter(organization=organization).order_by("name", "id")
    for product in products:
        values = {
            "number": product.number,
            "name": product.name,
            "description": product.description,
            "unit": product.unit,
            "tax_rate": f"{product.tax_rate}",
            "net_price": product.net_price if product.leading_price == "net" else "",
            "gross_price": product.gross_price if product.leading_price == "gross" else "",
            "gtin": product.gtin,
            "internal_note": product.internal_note,
            "kind": KIND_NAMES[language][product.kind],
        }
        rows.append([cell(values.get(c.key, "")) for c in PRODUCT_COLUMNS])
    return write_csv([c.label for c in PRODUCT_COLUMNS], rows)
