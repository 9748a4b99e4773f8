from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from .models import Contact, ContactPerson, Note, WebProfile
from .services import refresh_derived_fields


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


class WebProfileInline(admin.TabularInline):
    model = WebProfile
    extra = 0


class NoteInline(admin.TabularInline):
    model = Note
    extra = 0
    raw_id_fields = ["author"]


@admin.register(Contact)
class ContactAdmin(ImportExportModelAdmin):
    # The import and export resources come from the importer's targets (importer/admin.py).
    list_display = [
        "display_name",
        "organization",
        "kind",
        "customer_number",
        "supplier_number",
        "billing_city",
        "archived",
    ]
    list_filter = ["kind", "is_customer", "is_supplier", "archived"]
    search_fields = [
        "display_name",
        "company_name",
        "first_name",
        "last_name",
        "email_business",
        "billing_city",
        "customer_number",
        "supplier_number",
        "persons__last_name",
        *Contact.KEYWORD_FIELDS,
    ]
    list_select_related = ["organization"]
    raw_id_fields = ["organization", "created_by", "updated_by"]
    readonly_fields = ["display_name", "search_text", "version"]
    inlines = [ContactPersonInline, WebProfileInline, NoteInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        contact = form.instance
        refresh_derived_fields(contact, contact.persons.all())
        contact.save(update_fields=["display_name", "sort_name", "search_text"])
