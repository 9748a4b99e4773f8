"""Contacts in Django's admin, for superusers. Every save there is recorded in the history like
any other (through `history.services.ADMIN`): the contact's fields, contact persons and web
profiles as one change, and each note created, changed or deleted in its inline."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from history.models import Action, Change
from history.services import ADMIN, differences, open_changeset, record_changes

from .history import KIND, NOTE_KIND, contact_state
from .models import Contact, ContactPerson, Note, WebProfile
from .services import delete_contact, refresh_derived_fields


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


NUMBER_TAKEN = _("Another contact has this number (perhaps one in the trash).")


class ContactAdminForm(forms.ModelForm):
    """Checks numbers against the trash too: the database's uniqueness counts those contacts,
    Django's own check of the constraints (through the live manager) would not."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        organization = cleaned.get("organization")
        for field in ("customer_number", "supplier_number"):
            number = cleaned.get(field)
            if organization and number:
                others = Contact.all_objects.filter(organization=organization, **{field: number})
                if others.exclude(pk=self.instance.pk).exists():
                    self.add_error(field, NUMBER_TAKEN)
        return cleaned


def _notes(contact: Contact) -> dict[int, str]:
    return dict(Note.objects.filter(contact=contact).values_list("pk", "text"))


def _contact_change(contact: Contact, action: str, fields: dict[str, list[Any]]) -> Change:
    return Change(
        kind=KIND, object_id=contact.pk, contact_id=contact.pk, action=action, fields=fields
    )


def _note_changes(contact: Contact, before: dict[int, str], after: dict[int, str]) -> list[Change]:
    changes = []
    for pk in sorted({*before, *after}):
        old, new = before.get(pk), after.get(pk)
        if old == new:
            continue
        action = (
            Action.CREATED if old is None else Action.DELETED if new is None else Action.CHANGED
        )
        changes.append(
            Change(
                kind=NOTE_KIND,
                object_id=pk,
                contact_id=contact.pk,
                action=action,
                fields={"text": [old, new]},
            )
        )
    return changes


@admin.register(Contact)
class ContactAdmin(ImportExportModelAdmin):
    # The import and export resources come from the importer's targets (importer/admin.py).
    form = ContactAdminForm
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

    def save_model(self, request, obj, form, change):
        # What the contact was, read before anything is saved, for the history (the admin's
        # transaction holds until the inlines are saved too).
        if change:
            stored = Contact.all_objects.get(pk=obj.pk)
            obj._admin_before = (contact_state(stored), _notes(stored))
            # Counted up, so that a form opened before this save learns of it.
            obj.version = stored.version + 1
        else:
            obj._admin_before = None
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        contact = form.instance
        refresh_derived_fields(contact, contact.persons.all())
        contact.save(update_fields=["display_name", "sort_name", "search_text"])
        before = getattr(contact, "_admin_before", None)
        if before is None:
            recorded = [_contact_change(contact, Action.CREATED, {})]
            notes_before: dict[int, str] = {}
        else:
            state_before, notes_before = before
            fields = differences(state_before, contact_state(contact))
            recorded = [_contact_change(contact, Action.CHANGED, fields)] if fields else []
        recorded += _note_changes(contact, notes_before, _notes(contact))
        if recorded:
            changeset = open_changeset(
                organization=contact.organization, by=request.user, via=ADMIN
            )
            record_changes(changeset, recorded)

    def delete_model(self, request: HttpRequest, obj: Contact) -> None:
        delete_contact(contact=obj, by=request.user, via=ADMIN)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Contact]) -> None:
        for contact in queryset.select_related("organization"):
            delete_contact(contact=contact, by=request.user, via=ADMIN)  # type: ignore[arg-type]
