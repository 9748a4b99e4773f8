"""The columns of a product file, named as lexoffice names them ("Artikel")."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import values

from ..columns import Column, text

PRODUCT_KINDS = {
    "produkt": "product",
    "product": "product",
    "artikel": "product",
    "ware": "product",
    "dienstleistung": "service",
    "service": "service",
    "leistung": "service",
}


def product_kind(value: str) -> str:
    kind = PRODUCT_KINDS.get(value.strip().casefold())
    if kind is None:
        raise ValidationError(_("Use “Produkt” or “Dienstleistung” (product or service)."))
    return kind


def gtin(value: str) -> str:
    return values.validate_gtin(value)


def price(value: str) -> Decimal:
    return values.parse_decimal(value)


PRODUCT_COLUMNS = [
    Column(
        "number",
        "Artikelnummer",
        "Product number",
        text(18),
        aliases=("Artikel-Nr.", "SKU", "Item number"),
        format=_("At most 18 characters, unique"),
        example="A-1000",
    ),
    Column(
        "name",
        "Bezeichnung",
        "Name",
        text(100),
        required=True,
        aliases=("Artikelname", "Product name"),
        format=_("Required, 1–100 characters"),
        example="Brötchen",
    ),
    Column(
        "description",
        "Beschreibung",
        "Description",
        text(2000),
        format=_("At most 2000 characters"),
    ),
    Column(
        "unit",
        "Einheit",
        "Unit",
        text(30),
        required=True,
        format=_("Stück, Stunde or another unit"),
        example="Stück",
    ),
    Column(
        "tax_rate",
        "Steuerart",
        "Tax rate",
        values.parse_tax_rate,
        aliases=("Steuersatz", "USt", "VAT rate"),
        format=_("USt 19%, USt 7% or USt 0% (also 19, 7, 0)"),
        example="USt 19%",
    ),
    Column(
        "net_price",
        "Nettopreis",
        "Net price",
        price,
        aliases=("Netto", "Price (net)"),
        format=_("Number like 1.234,50 or 1234.50; this or the gross price"),
        example="2,50",
    ),
    Column(
        "gross_price",
        "Bruttopreis",
        "Gross price",
        price,
        aliases=("Brutto", "Price (gross)"),
        format=_("Number, instead of the net price"),
    ),
    Column(
        "gtin",
        "GTIN/EAN",
        "GTIN/EAN",
        gtin,
        aliases=("EAN", "GTIN", "Barcode"),
        format=_("8, 12, 13 or 14 digits with a valid check digit"),
        example="4006381333931",
    ),
    Column(
        "internal_note",
        "Notiz (intern)",
        "Internal note",
        text(1000),
        aliases=("Notiz", "Note"),
        format=_("At most 1000 characters"),
    ),
    Column(
        "kind",
        "Typ",
        "Type",
        product_kind,
        format=_("Produkt or Dienstleistung (product or service); empty: product"),
    ),
]
