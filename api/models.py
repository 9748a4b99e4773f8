"""API keys, webhooks and the log of what was sent to each webhook.

A key's secret is shown once, when it is made, and stored only as its SHA-256 hash; the key is
found by its prefix (not secret) and then compared in constant time. A webhook's signing secret,
in contrast, must be readable: every delivery is signed with it (HMAC-SHA256), so it is kept as
it is and shown to the organization's admins on the webhook's page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, Role


class ApiKey(models.Model):
    # What a key may do at most: a viewer key only reads, a member key also writes.
    ROLE_CHOICES = [
        (Role.VIEWER, _("Read only (viewer)")),
        (Role.MEMBER, _("Read and write (member)")),
    ]

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(
        _("role ceiling"), max_length=10, choices=ROLE_CHOICES, default=Role.MEMBER
    )
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Updated at most once a minute (api.keys.LAST_USED_PRECISION), not on every request.
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Event(models.TextChoices):
    CONTACT_CREATED = "contact.created", _("contact created")
    CONTACT_CHANGED = "contact.changed", _("contact changed")
    CONTACT_DELETED = "contact.deleted", _("contact deleted")
    ARTICLE_CREATED = "article.created", _("article created")
    ARTICLE_CHANGED = "article.changed", _("article changed")
    ARTICLE_DELETED = "article.deleted", _("article deleted")


class Webhook(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=64, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["url", "id"]

    def __str__(self) -> str:
        return self.url

    def get_absolute_url(self) -> str:
        return reverse("api_settings:webhook_detail", args=[self.pk])

    def event_labels(self) -> list[str]:
        labels = dict(Event.choices)
        return [str(labels.get(event, event)) for event in self.events]


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        DELIVERED = "delivered", _("delivered")
        RETRYING = "retrying", _("retrying")
        FAILED = "failed", _("failed")

    WAITING_STATUSES = (Status.QUEUED, Status.SENDING, Status.RETRYING)

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    # The body exactly as it is sent: the signature covers these bytes.
    payload = models.TextField()
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_status = models.PositiveSmallIntegerField(_("response"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    # Only the start of the receiver's answer, and of a failure's description.
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["webhook", "-created_at"], name="webhook_delivery_log")]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id}"
