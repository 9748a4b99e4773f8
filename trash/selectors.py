"""What the trash holds: an organization's contacts and products moved there, and how long
each stays before `manage.py purge_trash` deletes it for good."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, IntegerField, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Organization
from contacts_app.models import Contact, ContactPerson, Note, WebProfile
from products.models import Product

DAY = timedelta(days=1)


def keeping_time() -> timedelta:
    return settings.TRASH_DAYS * DAY


def purge_cutoff(now: datetime | None = None) -> datetime:
    """What was moved to the trash before this moment is due to be deleted for good."""
    return (now or timezone.now()) - keeping_time()


def days_left(deleted_at: datetime, now: datetime | None = None) -> int:
    """Whole days (rounded up) until the item is due to be purged; 0 once it is due."""
    remaining = deleted_at + keeping_time() - (now or timezone.now())
    return max(0, math.ceil(remaining / DAY))


def _count(model: type[Model]) -> Coalesce:
    """How many rows of `model` belong to the contact, as a subquery (several counts joined
    in one query would multiply each other)."""
    rows = (
        model._default_manager.filter(contact=OuterRef("pk"))
        .order_by()
        .values("contact")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def trashed_contacts(organization: Organization) -> QuerySet[Contact]:
    """The organization's contacts in the trash, the most recently moved first, with how many
    contact persons, web profiles and notes come back with each."""
    return (
        Contact.all_objects.trashed()
        .filter(organization=organization)
        .select_related("deleted_by")
        .annotate(
            person_count=_count(ContactPerson),
            profile_count=_count(WebProfile),
            note_count=_count(Note),
        )
        .defer("search_text")
        .order_by("-deleted_at", "-id")
    )


def trashed_products(organization: Organization) -> QuerySet[Product]:
    """The organization's products in the trash, the most recently moved first."""
    return (
        Product.all_objects.trashed()
        .filter(organization=organization)
        .select_related("deleted_by")
        .defer("description", "internal_note", "search_text")
        .order_by("-deleted_at", "-id")
    )


def due_for_purge(model: type[Contact] | type[Product], cutoff: datetime) -> dict[int, list[int]]:
    """{organization id: ids} of the records of `model` in the trash since before `cutoff`."""
    due: dict[int, list[int]] = {}
    rows = (
        model.all_objects.filter(deleted_at__lt=cutoff)
        .order_by("organization_id", "pk")
        .values_list("organization_id", "pk")
    )
    for organization_id, pk in rows.iterator(chunk_size=5000):
        due.setdefault(organization_id, []).append(pk)
    return due
