from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AppPassword

MAX_DEVICES = 20


class AppPasswordForm(forms.ModelForm):
    class Meta:
        model = AppPassword
        fields = ["name"]
        labels = {"name": _("Name of the device")}
        help_texts = {"name": _("For instance “Anna's iPhone” or “Thunderbird at the office”.")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the device a name."))
        return name

    def clean(self):
        cleaned = super().clean()
        if self.user is not None and self.user.app_passwords.count() >= MAX_DEVICES:
            raise forms.ValidationError(
                _("You have %(count)s app passwords already: revoke one you no longer use."),
                params={"count": MAX_DEVICES},
            )
        return cleaned
