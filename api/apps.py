from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from history.services import on_changes

        from .lookups import add_sqlite_functions
        from .webhooks.events import changes_recorded

        connection_created.connect(add_sqlite_functions, dispatch_uid="api-sqlite-functions")
        on_changes(changes_recorded)
