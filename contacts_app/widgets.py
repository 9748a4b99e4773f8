"""Form widgets."""

from __future__ import annotations

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe


class QuickSelect(forms.Select):
    """A select whose options are written in Python.

    Django renders every option through a template of its own; for the country lists (about
    250 options each, two on the contact form) that was most of the form's time. Option groups
    are left to Django's way.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        choices = list(self.choices)
        if any(isinstance(label, list | tuple) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        selected = set(self.format_value(value))
        final_attrs = self.build_attrs(self.attrs, attrs)
        parts = [f'<select name="{escape(name)}"{flatatt(final_attrs)}>']
        for option_value, label in choices:
            key = "" if option_value is None else str(option_value)
            mark = " selected" if key in selected else ""
            parts.append(f'<option value="{escape(key)}"{mark}>{escape(str(label))}</option>')
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above


class SuggestingInput(forms.TextInput):
    """A text input with its own list of suggestions (a `<datalist>`): any text may be typed,
    the suggestions are offered on focus, without JavaScript too.

    Each input carries its own list, so a formset row added later brings its list along.
    `suggestions` are (value, label) pairs; the label is what a person reads beside the value.
    """

    def __init__(self, suggestions, attrs=None) -> None:
        super().__init__(attrs)
        self.suggestions = suggestions

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or name}-suggestions"
        attrs["list"] = list_id
        field = super().render(name, value, attrs, renderer)
        options = "".join(
            f'<option value="{escape(str(v))}">{escape(str(label))}</option>'
            for v, label in self.suggestions
        )
        return mark_safe(f'{field}<datalist id="{escape(list_id)}">{options}</datalist>')  # noqa: S308 - escaped above
