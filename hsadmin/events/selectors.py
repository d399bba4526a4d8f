"""Reads about events: always from the mirror, never from HubSpot (design §1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Lookup, Q, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hsadmin.core.exceptions import SendElsewhere
from hsadmin.core.pagination import Count, SeekPage, seek_page
from hsadmin.events import search
from hsadmin.events.forms import SORTS
from hsadmin.events.models import Event
from hsadmin.portals.models import Portal

# With no sort chosen and no search, the list opens on the events that started in these last days, then what is
# next (start time ascending); *Earlier* reaches the older ones.
RECENT_DAYS = 7

# The count is exact up to here; beyond, the list says "more than 1,000" (and "Page 7", not "Page 7 of …").
# Counting stops at the cap, so a count costs the same at 100,000 events as at 1,001: that is what keeps every
# filter's page within its budget at any size (design §7).
COUNT_CAP = 1_000

# An event that has not ended and started more than `LIVE_WINDOW` ago lasts longer than that: it is among the
# events that last more than `LONG_DAYS` days, which the partial index `event_long` (migration 0011) holds.
LIVE_WINDOW = dt.timedelta(days=7)
LONG_DAYS = 6  # as written in migration 0011: the index answers only this very condition

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
    events = _filtered(portal, filters)
    if q := (filters.get("q") or "").strip():
        events = events.filter(search.matching(connections[events.db], q, portal.pk))
    return events.order_by(*list_ordering(filters))


def opens_around_now(filters: dict[str, Any]) -> bool:
    """No sort chosen and no search (filters alone keep it): the list opens on what just happened and what is
    next. A search keeps the newest first, as a list of matches reads best."""
    return not filters.get("sort") and not (filters.get("q") or "").strip()


def list_default_sort(filters: dict[str, Any]) -> str:
    """The sort in effect when none is chosen."""
    return "starts" if opens_around_now(filters) else "-starts"


def recent_start() -> dt.datetime:
    """Where the list opens: midnight `RECENT_DAYS` days ago, in the person's time zone."""
    today = timezone.localdate()
    return dt.datetime.combine(
        today - dt.timedelta(days=RECENT_DAYS), dt.time.min, tzinfo=timezone.get_current_timezone()
    )


def list_ordering(filters: dict[str, Any]) -> list[str]:
    """The list's sort, then name, then the key: every row has one place, which keyset pages rely on."""
    sort = filters.get("sort") or list_default_sort(filters)
    field = SORTS[sort.lstrip("-")]
    return [f"-{field}" if sort.startswith("-") else field, "name", "id"]


def event_list_page(
    *, portal: Portal, filters: dict[str, Any], number: Any = None, after: Any = None, before: Any = None
) -> SeekPage:
    """One page of the list with its count: exact up to `COUNT_CAP` events, beyond that "more than" the cap, so
    neither the count nor a deep page reads every row of a large mirror."""
    now = timezone.now()
    live = filters.get("status") == "live"
    events = _filtered(portal, filters, now)
    # The live events as three index ranges, for the count and the page's seeks alike (see `live_parts`), each
    # with only its own conditions: every condition more is planned again in each piece of each seek.
    others = _filtered(portal, {**filters, "status": ""}, now) if live else events
    if q := (filters.get("q") or "").strip():
        count = search.search_count(events, q, portal_id=portal.pk, cap=COUNT_CAP)
        events = search.search_filter(events, q, count, portal_id=portal.pk)
        others = search.search_filter(others, q, count, portal_id=portal.pk) if live else events
    parts = live_parts(others, now) if live else []
    if not q:
        keys = [part.values("pk").order_by() for part in parts]
        count = Count.of(keys[0].union(*keys[1:], all=True) if keys else events, COUNT_CAP)
    # Around now, the page opens at a place (not a row): a virtual first row at the recent start, before every
    # real row that starts there.
    home = {"starts_at": recent_start(), "name": "", "id": 0} if opens_around_now(filters) else None
    return seek_page(
        events,
        ordering=list_ordering(filters),
        per_page=filters.get("per_page") or 25,
        count=count,
        number=number,
        after=after,
        before=before,
        home=home,
        parts=parts,
        not_null={"starts_at"} if parts else (),  # every live event has started
    )


class LastsLonger(Lookup[Any]):
    """The event lasts more than `days` days: written as the partial index `event_long` (migration 0011) writes
    its condition, so each database sees that the index holds every row that meets it."""

    lookup_name = "lasts_longer"  # never registered on a field: built in `live_parts` only

    def __init__(self, days: int) -> None:
        super().__init__(F("ends_at"), F("starts_at"))
        self.days = int(days)

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[str | int, ...]]:
        ends, ends_params = compiler.compile(self.lhs)
        starts, starts_params = compiler.compile(self.rhs)
        params = (*ends_params, *starts_params)
        if connection.vendor == "sqlite":
            return f"julianday({ends}) - julianday({starts}) > {self.days}", params
        if connection.vendor == "postgresql":
            return f"{ends} - {starts} > interval '{self.days} days'", params
        raise NotImplementedError(connection.vendor)


def live_parts(events: QuerySet[Event], now: dt.datetime) -> list[QuerySet[Event]]:
    """The live events among `events` in three disjoint parts, each one index range: started in the last
    `LIVE_WINDOW` (the start index, a week of events), started earlier with no end (the end index's NULLs), and
    started earlier and not ended (the long events' partial index).

    Live is "started, and not ended": a range of starts and a range of ends, which no single index answers, so
    the list (or its *Earlier* row, or its count) would otherwise walk every past or every upcoming event."""
    edge = now - LIVE_WINDOW
    live = events.filter(~Q(cancelled=True), starts_at__lte=now)
    return [
        live.filter(Q(ends_at__gt=now) | Q(ends_at__isnull=True), starts_at__gt=edge),
        live.filter(starts_at__lte=edge, ends_at__isnull=True),
        live.filter(LastsLonger(LONG_DAYS), starts_at__lte=edge, ends_at__gt=now),
    ]


def _filtered(portal: Portal, filters: dict[str, Any], now: dt.datetime | None = None) -> QuerySet[Event]:
    events = Event.objects.filter(portal=portal).only(*LIST_FIELDS)
    if event_type := (filters.get("type") or "").strip():
        # The types in use spelled as asked in any case (as `iexact` would match), then an exact match that the
        # (portal, type) index answers.
        wanted = event_type.upper()
        events = events.filter(event_type__in=[t for t in event_types(portal=portal) if t.upper() == wanted])
    if status := filters.get("status"):
        events = events.filter(status_q(status, now or timezone.now()))
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
    return events


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


_TYPES_IN_USE = """
    WITH RECURSIVE types(event_type) AS (
        SELECT MIN(event_type) FROM events_event WHERE portal_id = %s AND event_type > ''
        UNION ALL
        SELECT (SELECT MIN(event_type) FROM events_event WHERE portal_id = %s AND event_type > types.event_type)
        FROM types WHERE types.event_type IS NOT NULL
    )
    SELECT event_type FROM types WHERE event_type IS NOT NULL"""


def event_types(*, portal: Portal) -> list[str]:
    """The types in use on this portal, for the type filter.

    A "loose index scan": each step asks the (portal, type) index for the next type after the last one, so the
    cost follows the number of types, not of events (a plain DISTINCT reads every event's entry on PostgreSQL).
    """
    with connections[Event.objects.db].cursor() as cursor:
        cursor.execute(_TYPES_IN_USE, [portal.pk, portal.pk])
        return [row[0] for row in cursor.fetchall()]
