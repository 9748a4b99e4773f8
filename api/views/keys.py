"""Settings → API keys: the organization's keys, a new one (its secret shown once), revoking."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import CreateView, ListView

from accounts.tenancy import AdminMixin
from core.views import ObjectActionView

from ..forms import ApiKeyForm
from ..keys import issue_key, revoke_key
from ..models import ApiKey

# The new key's secret waits here for the one page that shows it, and is gone after.
SHOWN_ONCE = "api_key_shown_once"


class ApiKeyList(AdminMixin, ListView):
    model = ApiKey
    template_name = "api/key_list.html"
    context_object_name = "keys"

    def get_queryset(self):
        return super().get_queryset().select_related("created_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        shown = self.request.session.pop(SHOWN_ONCE, None)
        if shown and shown.get("organization") == self.organization.pk:
            context["new_key"] = {"name": shown["name"], "token": shown["token"]}
        context["docs_url"] = reverse("api:docs")
        return context


class ApiKeyCreate(AdminMixin, CreateView):
    model = ApiKey
    form_class = ApiKeyForm
    template_name = "api/key_form.html"
    success_url = reverse_lazy("api_settings:key_list")

    def form_valid(self, form: ApiKeyForm) -> HttpResponse:
        key, token = issue_key(
            organization=self.organization,
            name=form.cleaned_data["name"],
            role=form.cleaned_data["role"],
            by=self.user,
        )
        self.object = key
        self.request.session[SHOWN_ONCE] = {
            "organization": self.organization.pk,
            "name": key.name,
            "token": token,
        }
        messages.success(self.request, _("API key “%(name)s” created.") % {"name": key.name})
        return HttpResponseRedirect(self.get_success_url())


class ApiKeyRevoke(AdminMixin, ObjectActionView):
    model = ApiKey

    def act(self, obj: ApiKey) -> str:
        revoke_key(obj)
        return _("API key “%(name)s” revoked: it no longer works.") % {"name": obj.name}

    def get_success_url(self) -> str:
        return reverse("api_settings:key_list")
