"""Tag names: what a valid one is, when two are the same, and their order.

Two names are the same tag when the search would take them for one: compared folded ("VIP",
"vip"; "Müller", "muller") or with the umlauts spelled out ("Müller", "Mueller"). Commas
separate names where several are typed into one box (the contact form, a file's cell), so a
name holds none.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.folding import UMLAUTS, fold

from .models import TAG_NAME_MAX

MAX_TAGS_PER_CONTACT = 100


def clean_tag_name(value: str) -> str:
    """The name with its spaces tidied, or a ValidationError saying what is wrong with it."""
    name = " ".join(value.split())
    if not name:
        raise ValidationError(_("A tag needs a name."), code="required")
    if len(name) > TAG_NAME_MAX:
        raise ValidationError(
            _("A tag name has at most %(max)d characters: “%(name)s”."),
            code="max_length",
            params={"max": TAG_NAME_MAX, "name": name},
        )
    if "," in name:
        raise ValidationError(
            _("A tag name cannot contain a comma (commas separate tags)."), code="comma"
        )
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise ValidationError(_("A tag name cannot contain control characters."), code="control")
    return name


def name_keys(name: str) -> tuple[str, str]:
    """The name folded as the search folds it, and folded with its umlauts spelled out."""
    folded = " ".join(fold(name).split())
    spelled = " ".join(fold(name.lower().translate(UMLAUTS)).split())
    return folded, spelled


def sorted_names(names: Iterable[str]) -> list[str]:
    """Names in the order the list and the history show them (folded, as the list sorts)."""
    return sorted(names, key=lambda name: (name_keys(name)[0], name))


def parse_tag_names(values: Iterable[str]) -> list[str]:
    """The names in `values` (each may hold several, separated by commas), cleaned, each once.

    Raises ValidationError for the first name that is not valid, or for more names than a
    contact may carry.
    """
    names: list[str] = []
    seen: set[str] = set()
    for value in values:
        for part in value.split(","):
            if not part.strip():
                continue
            name = clean_tag_name(part)
            folded, spelled = name_keys(name)
            if folded in seen or spelled in seen:
                continue
            seen.update((folded, spelled))
            names.append(name)
    if len(names) > MAX_TAGS_PER_CONTACT:
        raise ValidationError(
            _("A contact can carry at most %(max)d tags."),
            code="too_many",
            params={"max": MAX_TAGS_PER_CONTACT},
        )
    return names
