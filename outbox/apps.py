from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Outgoing e-mail")

    def ready(self) -> None:
        from core.health import register_check

        from .health import raise_unless_moving

        register_check("mail_queue", required=False)(raise_unless_moving)
