"""Imports: the uploaded file while it is being checked, the result afterwards, and the history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization


class Target(models.TextChoices):
    CUSTOMERS = "customers", _("Customers")
    SUPPLIERS = "suppliers", _("Suppliers")
    PRODUCTS = "products", _("Products")


class OnDuplicate(models.TextChoices):
    UPDATE = "update", _("Update the existing record")
    SKIP = "skip", _("Skip the row")


class ImportRun(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("not started")
        DONE = "done", _("imported")
        UNDONE = "undone", _("undone")
        DISCARDED = "discarded", _("discarded")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="import_runs"
    )
    target = models.CharField(_("target"), max_length=12, choices=Target.choices)
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
    mapping = models.JSONField(default=list, blank=True)
    on_duplicate = models.CharField(
        max_length=10, choices=OnDuplicate.choices, default=OnDuplicate.UPDATE
    )
    # The rows as the file alone makes them (parsed and checked, see services.check), kept from
    # the preview for the import, with what they were checked for; dropped with the file.
    checked_rows = models.BinaryField(null=True, blank=True, editable=False)
    checked_for = models.CharField(max_length=64, blank=True, editable=False)
    counts = models.JSONField(default=dict, blank=True)
    failed_rows = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_target_display()})"


class SavedMapping(models.Model):
    """The organization's last column assignment per target, by normalised header name."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    target = models.CharField(max_length=12, choices=Target.choices)
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


class ImportedRecord(models.Model):
    """A record an import created, with its change time then, so that an undo can tell
    whether anybody has touched it since."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="records")
    object_id = models.PositiveBigIntegerField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["run", "object_id"])]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.object_id}"
