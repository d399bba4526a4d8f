"""Reads about events: always from the mirror, never from HubSpot (design §1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hsadmin.core.exceptions import SendElsewhere
from hsadmin.events.forms import SORTS
from hsadmin.events.models import Event
from hsadmin.portals.models import Portal

LIST_FIELDS = (
    "id",
    "portal_id",
    "object_id",
    "name",
    "event_type",
    "organizer",
    "starts_at",
    "ends_at",
    "cancelled",
    "completed",
    "registrants",
    "attendees",
    "cancellations",
    "no_shows",
    "app_id",
    "app_name",
    "external_event_id",
    "external_account_id",
    "is_draft",
)


def status_q(status: str, now: dt.datetime) -> Q:
    live = ~Q(cancelled=True)
    return {
        "upcoming": live & Q(starts_at__gt=now),
        "live": live & Q(starts_at__lte=now) & (Q(ends_at__gt=now) | Q(ends_at__isnull=True)),
        "past": live & Q(ends_at__lte=now),
        "cancelled": Q(cancelled=True),
        "completed": Q(completed=True),
        "ended_not_completed": live & Q(completed=False, ends_at__lte=now),
    }[status]


def event_list(*, portal: Portal, filters: dict[str, Any]) -> QuerySet[Event]:
    """The portal's mirrored events, searched, filtered and sorted as the list page asks."""
    events = Event.objects.filter(portal=portal).only(*LIST_FIELDS)
    if q := (filters.get("q") or "").strip():
        events = events.filter(
            Q(name__icontains=q) | Q(external_event_id__icontains=q) | Q(organizer__icontains=q)
        )
    if event_type := (filters.get("type") or "").strip():
        events = events.filter(event_type__iexact=event_type)
    if status := filters.get("status"):
        events = events.filter(status_q(status, timezone.now()))
    if app := filters.get("app"):
        ours = Q(app_id=settings.HUBSPOT_APP_ID) if settings.HUBSPOT_APP_ID else Q(pk__in=[])
        events = events.filter(ours if app == "ours" else ~ours)
    zone = timezone.get_current_timezone()
    if since := filters.get("starts_from"):
        events = events.filter(starts_at__gte=dt.datetime.combine(since, dt.time.min, tzinfo=zone))
    if until := filters.get("starts_to"):
        events = events.filter(
            starts_at__lt=dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        )
    sort = filters.get("sort") or "-starts"
    field = SORTS[sort.lstrip("-")]
    order = f"-{field}" if sort.startswith("-") else field
    return events.order_by(order, "name", "id")


def event_get(*, portal: Portal, object_id: str) -> Event:
    try:
        return Event.objects.get(portal=portal, object_id=object_id)
    except Event.DoesNotExist:
        raise Http404("No such event in this portal") from None


def event_in_hubspot(*, portal: Portal, object_id: str) -> Event:
    """`event_get` for pages that act on the event in HubSpot: a draft is not there yet, so its person is sent
    to the draft's page (which offers editing and publishing to those who may) instead of meeting HubSpot's
    404."""
    event = event_get(portal=portal, object_id=object_id)
    if event.is_draft:
        raise SendElsewhere(
            reverse("events:detail", args=[portal.hub_id, event.object_id]),
            _("“%(name)s” is a draft: it is not in HubSpot until it is published.") % {"name": event.name},
        )
    return event


def event_types(*, portal: Portal) -> list[str]:
    """The types in use on this portal, for the type filter."""
    return list(
        Event.objects.filter(portal=portal)
        .exclude(event_type="")
        .values_list("event_type", flat=True)
        .distinct()
        .order_by("event_type")
    )
