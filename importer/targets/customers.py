"""Customers: contacts with a customer number (10000–69999), lexoffice's "Kunden"."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from contacts_app.models import CUSTOMER_NUMBERS, NumberSequence

from ..columns import Column, number_in
from .contacts import ContactTarget

CUSTOMER_NUMBER = Column(
    "customer_number",
    "Kundennummer",
    "Customer number",
    number_in(*CUSTOMER_NUMBERS),
    aliases=("Kunden-Nr.", "Kundennr."),
    format=_("5 digits, 10000–69999; empty: assigned automatically"),
    example="10000",
)

CUSTOMERS = ContactTarget(
    key="customers",
    label=_("Customers"),
    role=NumberSequence.Role.CUSTOMER,
    number_key="customer_number",
    number_column=CUSTOMER_NUMBER,
    resource_name="CustomerResource",
)
CustomerResource = CUSTOMERS.resource
