"""Whether a row of a contact file is a company or a person.

A file from another program says it by the company name: a row with one is a company. Kontor's
own export says it in a column of its own as well ("Kontaktart": Firma or Person), because the
contact form lets a person keep a company name (an employer) and the export must not turn that
person into a company on its way back.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from contacts_app.models import Contact
from core.folding import fold

KIND_NAMES: dict[str, dict[str, str]] = {
    "de": {Contact.Kind.COMPANY: "Firma", Contact.Kind.PERSON: "Person"},
    "en": {Contact.Kind.COMPANY: "Company", Contact.Kind.PERSON: "Person"},
}
_KINDS = {
    **{fold(name): kind for names in KIND_NAMES.values() for kind, name in names.items()},
    **{fold(name): Contact.Kind.COMPANY for name in ("Unternehmen", "Organisation", "company")},
    **{fold(name): Contact.Kind.PERSON for name in ("Privatperson", "person")},
}


def parse_kind(value: str) -> str:
    try:
        return _KINDS[fold(value.strip())]
    except KeyError:
        raise ValidationError(
            _("“%(value)s” is no contact type. Write Firma or Person (Company or Person)."),
            params={"value": value[:40]},
        ) from None


def kind_name(kind: str, language: str) -> str:
    return KIND_NAMES["de" if language.startswith("de") else "en"][kind]


def row_kind(values: dict[str, Any]) -> str:
    """The row's contact type: as its column says, else by whether it has a company name."""
    if kind := values.get("kind"):
        return kind
    return Contact.Kind.COMPANY if values.get("company_name") else Contact.Kind.PERSON
