"""Writes about events: the mirror (sync and write-through) and every change sent to HubSpot.

The endpoint family is chosen here, once: events hsadmin's own app created are addressed by their external
IDs (HubSpot answers 404 to any other app there), every other event by its objectId.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hsadmin.core.audit import audit_failure, audit_record
from hsadmin.core.hubspot_errors import describe
from hsadmin.core.models import User
from hsadmin.events.models import Event
from hsadmin.hubspot_client import EventCreate, EventUpdate, HubSpotError, MarketingEvent
from hsadmin.portals.hubspot import PortalNotConnected, hubspot_client_for
from hsadmin.portals.models import Portal

logger = logging.getLogger(__name__)

# Mirror fields a HubSpot answer may carry, by the client model's attribute.
_FIELDS = {
    "event_name": "name",
    "event_type": "event_type",
    "event_organizer": "organizer",
    "event_description": "description",
    "event_url": "url",
    "start_date_time": "starts_at",
    "end_date_time": "ends_at",
    "event_cancelled": "cancelled",
    "event_completed": "completed",
    "external_event_id": "external_event_id",
    "external_account_id": "external_account_id",
    "registrants": "registrants",
    "attendees": "attendees",
    "cancellations": "cancellations",
    "no_shows": "no_shows",
    "created_at": "hubspot_created_at",
    "updated_at": "hubspot_updated_at",
}


class EventWriteError(Exception):
    """HubSpot refused or failed a write; `message` is for people."""

    def __init__(self, message: str, *, correlation_id: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.correlation_id = correlation_id


def _values(remote: MarketingEvent) -> dict[str, Any]:
    """What a HubSpot answer says, as mirror fields (fields the endpoint did not send are left alone)."""
    values: dict[str, Any] = {}
    for attr, field in _FIELDS.items():
        value = getattr(remote, attr)
        if value is not None:
            values[field] = value
    if remote.app_info is not None and remote.app_info.id:
        values["app_id"] = int(remote.app_info.id) if str(remote.app_info.id).isdigit() else None
        values["app_name"] = remote.app_info.name or ""
    if remote.custom_properties:
        values["custom_properties"] = {p.name: p.value for p in remote.custom_properties}
    if remote.event_status_v2 or remote.event_status:
        values["hubspot_status"] = remote.event_status_v2 or remote.event_status or ""
    for text in (
        "name",
        "event_type",
        "organizer",
        "description",
        "url",
        "external_event_id",
        "external_account_id",
    ):
        if text in values and values[text] is None:
            values[text] = ""
    return values


def mirror_upsert_many(*, portal: Portal, events: Iterable[MarketingEvent], job_id: int | None = None) -> int:
    """Bring mirror rows up to date from a page of HubSpot events: one read, then one INSERT … ON CONFLICT
    DO UPDATE per set of fields the page carries (usually one), whatever the page size.

    Fields an endpoint does not send are left as they are (list-all has no externalAccountId, for one). A row
    written more recently than the page was read (someone edited during a sync) keeps its newer values.
    """
    remote = [e for e in events if e.object_id]
    if not remote:
        return 0
    now = timezone.now()
    updated_at = dict(
        Event.objects.filter(portal=portal, object_id__in=[str(r.object_id) for r in remote]).values_list(
            "object_id", "hubspot_updated_at"
        )
    )
    groups: dict[frozenset[str], list[Event]] = {}
    newer_here: list[str] = []
    for item in remote:
        object_id = str(item.object_id)
        ours = updated_at.get(object_id)
        if ours and item.updated_at and ours > item.updated_at:
            newer_here.append(object_id)
            continue
        values = {**_values(item), "synced_at": now, "seen_by_job": job_id}
        row = Event(portal=portal, object_id=object_id, **values)
        groups.setdefault(frozenset(values), []).append(row)
    with transaction.atomic():
        for fields, rows in groups.items():
            Event.objects.bulk_create(
                rows,
                batch_size=500,
                update_conflicts=True,
                unique_fields=["portal", "object_id"],
                update_fields=sorted(fields),
            )
        if newer_here:
            Event.objects.filter(portal=portal, object_id__in=newer_here).update(
                synced_at=now, seen_by_job=job_id
            )
    return len(remote)


def mirror_remove_unseen(*, portal: Portal, job_id: int, since: datetime) -> int:
    """After a complete sync: remove events HubSpot no longer has (not seen by this sync, not written since)."""
    gone = (
        Event.objects.filter(portal=portal, is_draft=False)
        .exclude(seen_by_job=job_id)
        .exclude(synced_at__gte=since)
    )
    count, _ = gone.delete()
    return count


def _write_through(event: Event, remote: MarketingEvent, **extra: Any) -> Event:
    for field, value in {**_values(remote), **extra}.items():
        setattr(event, field, value)
    event.synced_at = timezone.now()
    event.save()
    return event


def _fail(error: Exception, *, action: str, user: User, portal: Portal, target: str) -> EventWriteError:
    if isinstance(error, HubSpotError):
        audit_failure(action=action, actor=user, portal=portal, target=target, error=error)
        return EventWriteError(describe(error), correlation_id=error.correlation_id or "")
    audit_failure(action=action, actor=user, portal=portal, target=target, error=error)
    return EventWriteError(describe(error))


@dataclass(frozen=True)
class EventData:
    """What a person can set on an event (the form's cleaned data)."""

    name: str
    organizer: str
    event_type: str = ""
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    description: str = ""
    url: str = ""

    def as_update(self) -> EventUpdate:
        return EventUpdate(
            event_name=self.name,
            event_organizer=self.organizer,
            event_type=self.event_type or None,
            start_date_time=self.starts_at,
            end_date_time=self.ends_at,
            event_description=self.description,
            event_url=self.url,
        )


def new_external_event_id() -> str:
    return f"hsadmin-{uuid.uuid4().hex[:16]}"


def event_create(*, portal: Portal, user: User, data: EventData, external_event_id: str = "") -> Event:
    """Create the event in HubSpot under hsadmin's app, then mirror it.

    It goes through the upsert (PUT /events/{externalEventId}) rather than the plain create: with the external
    ID fixed here, a retry after a lost answer cannot make a duplicate. Given an existing external ID of ours,
    it updates that event (HubSpot's upsert).
    """
    external_event_id = external_event_id or new_external_event_id()
    request = EventCreate(
        external_account_id=settings.HUBSPOT_EXTERNAL_ACCOUNT_ID,
        external_event_id=external_event_id,
        event_name=data.name,
        event_organizer=data.organizer,
        event_type=data.event_type or None,
        start_date_time=data.starts_at,
        end_date_time=data.ends_at,
        event_description=data.description or None,
        event_url=data.url or None,
    )
    try:
        remote = hubspot_client_for(portal).upsert_event(request)
    except (HubSpotError, PortalNotConnected) as error:
        raise _fail(error, action="event.create", user=user, portal=portal, target=data.name) from error
    event = Event.objects.filter(portal=portal, object_id=str(remote.object_id)).first() or Event(
        portal=portal, object_id=str(remote.object_id), name=data.name
    )
    _write_through(
        event,
        remote,
        external_event_id=external_event_id,
        external_account_id=settings.HUBSPOT_EXTERNAL_ACCOUNT_ID,
        app_id=settings.HUBSPOT_APP_ID,
        hubspot_created_at=remote.created_at or event.hubspot_created_at or timezone.now(),
    )
    audit_record(action="event.create", actor=user, portal=portal, target=f"{event.name} ({event.object_id})")
    return event


def event_update(*, event: Event, user: User, data: EventData) -> Event:
    update = data.as_update()
    try:
        client = hubspot_client_for(event.portal)
        if event.owned_by_us:
            remote = client.update_event_by_external_id(
                event.external_account_id, event.external_event_id, update
            )
        else:
            remote = client.update_event(event.object_id, update)
    except (HubSpotError, PortalNotConnected) as error:
        raise _fail(
            error, action="event.update", user=user, portal=event.portal, target=event.object_id
        ) from error
    _write_through(event, remote)
    audit_record(
        action="event.update", actor=user, portal=event.portal, target=f"{event.name} ({event.object_id})"
    )
    return event


def event_cancel(*, event: Event, user: User) -> Event:
    try:
        client = hubspot_client_for(event.portal)
        if event.owned_by_us:
            remote = client.cancel_event(event.external_account_id, event.external_event_id)
        else:
            remote = client.update_event(event.object_id, EventUpdate(event_cancelled=True))
    except (HubSpotError, PortalNotConnected) as error:
        raise _fail(
            error, action="event.cancel", user=user, portal=event.portal, target=event.object_id
        ) from error
    _write_through(event, remote, cancelled=True)
    audit_record(
        action="event.cancel", actor=user, portal=event.portal, target=f"{event.name} ({event.object_id})"
    )
    return event


def event_complete(*, event: Event, user: User) -> Event:
    """Mark the event completed, which makes HubSpot compute attendance durations.

    HubSpot has `complete` only by external IDs, so only events hsadmin's app created can be completed here.
    """
    if not event.owned_by_us:
        raise EventWriteError(
            _(
                "HubSpot lets only the app that created an event complete it, and this one was created by "
                "%(app)s. Complete it there."
            )
            % {"app": event.app_name or _("another app or HubSpot's own screens")}
        )
    if not event.starts_at or not event.ends_at:
        raise EventWriteError(_("Set the event's start and end before completing it: HubSpot needs both."))
    try:
        remote = hubspot_client_for(event.portal).complete_event(
            event.external_account_id,
            event.external_event_id,
            start_date_time=event.starts_at,
            end_date_time=event.ends_at,
        )
    except (HubSpotError, PortalNotConnected) as error:
        raise _fail(
            error, action="event.complete", user=user, portal=event.portal, target=event.object_id
        ) from error
    _write_through(event, remote, completed=True)
    audit_record(
        action="event.complete", actor=user, portal=event.portal, target=f"{event.name} ({event.object_id})"
    )
    return event


def event_delete(*, event: Event, user: User) -> None:
    try:
        client = hubspot_client_for(event.portal)
        if event.owned_by_us:
            client.delete_event_by_external_id(event.external_account_id, event.external_event_id)
        else:
            client.delete_event(event.object_id)
    except (HubSpotError, PortalNotConnected) as error:
        raise _fail(
            error, action="event.delete", user=user, portal=event.portal, target=event.object_id
        ) from error
    audit_record(
        action="event.delete", actor=user, portal=event.portal, target=f"{event.name} ({event.object_id})"
    )
    event.delete()


def event_refresh(*, event: Event) -> Event:
    """Read one event again from HubSpot (the detail page's refresh button)."""
    remote = hubspot_client_for(event.portal).get_event(event.object_id)
    return _write_through(event, remote)


def events_due_for_sync(*, older_than: datetime) -> Iterable[Portal]:
    return Portal.objects.filter(status="connected").filter(
        Q(last_synced_at__isnull=True) | Q(last_synced_at__lt=older_than)
    )
