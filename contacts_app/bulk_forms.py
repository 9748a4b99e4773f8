"""What a bulk action on the contact list is for, and its one input (a tag, a file format)."""

from __future__ import annotations

import dataclasses
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization

from . import tag_names
from .forms import MAX_SELECTED_IDS, ContactFilterForm
from .models import TAG_NAME_MAX, Contact
from .selectors import ContactFilter, filtered_contacts

# The export the importer offers for the contact list, by file format; a format shows up on
# the list once its URL exists.
EXPORT_URLS = {"csv": "importer:export_contacts", "xlsx": "importer:export_contacts_xlsx"}


def export_formats() -> dict[str, str]:
    """The formats the selection can be exported in, with their URLs."""
    found = {}
    for key, name in EXPORT_URLS.items():
        try:
            found[key] = reverse(name)
        except NoReverseMatch:
            continue
    return found


class ContactIdsField(forms.Field):
    """Ticked rows: contact ids, at most a few pages' worth."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        if len(values) > MAX_SELECTED_IDS:
            raise ValidationError(
                _("Tick at most %(max)d contacts, or choose all that match."),
                code="too_many",
                params={"max": MAX_SELECTED_IDS},
            )
        ids = [int(v) for v in values if str(v).isascii() and str(v).isdigit()]
        return list(dict.fromkeys(ids))


class ContactSelectionForm(forms.Form):
    """The contacts a bulk action is for: the ticked rows (`ids`) or, with `all_matching`,
    every contact the list's filter finds (sent along in the list's own query fields).

    Ticked ids that are no live contacts of the organization (another's, one moved to the trash
    meanwhile) are left out; a tag in the filter that is not the organization's is not found
    (404), as on the list.
    """

    ids = ContactIdsField(required=False)
    all_matching = forms.BooleanField(required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.filter_form = ContactFilterForm(self.data, organization=organization)
        self.flt: ContactFilter = self.filter_form.as_filter()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("all_matching") and not cleaned.get("ids"):
            raise ValidationError(_("Tick at least one contact first."), code="empty")
        return cleaned

    def selected_filter(self) -> ContactFilter:
        """The list's filter narrowed to the ticked rows (unless all that match are meant)."""
        if self.cleaned_data.get("all_matching"):
            return dataclasses.replace(self.flt, ids=())
        return dataclasses.replace(self.flt, ids=tuple(self.cleaned_data["ids"]))

    def selected_ids(self) -> list[int]:
        if self.cleaned_data.get("all_matching"):
            contacts = filtered_contacts(self.organization, self.selected_filter())
        else:
            # As ticked: a row stays chosen though it no longer matches the filter.
            contacts = Contact.objects.filter(
                organization=self.organization, pk__in=self.cleaned_data["ids"]
            )
        return list(contacts.order_by("pk").values_list("pk", flat=True))


class BulkTagForm(ContactSelectionForm):
    # Not "tag": that is the list filter's tag id, sent along as well.
    tag_name = forms.CharField(
        label=_("Tag"),
        max_length=TAG_NAME_MAX * 2,
        error_messages={"required": _("Type the tag to add or remove.")},
    )

    def clean_tag_name(self) -> str:
        return tag_names.clean_tag_name(self.cleaned_data["tag_name"])


class BulkExportForm(ContactSelectionForm):
    format = forms.ChoiceField(choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.urls = export_formats()
        cast(forms.ChoiceField, self.fields["format"]).choices = [(key, key) for key in self.urls]
