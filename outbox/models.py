"""Every e-mail Kontor sends, from the request that asked for it to its final state.

The message is rendered in the request and waits here for the worker; the task queue carries
only the delivery's id. Once a delivery is final (sent, failed or cancelled) its text is
deleted: an invitation's link must not stay readable in the database longer than needed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def waiting(self) -> DeliveryQuerySet:
        """Deliveries the worker still has to try (or is trying right now)."""
        return self.filter(status__in=Delivery.WAITING_STATUSES)


class Delivery(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        RETRYING = "retrying", _("retrying")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    class Reason(models.TextChoices):
        """Why the last attempt failed, in words for the people who read the users page."""

        UNREACHABLE = "unreachable", _("the mail server could not be reached")
        TIMEOUT = "timeout", _("the mail server did not answer in time")
        DISCONNECTED = "disconnected", _("the mail server closed the connection")
        LOGIN = "login", _("the mail server did not accept Kontor's login")
        RECIPIENT_REFUSED = "recipient_refused", _("the mail server refused the address")
        MESSAGE_REFUSED = "message_refused", _("the mail server refused the message")
        ERROR = "error", _("an unexpected error occurred")
        SUPERSEDED = "superseded", _("a newer e-mail replaced it")
        OBSOLETE = "obsolete", _("the invitation is no longer open")

    WAITING_STATUSES = (Status.QUEUED, Status.SENDING, Status.RETRYING)

    template = models.CharField(_("template"), max_length=100)
    language = models.CharField(_("language"), max_length=10)
    to = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    invitation = models.ForeignKey(
        "accounts.Invitation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("invitation"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"

    def as_message(self) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[self.to],
        )
        if self.body_html:
            message.attach_alternative(self.body_html, "text/html")
        return message
