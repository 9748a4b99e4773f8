"""django-import-export resources, generated from an import target's columns.

Each target makes its own (`ImportTarget.resource`) with the factory here that fits its model.
They serve the Django admin's import and export for superusers (one row at a time, with an
"Organisation" column naming the organization's slug, see `importer/admin.py`) and the
benchmark's baseline. The import pages use the targets' bulk paths instead, which are many times
faster.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from accounts.models import Organization
from contacts_app.models import Contact, NumberSequence
from contacts_app.services import allocate_numbers, refresh_derived_fields
from products.models import Product
from products.services import refresh_derived_fields as refresh_product

from .columns import Column
from .formulas import escape_formula, unescape_formula

CONTACT_FIELDS = {f.name for f in Contact._meta.concrete_fields}


class ColumnWidget(widgets.Widget):
    """Parses a cell with the column's own rules; renders a value for a spreadsheet."""

    def __init__(self, column: Column) -> None:
        super().__init__()
        self.column = column

    def clean(self, value: Any, row=None, **kwargs) -> Any:
        text = unescape_formula(str(value).strip()) if value is not None else ""
        if not text:
            return None if self.column.key.endswith("_number") else ""
        try:
            return self.column.parse(text)
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from error

    def render(self, value: Any, obj=None, **kwargs) -> str:
        if value is None:
            return ""
        return escape_formula(str(getattr(value, "code", value)))


def contact_resource(name: str, columns: Sequence[Column], number: str, role: str):
    """A resource for contacts of one role (NumberSequence.Role) whose number is `number`."""
    declared: dict[str, Any] = {
        "organization": fields.Field(
            attribute="organization",
            column_name="Organisation",
            widget=widgets.ForeignKeyWidget(Organization, "slug"),
        )
    }
    for column in columns:
        # The archive is an action of its own; the kind follows from the company name here.
        if column.key in CONTACT_FIELDS and column.key not in ("archived", "kind"):
            declared[column.key] = fields.Field(
                attribute=column.key, column_name=column.de, widget=ColumnWidget(column)
            )

    class Meta:
        model = Contact
        fields = tuple(declared)
        import_id_fields = ("organization", number)
        skip_unchanged = True

    def before_save_instance(self, instance: Contact, row, **kwargs) -> None:
        instance.kind = Contact.Kind.COMPANY if instance.company_name else Contact.Kind.PERSON
        if role == NumberSequence.Role.CUSTOMER:
            instance.is_customer = True
        else:
            instance.is_supplier = True
        if not getattr(instance, number):
            (value,) = allocate_numbers(organization=instance.organization, role=role)
            setattr(instance, number, value)
        if instance.pk:
            instance.version += 1
        refresh_derived_fields(instance, instance.persons.all() if instance.pk else [])

    return type(
        name,
        (resources.ModelResource,),
        {**declared, "Meta": Meta, "before_save_instance": before_save_instance},
    )


PRODUCT_FIELDS = {f.name for f in Product._meta.concrete_fields}


class ProductWidget(ColumnWidget):
    def clean(self, value: Any, row=None, **kwargs) -> Any:
        parsed = super().clean(value, row, **kwargs)
        if self.column.key == "tax_rate":
            return int(parsed) if parsed != "" else 19
        if self.column.key in ("net_price", "gross_price") and parsed == "":
            return None
        return parsed


def product_resource(name: str, columns: Sequence[Column]):
    """A resource for products; the price not given is computed from the other."""
    declared: dict[str, Any] = {
        "organization": fields.Field(
            attribute="organization",
            column_name="Organisation",
            widget=widgets.ForeignKeyWidget(Organization, "slug"),
        )
    }
    for column in columns:
        if column.key in PRODUCT_FIELDS:
            declared[column.key] = fields.Field(
                attribute=column.key, column_name=column.de, widget=ProductWidget(column)
            )

    class Meta:
        model = Product
        fields = tuple(declared)
        import_id_fields = ("organization", "number")
        skip_unchanged = True

    def before_save_instance(self, instance: Product, row, **kwargs) -> None:
        if instance.net_price is None and instance.gross_price is not None:
            instance.leading_price = Product.LeadingPrice.GROSS
        else:
            instance.leading_price = Product.LeadingPrice.NET
            instance.net_price = instance.net_price or 0
        refresh_product(instance)

    return type(
        name,
        (resources.ModelResource,),
        {**declared, "Meta": Meta, "before_save_instance": before_save_instance},
    )
