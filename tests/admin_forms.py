"""What the browser would post back for a page of Django's admin, read from its form."""

from __future__ import annotations

from typing import Any


def _fields(form, data: dict[str, Any]) -> None:
    for bound in form:
        value = bound.value()
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = "" if value is None else str(value)


def admin_form_data(response, **changes: Any) -> dict[str, Any]:
    """The admin's change (or add) form as the browser submits it unchanged, with `changes`."""
    data: dict[str, Any] = {}
    _fields(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _fields(formset.management_form, data)
        for form in formset.forms:
            _fields(form, data)
    data.update(changes)
    return {k: v for k, v in data.items() if v is not False}
