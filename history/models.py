"""The change history of an organization's data: who changed what, when, through what.

A `ChangeSet` is one action of a person or a program (a form saved, an import, an undo, a
merge, a restore, a command, later the API or a phone over CardDAV); its `Change` rows say what
it did to each record, with each changed field's value before and after. Only differences are
stored: a record's earlier version is its current state with the later changes' old values put
back (see `versions.py`). Kontor keeps its own small table rather than a full copy of every
row per change (django-simple-history, django-reversion), because an import of thousands of
contacts must stay fast: it writes one row per contact it creates, in one statement.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization


class Source(models.TextChoices):
    FORM = "form", _("form")
    IMPORT = "import", _("import")
    UNDO = "undo", _("undo of an import")
    RESTORE = "restore", _("restore")
    TRASH = "trash", _("trash")
    MERGE = "merge", _("merge")
    BULK = "bulk", _("bulk action")
    COMMAND = "command", _("command")
    ADMIN = "admin", _("administration")
    API = "api", _("API")
    CARDDAV = "carddav", _("CardDAV")


class ChangeSet(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    # What the source was: the import's file name, the API key's or device's name, ….
    label = models.CharField(max_length=255, blank=True)
    # The record of the source, where it has one (the import run's id, …).
    reference = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.label}".strip()

    # Django lets a model define its own get_FOO_display; the type stubs declare Django's.
    def get_source_display(self) -> str:  # type: ignore[no-redef]
        """The source's name; an import and its undo with the import's number ("import #12"),
        which its result page has too."""
        name = str(dict(Source.choices).get(self.source, self.source))
        if self.source in (Source.IMPORT, Source.UNDO) and self.reference:
            return f"{name} #{self.reference}"
        return name


class Action(models.TextChoices):
    CREATED = "created", _("created")
    CHANGED = "changed", _("changed")
    DELETED = "deleted", _("deleted")
    TRASHED = "trashed", _("moved to the trash")
    RESTORED = "restored", _("restored from the trash")


class Change(models.Model):
    changeset = models.ForeignKey(ChangeSet, on_delete=models.CASCADE, related_name="changes")
    # "contact", "product" or "note": the kind of record and its id (no foreign key: the
    # history outlives the record).
    kind = models.CharField(max_length=10)
    object_id = models.BigIntegerField()
    # The contact whose timeline shows the change (a note's contact); empty for products.
    contact_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    # {field: [old, new]} for the fields that changed; empty for creations.
    fields = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["kind", "object_id", "id"]),
            models.Index(fields=["contact_id", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.action}"
