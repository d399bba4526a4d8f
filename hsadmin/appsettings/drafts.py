"""Draft events: saved in hsadmin before they exist in HubSpot, then published or fetched by HubSpot.

A draft is a mirror row with `is_draft=True`, a local placeholder object_id (`draft-…`) and hsadmin's own
external IDs, generated up front. It becomes a mirrored event in one of two ways, both ending in `draft_adopt`:

- Publish: one PUT /events/{externalEventId} (the documented upsert, safe to repeat);
- HubSpot's call-back: attendance recorded for the draft's external IDs makes HubSpot GET our eventDetailsUrl
  (the endpoint in views.py answers with the draft), create the event, then record the attendance; the job
  `drafts.adopt` then finds the new event by its external IDs.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hsadmin.core.audit import audit_record
from hsadmin.core.db import atomic_retried
from hsadmin.core.exceptions import ActionFailed
from hsadmin.core.models import Job, User
from hsadmin.events.models import DRAFT_PREFIX, Event
from hsadmin.events.services import EventData, mirror_upsert_many, new_external_event_id
from hsadmin.hubspot.gateway import open_portal
from hsadmin.hubspot_client import EventCreate, MarketingEvent
from hsadmin.hubspot_client.times import to_iso
from hsadmin.jobs.services import job_start
from hsadmin.portals.models import Portal


def _ref(event: Event) -> str:
    return f"{event.name} ({event.external_event_id})"


def _apply(event: Event, data: EventData) -> None:
    event.name = data.name
    event.organizer = data.organizer
    event.event_type = data.event_type
    event.starts_at = data.starts_at
    event.ends_at = data.ends_at
    event.description = data.description
    event.url = data.url


def draft_create(*, portal: Portal, user: User, data: EventData) -> Event:
    """Save a draft in hsadmin only; its external IDs are hsadmin's, made now."""
    event = Event(
        portal=portal,
        object_id=f"{DRAFT_PREFIX}{uuid.uuid4().hex[:24]}",
        is_draft=True,
        external_event_id=new_external_event_id(),
        external_account_id=settings.HUBSPOT_EXTERNAL_ACCOUNT_ID,
        app_id=settings.HUBSPOT_APP_ID,
        synced_at=timezone.now(),
    )
    _apply(event, data)
    event.save()
    audit_record(action="event.draft_create", actor=user, portal=portal, target=_ref(event))
    return event


def draft_update(*, event: Event, user: User, data: EventData) -> Event:
    _apply(event, data)
    event.save()
    audit_record(action="event.draft_update", actor=user, portal=event.portal, target=_ref(event))
    return event


def draft_delete(*, event: Event, user: User) -> None:
    audit_record(action="event.draft_delete", actor=user, portal=event.portal, target=_ref(event))
    event.delete()


def draft_as_create(event: Event) -> EventCreate:
    return EventCreate(
        external_account_id=event.external_account_id,
        external_event_id=event.external_event_id,
        event_name=event.name,
        event_organizer=event.organizer,
        event_type=event.event_type or None,
        start_date_time=event.starts_at,
        end_date_time=event.ends_at,
        event_description=event.description or None,
        event_url=event.url or None,
    )


def draft_adopt(*, event: Event, remote: MarketingEvent) -> Event:
    """The draft now exists in HubSpot as `remote`: it becomes that event's mirror row.

    If a sync already mirrored the new event (a row with its objectId), that row is kept and the draft goes.
    """
    object_id = str(remote.object_id)
    draft = Event.objects.filter(pk=event.pk)

    def adopt() -> None:
        if Event.objects.filter(portal=event.portal, object_id=object_id).exclude(pk=event.pk).exists():
            draft.delete()
        else:
            draft.update(object_id=object_id, is_draft=False)
        mirror_upsert_many(portal=event.portal, events=[remote])

    atomic_retried(adopt)  # HubSpot has the event: a deadlock with a sync must not lose its mirror row
    return Event.objects.get(portal=event.portal, object_id=object_id)


def draft_publish(*, event: Event, user: User) -> Event:
    """Create the draft in HubSpot (PUT /events/{externalEventId}: an upsert, so it is safe even if HubSpot
    already created it from the event-details URL), then mirror it."""
    if not event.is_draft:
        raise ActionFailed(_("This event is already in HubSpot."))
    if not (event.name and event.organizer):
        raise ActionFailed(_("Give the draft a name and an organizer first: HubSpot requires both."))
    request = draft_as_create(event)
    remote = open_portal(event.portal, user=user, action="event.publish", target=_ref(event)).call(
        lambda client: client.upsert_event(request)
    )
    return draft_adopt(event=event, remote=remote)


# The event-details endpoint's answer --------------------------------------------------------------------


def details_event(*, external_event_id: str, external_account_id: str) -> Event | None:
    """The draft or hsadmin-created mirrored event HubSpot asks about (drafts first), in any portal."""
    ours = Q(is_draft=True)
    if settings.HUBSPOT_APP_ID:
        ours |= Q(app_id=settings.HUBSPOT_APP_ID)
    return (
        Event.objects.filter(
            ours, external_event_id=external_event_id, external_account_id=external_account_id
        )
        .select_related("portal")
        .order_by("-is_draft", "pk")
        .first()
    )


def _iso(value: datetime | None) -> str | None:
    return to_iso(value) if value else None


def details_answer(event: Event) -> dict[str, Any]:
    """The event in HubSpot's create fields (MarketingEventCreateRequestParams, without the external IDs)."""
    answer: dict[str, Any] = {
        "eventName": event.name,
        "eventOrganizer": event.organizer or event.name,
        "eventCancelled": event.cancelled,
        "eventCompleted": event.completed,
        "customProperties": [],
    }
    optional = {
        "eventType": event.event_type,
        "eventDescription": event.description,
        "eventUrl": event.url,
        "startDateTime": _iso(event.starts_at),
        "endDateTime": _iso(event.ends_at),
    }
    answer.update({k: v for k, v in optional.items() if v})
    return answer


def adoption_start(*, event: Event) -> Job | None:
    """After answering HubSpot for a draft: a job finds the event HubSpot creates and adopts it (once)."""
    running = Job.objects.filter(
        kind="drafts.adopt", portal=event.portal, params__event_id=event.pk, state__in=["queued", "running"]
    )
    if running.exists():
        return None
    return job_start(kind="drafts.adopt", portal=event.portal, params={"event_id": event.pk}, total=1)
