from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CardDavConfig(AppConfig):
    name = "carddav"
    verbose_name = _("CardDAV")
    default_auto_field = "django.db.models.BigAutoField"
