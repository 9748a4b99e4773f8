"""Suppliers: contacts with a supplier number (70000–99999), lexoffice's "Lieferanten"."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from contacts_app.models import SUPPLIER_NUMBERS, NumberSequence

from ..columns import Column, number_in
from .contacts import ContactTarget

SUPPLIER_NUMBER = Column(
    "supplier_number",
    "Lieferantennummer",
    "Supplier number",
    number_in(*SUPPLIER_NUMBERS),
    aliases=("Lieferanten-Nr.", "Lieferantennr."),
    format=_("5 digits, 70000–99999; empty: assigned automatically"),
    example="70000",
)

SUPPLIERS = ContactTarget(
    key="suppliers",
    label=_("Suppliers"),
    role=NumberSequence.Role.SUPPLIER,
    number_key="supplier_number",
    number_column=SUPPLIER_NUMBER,
    resource_name="SupplierResource",
)
SupplierResource = SUPPLIERS.resource
