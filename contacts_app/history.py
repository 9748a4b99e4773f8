"""A contact as the history sees it: its fields, contact persons, web profiles and the names of
its tags as one state.

The state is plain JSON (countries as codes), so that two states compare field by field and
an earlier one can be written back through the services like any other change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from history.models import Change

from .models import Contact, ContactPerson, WebProfile
from .tag_names import sorted_names

KIND = "contact"
NOTE_KIND = "note"
# A tag an import created, so that undoing the import deletes it again if no contact carries it.
TAG_KIND = "tag"
# What makes up a contact; the rest of its columns (names for the list, search text, version,
# who and when) follow from these or from the change itself.
NOT_TRACKED = {"id", "organization", "created_by", "updated_by", "created_at", "updated_at"}
TRACKED = tuple(
    f.name for f in Contact._meta.concrete_fields if f.editable and f.name not in NOT_TRACKED
)
PERSON_FIELDS = tuple(
    f.name for f in ContactPerson._meta.concrete_fields if f.name not in {"id", "contact"}
)
PROFILE_FIELDS = ("kind", "value")
_DEFAULTS = {
    f.name: f.get_default()
    for model in (ContactPerson, WebProfile)
    for f in model._meta.concrete_fields
}


def plain(value: Any) -> Any:
    """A field's value as JSON keeps it (a country as its code)."""
    code = getattr(value, "code", None)
    if code is not None:
        return code or ""
    return value


def contact_state(
    contact: Contact,
    persons: Iterable[ContactPerson | Mapping[str, Any]] | None = None,
    profiles: Iterable[WebProfile | Mapping[str, Any]] | None = None,
    tags: Iterable[str] | None = None,
) -> dict[str, Any]:
    """The contact's state; persons, profiles and tag names are read from the database if not
    given."""
    state = {name: plain(getattr(contact, name)) for name in TRACKED}
    if persons is None:
        persons = contact.persons.all() if contact.pk else []
    if profiles is None:
        profiles = contact.web_profiles.all() if contact.pk else []
    state["persons"] = [_row(p, PERSON_FIELDS) for p in persons]
    state["profiles"] = sorted(
        (_row(p, PROFILE_FIELDS) for p in profiles), key=lambda p: (p["kind"], p["value"])
    )
    if tags is None:
        tags = contact.tags.values_list("name", flat=True) if contact.pk else []
    # Names, not ids: the timeline shows them as they were, and a restored version gets its
    # tags back by name even after one was deleted.
    state["tags"] = sorted_names(tags)
    return state


def _row(item: models.Model | Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    if isinstance(item, Mapping):
        return {name: plain(item.get(name, _DEFAULTS[name])) for name in fields}
    return {name: plain(getattr(item, name)) for name in fields}


def note_state(text: str) -> dict[str, Any]:
    return {"text": text}


# --- the contact page's timeline --------------------------------------------------------------

TIMELINE_LENGTH = 50


@dataclass
class TimelineEntry:
    change: Change
    lines: list[tuple[str, str, str]]  # (what, before, after), as the page shows them
    restorable: bool
    # A change of a contact merged into this one (its history moved here): that contact's name.
    merged_contact: str = ""
    # The merge this change is the entry of, the names of the contacts merged, and whether the
    # merge can be undone from here.
    merge: Any = None
    merged_names: str = ""
    undoable: bool = False


def _label(name: str) -> str:
    if name == "persons":
        return str(_("contact persons"))
    if name == "profiles":
        return str(_("web profiles"))
    if name == "tags":
        return str(_("tags"))
    if name == "text":
        return str(_("note"))
    try:
        field = Contact._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def _shown(name: str, value: Any) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if name == "persons":
        names = [" ".join(p for p in (v.get("first_name"), v.get("last_name")) if p) for v in value]
        return ", ".join(n for n in names if n) or "—"
    if name == "profiles":
        return ", ".join(v.get("value", "") for v in value) or "—"
    if name == "tags":
        return ", ".join(value) or "—"
    return str(value)


def _with_numbers(contact: Contact) -> str:
    numbers = ", ".join(str(n) for n in contact.numbers)
    return f"{contact.display_name} ({numbers})" if numbers else contact.display_name


def timeline(contact: Contact) -> list[TimelineEntry]:
    """The contact's changes and its notes' changes, newest first (with those of contacts
    merged into it)."""
    from .merging import can_be_undone, merges_of_changes

    changes = list(
        Change.objects.filter(contact_id=contact.pk)
        .select_related("changeset__actor")
        .order_by("-id")[:TIMELINE_LENGTH]
    )
    own = [c for c in changes if c.kind == KIND and c.object_id == contact.pk]
    newest_own = own[0].pk if own else None
    merges = merges_of_changes(own)
    merged_contacts = {
        pk: name
        for pk, name in Contact.all_objects.filter(
            pk__in={c.object_id for c in changes if c.kind == KIND and c not in own}
        ).values_list("pk", "display_name")
    }
    entries = []
    for change in changes:
        entry = TimelineEntry(
            change=change,
            lines=[
                (_label(name), _shown(name, old), _shown(name, new))
                for name, (old, new) in change.fields.items()
            ],
            restorable=change in own and change.pk != newest_own,
            merged_contact=merged_contacts.get(change.object_id, "")
            if change.kind == KIND and change not in own
            else "",
        )
        if merge := merges.get(change.pk):
            entry.merge = merge
            entry.merged_names = ", ".join(_with_numbers(m.contact) for m in merge.merged.all())
            entry.undoable = can_be_undone(merge)
        entries.append(entry)
    return entries
