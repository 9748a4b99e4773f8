"""Forms for tags: the contact form's tags field, and a tag's own page (name, colour, merge)."""

from __future__ import annotations

from html import escape
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization

from .models import TAG_NAME_MAX, Tag
from .tag_names import clean_tag_name, name_keys, parse_tag_names
from .tags import find_tag

# Room for the names of every tag a contact may carry, typed into the box for new ones.
NEW_TAGS_MAX_LENGTH = 2000


class TagPicker(forms.Widget):
    """The contact's tags: chosen among the organization's, new ones typed.

    It sends names (`tags`, repeated): a multiple select of the existing tags, and a box for new
    ones, separated by commas. kontor.js turns both into one box that suggests the existing
    tags as you type and shows the chosen ones as chips; what it sends is the same.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.tags: list[Tag] = []

    def value_from_datadict(self, data, files, name: str) -> list[str]:
        if hasattr(data, "getlist"):
            return data.getlist(name)
        value = data.get(name)
        return [value] if isinstance(value, str) else list(value or [])

    def value_omitted_from_data(self, data, files, name: str) -> bool:
        return False  # no tags chosen sends nothing, and means none

    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]
        if not value:
            return []
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value]

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        chosen = self.format_value(value)
        chosen_keys = {name_keys(n)[0] for n in chosen}
        existing_keys = {tag.folded_name for tag in self.tags}
        new = [n for n in chosen if name_keys(n)[0] not in existing_keys]
        final_attrs = self.build_attrs(self.attrs, attrs)
        field_id = final_attrs.pop("id", f"id_{name}")
        options = "".join(
            f'<option value="{escape(tag.name)}" data-colour="{escape(tag.colour)}"'
            f"{' selected' if tag.folded_name in chosen_keys else ''}>{escape(tag.name)}</option>"
            for tag in self.tags
        )
        size = max(2, min(len(self.tags), 8))
        add_label = escape(_("Type a tag, Enter to add it"))
        remove_label = escape(_("Remove the tag {name}"))
        parts = [
            f'<div class="tag-picker" data-tag-picker data-add-label="{add_label}" '
            f'data-remove-label="{remove_label}"{flatatt(final_attrs)}>'
        ]
        if self.tags:
            parts.append(
                f'<select name="{escape(name)}" id="{escape(field_id)}" multiple size="{size}" '
                f'class="form-select" aria-label="{escape(_("Tags"))}" data-tag-select>'
                f"{options}</select>"
            )
        parts.append(
            f'<label class="form-label small text-body-secondary mt-2 mb-1" '
            f'for="{escape(field_id)}_new" data-tag-new-label>'
            f"{escape(_('New tags, separated by commas'))}</label>"
            f'<input type="text" name="{escape(name)}" id="{escape(field_id)}_new" '
            f'class="form-control" maxlength="{NEW_TAGS_MAX_LENGTH}" autocomplete="off" '
            f'value="{escape(", ".join(new))}" data-tag-new>'
        )
        parts.append("</div>")
        return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above


class TagsField(forms.Field):
    """Tag names; invalid ones are refused with the reason, the same name twice counts once."""

    widget = TagPicker

    def __init__(self, *, organization: Organization | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        if organization is not None:
            self.widget.tags = list(Tag.objects.filter(organization=organization))

    def to_python(self, value: Any) -> list[str]:
        values = [value] if isinstance(value, str) else list(value or [])
        if any(len(v) > NEW_TAGS_MAX_LENGTH for v in values):
            raise ValidationError(_("Too many tags at once."), code="too_long")
        return parse_tag_names(values)

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            new = self.to_python(data)
        except ValidationError:
            return True
        return {name_keys(n)[0] for n in new} != {name_keys(n)[0] for n in initial or []}


class TagForm(forms.ModelForm):
    """A tag's name and colour; a name another tag has (as names compare) is refused."""

    # Checked by clean_tag_name (after tidying its spaces), which says what is wrong.
    name = forms.CharField(
        label=gettext_lazy("Name"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"maxlength": TAG_NAME_MAX, "autocomplete": "off"}),
    )

    class Meta:
        model = Tag
        fields = ["name", "colour"]
        widgets = {"colour": forms.RadioSelect(attrs={"class": "form-check-input"})}

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["name"].help_text = gettext_lazy(
            "Names that differ only in capitals or umlauts (“Müller”, “mueller”) are one tag."
        )

    def clean_name(self) -> str:
        name = clean_tag_name(self.cleaned_data.get("name", ""))
        if clash := find_tag(self.organization, name, exclude_pk=self.instance.pk):
            raise ValidationError(
                _("There is a tag “%(name)s” already."), code="taken", params={"name": clash.name}
            )
        return name


class TagMergeForm(forms.Form):
    """The tag that takes the place of the one being merged (another of the organization's)."""

    into = forms.TypedChoiceField(label=gettext_lazy("Merge into"), coerce=int)

    def __init__(self, *args: Any, tag: Tag, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Tag.objects.filter(organization_id=tag.organization_id).exclude(pk=tag.pk)
        self.others = {other.pk: other for other in others}
        into = cast(forms.TypedChoiceField, self.fields["into"])
        into.choices = [("", "—")] + [(pk, other.name) for pk, other in self.others.items()]
        into.error_messages["invalid_choice"] = gettext_lazy("Choose another tag to merge into.")

    def target(self) -> Tag:
        return self.others[self.cleaned_data["into"]]
