"""The report's figures, read from one grouped query, against the same figures summed in Python over the events."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hsadmin.core.models import User
from hsadmin.core.roles import Role
from hsadmin.events.models import Event
from hsadmin.portals.models import Membership, Portal
from hsadmin.reports import selectors
from hsadmin.reports.periods import Period, period_for

pytestmark = pytest.mark.django_db

COUNTS = ("registrants", "attendees", "no_shows", "cancellations")
# Half an hour off UTC: month edges fall inside a UTC hour, so a figure grouped by UTC day or hour would be wrong.
ZONE = "Asia/Kolkata"


@pytest.fixture
def portals(manager_user: User) -> list[Portal]:
    found = []
    for hub_id, name in ((601, "Zeta"), (602, "Alpha")):
        portal = Portal.objects.create(hub_id=hub_id, name=name, status="connected")
        Membership.objects.create(user=manager_user, portal=portal, role=Role.MANAGER.value)
        found.append(portal)
    return found


def _mirror(portals: list[Portal], count: int = 400) -> None:
    """Events over three years around 2026-05-15, some on a month edge in Kolkata, some cancelled, drafts,
    without a start, of several types (one empty)."""
    rng = random.Random(18)
    zone = dt.timezone(dt.timedelta(hours=5, minutes=30))
    edges = [dt.datetime(2025 + m // 12, m % 12 + 1, 1, tzinfo=zone) for m in range(0, 24)]
    events = []
    for i in range(count):
        if i % 10 == 0:  # just before or at a month's first instant in Kolkata
            starts: dt.datetime | None = rng.choice(edges) - dt.timedelta(seconds=rng.choice([0, 1]))
        elif i % 37 == 0:
            starts = None
        else:
            starts = dt.datetime(2026, 5, 15, tzinfo=dt.UTC) + dt.timedelta(days=rng.randint(-900, 400))
            starts += dt.timedelta(minutes=rng.randint(0, 1439))
        registrants = rng.choice([0, 3, 5, 5, 10, 40, 200])
        attendees = rng.randint(0, registrants)
        events.append(
            Event(
                portal=rng.choice(portals),
                object_id=str(i),
                name=f"Event {i}",
                event_type=rng.choice(["WEBINAR", "CONFERENCE", "WORKSHOP", ""]),
                starts_at=starts,
                cancelled=rng.random() < 0.1,
                is_draft=rng.random() < 0.05,
                registrants=registrants,
                attendees=attendees,
                no_shows=registrants - attendees,
                cancellations=rng.randint(0, 4),
            )
        )
    Event.objects.bulk_create(events)


def _in(event: Event, start: dt.datetime, end: dt.datetime) -> bool:
    return event.starts_at is not None and start <= event.starts_at < end


def _sums(events: list[Event]) -> dict[str, int]:
    return {"events": len(events), **{key: sum(getattr(e, key) for e in events) for key in COUNTS}}


def _expected(portals: list[Portal], period: Period) -> dict[str, Any]:
    """Every figure of the report, straight from the rows in Python."""
    ids = {p.id for p in portals}
    rows = [e for e in Event.objects.select_related("portal") if e.portal_id in ids]
    rows = [e for e in rows if not e.cancelled and not e.is_draft]
    now = [e for e in rows if _in(e, period.start, period.end)]
    before = [e for e in rows if _in(e, period.previous_start, period.previous_end)]
    starts = selectors._month_starts(period)
    months = [
        {"month": s.date(), **_sums([e for e in now if _in(e, s, end)])}
        for s, end in zip(starts, [*starts[1:], period.end], strict=True)
    ]
    kinds = sorted({e.event_type for e in now})
    types = sorted(
        ({"event_type": k, **_sums([e for e in now if e.event_type == k])} for k in kinds),
        key=lambda row: (-row["registrants"], row["event_type"]),
    )
    by_portal = [
        {"portal__hub_id": p.hub_id, "portal__name": p.name, **_sums([e for e in now if e.portal_id == p.id])}
        for p in sorted(portals, key=lambda p: p.name)
        if any(e.portal_id == p.id for e in now)
    ]

    def rate(e: Event) -> float:
        return e.attendees / e.registrants if e.registrants else 0.0

    ranked = [e for e in now if e.registrants >= selectors.RANKING_MIN_REGISTRANTS]
    return {
        "now": _sums(now),
        "before": _sums(before),
        "months": months,
        "types": types,
        "portals": by_portal,
        "best": [e.id for e in sorted(ranked, key=lambda e: (-rate(e), -e.registrants, e.id))[:5]],
        "worst": [e.id for e in sorted(ranked, key=lambda e: (rate(e), -e.registrants, e.id))[:5]],
    }


def _without_rates(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k != "attendance_rate"} for row in rows]


@pytest.mark.parametrize(
    "name, since, until",
    [
        ("last_12_months", None, None),
        ("this_quarter", None, None),
        ("last_quarter", None, None),
        ("custom", dt.date(2025, 3, 17), dt.date(2026, 2, 3)),
    ],
)
def test_every_figure_of_the_report_equals_the_same_figure_summed_in_python_over_the_events(
    portals: list[Portal], name: str, since: dt.date | None, until: dt.date | None
) -> None:
    _mirror(portals)
    with timezone.override(ZONE):
        period = period_for(name, today=dt.date(2026, 5, 15), since=since, until=until)
        events = selectors.scoped_events(portals=portals, filters={})
        summed = selectors.totals(events=events, period=period)
        figures = selectors.headline(events=events, period=period, summed=summed)
        months = selectors.monthly(events=events, period=period, summed=summed)
        types = selectors.by_type(events=events, period=period, summed=summed)
        side_by_side = selectors.by_portal(events=events, period=period, summed=summed)
        best = selectors.ranking(events=events, period=period, best=True)
        worst = selectors.ranking(events=events, period=period, best=False)
        expected = _expected(portals, period)
    assert (
        expected["now"]["events"] > 20 and len(expected["portals"]) == 2
    )  # the test has something to compare
    for key in ("events", *COUNTS):
        assert (figures[key].value, figures[key].previous) == (expected["now"][key], expected["before"][key])
    assert figures["attendance_rate"].value == pytest.approx(
        expected["now"]["attendees"] / expected["now"]["registrants"]
    )
    assert summed.events == expected["now"]["events"]
    assert _without_rates(months) == expected["months"]
    assert _without_rates(types) == expected["types"]
    assert _without_rates(side_by_side) == expected["portals"]
    assert [e.id for e in best] == expected["best"] and [e.id for e in worst] == expected["worst"]


def test_the_report_page_shows_the_figures_summed_in_python_and_pages_the_table_by_the_same_count(
    portals: list[Portal], manager_user: User, signed_in: Callable[[User], Client]
) -> None:
    _mirror(portals)
    response = signed_in(manager_user).get(
        reverse("reports:index"), {"portal": "all", "period": "last_12_months"}
    )
    assert response.status_code == 200
    context = response.context
    expected = _expected(portals, context["period"])  # the page's own period, in the person's zone
    assert context["figures"]["registrants"].value == expected["now"]["registrants"]
    assert context["table"].paginator.count == expected["now"]["events"]
    assert len(context["table"].object_list) == min(25, expected["now"]["events"])
    assert _without_rates(context["types"]) == expected["types"]
    assert _without_rates(context["side_by_side"]) == expected["portals"]
