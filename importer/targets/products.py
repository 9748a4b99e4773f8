"""Products as an import target: the row rules, the bulk write, undo and export.

An existing product is recognised by its number, or, when the row has no number, by its name
among the products without a number, so that importing the same list twice creates no copies.
How given values become a product's fields is `products.services.apply_product_data`, the same
rule the product form follows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from core.folding import fold
from history.models import Action, Change, ChangeSet
from history.services import differences, record_changes, record_creations, record_deletions
from products.history import KIND, product_state
from products.models import Product
from products.services import (
    APPLIED_FIELDS,
    FIELDS,
    ProductData,
    apply_product_data,
    build_product,
    compute_prices,
    refresh_derived_fields,
)

from .. import bulk
from ..checking import CheckResult, ImportChoices, OnDuplicate, RowOutcome, check_file_rows
from ..columns import Column
from ..csv_writing import cell_text
from ..export_formats import ExportTable
from ..reading import ParsedFile
from ..resources import product_resource
from ..undoing import (
    ImportChanges,
    UndoOutcome,
    changed_at,
    import_changes,
    import_changeset,
    kept_record,
    restored_value,
)
from .base import FinishedImport, ImportTarget
from .product_columns import PRODUCT_COLUMNS

BATCH = 500
# What the check compares to tell an update from an unchanged row.
COMPARED_FIELDS = (*FIELDS, "net_price", "gross_price")
KIND_NAMES = {
    "de": {"product": "Produkt", "service": "Dienstleistung"},
    "en": {"product": "Product", "service": "Service"},
}


def product_data(values: dict[str, Any]) -> ProductData:
    """A row's values as the product services take them (a missing tax rate is 19 %)."""
    data: dict[str, Any] = {k: values[k] for k in FIELDS if k in values}
    data["tax_rate"] = int(values.get("tax_rate", Decimal(19)))
    if "net_price" in values:
        data["leading_price"], data["price"] = Product.LeadingPrice.NET, values["net_price"]
    elif "gross_price" in values:
        data["leading_price"], data["price"] = Product.LeadingPrice.GROSS, values["gross_price"]
    return data  # type: ignore[return-value]


def check_row(row: RowOutcome, columns: dict[str, Column]) -> None:
    """A price, net or gross, in range; both only if they fit the tax rate."""
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


def changes(product: Product, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """What the row's values would change in `product`: {field: (old, new)}."""
    probe = Product(**{f: getattr(product, f) for f in APPLIED_FIELDS})
    apply_product_data(probe, product_data(values))
    return {
        f: (getattr(product, f), getattr(probe, f))
        for f in COMPARED_FIELDS
        if getattr(probe, f) != getattr(product, f)
    }


class ProductTarget(ImportTarget):
    key = "products"
    label = gettext_lazy("Products")
    columns = PRODUCT_COLUMNS
    number_key = "number"
    model = Product
    resource = product_resource("ProductResource", PRODUCT_COLUMNS)
    records_label = gettext_lazy("Show products")

    def records_url(self) -> str:
        return reverse("products:list")

    def check_file(
        self, parsed: ParsedFile, mapping: Sequence[str], *, mixed_rows: str = ""
    ) -> list[RowOutcome]:
        return check_file_rows(
            parsed, mapping, self.columns, check_row=check_row, number_key=self.number_key
        )

    def check_database(
        self,
        rows: list[RowOutcome],
        mapping: Sequence[str],
        *,
        organization: Organization,
        choices: ImportChoices,
    ) -> CheckResult:
        """Which rows are new, which update or repeat an existing product."""
        by_key = {c.key: c for c in self.columns}
        numbers = [r.values["number"] for r in rows if r.is_valid and r.values.get("number")]
        names = [r.values["name"] for r in rows if r.is_valid and not r.values.get("number")]
        existing = Product.objects.filter(organization=organization)
        by_number = {p.number.casefold(): p for p in existing.filter(number__in=numbers)}
        by_name = (
            {p.name.casefold(): p for p in existing.filter(number="", name__in=names)}
            if names
            else {}
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
            elif choices.on_duplicate == OnDuplicate.SKIP:
                row.existing, row.status = product, "skip"
            else:
                row.existing = product
                row.changes = changes(product, row.values)
                row.status = "update" if row.changes else "unchanged"
        return CheckResult(rows=rows, columns=[by_key.get(k) if k else None for k in mapping])

    def write(
        self,
        result: CheckResult,
        *,
        organization: Organization,
        by: User | None,
        now: datetime,
        changeset: ChangeSet,
    ) -> list[int]:
        new = [
            build_product(organization=organization, data=product_data(row.values), by=by)
            for row in result.rows
            if row.status == "new"
        ]
        bulk.insert(new, now=now)
        ids = [product.pk for product in new]
        record_creations(
            changeset, kind=KIND, table=Product._meta.db_table, id_ranges=bulk.id_ranges(ids)
        )
        updates = [row for row in result.rows if row.status == "update"]
        history = []
        for row in updates:
            before = product_state(row.existing)
            apply_product_data(row.existing, product_data(row.values))
            row.existing.updated_by = by
            row.existing.updated_at = now
            history.append(
                Change(
                    kind=KIND,
                    object_id=row.existing.pk,
                    action=Action.CHANGED,
                    fields=differences(before, product_state(row.existing)),
                )
            )
        if updates:
            Product.objects.bulk_update(
                [row.existing for row in updates],
                [*APPLIED_FIELDS, "updated_by", "updated_at"],
                batch_size=BATCH,
            )
        record_changes(changeset, history)
        return ids

    def undo(
        self, run: FinishedImport, *, by: User | None, now: datetime, changeset: ChangeSet
    ) -> UndoOutcome:
        source = import_changeset(run)
        products = Product.objects.filter(organization=run.organization)
        if source is None:
            # An import from before the history: only what it created can go.
            created = run.created_among(products)
            found = ImportChanges(changeset=changeset)
            found.created = dict.fromkeys(created.values_list("pk", flat=True), 0)
            legacy = True
        else:
            found, legacy = import_changes(source, KIND), False
        ids = [*found.created, *(change.object_id for change in found.changed)]
        current = products.select_for_update().in_bulk(ids)
        outcome = UndoOutcome(legacy=legacy)
        changed_since = {
            pk
            for pk, product in current.items()
            if found.later[pk] or changed_at(product.updated_at, run.finished_at)
        }
        for pk in sorted(changed_since):
            outcome.kept.append(
                kept_record(
                    name=str(current[pk]),
                    url=reverse("products:detail", args=[pk]),
                    changes=found.later[pk],
                    model=Product,
                )
            )
        doomed = [pk for pk in found.created if pk in current and pk not in changed_since]
        reverted = [
            change
            for change in found.changed
            if change.object_id in current and change.object_id not in changed_since
        ]
        record_deletions(
            changeset, kind=KIND, table=Product._meta.db_table, id_ranges=bulk.id_ranges(doomed)
        )
        bulk.delete_rows(Product, doomed)
        history = []
        for change in reverted:
            product = current[change.object_id]
            for name, (old, _new) in change.fields.items():
                setattr(product, name, restored_value(Product, name, old))
            refresh_derived_fields(product)
            product.updated_by, product.updated_at = by, now
            history.append(
                Change(
                    kind=KIND,
                    object_id=product.pk,
                    action=Action.CHANGED,
                    fields={name: [new, old] for name, (old, new) in change.fields.items()},
                )
            )
        if reverted:
            Product.objects.bulk_update(
                [current[change.object_id] for change in reverted],
                [*APPLIED_FIELDS, "updated_by", "updated_at"],
                batch_size=BATCH,
            )
        record_changes(changeset, history)
        outcome.deleted, outcome.reverted = len(doomed), len(reverted)
        outcome.kept.sort(key=lambda k: fold(k["name"]))
        return outcome

    def records(self, organization: Organization) -> QuerySet[Product]:
        return Product.objects.filter(organization=organization).order_by("name", "id")

    def export_table(self, records: QuerySet[Product]) -> ExportTable:
        language = "de" if (get_language() or "en").startswith("de") else "en"
        rows = []
        for product in records:
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
            rows.append([cell_text(values.get(c.key, "")) for c in self.columns])
        return ExportTable([c.label for c in self.columns], rows, sheet_name=str(self.label))


PRODUCTS = ProductTarget()
ProductResource = PRODUCTS.resource
