"""The duplicates page, "not the same", the merge page and the undo of a merge.

Viewers see the duplicates page (it only reads, and shows them what to tell a colleague);
saying two contacts are not the same changes what everybody's page shows, and a merge changes
contacts, so both are for members and admins, like every other change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.models import Organization
from accounts.tenancy import EditorMixin, OrganizationMixin
from core.views import ObjectActionView
from history.models import Change

from .duplicates import DuplicateGroup, dismiss_pair, duplicate_groups
from .history import KIND
from .matching import Reason
from .merge_forms import ContactIdsForm, MergeForm
from .merging import (
    MERGE_CHOICES,
    MergeConflict,
    MergeRefused,
    can_be_undone,
    merge_contacts,
    merge_of_change,
    undo_merge,
)
from .models import Contact

GROUPS_PER_PAGE = 20
REASONS = {
    Reason.EMAIL: gettext_lazy("same e-mail address"),
    Reason.VAT_ID: gettext_lazy("same VAT ID"),
    Reason.PHONE: gettext_lazy("same phone number"),
    Reason.NAME_AND_POSTAL_CODE: gettext_lazy("similar name, same postal code"),
    Reason.NAME_AND_CITY: gettext_lazy("similar name, same city"),
    Reason.SAME_NAME: gettext_lazy("same name"),
}


@dataclass
class GroupOnPage:
    contacts: list[Contact]
    pairs: list[tuple[Contact, Contact, list[str]]]  # each pair with its reasons, as shown


class DuplicateList(OrganizationMixin, TemplateView):
    template_name = "contacts_app/duplicates.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        groups = duplicate_groups(self.organization)
        page = Paginator(groups, GROUPS_PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page=page, groups=self.shown(list(page.object_list)), params="", **kwargs
        )

    def shown(self, groups: list[DuplicateGroup]) -> list[GroupOnPage]:
        ids = {pk for group in groups for pk in group.contact_ids}
        contacts = Contact.objects.filter(organization=self.organization, pk__in=ids).in_bulk()
        shown = []
        for group in groups:
            pairs = [
                (contacts[a], contacts[b], [self.reason(code, value) for code, value in reasons])
                for a, b, reasons in group.pairs
                if a in contacts and b in contacts
            ]
            members = [contacts[pk] for pk in group.contact_ids if pk in contacts]
            if len(members) > 1 and pairs:
                shown.append(GroupOnPage(members, pairs))
        return shown

    @staticmethod
    def reason(code: str, value: str) -> str:
        label = str(REASONS.get(code, code))
        return f"{label} ({value})" if value else label


class DismissPair(OrganizationMixin, View):
    """Two contacts are not the same: the duplicates page no longer pairs them."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ContactIdsForm(request.POST, minimum=2, maximum=2)
        back = reverse("contacts:duplicates")
        if page := request.POST.get("page", ""):
            back += "?" + urlencode({"page": page[:6]})
        if not form.is_valid():
            messages.error(request, _errors(form))
            return HttpResponseRedirect(back)
        pair = _contacts_of(self.organization, form.cleaned_data["contacts"])
        if pair is None:
            messages.error(request, _("One of the contacts is no longer there."))
            return HttpResponseRedirect(back)
        first, second = pair
        dismiss_pair(organization=self.organization, first=first, second=second, by=self.user)
        messages.success(
            request,
            _("“%(first)s” and “%(second)s” will no longer be shown as duplicates.")
            % {"first": first, "second": second},
        )
        return HttpResponseRedirect(back)


def _pk(contact: Contact) -> int:
    return contact.pk


def _errors(form: ContactIdsForm) -> str:
    return " ".join(map(str, form.errors.get("contacts") or []))


def _contacts_of(organization: Organization, ids: list[int]) -> list[Contact] | None:
    """The organization's contacts with these ids, in that order; None if one of them has gone
    meanwhile (merged or moved to the trash by someone else); 404 if one never was its own."""
    found = Contact.objects.filter(organization=organization, pk__in=ids).in_bulk()
    if len(found) == len(ids):
        return [found[pk] for pk in ids]
    missing = [pk for pk in ids if pk not in found]
    if Contact.all_objects.filter(organization=organization, pk__in=missing).count() == len(
        missing
    ):
        return None
    raise Http404


class ContactMergeView(EditorMixin, FormView):
    """Merge 2–5 contacts: the one to keep and, field by field, the values to keep."""

    template_name = "contacts_app/merge.html"
    form_class = MergeForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.contacts: list[Contact] = []
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.with_contacts(request.GET) or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.with_contacts(request.POST) or super().post(request, *args, **kwargs)

    def with_contacts(self, data: Any) -> HttpResponse | None:
        """Read the contacts named in `data`; a redirect with the reason if they cannot merge."""
        ids = ContactIdsForm(data)
        if not ids.is_valid():
            messages.error(self.request, _errors(ids))
            return HttpResponseRedirect(reverse("contacts:duplicates"))
        named = _contacts_of(self.organization, ids.cleaned_data["contacts"])
        if named is None:
            messages.error(self.request, _("One of the contacts is no longer there."))
            return HttpResponseRedirect(reverse("contacts:duplicates"))
        contacts = sorted(named, key=_pk)
        # The contact asked to keep first, else the oldest: its number is the one most likely
        # on old invoices. The columns follow that order.
        asked = next((c for c in contacts if str(c.pk) == self.request.GET.get("keep")), None)
        self.contacts = sorted(contacts, key=lambda c: c is not (asked or contacts[0]))
        if len({c.kind for c in self.contacts}) > 1:
            messages.error(self.request, _("A company and a person cannot be merged."))
            return HttpResponseRedirect(reverse("contacts:duplicates"))
        return None

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "contacts": self.contacts}

    def get_initial(self) -> dict[str, Any]:
        return MergeForm.initial_for(self.contacts, self.contacts[0])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["rows"] = [
            (form[f"pick_{choice.name}"], choice, self.values_of(choice)) for choice in form.choices
        ]
        same = [c for c in MERGE_CHOICES if c not in form.choices]
        context["same"] = [(c, self.shown(self.contacts[0], c)) for c in same]
        context["same"] = [(c, value) for c, value in context["same"] if value]
        context["contacts"] = self.contacts
        return context

    def values_of(self, choice) -> list[tuple[Contact, str]]:
        return [(c, self.shown(c, choice)) for c in self.contacts]

    @staticmethod
    def shown(contact: Contact, choice) -> str:
        if choice.name == "billing_address":
            parts = [
                contact.billing_supplement,
                contact.billing_street,
                f"{contact.billing_postal_code} {contact.billing_city}".strip(),
                contact.billing_country.name if contact.billing_city else "",
            ]
            return ", ".join(p for p in parts if p)
        if choice.name == "shipping_address":
            if not contact.has_shipping_address:
                return ""
            parts = [
                contact.shipping_supplement,
                contact.shipping_street,
                f"{contact.shipping_postal_code} {contact.shipping_city}".strip(),
                contact.shipping_country.name if contact.shipping_country else "",
            ]
            return ", ".join(p for p in parts if p)
        return str(getattr(contact, choice.fields[0]) or "")

    def form_valid(self, form: MergeForm) -> HttpResponse:
        try:
            merge = merge_contacts(
                organization=self.organization,
                kept_id=form.cleaned_data["keep"],
                contact_ids=[c.pk for c in self.contacts],
                picks=form.picks(),
                versions=form.versions(),
                by=self.user,
            )
        except MergeConflict as conflict:
            messages.error(
                self.request,
                _(
                    "“%(name)s” was changed by someone else after this page was opened. Check "
                    "the values again, then merge."
                )
                % {"name": conflict.contact},
            )
            return HttpResponseRedirect(self.again_url(form.cleaned_data["keep"]))
        except MergeRefused as refused:
            messages.error(self.request, str(refused))
            return HttpResponseRedirect(reverse("contacts:duplicates"))
        kept = merge.kept
        messages.success(
            self.request,
            _(
                "%(count)s contacts were merged into “%(name)s”. The merge can be undone from "
                "its history."
            )
            % {"count": len(self.contacts), "name": kept},
        )
        return HttpResponseRedirect(kept.get_absolute_url())

    def again_url(self, kept: int) -> str:
        query = urlencode([*(("contacts", c.pk) for c in self.contacts), ("keep", kept)])
        return f"{reverse('contacts:merge')}?{query}"


class MergeUndo(OrganizationMixin, ObjectActionView):
    """Undo the merge whose entry in the kept contact's history this is."""

    model = Contact

    def act(self, obj: Model) -> str:
        change = get_object_or_404(Change, pk=self.kwargs["change_pk"], kind=KIND, object_id=obj.pk)
        merge = merge_of_change(change)
        if merge is None:
            raise Http404
        if not can_be_undone(merge):
            messages.error(self.request, _("This merge cannot be undone any more."))
            return ""
        try:
            back = undo_merge(merge=merge, by=self.user)
        except MergeRefused as refused:
            messages.error(self.request, str(refused))
            return ""
        names = ", ".join(f"“{c}”" for c in back)
        return ngettext(
            "The merge was undone: %(names)s is back.",
            "The merge was undone: %(names)s are back.",
            len(back),
        ) % {"names": names}
