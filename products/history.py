"""A product as the history sees it: its fields as one plain state (prices as text), and the
product page's list of its changes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from history.models import Action, Change
from history.versions import changes_of

from .models import Product

KIND = "product"
NOT_TRACKED = {"id", "organization", "created_by", "updated_by", "created_at", "updated_at"}
TRACKED = tuple(
    f.name for f in Product._meta.concrete_fields if f.editable and f.name not in NOT_TRACKED
)
PRICES = {"net_price", "gross_price"}


def plain(value: Any) -> Any:
    """A field's value as JSON keeps it exactly (a price as its digits)."""
    if isinstance(value, Decimal):
        return str(value)
    return value


def product_state(product: Product) -> dict[str, Any]:
    return {name: plain(getattr(product, name)) for name in TRACKED}


# --- the product page's history ---------------------------------------------------------------

HISTORY_LENGTH = 50
RESTORABLE = {Action.CREATED, Action.CHANGED}


@dataclass
class HistoryEntry:
    change: Change
    lines: list[tuple[str, str, str]]  # (what, before, after), as the page shows them
    restorable: bool


def _label(name: str) -> str:
    try:
        field = Product._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def _shown(name: str, value: Any) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if name in PRICES:
        try:
            return f"{number_format(Decimal(value), decimal_pos=2, use_l10n=True)} €"
        except (InvalidOperation, TypeError):
            return str(value)
    try:
        choices = dict(Product._meta.get_field(name).flatchoices)  # type: ignore[union-attr]
    except (FieldDoesNotExist, AttributeError):
        choices = {}
    return str(choices.get(value, value))


def product_history(product: Product) -> list[HistoryEntry]:
    """The product's changes, newest first. A version can be restored when a later change
    changed a field (moving to the trash and back changes none)."""
    entries = []
    changed_since = False
    for change in changes_of(KIND, product.pk)[:HISTORY_LENGTH]:
        entries.append(
            HistoryEntry(
                change=change,
                lines=[
                    (_label(name), _shown(name, old), _shown(name, new))
                    for name, (old, new) in change.fields.items()
                ],
                restorable=changed_since and change.action in RESTORABLE,
            )
        )
        changed_since = changed_since or bool(change.fields)
    return entries
