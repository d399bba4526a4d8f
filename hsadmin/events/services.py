"""Writes about events: the mirror (sync and write-through) and every change sent to HubSpot.

Each change goes through the gateway (`hsadmin.hubspot.gateway`), which picks the endpoint family, the time
budget and the audit entry, and turns HubSpot's refusals into `ActionFailed`.
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
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hsadmin.core.db import atomic_retried
from hsadmin.core.exceptions import ActionFailed
from hsadmin.core.models import User
from hsadmin.events.models import Event
from hsadmin.hubspot.gateway import Budget, open_event, open_portal
from hsadmin.hubspot_client import EventCreate, EventUpdate, HubSpotClient, MarketingEvent
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

    HubSpot's reads by objectId and list-all never carry ``externalAccountId`` (only search and identifiers
    do), so an event our own app created that this mirror first learns from a sync has none until
    `mirror_external_accounts_recover` asks HubSpot; one already known is never overwritten.
    """
    # One item per event: HubSpot's cursor may hand an event over twice while the portal changes under a long
    # sync, and one statement may not write a row twice on PostgreSQL. The copy updated last in HubSpot wins
    # (on a tie, the one read later).
    latest: dict[str, MarketingEvent] = {}
    for item in events:
        if not item.object_id:
            continue
        seen = latest.get(str(item.object_id))
        if seen is None or not (seen.updated_at and item.updated_at and seen.updated_at > item.updated_at):
            latest[str(item.object_id)] = item
    remote = list(latest.values())
    if not remote:
        return 0
    now = timezone.now()
    # No ORDER BY (the model's default is the list's): with it, SQLite without fresh statistics (a first sync
    # into a mirror that grows while it runs) reads the portal's whole list index in that order instead of
    # looking up these 100 keys: 160 ms instead of 0.1 ms at 100,000 events.
    updated_at = dict(
        Event.objects.filter(portal=portal, object_id__in=[str(r.object_id) for r in remote])
        .order_by()
        .values_list("object_id", "hubspot_updated_at")
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


def mirror_accounts_missing(*, portal: Portal) -> QuerySet[Event]:
    """Events our own app created (HubSpot's appInfo) whose external account ID the mirror does not know yet."""
    if not settings.HUBSPOT_APP_ID:
        return Event.objects.none()
    return (
        Event.objects.filter(
            portal=portal, app_id=settings.HUBSPOT_APP_ID, external_account_id="", is_draft=False
        )
        .exclude(external_event_id="")
        .order_by("object_id")
    )


def mirror_external_account_recover(*, event: Event, client: HubSpotClient) -> str:
    """Ask HubSpot's search (`events/search?q=`, our app's events only, with their externalAccountId) for the
    account ID of one of our events and keep it; "" when HubSpot does not list it (yet: search is eventually
    consistent, so the next sync asks again)."""
    for found in client.search_events_by_external_id(event.external_event_id):
        if found.object_id == event.object_id and found.external_account_id:
            Event.objects.filter(pk=event.pk, external_account_id="").update(
                external_account_id=found.external_account_id
            )
            return found.external_account_id
    return ""


REMOVE_BATCH = 1000


def mirror_remove_unseen(*, portal: Portal, job_id: int, since: datetime) -> int:
    """After a complete sync: remove events HubSpot no longer has (not seen by this sync, not written since).

    In batches of `REMOVE_BATCH`, each in its own transaction, walking the keys upwards: Django's delete loads
    the rows it deletes (their participation imports go with them), so one delete of everything that vanished
    from a large portal would hold them all in memory and the database's write lock for as long."""
    gone = (
        Event.objects.filter(portal=portal, is_draft=False)
        .exclude(seen_by_job=job_id)
        .exclude(synced_at__gte=since)
        .order_by("pk")
    )
    removed, last = 0, 0
    while batch := list(gone.filter(pk__gt=last).values_list("pk", flat=True)[:REMOVE_BATCH]):
        last = batch[-1]
        with transaction.atomic():
            _, by_model = gone.filter(pk__in=batch).delete()  # still unseen, still not written since
        removed += by_model.get(Event._meta.label, 0)
    return removed


def _write_through(event: Event, remote: MarketingEvent, **extra: Any) -> Event:
    for field, value in {**_values(remote), **extra}.items():
        setattr(event, field, value)
    event.synced_at = timezone.now()
    atomic_retried(event.save)  # HubSpot has the change: a deadlock with a sync must not lose it here
    return event


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
    remote = open_portal(portal, user=user, action="event.create", target=data.name).call(
        lambda client: client.upsert_event(request)
    )
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
    return event


def event_update(*, event: Event, user: User, data: EventData) -> Event:
    remote = open_event(event, user=user, action="event.update").update(data.as_update())
    return _write_through(event, remote)


def event_cancel(*, event: Event, user: User) -> Event:
    remote = open_event(event, user=user, action="event.cancel").cancel()
    return _write_through(event, remote, cancelled=True)


def event_complete(*, event: Event, user: User | None, budget: Budget = Budget.WEB) -> Event:
    """Mark the event completed, which makes HubSpot compute attendance durations.

    HubSpot has `complete` only by external IDs, so only events hsadmin's app created can be completed here.
    """
    hubspot = open_event(event, user=user, action="event.complete", budget=budget)
    if not hubspot.by_external_id:
        raise ActionFailed(
            _(
                "HubSpot lets only the app that created an event complete it, and this one was created by "
                "%(app)s. Complete it there."
            )
            % {"app": event.app_name or _("another app or HubSpot's own screens")}
        )
    if not event.starts_at or not event.ends_at:
        raise ActionFailed(_("Set the event's start and end before completing it: HubSpot needs both."))
    remote = hubspot.complete(starts_at=event.starts_at, ends_at=event.ends_at)
    return _write_through(event, remote, completed=True)


def event_delete(*, event: Event, user: User) -> None:
    open_event(event, user=user, action="event.delete").delete()
    # By key, not `event.delete()` (which clears the instance's key), so a run again after a deadlock finds it.
    atomic_retried(Event.objects.filter(pk=event.pk).delete)


def event_refresh(*, event: Event, budget: Budget = Budget.WEB) -> Event:
    """Read one event again from HubSpot (the detail page's refresh button, or a job after its writes)."""
    return _write_through(event, open_event(event, budget=budget).get())


def events_due_for_sync(*, older_than: datetime) -> Iterable[Portal]:
    return Portal.objects.filter(status="connected").filter(
        Q(last_synced_at__isnull=True) | Q(last_synced_at__lt=older_than)
    )
