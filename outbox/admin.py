from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Delivery
from .services import send_again


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only: the queue's record. The message text is left out, as it holds links."""

    list_display = [
        "to",
        "subject",
        "status",
        "attempts",
        "reason",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "reason", "template"]
    search_fields = ["to", "subject"]
    exclude = ["body_text", "body_html"]
    readonly_fields = [
        "template",
        "language",
        "to",
        "subject",
        "invitation",
        "status",
        "attempts",
        "reason",
        "last_error",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "sent_at",
    ]
    actions = ["try_again_now"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Try again now (retrying, or stuck while sending)"))
    def try_again_now(self, request, queryset) -> None:
        count = sum(send_again(delivery) for delivery in queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail queued for an attempt now.",
                "%(count)d e-mails queued for an attempt now.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
