"""Everything that changes products: create, update, archive, trash, restore, delete.

Views, the importer and the admin all go through these functions, so the computed price and the
search text are right whichever way a product comes in: `apply_product_data` is the one rule for
how given values become a product's fields. The importer builds many products with
`build_product` (and changes many with `apply_product_data`) and saves them in bulk. Each
change made here is recorded in the history (`history.services`), through what it came (`via`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from core.folding import fold_variants
from core.values import validate_gtin
from history.models import Action, Change, Source
from history.services import (
    FORM,
    Via,
    delete_recorded,
    open_changeset,
    record_change,
)
from history.versions import state_after

from .history import KIND, product_state
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
NUMBER_IN_TRASH = _(
    "The product “%(name)s” in the trash has the number “%(number)s”. Restore it and change "
    "its number, or delete it for good first."
)


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


def number_holder(
    *, organization: Organization, number: str, exclude: Product | None = None
) -> Product | None:
    """The product that has `number`, in the trash or not (numbers stay taken there)."""
    if not number:
        return None
    others = Product.all_objects.filter(organization=organization, number=number)
    if exclude is not None and exclude.pk:
        others = others.exclude(pk=exclude.pk)
    return others.only("pk", "name", "number", "deleted_at").first()


def number_taken(
    *, organization: Organization, number: str, exclude: Product | None = None
) -> bool:
    return number_holder(organization=organization, number=number, exclude=exclude) is not None


def number_error(holder: Product, number: str) -> ValidationError:
    """What the user is told when `holder` has the number they gave."""
    if holder.deleted_at is not None:
        return ValidationError(
            NUMBER_IN_TRASH, code="unique", params={"number": number, "name": holder.name}
        )
    return ValidationError(NUMBER_TAKEN, code="unique", params={"number": number})


def _check_and_save(product: Product) -> None:
    product.full_clean(exclude=NOT_CHECKED, validate_constraints=False)
    holder = number_holder(
        organization=product.organization, number=product.number, exclude=product
    )
    if holder is not None:
        raise ValidationError({"number": number_error(holder, product.number)})
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError:
        # Someone saved the same number between the check and now.
        taken = ValidationError(NUMBER_TAKEN, code="unique", params={"number": product.number})
        raise ValidationError({"number": taken}) from None


def _record(
    product: Product,
    *,
    by: User | None,
    via: Via,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    action: str = Action.CHANGED,
) -> None:
    changeset = open_changeset(organization=product.organization, by=by, via=via)
    record_change(
        changeset, kind=KIND, object_id=product.pk, before=before, after=after, action=action
    )


def build_product(
    *, organization: Organization, data: ProductData | Mapping[str, Any], by: User | None
) -> Product:
    """A new, unsaved product from `data`, with prices and search text computed."""
    product = Product(organization=organization, created_by=by, updated_by=by)
    apply_product_data(product, data)
    return product


def create_product(
    *,
    organization: Organization,
    data: ProductData | Mapping[str, Any],
    by: User | None,
    via: Via = FORM,
) -> Product:
    """Create a product; raises ValidationError (by field) if it breaks a rule."""
    product = build_product(organization=organization, data=data, by=by)
    with transaction.atomic():
        _check_and_save(product)
        _record(product, by=by, via=via, before=None, after=None)
    return product


def update_product(
    *,
    product: Product,
    data: ProductData | Mapping[str, Any],
    by: User | None,
    via: Via = FORM,
) -> Product:
    """Change the fields in `data`; raises ValidationError (by field) if it breaks a rule.

    What changed is recorded field by field (compared with the stored product: a model form
    has put the new values into `product` already).
    """
    with transaction.atomic():
        stored = Product.all_objects.select_for_update().get(pk=product.pk)
        before = product_state(stored)
        apply_product_data(product, data)
        product.updated_by = by
        _check_and_save(product)
        after = product_state(product)
        if after != before:
            _record(product, by=by, via=via, before=before, after=after)
    return product


def set_archived(*, product: Product, archived: bool, by: User | None, via: Via = FORM) -> None:
    with transaction.atomic():
        was = Product.all_objects.filter(pk=product.pk).values_list("archived", flat=True).get()
        product.archived = archived
        product.updated_by = by
        product.save(update_fields=["archived", "updated_by", "updated_at"])
        if was != archived:
            _record(product, by=by, via=via, before={"archived": was}, after={"archived": archived})


def archive_product(*, product: Product, by: User | None, via: Via = FORM) -> None:
    set_archived(product=product, archived=True, by=by, via=via)


def unarchive_product(*, product: Product, by: User | None, via: Via = FORM) -> None:
    set_archived(product=product, archived=False, by=by, via=via)


def trash_product(*, product: Product, by: User | None, via: Via = FORM) -> None:
    """Move the product to the trash: hidden everywhere, its number kept, back on
    `restore_product` until it is purged (settings.TRASH_DAYS)."""
    with transaction.atomic():
        now = timezone.now()
        moved = Product.objects.filter(pk=product.pk).update(
            deleted_at=now, deleted_by=by, updated_at=now
        )
        if not moved:
            return  # in the trash already
        product.deleted_at, product.deleted_by = now, by
        _record(product, by=by, via=via, before={}, after={}, action=Action.TRASHED)


def restore_product(*, product: Product, by: User | None, via: Via = FORM) -> bool:
    """Bring a product back from the trash, as it was, with its number; False if it was not
    there (restored or purged meanwhile)."""
    with transaction.atomic():
        now = timezone.now()
        restored = Product.all_objects.filter(pk=product.pk, deleted_at__isnull=False).update(
            deleted_at=None, deleted_by=None, updated_by=by, updated_at=now
        )
        if not restored:
            return False
        product.deleted_at = product.deleted_by = None
        product.updated_by, product.updated_at = by, now
        _record(product, by=by, via=via, before={}, after={}, action=Action.RESTORED)
    return True


def delete_product(*, product: Product, by: User | None = None, via: Via = FORM) -> None:
    """Delete for good, in the trash or not (the admin, tests); pages move products to the
    trash instead, and the trash purges them."""
    everyone = Product.all_objects.filter(organization=product.organization_id)
    _delete_for_good(everyone, [product.pk], organization=product.organization, by=by, via=via)


def purge_products(
    *,
    organization: Organization,
    ids: Sequence[int],
    by: User | None,
    via: Via,
    trashed_before: datetime | None = None,
) -> list[str]:
    """Delete for good those of these products that are in the trash (moved there before
    `trashed_before`, if given); returns the names of those deleted. One restored meanwhile
    stays."""
    trash = Product.all_objects.trashed().filter(organization=organization)
    if trashed_before is not None:
        trash = trash.filter(deleted_at__lt=trashed_before)
    return _delete_for_good(trash, ids, organization=organization, by=by, via=via)


def _delete_for_good(candidates: QuerySet, ids: Sequence[int], **who: Any) -> list[str]:
    """Delete those of `candidates` (products) whose id is in `ids`, each deletion recorded;
    returns their names ("number name")."""
    columns = ("number", "name")
    return delete_recorded(
        candidates,
        ids,
        columns=columns,
        deletion=_deletion,
        name=lambda _pk, number, name: f"{number} {name}" if number else name,
        **who,
    )


def _deletion(pk: int, number: str, name: str) -> Change:
    """A product's deletion for the history, keeping what named it."""
    fields: dict[str, list[Any]] = {"name": [name, None]}
    if number:
        fields["number"] = [number, None]
    return Change(kind=KIND, object_id=pk, action=Action.DELETED, fields=fields)


def restore_version(*, product: Product, change: Change, by: User | None) -> Product:
    """Make the product what it was right after `change` (itself a change, recorded).

    Raises ValidationError when that version breaks today's rules (its number is taken).
    """
    state = state_after(product_state(product), change)
    leading = state["leading_price"]
    data = {name: state[name] for name in FIELDS}
    data.update(leading_price=leading, price=Decimal(state[f"{leading}_price"]))
    product.archived = state["archived"]
    when = timezone.localtime(change.changeset.created_at)
    return update_product(
        product=product,
        data=data,
        by=by,
        via=Via(Source.RESTORE, label=when.isoformat(timespec="minutes"), reference=change.pk),
    )
