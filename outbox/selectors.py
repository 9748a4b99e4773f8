"""Reads of deliveries that other apps' pages use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from .models import Delivery

if TYPE_CHECKING:
    from accounts.models import Invitation


def with_last_delivery(invitations: QuerySet[Invitation]) -> QuerySet[Invitation]:
    """`invitations`, each with `last_deliveries`: a list of its newest delivery, if it has one.

    One query for all of them, however many invitations the page lists.
    """
    newest = Delivery.objects.order_by("-created_at", "-pk")[:1]
    return invitations.prefetch_related(
        Prefetch("deliveries", queryset=newest, to_attr="last_deliveries")
    )
