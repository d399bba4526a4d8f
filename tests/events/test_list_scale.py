"""The event list at scale: search through an index, capped counts and keyset pages, on SQLite and PostgreSQL.

These run on whichever database the suite runs on (`scripts/with-services … pytest tests/events` for PostgreSQL).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hsadmin.core.models import User
from hsadmin.events import selectors
from hsadmin.events.forms import SORTS, EventFilterForm
from hsadmin.events.models import Event
from hsadmin.events.search import ensure_search_index, matching
from hsadmin.events.services import mirror_upsert_many
from hsadmin.hubspot_client import MarketingEvent
from hsadmin.portals.models import Portal

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true", "HX-Target": "events-table"}


def _event(portal: Portal, i: int, **fields: object) -> Event:
    now = timezone.now()
    values: dict[str, object] = {
        "portal": portal,
        "object_id": str(5000 + i),
        "name": f"Event {i}",
        "organizer": "Org",
        "starts_at": now + timedelta(hours=i % 7),
        "ends_at": now + timedelta(hours=i % 7 + 1),
        "registrants": i % 3,
        **fields,
    }
    return Event(**values)


def _found(client: Client, portal: Portal, q: str) -> list[str]:
    response = client.get(reverse("events:list", args=[portal.hub_id]), {"q": q}, headers=HX)
    assert response.status_code == 200
    page = response.context["page"]
    names = [e.name for e in page.object_list]
    assert page.paginator.count == len(names)
    return sorted(names)


def test_search_finds_a_substring_of_the_name_external_id_or_organizer_in_any_case(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    Event.objects.bulk_create(
        [
            _event(portal, 1, name="Quarterly Roadmap Webinar"),
            _event(portal, 2, name="Partner day", external_event_id="zoom-88431"),
            _event(portal, 3, name="Onboarding", organizer="Customer Success"),
            _event(portal, 4, name="Unrelated"),
        ]
    )
    client = signed_in(marketing_user)
    assert _found(client, portal, "ROADMAP web") == ["Quarterly Roadmap Webinar"]
    assert _found(client, portal, "8843") == ["Partner day"]
    assert _found(client, portal, "success") == ["Onboarding"]
    assert _found(client, portal, "nothing like it") == []


def test_a_search_of_one_or_two_characters_still_matches_anywhere_in_the_text(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    """Trigram indexes cannot answer fewer than three characters: those searches keep the plain match."""
    Event.objects.bulk_create([_event(portal, 1, name="Big data"), _event(portal, 2, name="Ops")])
    client = signed_in(marketing_user)
    assert _found(client, portal, "G d") == ["Big data"]
    assert _found(client, portal, "p") == ["Ops"]


def test_search_text_is_literal_whatever_characters_it_holds(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    Event.objects.bulk_create(
        [
            _event(portal, 1, name='The "100%" show'),
            _event(portal, 2, name="The 1000 show"),
            _event(portal, 3, name="a_b OR c"),
            _event(portal, 4, name="aXb OR c"),
        ]
    )
    client = signed_in(marketing_user)
    assert _found(client, portal, '"100%"') == ['The "100%" show']
    assert _found(client, portal, "100%") == ['The "100%" show']
    assert _found(client, portal, "a_b") == ["a_b OR c"]
    assert _found(client, portal, "b OR c*") == []


def test_the_search_index_follows_every_write_to_the_mirror(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    """The sync's upsert (insert and update), a save, an update and a delete: search sees each at once."""
    client = signed_in(marketing_user)
    when = datetime(2026, 5, 1, tzinfo=UTC)
    mirror_upsert_many(
        portal=portal,
        events=[MarketingEvent(object_id="77", event_name="Alpha launch", updated_at=when)],
        job_id=1,
    )
    assert _found(client, portal, "alpha") == ["Alpha launch"]
    mirror_upsert_many(
        portal=portal,
        events=[
            MarketingEvent(object_id="77", event_name="Beta launch", updated_at=when + timedelta(days=1))
        ],
        job_id=2,
    )
    assert _found(client, portal, "alpha") == []
    assert _found(client, portal, "beta") == ["Beta launch"]
    event = Event.objects.get(portal=portal, object_id="77")
    event.organizer = "Gamma team"
    event.save()
    assert _found(client, portal, "gamma") == ["Beta launch"]
    Event.objects.filter(pk=event.pk).update(external_event_id="delta-9")
    assert _found(client, portal, "lta-9") == ["Beta launch"]
    event.delete()
    assert _found(client, portal, "beta") == []


def test_the_search_is_answered_by_the_index_not_a_scan(portal: Portal) -> None:
    Event.objects.bulk_create([_event(portal, i, name=f"Webinar {i}") for i in range(50)])
    sql, params = (
        Event.objects.filter(matching(connection, "webinar 4", portal.pk))
        .values("pk")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "events_event_search VIRTUAL TABLE" in plan
        else:
            # A 50-row table is cheaper to read whole: rule that out, so the plan shows whether the trigram
            # indexes can answer the search at all.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "event_search_name" in plan
            assert "event_search_organizer" in plan and "event_search_external_event_id" in plan


def test_a_lost_trigger_is_put_back_and_the_index_rebuilt_after_migrate(portal: Portal) -> None:
    """A migration that rebuilds the events table on SQLite drops the triggers; `migrate` restores them."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's trigram indexes keep themselves current")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER events_event_search_ai")
    Event.objects.bulk_create([_event(portal, 1, name="Written while the trigger was gone")])
    form = EventFilterForm({"q": "while the"})
    assert form.is_valid()
    assert not selectors.event_list(portal=portal, filters=form.cleaned_data).exists()
    ensure_search_index(connection)
    assert selectors.event_list(portal=portal, filters=form.cleaned_data).exists()


def test_a_count_beyond_the_cap_says_more_than_and_the_pages_still_reach_every_event(
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(selectors, "COUNT_CAP", 30)
    Event.objects.bulk_create([_event(portal, i) for i in range(60)])
    client = signed_in(marketing_user)
    url = reverse("events:list", args=[portal.hub_id])
    assert "of more than 30 events" in client.get(url, headers=HX).text  # opening around now: no page numbers
    first = client.get(url, {"sort": "name"}, headers=HX)
    assert "1–25 of more than 30" in first.text
    assert "Page 1<" in first.text and "Page 1 of" not in first.text
    assert first.context["page"].paginator.count_capped
    small = client.get(url, {"q": "Event 1"}, headers=HX)  # Event 1 and Event 10–19: 11, exact
    assert small.context["page"].paginator.count == 11
    assert not small.context["page"].paginator.count_capped


def _walk(client: Client, url: str, params: dict[str, str], direction: str = "next") -> list[list[str]]:
    """Follow the page links (as a person clicking Next, or Previous) and collect each page's object IDs."""
    response = client.get(url, params, headers=HX)
    pages = []
    while True:
        pages.append([e.object_id for e in response.context["page"].object_list])
        link = re.search(
            rf'href="\?([^"]*)"[^>]*rel="{"next" if direction == "next" else "prev"}"', response.text
        )
        if not link:
            return pages
        response = client.get(f"{url}?{link.group(1).replace('&amp;', '&')}", headers=HX)


@pytest.mark.parametrize("sort", [*SORTS, *(f"-{key}" for key in SORTS)])
def test_following_next_and_previous_links_visits_every_event_once_in_order_for_each_sort(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client], sort: str
) -> None:
    """Keyset pages (the links name the row a page starts after) hold what plain offsets would, with ties and
    events without dates (NULL sorts first on one database and last on the other) included."""
    events = [
        _event(
            portal,
            i,
            name=f"Event {i % 9}",  # ties in the name as well as in the sorted column
            event_type=["WEBINAR", "MEETUP", ""][i % 3],
            organizer=["Ada", "Ben", ""][i % 3],
            attendees=i % 4,
        )
        for i in range(70)
    ]
    for event in events[:6]:
        event.starts_at = event.ends_at = None
    Event.objects.bulk_create(events)
    form = EventFilterForm({"sort": sort})
    assert form.is_valid()
    expected = [e.object_id for e in selectors.event_list(portal=portal, filters=form.cleaned_data)]
    client = signed_in(marketing_user)
    url = reverse("events:list", args=[portal.hub_id])
    forward = _walk(client, url, {"sort": sort})
    assert [len(p) for p in forward] == [25, 25, 20]
    assert [object_id for page in forward for object_id in page] == expected
    last = client.get(url, {"sort": sort, "page": "3"}, headers=HX)
    assert [e.object_id for e in last.context["page"].object_list] == forward[-1]
    backward = _walk(client, f"{url}", {"sort": sort, "page": "3"}, direction="prev")
    assert backward == forward[::-1]


def test_from_where_the_list_opens_earlier_and_later_links_visit_every_event_once_in_order(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    """With no sort chosen the list opens inside itself (the last week, then what is next); walking back to its
    start and then forward to its end sees the list as the plain ascending sort holds it, ties and NULLs too."""
    now = timezone.now()
    events = [
        _event(portal, i, name=f"Event {i % 9}", starts_at=now + timedelta(days=i % 30 - 20))
        for i in range(70)
    ]
    for event in events[:6]:
        event.starts_at = None
    Event.objects.bulk_create(events)
    expected = [e.object_id for e in selectors.event_list(portal=portal, filters={})]
    client = signed_in(marketing_user)
    url = reverse("events:list", args=[portal.hub_id])
    home = client.get(url, headers=HX)
    assert home.context["page"].at_home and not home.context["page"].numbered
    assert home.context["page"].object_list[0].starts_at >= selectors.recent_start()
    backward = _walk(client, url, {}, direction="prev")
    assert len(backward) > 1  # 20 days before the last week, and the undated events on SQLite
    assert [object_id for page in backward[::-1] for object_id in page] == expected[
        : sum(len(page) for page in backward)
    ]
    # From the first page, Later walks the whole list.
    response = client.get(url, headers=HX)
    while link := _link(response, "prev"):
        response = client.get(f"{url}?{link}", headers=HX)
    seen = []
    while True:
        seen += [e.object_id for e in response.context["page"].object_list]
        if not (link := _link(response, "next")):
            break
        response = client.get(f"{url}?{link}", headers=HX)
    assert seen == expected


def _link(response: HttpResponse, rel: str) -> str:
    found = re.search(rf'href="\?([^"]*)"[^>]*rel="{rel}"', response.text)
    return found.group(1).replace("&amp;", "&") if found else ""


def test_a_page_link_whose_row_is_gone_falls_back_to_the_page_number(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    Event.objects.bulk_create([_event(portal, i) for i in range(40)])
    client = signed_in(marketing_user)
    url = reverse("events:list", args=[portal.hub_id])
    for params in (
        {"page": "2", "after": "999999999"},
        {"page": "2", "after": "nonsense"},
        {"page": "2", "before": "-4"},
        {"page": "x", "after": "1" * 40},
    ):
        response = client.get(url, params, headers=HX)
        assert response.status_code == 200
        assert response.context["page"].object_list


def test_the_live_filter_counts_events_that_have_started_and_not_ended_or_have_no_end(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    now = timezone.now()
    hour = timedelta(hours=1)
    Event.objects.bulk_create(
        [
            _event(portal, 1, name="Running", starts_at=now - hour, ends_at=now + hour),
            _event(portal, 2, name="Open-ended", starts_at=now - hour, ends_at=None),
            _event(portal, 3, name="Over", starts_at=now - 2 * hour, ends_at=now - hour),
            _event(portal, 4, name="Later", starts_at=now + hour, ends_at=now + 2 * hour),
            _event(portal, 5, name="Called off", starts_at=now - hour, ends_at=now + hour, cancelled=True),
        ]
    )
    response = signed_in(marketing_user).get(
        reverse("events:list", args=[portal.hub_id]), {"status": "live"}, headers=HX
    )
    page = response.context["page"]
    assert sorted(e.name for e in page.object_list) == ["Open-ended", "Running"]
    assert page.paginator.count == 2


def test_a_search_finds_only_the_portals_own_events(portal: Portal) -> None:
    """The search index holds every portal's events; a search asks for its portal's as well as for the text."""
    others = [
        Portal.objects.create(
            hub_id=portal.hub_id + n, name=f"Other {n}", app_id=portal.app_id, status="connected"
        )
        for n in (1, 2)
    ]
    for number, owner in enumerate([portal, *others]):
        Event.objects.bulk_create(
            [_event(owner, 100 * number + i, name=f"Shared webinar {i}") for i in range(3)]
        )
    form = EventFilterForm({"q": "shared web"})
    assert form.is_valid()
    for owner in [portal, *others]:
        listed = selectors.event_list(portal=owner, filters=form.cleaned_data)
        assert {e.portal_id for e in listed} == {owner.pk}
        page = selectors.event_list_page(portal=owner, filters=form.cleaned_data)
        assert page.paginator.count == 3
        assert {e.portal_id for e in page.object_list} == {owner.pk}


def test_indexes_made_in_raw_sql_come_back_after_migrate_if_a_rebuild_dropped_them() -> None:
    from django.db.migrations.recorder import MigrationRecorder

    from hsadmin.events.apps import ensure_raw_indexes

    names = (
        ["event_list_cover", "event_live_cover", "event_sort_organizer_full", "event_long"]
        if connection.vendor == "sqlite"
        else ["event_list_state", "event_live", "event_long"]
    )
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f'DROP INDEX "{name}"')
    ensure_raw_indexes(connection, set(MigrationRecorder(connection).applied_migrations()))
    present = {
        index
        for index, info in connection.introspection.get_constraints(
            connection.cursor(), "events_event"
        ).items()
        if info["index"]
    }
    assert set(names) <= present


def _every_row(client: Client, portal: Portal, params: dict[str, str]) -> list[str]:
    """The names on the page the list opens on, then on every page its *Earlier* and *Later* links reach (with
    the filters, as the page's form sends them)."""
    url = reverse("events:list", args=[portal.hub_id])
    home = client.get(url, params, headers=HX)
    names = [e.name for e in home.context["page"].object_list]
    for rel in ("prev", "next"):
        response = home
        while found := re.search(rf'href="\?([^"]*)"[^>]*rel="{rel}"', response.text):
            link = dict(pair.split("=") for pair in found.group(1).replace("&amp;", "&").split("&"))
            response = client.get(url, {**params, **link}, headers=HX)  # the form sends the filters along
            names += [e.name for e in response.context["page"].object_list]
    return names


def test_the_live_filter_finds_events_that_started_long_ago_or_have_no_end_each_once(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    """Live events are read in three parts (started this week; started earlier with no end; started earlier and
    lasting more than six days): an event on either side of each part's edge is listed once, and none that is
    over, upcoming or cancelled."""
    now = timezone.now()
    day, minute = timedelta(days=1), timedelta(minutes=1)
    live = {
        "Month-long course": (now - 30 * day, now + 10 * day),
        "Started 8 days ago, no end": (now - 8 * day, None),
        "Started 2 days ago, no end": (now - 2 * day, None),
        "Week and a bit": (now - 7 * day - minute, now + 2 * minute),
        "Just under a week ago": (now - 7 * day + minute, now + minute),
        "This morning": (now - 3 * 60 * minute, now + 60 * minute),
    }
    not_live = {
        "Long course, over": (now - 60 * day, now - 20 * day),
        "Long course, upcoming": (now + day, now + 30 * day),
        "Ended a minute ago": (now - 7 * day - minute, now - minute),
        "Upcoming, no end": (now + day, None),
    }
    Event.objects.bulk_create(
        [
            _event(portal, i, name=name, starts_at=starts, ends_at=ends)
            for i, (name, (starts, ends)) in enumerate({**live, **not_live}.items())
        ]
        + [
            _event(
                portal,
                99,
                name="Cancelled course",
                starts_at=now - 30 * day,
                ends_at=now + day,
                cancelled=True,
            )
        ]
        + [
            _event(portal, 100 + i, name=f"Past {i}", starts_at=now - (i + 1) * day, ends_at=now - i * day)
            for i in range(40)
        ]
    )
    client = signed_in(marketing_user)
    for params in ({"status": "live"}, {"status": "live", "sort": "-ends"}, {"status": "live", "q": "n"}):
        names = _every_row(client, portal, params)
        assert sorted(names) == sorted(live)
    response = client.get(reverse("events:list", args=[portal.hub_id]), {"status": "live"}, headers=HX)
    assert response.context["page"].paginator.count == len(live)
    # The ones that started before the list's opening place (midnight seven days ago) are behind *Earlier*.
    assert {e.name for e in response.context["page"].object_list} == {
        "Started 2 days ago, no end",
        "Just under a week ago",
        "This morning",
    } | ({"Week and a bit"} if now - 7 * day - minute >= selectors.recent_start() else set())
    assert response.context["page"].has_previous()


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": "live"},
        {"status": "past"},
        {"status": "upcoming"},
        {"status": "cancelled"},
        {"status": "completed"},
        {"status": "ended_not_completed"},
        {"starts_from": "2000-01-01", "starts_to": "2100-01-01"},
        {"sort": "ends"},
        {"sort": "-starts"},
    ],
)
def test_a_page_costs_the_same_queries_whether_its_rows_fill_it_or_not(
    portal: Portal, params: dict[str, str]
) -> None:
    """Where the list opens, and whether anything comes before it, is read in one query each, however the rows
    fall (a short page once read the rows with no date in a query of its own, on one database and not the
    other)."""
    now = timezone.now()
    form = EventFilterForm(params)
    assert form.is_valid(), form.errors
    counts = []
    for events in (3, 60):
        Event.objects.filter(portal=portal).delete()
        Event.objects.bulk_create(
            [
                _event(
                    portal,
                    i,
                    starts_at=now + timedelta(hours=10 * (i - events // 2)),
                    ends_at=now + timedelta(hours=10 * (i - events // 2) + 2),
                    cancelled=i % 2 == 0,
                    completed=i % 3 == 0,
                )
                for i in range(events)
            ]
            + [_event(portal, 1000, name="No date", starts_at=None, ends_at=None)]
        )
        with CaptureQueriesContext(connection) as captured:
            page = selectors.event_list_page(portal=portal, filters=form.cleaned_data)
            list(page.object_list)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_live_events_from_every_part_interleave_in_the_chosen_sort_across_pages(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    """Each page past the first seeks in the three parts of the live list at once and merges them by the sort."""
    now = timezone.now()
    day = timedelta(days=1)
    spans = [(now - day, now + day), (now - 9 * day, None), (now - 20 * day, now + 5 * day)]  # one per part
    Event.objects.bulk_create(
        [
            _event(portal, i, name=f"Live {i:02d}", starts_at=spans[i % 3][0], ends_at=spans[i % 3][1])
            for i in range(40)
        ]
    )
    client = signed_in(marketing_user)
    for sort in ("name", "-name"):
        names = _every_row(client, portal, {"status": "live", "sort": sort})
        assert names == sorted(names, reverse=sort.startswith("-"))
        assert sorted(names) == [f"Live {i:02d}" for i in range(40)]
