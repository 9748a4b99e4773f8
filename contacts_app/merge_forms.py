"""Forms of the duplicates page and the merge page: which pair is not the same, and what a
merge keeps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .merging import MAX_MERGED, MERGE_CHOICES, MergeChoice, default_picks
from .models import Contact


class ContactIdsField(forms.Field):
    """Contact ids, as repeated parameters (`?contacts=3&contacts=7`), each once."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        try:
            return list(dict.fromkeys(int(v) for v in value or []))
        except (TypeError, ValueError):
            raise forms.ValidationError(_("That is not a contact."), code="invalid") from None


class ContactIdsForm(forms.Form):
    """The contacts a page or action is about: 2–5 for a merge, 2 for a dismissed pair.

    Which of them are the organization's the view decides (a stranger's id answers 404).
    """

    contacts = ContactIdsField(required=False)

    def __init__(self, *args: Any, minimum: int = 2, maximum: int = MAX_MERGED, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def clean_contacts(self) -> list[int]:
        ids = self.cleaned_data["contacts"]
        if not self.minimum <= len(ids) <= self.maximum:
            if self.minimum == self.maximum:
                raise forms.ValidationError(
                    _("Choose %(count)s contacts.") % {"count": self.minimum}, code="count"
                )
            raise forms.ValidationError(
                _("Choose between %(low)s and %(high)s contacts.")
                % {"low": self.minimum, "high": self.maximum},
                code="count",
            )
        return ids


class MergeForm(forms.Form):
    """Which contact to keep, for each choice whose values to keep, and the versions seen."""

    def __init__(self, *args: Any, contacts: Sequence[Contact], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contacts = list(contacts)
        ids = [(c.pk, str(c)) for c in self.contacts]
        self.fields["keep"] = forms.TypedChoiceField(
            label=_("Contact to keep"), choices=ids, coerce=int, widget=forms.RadioSelect
        )
        self.choices = [c for c in MERGE_CHOICES if self.differ(c)]
        for choice in self.choices:
            # Not given: the kept contact's value (as the page starts where it has one).
            self.fields[f"pick_{choice.name}"] = forms.TypedChoiceField(
                label=choice.label,
                choices=ids,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
            )
        for contact in self.contacts:
            self.fields[f"version_{contact.pk}"] = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, contacts: Sequence[Contact], kept: Contact) -> dict[str, Any]:
        initial: dict[str, Any] = {"keep": kept.pk}
        initial |= {f"pick_{name}": pk for name, pk in default_picks(contacts, kept).items()}
        initial |= {f"version_{c.pk}": c.version for c in contacts}
        return initial

    def differ(self, choice: MergeChoice) -> bool:
        """Whether the contacts have different values to pick from."""
        values = {tuple(str(getattr(c, f)) for f in choice.fields) for c in self.contacts}
        return len(values) > 1

    def picks(self) -> dict[str, int]:
        picked = {c.name: self.cleaned_data.get(f"pick_{c.name}") for c in self.choices}
        return {name: pk for name, pk in picked.items() if pk is not None}

    def versions(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"version_{c.pk}"] for c in self.contacts}
