"""The products in Django's admin, for superusers. Every save and deletion there is recorded in
the history like any other (through `history.services.ADMIN`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from import_export.admin import ImportExportModelAdmin

from history.services import ADMIN, open_changeset, record_change

from .history import KIND, product_state
from .models import Product
from .services import delete_product, number_error, number_holder, refresh_derived_fields


class ProductAdminForm(forms.ModelForm):
    """Checks the number against the trash too: the database's uniqueness counts those
    products, Django's own check of the constraint (through the live manager) would not."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        organization, number = cleaned.get("organization"), cleaned.get("number")
        if organization and number:
            holder = number_holder(organization=organization, number=number, exclude=self.instance)
            if holder is not None:
                self.add_error("number", number_error(holder, number))
        return cleaned


@admin.register(Product)
class ProductAdmin(ImportExportModelAdmin):
    # The import and export resources come from the importer's targets (importer/admin.py).
    form = ProductAdminForm
    list_display = [
        "name",
        "number",
        "organization",
        "kind",
        "unit",
        "tax_rate",
        "net_price",
        "gross_price",
        "archived",
    ]
    list_filter = ["kind", "tax_rate", "archived", "organization"]
    search_fields = ["name", "number", "gtin", "description", "organization__name"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization", "created_by", "updated_by"]
    readonly_fields = ["created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        before = product_state(Product.all_objects.get(pk=obj.pk)) if change else None
        # The price entered (net or gross, as `leading_price` says) wins; the other is computed.
        refresh_derived_fields(obj)
        obj.updated_by = request.user
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        after = product_state(obj)
        if before is None or after != before:
            changeset = open_changeset(organization=obj.organization, by=request.user, via=ADMIN)
            record_change(changeset, kind=KIND, object_id=obj.pk, before=before, after=after)

    def delete_model(self, request: HttpRequest, obj: Product) -> None:
        delete_product(product=obj, by=request.user, via=ADMIN)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Product]) -> None:
        for product in queryset.select_related("organization"):
            delete_product(product=product, by=request.user, via=ADMIN)  # type: ignore[arg-type]
