"""Settings → Devices: a person's app passwords for CardDAV, made, shown once and revoked.

App passwords belong to the person, not to an organization (one device syncs every book the
person has), so these pages need a login, not a current organization.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.models import User

from .books import books_of
from .forms import AppPasswordForm
from .models import AppPassword

# The new password waits here for the one page that shows it, and is gone after.
SHOWN_ONCE_KEY = "carddav_new_app_password"


def page_context(request: HttpRequest, form: AppPasswordForm) -> dict[str, Any]:
    user = cast(User, request.user)  # the views below are for logged-in people only
    return {
        "devices": AppPassword.objects.filter(user=user),
        "form": form,
        "new_password": request.session.pop(SHOWN_ONCE_KEY, None),
        "server": settings.SITE_URL,
        "service_url": settings.SITE_URL + reverse("carddav:root"),
        "books": [
            (book, settings.SITE_URL + reverse("carddav:book", kwargs={"slug": book.slug}))
            for book in books_of(user)
        ],
    }


class DeviceList(LoginRequiredMixin, TemplateView):
    template_name = "carddav/device_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            **page_context(self.request, AppPasswordForm()),
        }


class DeviceCreate(LoginRequiredMixin, FormView):
    form_class = AppPasswordForm
    template_name = "carddav/device_list.html"
    http_method_names = ["post"]
    success_url = reverse_lazy("carddav:devices")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form: AppPasswordForm) -> HttpResponse:
        device = form.save(commit=False)
        device.user = self.request.user
        password = device.issue()
        device.save()
        self.request.session[SHOWN_ONCE_KEY] = {"name": device.name, "password": password}
        messages.success(
            self.request, _("App password for “%(name)s” created.") % {"name": device.name}
        )
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form: AppPasswordForm) -> HttpResponse:
        return self.render_to_response(page_context(self.request, form))


class DeviceRevoke(LoginRequiredMixin, View):
    """Revoking deletes the password: the device's next request is refused."""

    http_method_names = ["post"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            # Another person's password is not found, whatever the method (a 405 would tell
            # that it exists).
            self.device = get_object_or_404(AppPassword, pk=kwargs["pk"], user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        device = self.device
        device.delete()
        messages.success(
            request,
            _("The app password of “%(name)s” was revoked: the device can no longer sync.")
            % {"name": device.name},
        )
        return HttpResponseRedirect(reverse("carddav:devices"))
