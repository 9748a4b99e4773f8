from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from .models import Product
from .services import refresh_derived_fields


@admin.register(Product)
class ProductAdmin(ImportExportModelAdmin):
    # The import and export resources come from the importer's targets (importer/admin.py).
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
        # The price entered (net or gross, as `leading_price` says) wins; the other is computed.
        refresh_derived_fields(obj)
        obj.updated_by = request.user
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
