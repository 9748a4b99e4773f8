from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrashConfig(AppConfig):
    name = "trash"
    verbose_name = _("Trash")
