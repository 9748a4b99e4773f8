"""From the history to webhooks: which events a change set is, and one task to send them.

`changes_recorded` listens to every change set (history.services.on_changes), whatever made
it: a page, an import, the API, CardDAV. In the request it only asks whether the organization
has an active webhook at all and, if so, queues one task; the task (`fan_out`, in the worker)
reads the change set, groups its records by event and queues one delivery per webhook and
event, with up to `IDS_PER_DELIVERY` ids each. An import of 8,000 contacts costs the import
one query and one queued task.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone

from history.models import Action, Change, ChangeSet

from ..ids import ARTICLE, CONTACT, ORGANIZATION, to_uuid
from ..models import Event, Webhook, WebhookDelivery

IDS_PER_DELIVERY = 1000
# Deliveries older than this are removed when the webhook sends again.
LOG_DAYS = 30

ACTION_EVENTS: dict[str, dict[str, str]] = {
    "contact": {
        Action.CREATED: Event.CONTACT_CREATED,
        Action.CHANGED: Event.CONTACT_CHANGED,
        Action.RESTORED: Event.CONTACT_CHANGED,
        Action.TRASHED: Event.CONTACT_DELETED,
        Action.DELETED: Event.CONTACT_DELETED,
    },
    "product": {
        Action.CREATED: Event.ARTICLE_CREATED,
        Action.CHANGED: Event.ARTICLE_CHANGED,
        Action.RESTORED: Event.ARTICLE_CHANGED,
        Action.TRASHED: Event.ARTICLE_DELETED,
        Action.DELETED: Event.ARTICLE_DELETED,
    },
}
ID_KINDS = {"contact": CONTACT, "product": ARTICLE}


def changes_recorded(changeset_id: int, organization_id: int) -> None:
    """history's listener: queue the fan-out if the organization has webhooks."""
    if Webhook.objects.filter(organization_id=organization_id, active=True).exists():
        from .tasks import fan_out

        fan_out.enqueue(changeset_id)


def events_of(changes: Iterable[tuple[str, int, int | None, str]]) -> dict[str, list[str]]:
    """{event: [record ids]} of (kind, object id, contact id, action) rows, in their order.

    A note's change is a change of its contact; a record is named once per event.
    """
    events: dict[str, dict[str, None]] = {}
    for kind, object_id, contact_id, action in changes:
        if kind == "note":
            if contact_id is None:
                continue
            kind, object_id, action = "contact", contact_id, Action.CHANGED
        event = ACTION_EVENTS.get(kind, {}).get(action)
        if event is not None:
            events.setdefault(event, {})[to_uuid(ID_KINDS[kind], object_id)] = None
    return {event: list(found) for event, found in events.items()}


def payloads(changeset: ChangeSet, event: str, resource_ids: list[str]) -> Iterable[str]:
    for start in range(0, len(resource_ids), IDS_PER_DELIVERY):
        yield json.dumps(
            {
                "eventId": str(uuid.uuid4()),
                "eventType": event,
                "eventDate": timezone.localtime(changeset.created_at).isoformat(
                    timespec="milliseconds"
                ),
                "organizationId": to_uuid(ORGANIZATION, changeset.organization_id),
                "resourceIds": resource_ids[start : start + IDS_PER_DELIVERY],
            },
            separators=(",", ":"),
        )


def deliveries_for(changeset_id: int) -> list[WebhookDelivery]:
    """The deliveries a change set makes (saved, not yet queued)."""
    changeset = ChangeSet.objects.filter(pk=changeset_id).first()
    if changeset is None:
        return []
    hooks = list(Webhook.objects.filter(organization_id=changeset.organization_id, active=True))
    if not hooks:
        return []
    rows = Change.objects.filter(changeset=changeset).order_by("id")
    events = events_of(rows.values_list("kind", "object_id", "contact_id", "action").iterator())
    made = [
        WebhookDelivery(webhook=hook, event=event, payload=payload)
        for hook in hooks
        for event, resource_ids in events.items()
        if event in hook.events
        for payload in payloads(changeset, event, resource_ids)
    ]
    created = WebhookDelivery.objects.bulk_create(made)
    WebhookDelivery.objects.filter(
        webhook__in=hooks, created_at__lt=timezone.now() - timedelta(days=LOG_DAYS)
    ).delete()
    return created
