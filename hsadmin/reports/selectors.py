"""Report figures, computed in the database from the mirror: a fixed number of queries whatever the event count.

Which numbers are which:
- `registrants`, `attendees`, `cancellations` and `no_shows` are HubSpot's *activity* counts on each event
  (a contact who registered twice counts twice); they are what HubSpot's own event screens show.
- Events "held" are those starting in the period that were not cancelled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    Field,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.http import QueryDict
from django.utils.translation import gettext as _

from hsadmin.core.models import User
from hsadmin.events.models import Event
from hsadmin.portals.models import Portal
from hsadmin.portals.selectors import can, current_portal, portal_list
from hsadmin.reports.forms import EVENT_SORTS, ReportFilterForm
from hsadmin.reports.models import EventDaySummary
from hsadmin.reports.periods import Period, period_for
from hsadmin.reports.rate_index import RATE

METRICS = ("events", "registrants", "attendees", "no_shows", "cancellations")
# Best/worst lists only rank events with at least this many registrants, so one-person events do not dominate.
RANKING_MIN_REGISTRANTS = 5
# From this many events in the period, the rankings walk the rate index instead of sorting the period's events.
RANK_BY_INDEX_FROM = 2_000


def _draft_free(events: QuerySet[Event]) -> QuerySet[Event]:
    if any(field.name == "is_draft" for field in Event._meta.get_fields()):
        return events.filter(is_draft=False)
    return events


def scoped_events(*, portals: list[Portal], filters: dict[str, Any]) -> QuerySet[Event]:
    """The mirrored, non-cancelled events of these portals matching the type and owning-app filters."""
    events = _draft_free(Event.objects.filter(portal__in=portals, cancelled=False))
    if event_type := (filters.get("type") or "").strip():
        events = events.filter(event_type__iexact=event_type)
    if app := filters.get("app"):
        ours = Q(app_id=settings.HUBSPOT_APP_ID) if settings.HUBSPOT_APP_ID else Q(pk__in=[])
        events = events.filter(ours if app == "ours" else ~ours)
    return events


def scoped_days(*, portals: list[Portal], filters: dict[str, Any]) -> QuerySet[EventDaySummary]:
    """The per-day summary's rows of these portals for the type and owning-app filters: the same events as
    `scoped_events` (the summary holds only events that are not cancelled, not drafts and have a start)."""
    days = EventDaySummary.objects.filter(portal__in=portals)
    if event_type := (filters.get("type") or "").strip():
        days = days.filter(event_type__iexact=event_type)
    if app := filters.get("app"):
        # Events without an app are summed under app 0, which no HubSpot app has: "other" keeps them, as above.
        ours = Q(app_id=settings.HUBSPOT_APP_ID) if settings.HUBSPOT_APP_ID else Q(pk__in=[])
        days = days.filter(ours if app == "ours" else ~ours)
    return days


# Figures where a rise is bad news: shown red when they go up, green when they go down.
LOWER_IS_BETTER = frozenset({"no_shows", "no_show_rate", "cancellations"})


@dataclass(frozen=True)
class Figure:
    key: str
    value: float
    previous: float
    is_rate: bool = False
    # A rate needs registrations in the previous period to compare with (0 of 0 is no data, not 0 %).
    has_previous: bool = True

    @property
    def change(self) -> float | None:
        """Change against the previous period: percentage points for rates, percent for counts; None when
        the previous period has nothing to compare with."""
        if not self.has_previous:
            return None
        if self.is_rate:
            return round((self.value - self.previous) * 100, 1)
        if not self.previous:
            return None
        return round((self.value - self.previous) / self.previous * 100, 1)

    @property
    def tone(self) -> str:
        """Good, bad or neither (no change, nothing to compare): what the change means, not its sign."""
        change = self.change
        if not change:
            return ""
        better = change < 0 if self.key in LOWER_IS_BETTER else change > 0
        return "good" if better else "bad"


def _rate(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


# The bucket of the events that start in the period before the report's period (the headline's comparison).
PREVIOUS = -1


@dataclass(frozen=True)
class Totals:
    """The period's counters, summed per month, event type and portal, with the previous period's as bucket
    PREVIOUS: everything the headline, the monthly, type and portal tables show, from one grouped pass."""

    period: Period
    months: list[dt.datetime]
    # {"bucket", "event_type", "portal_id", "events", "registrants", "attendees", "no_shows", "cancellations"}
    rows: list[dict[str, Any]]

    def current(self) -> list[dict[str, Any]]:
        return [row for row in self.rows if row["bucket"] != PREVIOUS]

    def busy_portals(self, at_least: int = 0) -> list[int]:
        """The portals with at least `at_least` events in the period (default RANK_BY_INDEX_FROM)."""
        counts = _grouped(self.current(), "portal_id")
        return [
            portal for portal, sums in counts.items() if sums["events"] >= (at_least or RANK_BY_INDEX_FROM)
        ]

    @property
    def events(self) -> int:
        """How many events the period holds: the event table's row count, without counting them again."""
        return sum(row["events"] for row in self.current())


def _summed(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {key: sum(row[key] for row in rows) for key in METRICS}


def _grouped(rows: list[dict[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    """The rows' counters summed per value of `key`, in the order the values first appear."""
    found: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(row[key], []).append(row)
    return {value: _summed(group) for value, group in found.items()}


def _utc_midnight(moment: dt.datetime) -> dt.datetime:
    """The UTC midnight at or before `moment`."""
    return moment.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)


_SUMS = {
    "registrants": Sum("registrants"),
    "attendees": Sum("attendees"),
    "no_shows": Sum("no_shows"),
    "cancellations": Sum("cancellations"),
}
Ranges = list[tuple[int, dt.datetime, dt.datetime]]


def _event_sums(events: QuerySet[Event], ranges: Ranges) -> QuerySet[Any]:
    """The events of these adjacent ranges, summed per range's bucket, type and portal: one index range read, the
    bucket named by a CASE on the start when it holds several."""
    (first, start, _), (last, _, end) = ranges[0], ranges[-1]
    bucket: Case | Value = Value(first)
    if len(ranges) > 1:
        whens = [When(starts_at__lt=stop, then=Value(number)) for number, _, stop in ranges[:-1]]
        bucket = Case(*whens, default=Value(last), output_field=IntegerField())
    return (
        events.filter(starts_at__gte=start, starts_at__lt=end)
        .annotate(bucket=bucket)
        .values("bucket", "event_type", "portal_id")
        .annotate(events=Count("*"), **_SUMS)
        .order_by()
    )


def _day_sums(
    days: QuerySet[EventDaySummary], ranges: list[tuple[int, dt.date, dt.date]], cut: list[dt.date]
) -> QuerySet[Any]:
    """The same columns, in the same order, as `_event_sums`, summed from the summary's rows of these adjacent
    ranges of whole UTC days, leaving out the days in `cut` (read from the events): one range read from the first
    day to the last, the bucket named by a CASE on the day."""
    whens = [When(day__lt=stop, then=Value(number)) for number, _, stop in ranges[:-1]]
    bucket = (
        Case(*whens, default=Value(ranges[-1][0]), output_field=IntegerField())
        if whens
        else Value(ranges[0][0])
    )
    return (
        days.filter(day__gte=ranges[0][1], day__lt=ranges[-1][2])
        .exclude(day__in=cut)
        .annotate(bucket=bucket)
        .values("bucket", "event_type", "portal_id")
        .annotate(events=Sum("events"), **_SUMS)
        .order_by()
    )


def totals(
    *, events: QuerySet[Event], period: Period, days: QuerySet[EventDaySummary] | None = None
) -> Totals:
    """One query over the period and the one before it: for each month (month edges computed here, in the
    person's zone) and the previous period, the sums per event type and portal.

    With `days` (the same scope's rows of the per-day summary, `scoped_days`), the whole UTC days of every range
    are read from the summary in one part, and from the events only the UTC days a range's edge cuts (the person's
    zone is off UTC by hours, or :30/:45), one part per such day, each split between its two ranges by a CASE on
    the start. So the cost follows the number of days, types and apps in the period, not the number of events.
    Without `days`, one part per range reads its events. UNION ALL; one part per range and edge (39 in a zone off
    UTC) cost more to build in Django than the database spent running them."""
    starts = _month_starts(period)
    ranges = [(PREVIOUS, period.previous_start, period.start)]
    # A custom period starts and ends inside its first and last months: their ranges are cut to the period.
    ranges += [
        (i, max(start, period.start), end)
        for i, (start, end) in enumerate(zip(starts, [*starts[1:], period.end], strict=True))
    ]
    if days is None:
        parts = [_event_sums(events, [r]) for r in ranges]
    else:
        parts = _summary_and_edges(events, days, ranges)
    rows = parts[0].union(*parts[1:], all=True).order_by() if len(parts) > 1 else parts[0]
    return Totals(period=period, months=starts, rows=[dict(row) for row in rows])


def _summary_and_edges(
    events: QuerySet[Event], days: QuerySet[EventDaySummary], ranges: Ranges
) -> list[QuerySet[Any]]:
    """The parts of `totals` over adjacent ranges: the summary for each range's whole UTC days, and the events
    of each UTC day that a range's edge falls inside, clipped to the ranges and split between them."""
    one_day = dt.timedelta(days=1)
    whole = []
    cut: list[dt.datetime] = []  # the UTC days (their midnights) that an edge falls inside
    for number, start, end in ranges:
        first, last = _utc_midnight(start), _utc_midnight(end)
        if first < start:
            first += one_day
            cut.append(first - one_day)
        if last < end:
            cut.append(last)
        if first < last:
            whole.append((number, first.date(), last.date()))
    cut_days = sorted({day.date() for day in cut})
    parts: list[QuerySet[Any]] = [_day_sums(days, whole, cut_days)] if whole else []
    begin, finish = ranges[0][1], ranges[-1][2]
    for day in sorted(set(cut)):
        low, high = max(day, begin), min(day + one_day, finish)
        inside = [(n, max(s, low), min(e, high)) for n, s, e in ranges if s < high and e > low]
        parts.append(_event_sums(events, inside))
    return parts


def headline(*, events: QuerySet[Event], period: Period, summed: Totals | None = None) -> dict[str, Figure]:
    """The headline figures for the period and the one before it."""
    summed = summed or totals(events=events, period=period)
    now = _summed(summed.current())
    before = _summed([row for row in summed.rows if row["bucket"] == PREVIOUS])
    figures = {key: Figure(key, now[key], before[key]) for key in METRICS}
    for rate, part in (("attendance_rate", "attendees"), ("no_show_rate", "no_shows")):
        figures[rate] = Figure(
            rate,
            _rate(now[part], now["registrants"]),
            _rate(before[part], before["registrants"]),
            is_rate=True,
            has_previous=bool(before["registrants"]),
        )
    return figures


def in_period(events: QuerySet[Event], period: Period) -> QuerySet[Event]:
    return events.filter(starts_at__gte=period.start, starts_at__lt=period.end)


def _month_starts(period: Period) -> list[dt.datetime]:
    """The first instant of each month of the period, in the period's (the person's) time zone."""
    zone = period.start.tzinfo
    cursor = period.start.date().replace(day=1)
    starts = []
    while cursor < period.end.date():
        starts.append(dt.datetime(cursor.year, cursor.month, 1, tzinfo=zone))
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    return starts


def monthly(*, events: QuerySet[Event], period: Period, summed: Totals | None = None) -> list[dict[str, Any]]:
    """One row per month of the period (months without events included), in the person's time zone."""
    summed = summed or totals(events=events, period=period)
    found = _grouped(summed.current(), "bucket")
    empty = dict.fromkeys(METRICS, 0)
    months: list[dict[str, Any]] = [
        {"month": start.date(), **found.get(i, empty)} for i, start in enumerate(summed.months)
    ]
    for month in months:
        month["attendance_rate"] = _rate(month["attendees"], month["registrants"])
    return months


def by_type(*, events: QuerySet[Event], period: Period, summed: Totals | None = None) -> list[dict[str, Any]]:
    """One row per event type of the period, most registrants first."""
    summed = summed or totals(events=events, period=period)
    rows = [{"event_type": kind, **sums} for kind, sums in _grouped(summed.current(), "event_type").items()]
    rows.sort(key=lambda row: (-row["registrants"], row["event_type"]))
    for row in rows:
        row["attendance_rate"] = _rate(row["attendees"], row["registrants"])
    return rows


def by_portal(
    *, events: QuerySet[Event], period: Period, summed: Totals | None = None
) -> list[dict[str, Any]]:
    """One row per portal with events in the period, by portal name."""
    summed = summed or totals(events=events, period=period)
    found = _grouped(summed.current(), "portal_id")
    portals = Portal.objects.filter(id__in=found).values("id", "hub_id", "name")
    rows: list[dict[str, Any]] = [
        {"portal__hub_id": p["hub_id"], "portal__name": p["name"], **found[p["id"]]} for p in portals
    ]
    rows.sort(key=lambda row: (row["portal__name"], row["portal__hub_id"]))
    for row in rows:
        row["attendance_rate"] = _rate(row["attendees"], row["registrants"])
    return rows


def with_rate(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(
        rate=Case(
            When(
                registrants__gt=0,
                then=Cast(F("attendees"), FloatField()) / Cast(F("registrants"), FloatField()),
            ),
            default=Value(0.0),
            output_field=FloatField(),
        )
    )


def event_table(*, events: QuerySet[Event], period: Period, sort: str) -> QuerySet[Event]:
    field = EVENT_SORTS.get(sort.lstrip("-"), "starts_at")
    order = f"-{field}" if sort.startswith("-") else field
    return (
        with_rate(in_period(events, period))
        .select_related("portal")
        .only(
            "id",
            "object_id",
            "name",
            "event_type",
            "starts_at",
            "registrants",
            "attendees",
            "no_shows",
            "cancellations",
            "portal__hub_id",
            "portal__name",
        )
        .order_by(order, "id")
    )


def _unindexed(field: str, output_field: Field[Any, Any]) -> Func:
    """A column behind SQLite's unary plus: the same value, but a term on it never chooses an index (SQLite's
    documented way to steer its planner)."""
    return Func(F(field), template="+%(expressions)s", output_field=output_field)


def _rankable_by_rate_index(events: QuerySet[Event], period: Period) -> QuerySet[Event]:
    """The ranked events of the period (at least RANKING_MIN_REGISTRANTS registrants), written so that the
    planner walks a portal's rate index instead of reading the period's range (or the registrants' range) and
    sorting it. SQLite's planner would choose a range (it cannot weigh the LIMIT): there the bounds are compared
    through a unary plus, and so are checked on the rate index's own entries. PostgreSQL weighs the LIMIT itself."""
    if connections[events.db].vendor != "sqlite":
        return in_period(events, period).filter(registrants__gte=RANKING_MIN_REGISTRANTS)
    return events.alias(
        unindexed_start=_unindexed("starts_at", DateTimeField()),
        unindexed_registrants=_unindexed("registrants", IntegerField()),
    ).filter(
        unindexed_start__gte=period.start,
        unindexed_start__lt=period.end,
        unindexed_registrants__gte=RANKING_MIN_REGISTRANTS,
    )


def ranking(
    *,
    events: QuerySet[Event],
    period: Period,
    best: bool,
    size: int = 5,
    walk: Collection[int] = (),
    sort: Collection[int] = (),
) -> list[Event]:
    return list(ranking_query(events=events, period=period, best=best, size=size, walk=walk, sort=sort))


def ranking_query(
    *,
    events: QuerySet[Event],
    period: Period,
    best: bool,
    size: int = 5,
    walk: Collection[int] = (),
    sort: Collection[int] = (),
) -> QuerySet[Event]:
    """The best (or worst) attendance rates, in one query: the ids are ranked in subqueries, and only those few
    rows are read and ranked again.

    By default the period's events are read from their range and sorted. With `walk` (the ids of the portals
    whose period holds many events, `Totals.busy_portals`), each of those portals' first `size` are read in
    rank order from its rate index (`rate_index`), which stops after `size` events of the period instead of
    sorting all of them; the portals in `sort` (the others in scope) are read from their range as by default.
    For a portal with few events in the period, the range costs less than walking its index past its other
    periods' events."""
    order = ("-rate" if best else "rate", "-registrants", "id")
    if not walk:
        return _ranked(Q(id__in=_sorted_ids(events, period, order, size)), order, size)
    indexed = (F("indexed_rate").desc() if best else F("indexed_rate").asc(), "-registrants", "id")
    picked = Q()
    for portal_id in walk:
        first = (
            _rankable_by_rate_index(events.filter(portal_id=portal_id), period)
            .alias(indexed_rate=RATE)
            .order_by(*indexed)
            .values("id")[:size]
        )
        picked |= Q(id__in=first)
    if sort:
        picked |= Q(id__in=_sorted_ids(events.filter(portal_id__in=sort), period, order, size))
    return _ranked(picked, order, size)


def _sorted_ids(events: QuerySet[Event], period: Period, order: tuple[str, ...], size: int) -> QuerySet[Any]:
    ranked = in_period(events, period).filter(registrants__gte=RANKING_MIN_REGISTRANTS)
    return with_rate(ranked).order_by(*order).values("id")[:size]


def _ranked(picked: Q, order: tuple[str, ...], size: int) -> QuerySet[Event]:
    return with_rate(Event.objects.filter(picked)).select_related("portal").order_by(*order)[:size]


# Scope: which portals, filters and period a report covers ------------------------------------------------

ALL = "all"
DEFAULT_PERIOD = "last_12_months"


def report_portals(*, user: User) -> list[Portal]:
    """The portals whose reports this person may read."""
    return [p for p in portal_list(user=user) if can(user=user, portal=p, capability="view_reports")]


@dataclass(frozen=True)
class ReportScope:
    form: ReportFilterForm
    portals: list[Portal]
    filters: dict[str, Any]
    period: Period


def report_scope(*, user: User, query: QueryDict) -> ReportScope:
    """The form, the portals in scope, the filters and the period, all read from the URL's query."""
    portals = report_portals(user=user)
    choices = [(str(p.hub_id), p.name) for p in portals]
    if len(portals) > 1:
        choices.insert(0, (ALL, _("All my portals")))
    current = current_portal(user=user)
    default_portal = (
        str(current.hub_id) if current and current in portals else (choices[0][0] if choices else "")
    )
    # The form shows the portal and period the report uses, also when the URL names neither: otherwise its
    # selects would show their first choice, and pressing Show would silently change the report.
    data = query.copy()
    for name, default in (("portal", default_portal), ("period", DEFAULT_PERIOD)):
        if not data.get(name):
            data[name] = default
    form = ReportFilterForm(data, portals=choices)
    filters = form.cleaned_data if form.is_valid() else {}
    chosen = filters.get("portal") or default_portal
    scope = portals if chosen == ALL else [p for p in portals if str(p.hub_id) == chosen]
    period = period_for(
        filters.get("period") or DEFAULT_PERIOD, since=filters.get("since"), until=filters.get("until")
    )
    return ReportScope(form=form, portals=scope, filters={**filters, "portal": chosen}, period=period)
