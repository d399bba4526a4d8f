"""The report's tables as CSV: one row per export in a table (its columns and how its rows are read), so a new
export is a new entry, not another branch in the view."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from hsadmin.events.models import Event
from hsadmin.reports import selectors
from hsadmin.reports.models import EventDaySummary
from hsadmin.reports.periods import Period

Rows = Iterable[Sequence[Any]]


@dataclass(frozen=True)
class Export:
    header: tuple[str, ...]
    # (the scope's events, its rows of the per-day summary, the period, the filters)
    rows: Callable[[QuerySet[Event], QuerySet[EventDaySummary], Period, dict[str, Any]], Rows]


COUNTS = ("registrants", "attendees", "no_shows", "cancellations")


def _totals(events: QuerySet[Event], days: QuerySet[EventDaySummary], period: Period) -> selectors.Totals:
    return selectors.totals(events=events, period=period, days=days)


def _events(
    events: QuerySet[Event], days: QuerySet[EventDaySummary], period: Period, filters: dict[str, Any]
) -> Rows:
    table = selectors.event_table(events=events, period=period, sort=filters.get("sort") or "-starts")
    for e in table.iterator(chunk_size=500):
        yield (
            e.portal.name,
            e.name,
            e.object_id,
            e.event_type,
            e.starts_at.isoformat() if e.starts_at else "",
            e.registrants,
            e.attendees,
            e.no_shows,
            e.cancellations,
            round(e.rate * 100, 1),  # type: ignore[attr-defined]  # annotated by selectors.with_rate()
        )


def _months(
    events: QuerySet[Event], days: QuerySet[EventDaySummary], period: Period, filters: dict[str, Any]
) -> Rows:
    for m in selectors.monthly(events=events, period=period, summed=_totals(events, days, period)):
        yield (m["month"].isoformat(), m["events"], *(m[k] for k in COUNTS))


def _types(
    events: QuerySet[Event], days: QuerySet[EventDaySummary], period: Period, filters: dict[str, Any]
) -> Rows:
    for t in selectors.by_type(events=events, period=period, summed=_totals(events, days, period)):
        yield (t["event_type"], t["events"], *(t[k] for k in COUNTS))


def _portals(
    events: QuerySet[Event], days: QuerySet[EventDaySummary], period: Period, filters: dict[str, Any]
) -> Rows:
    for p in selectors.by_portal(events=events, period=period, summed=_totals(events, days, period)):
        yield (p["portal__name"], p["portal__hub_id"], p["events"], *(p[k] for k in COUNTS))


def _headline(
    events: QuerySet[Event], days: QuerySet[EventDaySummary], period: Period, filters: dict[str, Any]
) -> Rows:
    for key, f in selectors.headline(
        events=events, period=period, summed=_totals(events, days, period)
    ).items():
        yield (key, f.value, f.previous, f.change if f.change is not None else "")


EXPORTS: dict[str, Export] = {
    "events": Export(
        ("portal", "event", "object_id", "type", "starts", *COUNTS, "attendance_rate_pct"), _events
    ),
    "months": Export(("month", "events", *COUNTS), _months),
    "types": Export(("type", "events", *COUNTS), _types),
    "portals": Export(("portal", "hub_id", "events", *COUNTS), _portals),
    "headline": Export(("figure", "this_period", "previous_period", "change"), _headline),
}
