"""Settings → Webhooks: URLs that learn of changes, and the log of what was sent to each."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DeleteView, DetailView, ListView, UpdateView

from accounts.tenancy import AdminMixin
from core.views import ObjectActionView

from ..forms import WebhookForm
from ..models import Webhook, WebhookDelivery
from ..webhooks.sending import send_again

LOG_LENGTH = 50


class WebhookList(AdminMixin, ListView):
    model = Webhook
    template_name = "api/webhook_list.html"
    context_object_name = "webhooks"


class WebhookCreate(AdminMixin, CreateView):
    model = Webhook
    form_class = WebhookForm
    template_name = "api/webhook_form.html"

    def form_valid(self, form: WebhookForm) -> HttpResponse:
        hook = form.save(commit=False)
        hook.organization = self.organization
        hook.created_by = self.user
        hook.secret = secrets.token_hex(32)
        hook.save()
        self.object = hook
        messages.success(self.request, _("Webhook for %(url)s added.") % {"url": hook.url})
        return HttpResponseRedirect(hook.get_absolute_url())


class WebhookDetail(AdminMixin, DetailView):
    model = Webhook
    template_name = "api/webhook_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        deliveries = self.object.deliveries.all()[:LOG_LENGTH]
        return super().get_context_data(deliveries=deliveries, **kwargs)


class WebhookUpdate(AdminMixin, UpdateView):
    model = Webhook
    form_class = WebhookForm
    template_name = "api/webhook_form.html"

    def form_valid(self, form: WebhookForm) -> HttpResponse:
        messages.success(self.request, _("Webhook saved."))
        return super().form_valid(form)


class WebhookDelete(AdminMixin, DeleteView):
    model = Webhook
    template_name = "api/webhook_confirm_delete.html"
    success_url = reverse_lazy("api_settings:webhook_list")

    def form_valid(self, form: Any) -> HttpResponse:
        url = self.object.url
        self.object.delete()
        messages.success(self.request, _("Webhook for %(url)s deleted.") % {"url": url})
        return HttpResponseRedirect(self.get_success_url())


class DeliverySendAgain(AdminMixin, ObjectActionView):
    model = WebhookDelivery
    organization_field = "webhook__organization"
    pk_url_kwarg = "delivery_pk"

    def get_queryset(self) -> QuerySet[WebhookDelivery]:
        return super().get_queryset().filter(webhook=self.kwargs["pk"])

    def act(self, obj: WebhookDelivery) -> str:
        if not send_again(obj):
            messages.warning(self.request, _("This delivery is being sent right now."))
            return ""
        return _("The delivery was queued again.")

    def get_success_url(self) -> str:
        return reverse("api_settings:webhook_detail", args=[self.kwargs["pk"]])
