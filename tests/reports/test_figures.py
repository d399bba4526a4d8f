"""The report's figures, read from one grouped query (the per-day summary for whole UTC days, the events for the
partial days at the edges), against the same figures summed in Python over the events; and the summary itself,
after every kind of change to the mirror, against a GROUP BY over the events."""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hsadmin.core.models import User
from hsadmin.core.roles import Role
from hsadmin.events.models import Event
from hsadmin.events.services import mirror_upsert_many
from hsadmin.hubspot_client.models import AppInfo, MarketingEvent
from hsadmin.portals.models import Membership, Portal
from hsadmin.reports import selectors
from hsadmin.reports.models import EventDaySummary
from hsadmin.reports.periods import Period, period_for
from hsadmin.reports.summary import drop_summary_triggers, ensure_summary

pytestmark = pytest.mark.django_db

COUNTS = ("registrants", "attendees", "no_shows", "cancellations")
# Half an hour off UTC: month edges fall inside a UTC hour, so a figure grouped by UTC day or hour would be wrong.
ZONE = "Asia/Kolkata"
OUR_APP = 4242
PERIODS = [
    ("last_12_months", None, None),
    ("this_quarter", None, None),
    ("last_quarter", None, None),
    ("custom", dt.date(2025, 3, 17), dt.date(2026, 2, 3)),
]


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
    without a start, of several types (one empty) and owning apps; every fourth on one of three busy days (webinars
    of our app), so that the summary's rows hold many events and a change takes one away from the others."""
    rng = random.Random(18)
    zone = dt.timezone(dt.timedelta(hours=5, minutes=30))
    edges = [dt.datetime(2025 + m // 12, m % 12 + 1, 1, tzinfo=zone) for m in range(0, 24)]
    events = []
    for i in range(count):
        if i % 10 == 0:  # just before or at a month's first instant in Kolkata
            starts: dt.datetime | None = rng.choice(edges) - dt.timedelta(seconds=rng.choice([0, 1]))
        elif i % 37 == 0:
            starts = None
        elif i % 4 == 1:
            starts = dt.datetime(2026, rng.choice([1, 3, 4]), 20, rng.randint(0, 23), tzinfo=dt.UTC)
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
                event_type="WEBINAR" if i % 4 == 1 else rng.choice(["WEBINAR", "CONFERENCE", "WORKSHOP", ""]),
                starts_at=starts,
                cancelled=rng.random() < 0.1,
                is_draft=rng.random() < 0.05,
                registrants=registrants,
                attendees=attendees,
                no_shows=registrants - attendees,
                cancellations=rng.randint(0, 4),
                app_id=OUR_APP if i % 4 == 1 else rng.choice([None, OUR_APP, OUR_APP + 1]),
            )
        )
    Event.objects.bulk_create(events)


def _in(event: Event, start: dt.datetime, end: dt.datetime) -> bool:
    return event.starts_at is not None and start <= event.starts_at < end


def _sums(events: list[Event]) -> dict[str, int]:
    return {"events": len(events), **{key: sum(getattr(e, key) for e in events) for key in COUNTS}}


def _expected(portals: list[Portal], period: Period, filters: dict[str, str] | None = None) -> dict[str, Any]:
    """Every figure of the report, straight from the rows in Python."""
    filters = filters or {}
    ids = {p.id for p in portals}
    rows = [e for e in Event.objects.select_related("portal") if e.portal_id in ids]
    rows = [e for e in rows if not e.cancelled and not e.is_draft]
    if kind := filters.get("type"):
        rows = [e for e in rows if e.event_type.lower() == kind.lower()]
    if app := filters.get("app"):
        rows = [e for e in rows if (e.app_id == OUR_APP) == (app == "ours")]
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


def _assert_report_equals_python(
    portals: list[Portal], name: str, since: dt.date | None, until: dt.date | None, filters: dict[str, str]
) -> None:
    with timezone.override(ZONE):
        period = period_for(name, today=dt.date(2026, 5, 15), since=since, until=until)
        events = selectors.scoped_events(portals=portals, filters=filters)
        days = selectors.scoped_days(portals=portals, filters=filters)
        summed = selectors.totals(events=events, period=period, days=days)
        figures = selectors.headline(events=events, period=period, summed=summed)
        months = selectors.monthly(events=events, period=period, summed=summed)
        types = selectors.by_type(events=events, period=period, summed=summed)
        side_by_side = selectors.by_portal(events=events, period=period, summed=summed)
        best = selectors.ranking(events=events, period=period, best=True)
        worst = selectors.ranking(events=events, period=period, best=False)
        expected = _expected(portals, period, filters)
    assert expected["now"]["events"] > 0  # the test has something to compare
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
    # The same lists from the rate indexes, as a period of many events reads them: both portals walking their
    # index, or one walking it and the other sorting its period.
    ids = [p.id for p in portals]
    with timezone.override(ZONE):
        for walk, sort in ((ids, []), (ids[:1], ids[1:]), (ids[1:], ids[:1])):
            for best, kind in ((True, "best"), (False, "worst")):
                ranked = selectors.ranking(events=events, period=period, best=best, walk=walk, sort=sort)
                assert [e.id for e in ranked] == expected[kind], (walk, sort, kind)


@pytest.mark.parametrize("name, since, until", PERIODS)
def test_every_figure_of_the_report_equals_the_same_figure_summed_in_python_over_the_events(
    portals: list[Portal], name: str, since: dt.date | None, until: dt.date | None, settings: Any
) -> None:
    settings.HUBSPOT_APP_ID = OUR_APP
    _mirror(portals)
    assert (
        len(
            _expected(portals, period_for(name, today=dt.date(2026, 5, 15), since=since, until=until))[
                "portals"
            ]
        )
        == 2
    )
    for filters in ({}, {"type": "webinar"}, {"app": "ours"}, {"app": "other"}):
        _assert_report_equals_python(portals, name, since, until, filters)


def _summary_by_query() -> dict[tuple[int, dt.date, str, int], tuple[int, ...]]:
    return {
        (r.portal_id, r.day, r.event_type, r.app_id): (
            r.events,
            r.registrants,
            r.attendees,
            r.no_shows,
            r.cancellations,
        )
        for r in EventDaySummary.objects.all()
    }


def _summary_from_events() -> dict[tuple[int, dt.date, str, int], tuple[int, ...]]:
    """The summary as it must be: the counted events grouped by portal, UTC day, type and app, in Python."""
    found: dict[tuple[int, dt.date, str, int], list[int]] = {}
    for e in Event.objects.filter(cancelled=False, is_draft=False, starts_at__isnull=False):
        key = (e.portal_id, e.starts_at.astimezone(dt.UTC).date(), e.event_type, e.app_id or 0)
        sums = found.setdefault(key, [0, 0, 0, 0, 0])
        for i, value in enumerate((1, e.registrants, e.attendees, e.no_shows, e.cancellations)):
            sums[i] += value
    return {key: tuple(sums) for key, sums in found.items()}


def _change_the_mirror_every_way(portals: list[Portal]) -> None:
    """Every way the mirror is written: the sync's upsert (new events and changed ones), an edit saved through the
    model, queryset updates of counters, cancel, type and app, drafts made and published, deletes, and a portal's
    cascade."""
    first, second = portals
    when = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    some = list(
        Event.objects.filter(portal=first, starts_at__isnull=False, cancelled=False, is_draft=False)[:6]
    )
    mirror_upsert_many(
        portal=first,
        events=[
            # New events, one on a Kolkata month edge.
            MarketingEvent(
                object_id="9001",
                event_name="New from the sync",
                event_type="WEBINAR",
                start_date_time=dt.datetime(2026, 3, 31, 18, 30, tzinfo=dt.UTC),
                registrants=50,
                attendees=20,
                no_shows=30,
                cancellations=2,
                app_info=AppInfo(id=str(OUR_APP)),
                updated_at=when,
            ),
            MarketingEvent(
                object_id="9002",
                event_name="Another",
                event_type="Workshop",
                start_date_time=dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC),
                registrants=9,
                attendees=9,
                no_shows=0,
                updated_at=when,
            ),
            # Existing events: moved to another day, counters changed, cancelled in HubSpot, type changed.
            MarketingEvent(
                object_id=some[0].object_id,
                event_name=some[0].name,
                start_date_time=dt.datetime(2025, 12, 31, 18, 29, 59, tzinfo=dt.UTC),
                registrants=77,
                attendees=70,
                updated_at=when,
            ),
            MarketingEvent(
                object_id=some[1].object_id, event_name="x", event_cancelled=True, updated_at=when
            ),
            MarketingEvent(
                object_id=some[2].object_id,
                event_name="y",
                event_type="CONFERENCE",
                app_info=AppInfo(id=str(OUR_APP + 1)),
                updated_at=when,
            ),
            # Unchanged: the trigger's WHEN skips it.
            MarketingEvent(object_id=some[3].object_id, event_name=some[3].name, updated_at=when),
        ],
        job_id=7,
    )
    edited = Event.objects.get(pk=some[4].pk)
    edited.starts_at = dt.datetime(2026, 4, 30, 18, 30, tzinfo=dt.UTC)  # a Kolkata month's first instant
    edited.registrants += 11
    edited.save()
    Event.objects.filter(portal=second, registrants__gt=0).update(
        attendees=F("attendees") + 1, no_shows=F("no_shows") + 2
    )
    Event.objects.filter(portal=second, event_type="WORKSHOP").update(event_type="MEETUP", app_id=OUR_APP)
    Event.objects.filter(pk=some[5].pk).update(cancelled=True)
    Event.objects.filter(portal=second, cancelled=True).update(cancelled=False)
    Event.objects.filter(portal=second, starts_at__year=2025, starts_at__month=7).update(starts_at=None)
    draft = Event.objects.create(
        portal=first,
        object_id="draft-1",
        name="Draft",
        starts_at=dt.datetime(2026, 2, 2, tzinfo=dt.UTC),
        registrants=8,
        is_draft=True,
    )
    Event.objects.create(portal=second, object_id="draft-2", name="Draft 2", starts_at=when, is_draft=True)
    Event.objects.filter(pk=draft.pk).update(is_draft=False, object_id="123456")
    Event.objects.filter(portal=second, object_id__in=["3", "5", "8", "13"]).delete()
    Event.objects.filter(portal=first, is_draft=True).update(is_draft=False)
    Event.objects.filter(portal=second, object_id="21").update(portal=first, object_id="21-moved")
    gone = Portal.objects.create(hub_id=699, name="Gone", status="connected")
    Event.objects.create(portal=gone, object_id="1", name="Goes", starts_at=when, registrants=4)
    assert _summary_by_query() == _summary_from_events()
    gone.delete()


@pytest.mark.parametrize("name, since, until", PERIODS)
def test_after_every_kind_of_mirror_change_the_summary_and_the_figures_still_equal_python_sums(
    portals: list[Portal], name: str, since: dt.date | None, until: dt.date | None, settings: Any
) -> None:
    settings.HUBSPOT_APP_ID = OUR_APP
    _mirror(portals)
    assert _summary_by_query() == _summary_from_events() != {}
    _change_the_mirror_every_way(portals)
    summary = _summary_by_query()
    assert summary == _summary_from_events()
    assert {portal for portal, *_ in summary} == {p.id for p in portals}  # the deleted portal left nothing
    assert all(row[0] > 0 for row in summary.values())  # a row whose events all left is gone
    for filters in ({}, {"type": "WEBINAR"}, {"app": "ours"}, {"app": "other"}):
        _assert_report_equals_python(portals, name, since, until, filters)


def test_the_summary_is_rebuilt_when_its_triggers_were_lost_and_counts_what_was_written_meanwhile(
    portals: list[Portal],
) -> None:
    _mirror(portals, count=60)
    drop_summary_triggers(connection)  # as a SQLite table rebuild does
    Event.objects.filter(portal=portals[0]).update(registrants=F("registrants") + 1)
    Event.objects.filter(portal=portals[1]).delete()
    assert _summary_by_query() != _summary_from_events()
    assert ensure_summary(connection) is True
    assert _summary_by_query() == _summary_from_events()
    assert ensure_summary(connection) is False  # nothing missing: left as it is
    Event.objects.filter(portal=portals[0]).update(attendees=0)
    assert _summary_by_query() == _summary_from_events()


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_that_stops_half_way_leaves_the_triggers_missing_so_the_next_migrate_rebuilds_again(
    portals: list[Portal], monkeypatch: pytest.MonkeyPatch
) -> None:
    # post_migrate runs outside any transaction: before, the triggers and the rebuild's DELETE were committed
    # one by one, so a rebuild that failed after its DELETE left an empty summary under complete triggers, and
    # the next migrate saw nothing missing and kept it.
    from hsadmin.reports import summary

    _mirror(portals, count=60)
    drop_summary_triggers(connection)
    Event.objects.filter(portal=portals[0]).update(registrants=F("registrants") + 1)
    broken = [summary._rebuild(connection.vendor)[0], "SELECT no_such_column FROM events_event"]
    monkeypatch.setattr(summary, "_rebuild", lambda vendor: broken)
    with pytest.raises(DatabaseError):
        ensure_summary(connection)
    monkeypatch.undo()
    assert ensure_summary(connection) is True  # a trigger is still missing: this one rebuilds
    assert _summary_by_query() == _summary_from_events()


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


def _plan(query: Any) -> str:
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Few rows here: forbid the alternatives, so the plan shows whether the index matches the query at all.
            for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                cursor.execute(f"SET LOCAL {setting} = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())


@pytest.mark.parametrize("best", [True, False])
def test_a_ranking_of_a_busy_period_walks_the_rate_index_of_each_portal(
    portals: list[Portal], best: bool
) -> None:
    _mirror(portals, count=100)
    period = period_for("last_12_months", today=dt.date(2026, 5, 15))
    events = selectors.scoped_events(portals=portals, filters={"type": "webinar"})
    ids = [p.id for p in portals]
    plan = _plan(selectors.ranking_query(events=events, period=period, best=best, walk=ids))
    name = "event_rate_best" if best else "event_rate_worst"
    assert plan.count(name) >= 2, plan  # a walk per portal (SQLite lists each subquery where it is used)
    assert "event_report_cover" not in plan and "event_report_include" not in plan, plan


def _schema() -> tuple[set[str], set[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events_event'")
        triggers = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events_event'")
        return triggers, {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_after_sqlite_rebuilds_the_events_table_migrate_brings_back_triggers_indexes_and_exact_figures(
    portals: list[Portal],
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite rebuilds a table to alter it")
    _mirror(portals, count=80)
    triggers, indexes = _schema()
    assert {
        "reports_summary_ai",
        "reports_summary_au",
        "reports_summary_ad",
        "events_event_search_ai",
    } <= triggers
    assert {"event_rate_best", "event_rate_worst"} <= indexes
    with connection.schema_editor() as editor:
        editor._remake_table(Event)  # what a migration that alters the events table does on SQLite
    lost_triggers, lost_indexes = _schema()
    assert lost_triggers == set() and not {"event_rate_best", "event_rate_worst"} & lost_indexes
    Event.objects.filter(portal=portals[0]).update(registrants=F("registrants") + 3)  # while nothing follows
    Event.objects.filter(portal=portals[1], event_type="WEBINAR").delete()
    call_command("migrate", verbosity=0)  # nothing to apply; its post_migrate puts everything back
    assert _schema() == (triggers, indexes)
    assert _summary_by_query() == _summary_from_events()
    Event.objects.filter(portal=portals[0]).update(attendees=1)
    assert _summary_by_query() == _summary_from_events()


def test_the_report_page_ranks_a_busy_portal_from_its_rate_index_and_a_quiet_one_from_its_period(
    portals: list[Portal],
    manager_user: User,
    signed_in: Callable[[User], Client],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _mirror(portals)
    period = period_for("last_12_months")  # the person's zone is the default one, as on the page
    summed = selectors.totals(
        events=selectors.scoped_events(portals=portals, filters={}),
        period=period,
        days=selectors.scoped_days(portals=portals, filters={}),
    )
    counts = sorted(sum(r["events"] for r in summed.current() if r["portal_id"] == p.id) for p in portals)
    assert counts[0] < counts[1]
    monkeypatch.setattr(selectors, "RANK_BY_INDEX_FROM", counts[1])  # one portal busy, the other quiet
    assert len(summed.busy_portals()) == 1
    with CaptureQueriesContext(connection) as captured:
        response = signed_in(manager_user).get(
            reverse("reports:index"), {"portal": "all", "period": "last_12_months"}
        )
    assert response.context["period"] == period
    rankings = [q["sql"] for q in captured.captured_queries if q["sql"].count("LIMIT 5") == 3]
    assert (
        len(rankings) == 2
    )  # each: the busy portal's walk, the quiet portal's sorted period, the outer ranking
    expected = _expected(portals, period)
    assert [e.id for e in response.context["best"]] == expected["best"]
    assert [e.id for e in response.context["worst"]] == expected["worst"]


def test_postgresql_replaces_the_first_versions_row_triggers_and_rebuilds_the_summary(
    portals: list[Portal],
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the row triggers were PostgreSQL's")
    _mirror(portals, count=60)
    drop_summary_triggers(connection)
    with connection.cursor() as cursor:  # as a database migrated with the first version has them
        cursor.execute(
            "CREATE FUNCTION reports_summary_follow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$"
        )
        for name, when in (
            ("reports_summary_insert_delete", "INSERT OR DELETE"),
            ("reports_summary_update", "UPDATE"),
        ):
            cursor.execute(
                f"CREATE TRIGGER {name} AFTER {when} ON events_event FOR EACH ROW EXECUTE FUNCTION reports_summary_follow()"
            )
    Event.objects.filter(portal=portals[0]).update(registrants=F("registrants") + 2)
    assert ensure_summary(connection) is True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'events_event'::regclass AND NOT tgisinternal"
        )
        names = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT count(*) FROM pg_proc WHERE proname = 'reports_summary_follow'")
        assert cursor.fetchone()[0] == 0
    assert {"reports_summary_insert", "reports_summary_update", "reports_summary_delete"} <= names
    assert "reports_summary_insert_delete" not in names
    assert _summary_by_query() == _summary_from_events()
    Event.objects.filter(portal=portals[1]).delete()
    assert _summary_by_query() == _summary_from_events()


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_an_edit_and_a_sync_writing_events_of_one_day_at_once_both_finish_and_the_summary_is_exact(
    portals: list[Portal],
) -> None:
    """A sync's page writes event A then event B (same day, type and app: one summary row) while an edit holds B
    and then writes it: the sync waits for B without holding the day's summary row (the triggers run at the end
    of its statement), the edit goes first, and no change to the row is lost."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    portal = portals[0]
    day = dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC)
    first, second = (
        Event.objects.create(
            portal=portal, object_id=str(n), name=f"E{n}", event_type="WEBINAR", starts_at=day, registrants=10
        )
        for n in (1, 2)
    )
    failures: list[BaseException] = []

    def sync() -> None:
        try:
            mirror_upsert_many(
                portal=portal,
                events=[
                    MarketingEvent(object_id=e.object_id, event_name=e.name, registrants=20, attendees=5)
                    for e in (first, second)
                ],
                job_id=1,
            )
        except BaseException as error:
            failures.append(error)
        finally:
            connections["default"].close()

    with transaction.atomic():
        Event.objects.select_for_update().get(pk=second.pk)  # the edit holds B
        worker = threading.Thread(target=sync)
        worker.start()
        time.sleep(0.5)  # the sync has written A and waits for B
        Event.objects.filter(pk=second.pk).update(registrants=30)
    worker.join(timeout=30)
    assert not worker.is_alive() and failures == []
    assert _summary_by_query() == _summary_from_events()
    assert Event.objects.get(pk=second.pk).registrants == 20  # the sync's write, after the edit's
