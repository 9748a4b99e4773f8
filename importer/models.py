"""Imports: the uploaded file while it is being checked, the result afterwards, and the history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization

from .bulk import id_ranges, one_of
from .checking import ImportChoices, MixedRows, OnDuplicate, RowChoice
from .reading import READING_NOTES

if TYPE_CHECKING:
    from .targets import ImportTarget


def _targets():
    # The targets' modules use the models of every app (and django-import-export's resources
    # made from them), so they are imported once the models are loaded, not while they load.
    from . import targets

    return targets


__all__ = ["ImportRun", "SavedMapping", "id_ranges", "target_choices"]


def target_choices() -> list[tuple[str, str]]:
    """The stored target's choices: one per import target (`importer.targets.TARGETS`), read
    when they are needed, so that a new target needs no migration. Migrations name this
    function: keep its name and place."""
    return _targets().target_choices()


class ImportRun(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("not started")
        DONE = "done", _("imported")
        UNDONE = "undone", _("undone")
        DISCARDED = "discarded", _("discarded")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="import_runs"
    )
    target = models.CharField(_("target"), max_length=12, choices=target_choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("imported"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    file_name = models.CharField(_("file"), max_length=255)
    file_size = models.PositiveIntegerField(default=0)
    # The upload itself, kept only until the import is done or discarded.
    file_data = models.BinaryField(null=True, blank=True, editable=False)
    encoding = models.CharField(max_length=20, blank=True)
    delimiter = models.CharField(max_length=2, blank=True)
    # The sheet read, for a workbook (empty for a CSV file).
    sheet = models.CharField(max_length=255, blank=True)
    # What the preview says about how the file was read (codes of `reading.READING_NOTES`).
    reading_notes = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=list, blank=True)
    on_duplicate = models.CharField(
        max_length=10, choices=OnDuplicate.choices, default=OnDuplicate.UPDATE
    )
    # What the rows of the groups that need a decision do (checking.Group): the group's
    # choice, and the lines chosen otherwise ({"12": "new"}; see choices()).
    on_mismatch = models.CharField(max_length=10, choices=RowChoice.choices, default=RowChoice.SKIP)
    on_probable = models.CharField(max_length=10, choices=RowChoice.choices, default=RowChoice.SKIP)
    row_choices = models.JSONField(default=dict, blank=True)
    # What a row of a contact file with a company and a person's name becomes.
    mixed_rows = models.CharField(
        max_length=10, choices=MixedRows.choices, default=MixedRows.COMPANY
    )
    # The rows as the file alone makes them (parsed and checked, see services.check), kept from
    # the preview for the import, with what they were checked for; dropped with the file.
    checked_rows = models.BinaryField(null=True, blank=True, editable=False)
    checked_for = models.CharField(max_length=64, blank=True, editable=False)
    counts = models.JSONField(default=dict, blank=True)
    # What the import created, as [first id, last id] ranges (ids run on; a row each would be
    # thousands of rows more to write); with `finished_at`, also the time they were written,
    # an undo tells what nobody has changed since.
    created_ids = models.JSONField(default=list, blank=True, editable=False)
    failed_rows = models.BinaryField(null=True, blank=True, editable=False)
    # What the undo kept because it was changed since the import: name, link and what changed
    # (see undoing.KeptRecord), for the result page.
    undo_kept = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_target_display()})"

    @property
    def import_target(self) -> ImportTarget:
        return _targets().get_target(self.target)

    def reading_note_messages(self) -> list[str]:
        return [str(READING_NOTES[code]) for code in self.reading_notes if code in READING_NOTES]

    def choices(self) -> ImportChoices:
        """The user's choices for the rows: stored values that are no choice (any more) are
        taken as not chosen."""
        valid = set(RowChoice.values)
        rows = {
            int(line): choice
            for line, choice in (self.row_choices or {}).items()
            if str(line).isdigit() and choice in valid
        }
        return ImportChoices(
            on_duplicate=self.on_duplicate,
            on_mismatch=self.on_mismatch if self.on_mismatch in valid else RowChoice.SKIP,
            on_probable=self.on_probable if self.on_probable in valid else RowChoice.SKIP,
            rows=rows,
        )

    def created(self) -> set[int]:
        """The ids of the records the import created."""
        return {pk for first, last in self.created_ids for pk in range(first, last + 1)}

    def created_among(self, records: models.QuerySet) -> models.QuerySet:
        """Those of `records` (of this import's target) that the import created."""
        if not self.created_ids:
            return records.none()
        lowest = min(first for first, _last in self.created_ids)
        highest = max(last for _first, last in self.created_ids)
        ids = self.created()
        candidates = records.filter(pk__range=(lowest, highest)).values_list("pk", flat=True)
        return records.filter(pk__in=one_of([pk for pk in candidates if pk in ids]))


class SavedMapping(models.Model):
    """The organization's last column assignment per target, by normalised header name."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    target = models.CharField(max_length=12, choices=target_choices)
    assignments = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "target"], name="one_mapping_per_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.target}"
