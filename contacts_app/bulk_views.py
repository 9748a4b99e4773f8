"""Bulk actions on the contact list: one URL and one view per action, each a POST from the list's
bulk bar that acts on the ticked contacts (or all that match) and returns to the list."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView

from accounts.models import User
from accounts.tenancy import OrganizationMixin

from . import bulk, tags
from .bulk_forms import BulkExportForm, BulkTagForm, ContactSelectionForm
from .forms import list_query


class BulkActionView(OrganizationMixin, FormView):
    """The selection is checked (nothing ticked: a message), `act(form, ids)` does the work and
    returns the message; either way the list is shown again with its filter."""

    http_method_names = ["post"]
    form_class: type[ContactSelectionForm] = ContactSelectionForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "organization": self.organization}

    @property
    def actor(self) -> User:
        return cast(User, self.request.user)  # OrganizationMixin lets only members in

    def act(self, form: Any, ids: list[int]) -> str:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        message = self.act(form, form.selected_ids())
        messages.success(self.request, message)
        return self.back_to_the_list(form)

    def form_invalid(self, form: Any) -> HttpResponse:
        for errors in form.errors.values():
            for error in errors:
                messages.error(self.request, error)
        return self.back_to_the_list(form)

    def back_to_the_list(self, form: ContactSelectionForm) -> HttpResponse:
        return HttpResponseRedirect(f"{reverse('contacts:list')}?{list_query(form.flt)}")


class BulkAddTag(BulkActionView):
    form_class = BulkTagForm

    def act(self, form: BulkTagForm, ids: list[int]) -> str:
        (tag,) = tags.resolve_tags(self.organization, [form.cleaned_data["tag_name"]])
        count = tags.add_tag_to_contacts(
            organization=self.organization, ids=ids, tag=tag, by=self.actor
        )
        if not count:
            return _("Every chosen contact has the tag “%(tag)s” already.") % {"tag": tag}
        return ngettext(
            "Tag “%(tag)s” added to %(count)d contact.",
            "Tag “%(tag)s” added to %(count)d contacts.",
            count,
        ) % {"tag": tag, "count": count}


class BulkRemoveTag(BulkActionView):
    form_class = BulkTagForm

    def act(self, form: BulkTagForm, ids: list[int]) -> str:
        tag = tags.find_tag(self.organization, form.cleaned_data["tag_name"])
        count = 0
        if tag is not None:
            count = tags.remove_tag_from_contacts(
                organization=self.organization, ids=ids, tag=tag, by=self.actor
            )
        if not count:
            name = tag.name if tag else form.cleaned_data["tag_name"]
            return _("No chosen contact has the tag “%(tag)s”.") % {"tag": name}
        return ngettext(
            "Tag “%(tag)s” removed from %(count)d contact.",
            "Tag “%(tag)s” removed from %(count)d contacts.",
            count,
        ) % {"tag": tag, "count": count}


class BulkArchive(BulkActionView):
    archived = True  # as_view(archived=False) makes the contacts active again

    def act(self, form: ContactSelectionForm, ids: list[int]) -> str:
        count = bulk.set_archived_in_bulk(
            organization=self.organization, ids=ids, archived=self.archived, by=self.actor
        )
        if self.archived:
            return ngettext(
                "%(count)d contact archived.", "%(count)d contacts archived.", count
            ) % {"count": count}
        return ngettext(
            "%(count)d contact is active again.", "%(count)d contacts are active again.", count
        ) % {"count": count}


class BulkTrash(BulkActionView):
    def act(self, form: ContactSelectionForm, ids: list[int]) -> str:
        count = bulk.trash_in_bulk(organization=self.organization, ids=ids, by=self.actor)
        return ngettext(
            "%(count)d contact moved to the trash.", "%(count)d contacts moved to the trash.", count
        ) % {"count": count}


class BulkExport(BulkActionView):
    """Hands the selection to the importer's export of the contact list, as its query string:
    the list's filter, and the ticked ids unless all that match are meant."""

    form_class = BulkExportForm

    def form_valid(self, form: BulkExportForm) -> HttpResponse:
        flt = form.selected_filter()
        url = form.urls[form.cleaned_data["format"]]
        return HttpResponseRedirect(f"{url}?{list_query(flt, ids=flt.ids)}", status=303)
