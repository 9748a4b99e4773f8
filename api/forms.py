"""The forms of Settings → API keys and Settings → Webhooks."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import ApiKey, Event, Webhook


class ApiKeyForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["name", "role"]
        widgets = {"role": forms.RadioSelect}
        help_texts = {
            "name": _("Who or what uses the key, e.g. “Online shop”: the history names it."),
        }


class WebhookForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=Event.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Webhook
        fields = ["url", "events", "active"]
        help_texts = {"url": _("Kontor sends a signed POST request here for each event.")}

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise forms.ValidationError(_("Give an http or https address."), code="scheme")
        if not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES and _names_the_inside(parts.hostname or ""):
            raise forms.ValidationError(
                _(
                    "Kontor sends webhooks only to addresses on the internet, not to this "
                    "machine or the local network."
                ),
                code="private",
            )
        return url

    def clean_events(self) -> list[str]:
        chosen = set(self.cleaned_data["events"])
        return [value for value, _label in Event.choices if value in chosen]


def _names_the_inside(host: str) -> bool:
    """Whether the host is written as this machine or an address inside the network (names
    are checked again, after they are resolved, at every delivery)."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return not address.is_global
