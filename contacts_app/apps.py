from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_search_index(sender, using="default", **kwargs) -> None:
    from .search import ensure_search_index

    ensure_search_index(using)


class ContactsConfig(AppConfig):
    name = "contacts_app"
    label = "contacts"
    verbose_name = _("Contacts")

    def ready(self) -> None:
        # Index maintenance, not business logic: a migration that rebuilds the contacts table
        # on SQLite drops its triggers, so they are checked after every migrate.
        post_migrate.connect(_ensure_search_index, sender=self)
