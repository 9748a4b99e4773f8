"""Organizations: none yet, a new one, switching between them, and the current one's settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView, UpdateView

from .. import services
from ..forms import OrganizationForm
from ..models import Organization
from ..tenancy import AdminMixin, switch_organization


class NoOrganizationView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/no_organization.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.organization is not None:  # type: ignore[attr-defined]
            return redirect("contacts:list")
        return super().get(request, *args, **kwargs)


class OrganizationCreateView(LoginRequiredMixin, FormView):
    """Anyone logged in may start an organization of their own and becomes its admin."""

    form_class = OrganizationForm
    template_name = "accounts/organization_create.html"
    success_url = reverse_lazy("contacts:list")

    def form_valid(self, form: OrganizationForm) -> HttpResponse:
        organization = services.create_organization(
            name=form.cleaned_data["name"],
            admin=self.request.user,  # type: ignore[arg-type]
        )
        switch_organization(self.request, organization)
        messages.success(
            self.request, _("Organization “%(name)s” created.") % {"name": organization}
        )
        return HttpResponseRedirect(self.get_success_url())


class OrganizationSwitchView(LoginRequiredMixin, View):
    """Make another of the user's organizations the current one (404 for any other)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = get_object_or_404(
            request.user.memberships.select_related("organization"),  # type: ignore[union-attr]
            organization__slug=request.POST.get("organization", ""),
        )
        switch_organization(request, membership.organization)
        messages.success(
            request, _("You are now working in “%(name)s”.") % {"name": membership.organization}
        )
        return redirect("contacts:list")


class OrganizationSettings(AdminMixin, UpdateView):
    """Settings → Organization: the current organization's name."""

    form_class = OrganizationForm
    template_name = "accounts/organization_settings.html"
    success_url = reverse_lazy("accounts:organization_settings")

    def get_object(self, queryset: Any = None) -> Organization:
        return self.organization

    def form_valid(self, form: OrganizationForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Organization settings saved."))
        return response
