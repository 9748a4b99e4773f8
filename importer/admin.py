"""The Django admin's CSV import and export, for superusers: each target's resource is given to
the admin of the model it imports.

The contact and product admins are django-import-export admins that know nothing of the
importer (the domain apps never import it); Django imports this module after theirs, as the
importer comes after them in INSTALLED_APPS.
"""

from __future__ import annotations

from django.contrib import admin

from .targets import TARGETS

for target in TARGETS:
    model_admin = admin.site.get_model_admin(target.model)
    model_admin.resource_classes = [  # type: ignore[attr-defined]
        *model_admin.resource_classes,  # type: ignore[attr-defined]
        target.resource,
    ]
