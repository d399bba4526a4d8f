from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from hsadmin.core.models import AuditEntry, Job, User
from hsadmin.events.models import Event
from hsadmin.portals.models import Portal
from tests.events.conftest import HubSpotApi
from tests.live_simulator import LiveSimulator

pytestmark = pytest.mark.django_db


def _mirror(portal: Portal, n: int = 30) -> None:
    now = timezone.now()
    Event.objects.bulk_create(
        Event(
            portal=portal,
            object_id=str(1000 + i),
            name=f"{'Webinar' if i % 2 else 'Conference'} number {i}",
            event_type="WEBINAR" if i % 2 else "CONFERENCE",
            organizer="Org A" if i < 10 else "Org B",
            starts_at=now + timedelta(days=i - 15),
            ends_at=now + timedelta(days=i - 15, hours=2),
            cancelled=i == 3,
            registrants=i,
            external_event_id=f"ext-{i}",
        )
        for i in range(n)
    )


def test_the_event_list_shows_the_mirror_with_counts_and_pagination(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    _mirror(portal)
    url = reverse("events:list", args=[portal.hub_id])
    response = signed_in(marketing_user).get(url, {"sort": "-starts"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 30
    assert "1–25 of 30" in response.text
    assert "Page 1 of 2" in response.text
    assert [e.name for e in response.context["page"].object_list][:2] == [
        "Webinar number 29",
        "Conference number 28",
    ]


HX = {"HX-Request": "true", "HX-Target": "events-table"}


def _names(response: HttpResponse) -> list[str]:
    return [e.name for e in response.context["page"].object_list]


def _link(response: HttpResponse, rel: str) -> str | None:
    found = re.search(rf'href="\?([^"]*)"[^>]*rel="{rel}"', response.text)
    return found.group(1).replace("&amp;", "&") if found else None


def _around_now(portal: Portal) -> None:
    """Events one a day from 20 days ago to 19 days ahead, at noon in the person's zone, one undated."""
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    Event.objects.bulk_create(
        [
            Event(
                portal=portal,
                object_id=str(2000 + day),
                name=f"Day {day:+03d}",
                starts_at=noon + timedelta(days=day),
            )
            for day in range(-20, 20)
        ]
        + [Event(portal=portal, object_id="3000", name="Undated", starts_at=None)]
    )


def test_with_no_sort_chosen_the_list_opens_on_the_last_week_then_what_is_next(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    _around_now(portal)
    client = signed_in(marketing_user)
    response = client.get(reverse("events:list", args=[portal.hub_id]), {"per_page": "25"})
    # The last 7 days, today, then the next 17 days: oldest first.
    assert _names(response) == [f"Day {day:+03d}" for day in range(-7, 18)]
    assert response.context["sort"] == "starts"
    assert 'aria-sort="ascending"' in response.text  # the Starts header says the order the rows are in
    assert "of 41 events" in response.text  # the whole list's count, true
    first_day = date_format(timezone.localtime() - timedelta(days=7), "DATE_FORMAT")
    assert f"Starting {first_day} to " in response.text  # the days this page covers, as the rows spell them
    assert "Page 1" not in response.text  # where this page falls is not counted, so not numbered
    assert _link(response, "prev") and _link(response, "next")


def test_earlier_reaches_the_older_events_and_later_the_rest_with_every_event_once(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    _around_now(portal)
    client = signed_in(marketing_user)
    url = reverse("events:list", args=[portal.hub_id])
    home = client.get(url, {"per_page": "25"}, headers=HX)
    earlier = client.get(f"{url}?per_page=25&{_link(home, 'prev')}", headers=HX)
    # The 13 days before the last week; the undated event sorts first on SQLite (NULL is the smallest there).
    older = [f"Day {day:+03d}" for day in range(-20, -7)]
    assert [n for n in _names(earlier) if n != "Undated"] == older
    assert not earlier.context["page"].has_previous()
    assert "Recent and upcoming" in earlier.text  # the way back to where the list opens
    assert _link(earlier, "next")
    later = client.get(f"{url}?per_page=25&{_link(home, 'next')}", headers=HX)
    assert [n for n in _names(later) if n != "Undated"] == [f"Day {day:+03d}" for day in range(18, 20)]
    assert sorted(_names(earlier) + _names(home) + _names(later)) == sorted(
        e.name for e in Event.objects.filter(portal=portal)
    )  # every event once


def test_a_filter_keeps_the_list_around_now_and_a_past_only_filter_opens_on_the_latest(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    _around_now(portal)
    client = signed_in(marketing_user)
    url = reverse("events:list", args=[portal.hub_id])
    before = (timezone.localdate() - timedelta(days=10)).isoformat()
    response = client.get(url, {"starts_to": before, "per_page": "25"}, headers=HX)
    # Nothing in that range is from the last week: the list opens on its latest events, not on an empty page.
    assert _names(response) == [f"Day {day:+03d}" for day in range(-20, -9)]
    assert not response.context["page"].has_next()
    assert "of 11 events" in response.text


def test_a_search_or_a_chosen_sort_lists_from_the_top_as_before(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    _around_now(portal)
    client = signed_in(marketing_user)
    url = reverse("events:list", args=[portal.hub_id])
    search = client.get(url, {"q": "Day"}, headers=HX)
    assert _names(search)[:2] == ["Day +19", "Day +18"]  # newest first, numbered pages
    assert "1–25 of 40" in search.text and "Page 1 of 2" in search.text
    ascending = client.get(url, {"sort": "starts"}, headers=HX)
    # The very start of the list (the undated event first on SQLite, last on PostgreSQL: where each puts NULL).
    assert [n for n in _names(ascending) if n != "Undated"][:2] == ["Day -20", "Day -19"]
    assert "Page 1 of 2" in ascending.text
    assert 'sort=-starts"' in ascending.text  # the header now offers the other direction


def test_typing_a_search_returns_only_the_table_fragment(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    _mirror(portal)
    response = signed_in(marketing_user).get(
        reverse("events:list", args=[portal.hub_id]),
        {"q": "ext-12"},
        headers={"HX-Request": "true", "HX-Target": "events-table"},
    )
    assert "<html" not in response.text
    assert [e.external_event_id for e in response.context["page"].object_list] == ["ext-12"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "webinar"}, 15),
        ({"status": "cancelled"}, 1),
        ({"status": "upcoming"}, 14),
        ({"q": "Org A"}, 10),
        ({"app": "ours"}, 0),
    ],
)
def test_filters_narrow_the_list(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client], params: dict, expected: int
) -> None:
    _mirror(portal)
    response = signed_in(marketing_user).get(reverse("events:list", args=[portal.hub_id]), params)
    assert response.context["page"].paginator.count == expected


def test_sorting_by_registrants_ascending(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    _mirror(portal)
    response = signed_in(marketing_user).get(
        reverse("events:list", args=[portal.hub_id]), {"sort": "registrants"}
    )
    assert [e.registrants for e in response.context["page"].object_list][:3] == [0, 1, 2]
    assert 'aria-sort="ascending"' in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"status": "nonsense"},
        {"starts_from": "not-a-date"},
        {"sort": "password"},
        {"page": "999"},
        {"page": "-1"},
        {"per_page": "100000"},
        {"starts_from": "2026-05-01", "starts_to": "2026-01-01"},
        {"q": "x" * 5000},
    ],
)
def test_bad_filter_input_never_breaks_the_page(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client], params: dict
) -> None:
    _mirror(portal)
    response = signed_in(marketing_user).get(reverse("events:list", args=[portal.hub_id]), params)
    if "page" in params:  # not a filter: a page out of range shows the nearest page
        assert response.status_code == 200
    else:  # an invalid filter: the page, unfiltered, saying so
        assert response.status_code == 422
        assert "Not filtered" in response.text


def test_events_home_goes_to_the_current_portal_or_explains(
    portal: Portal, marketing_user: User, make_person: Callable[..., User], client: Client
) -> None:
    client.force_login(marketing_user)
    assert client.get(reverse("events:home")).url == reverse("events:list", args=[portal.hub_id])
    from hsadmin.core.roles import Role

    client.force_login(make_person("lonely", Role.MARKETING))
    assert "You do not have access to any HubSpot portal" in client.get(reverse("events:home")).text


def test_creating_an_event_creates_it_in_hubspot_and_mirrors_it(
    hubspot: LiveSimulator, portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(marketing_user)
    response = client.post(
        reverse("events:create", args=[portal.hub_id]),
        {
            "name": "Launch webinar",
            "organizer": "Marketing",
            "event_type": "webinar",
            "starts_at": "2026-12-01T10:00",
            "ends_at": "2026-12-01T11:00",
            "url": "https://example.com/launch",
        },
    )
    assert response.status_code == 302
    event = Event.objects.get(portal=portal, name="Launch webinar")
    assert event.owned_by_us and event.event_type == "WEBINAR"
    assert event.starts_at == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    remote = HubSpotApi(hubspot, portal.hub_id, hubspot.app_id).get(event.object_id)
    assert remote["eventName"] == "Launch webinar"
    assert AuditEntry.objects.filter(action="event.create", portal=portal, outcome="success").exists()


def test_the_event_form_explains_bad_input_and_sends_nothing(
    hubspot: LiveSimulator, portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    response = signed_in(marketing_user).post(
        reverse("events:create", args=[portal.hub_id]),
        {
            "name": "",
            "organizer": "x",
            "starts_at": "2026-12-01T10:00",
            "ends_at": "2026-11-01T10:00",
            "url": "nope",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "This field is required." in response.text
    assert "The end is before the start." in response.text
    assert "Enter a valid URL." in response.text
    assert not Event.objects.exists()


def test_editing_cancelling_and_deleting_our_event_go_through_its_external_ids(
    hubspot: LiveSimulator, portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(marketing_user)
    client.post(reverse("events:create", args=[portal.hub_id]), {"name": "Ours", "organizer": "Us"})
    event = Event.objects.get(portal=portal, name="Ours")
    client.post(
        reverse("events:edit", args=[portal.hub_id, event.object_id]),
        {"name": "Ours, renamed", "organizer": "Us"},
    )
    event.refresh_from_db()
    assert event.name == "Ours, renamed"
    confirm = client.get(reverse("events:cancel", args=[portal.hub_id, event.object_id]))
    assert "Cancel “Ours, renamed”?" in confirm.text
    client.post(reverse("events:cancel", args=[portal.hub_id, event.object_id]))
    event.refresh_from_db()
    assert event.cancelled
    api = HubSpotApi(hubspot, portal.hub_id, hubspot.app_id)
    assert api.get(event.object_id)["eventCancelled"] is True
    client.post(reverse("events:delete", args=[portal.hub_id, event.object_id]))
    assert not Event.objects.filter(pk=event.pk).exists()
    assert api.get(event.object_id) == {"status": 404}
    actions = set(AuditEntry.objects.filter(portal=portal).values_list("action", flat=True))
    assert {"event.create", "event.update", "event.cancel", "event.delete"} <= actions


def test_another_apps_event_is_edited_by_object_id_and_cannot_be_completed(
    hubspot: LiveSimulator,
    portal: Portal,
    partner: HubSpotApi,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    run: Callable[..., Job],
) -> None:
    past = (timezone.now() - timedelta(days=2)).isoformat()
    created = partner.create("theirs-1", "Their event", startDateTime=past, endDateTime=past)
    run("events.sync", portal)
    client = signed_in(marketing_user)
    url = reverse("events:edit", args=[portal.hub_id, created["objectId"]])
    assert client.post(url, {"name": "Renamed by us", "organizer": "Them"}).status_code == 302
    assert partner.get(created["objectId"])["eventName"] == "Renamed by us"
    response = client.post(reverse("events:complete", args=[portal.hub_id, created["objectId"]]), follow=True)
    assert "only the app that created an event complete it" in response.text
    detail = client.get(reverse("events:detail", args=[portal.hub_id, created["objectId"]])).text
    assert "has ended but is not completed" in detail


def test_a_hubspot_refusal_is_shown_in_words_and_audited_with_its_correlation_id(
    hubspot: LiveSimulator, portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    Event.objects.create(portal=portal, object_id="999999999", name="Ghost")
    response = signed_in(marketing_user).post(
        reverse("events:edit", args=[portal.hub_id, "999999999"]), {"name": "x", "organizer": "y"}
    )
    assert response.status_code == 422
    assert "HubSpot does not know this item" in response.text
    entry = AuditEntry.objects.get(action="event.update", outcome="failure")
    assert entry.correlation_id


def test_bulk_cancel_runs_as_a_job_with_a_result_per_event(
    hubspot: LiveSimulator,
    portal: Portal,
    partner: HubSpotApi,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    run: Callable[..., Job],
) -> None:
    ids = [partner.create(f"bulk-{i}", f"Bulk {i}")["objectId"] for i in range(3)]
    run("events.sync", portal)
    client = signed_in(marketing_user)
    asked = client.post(reverse("events:bulk", args=[portal.hub_id]), {"action": "cancel", "object_ids": ids})
    # First the page asks, naming the events; nothing starts before the yes.
    assert asked.status_code == 200 and not Job.objects.filter(kind="events.bulk").exists()
    assert "Cancel 3 events in HubSpot?" in asked.text and "Bulk 0" in asked.text
    assert 'name="confirm" value="on"' in asked.text
    response = client.post(
        reverse("events:bulk", args=[portal.hub_id]), {"action": "cancel", "object_ids": ids, "confirm": "on"}
    )
    job = Job.objects.get(kind="events.bulk")
    assert response.url == reverse("jobs:detail", args=[job.pk])
    from hsadmin.jobs.runner import run_job

    run_job(job.pk)
    job.refresh_from_db()
    assert (job.state, job.done, job.failed) == ("succeeded", 3, 0)
    assert all(partner.get(i)["eventCancelled"] for i in ids)
    assert Event.objects.filter(object_id__in=ids, cancelled=True).count() == 3


@pytest.mark.parametrize("action", ["set_field", "delete"])
def test_bulk_changes_and_deletes_reach_the_mirror_in_one_write(
    hubspot: LiveSimulator,
    portal: Portal,
    partner: HubSpotApi,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    run: Callable[..., Job],
    action: str,
) -> None:
    ids = [partner.create(f"bulk-{action}-{i}", f"Bulk {i}")["objectId"] for i in range(3)]
    run("events.sync", portal)
    data = {"action": action, "object_ids": ids, "confirm": "on"}
    if action == "set_field":
        data |= {"field": "organizer", "value": "Events team"}
    signed_in(marketing_user).post(reverse("events:bulk", args=[portal.hub_id]), data)
    from hsadmin.jobs.runner import run_job

    job = Job.objects.get(kind="events.bulk")
    run_job(job.pk)
    job.refresh_from_db()
    assert (job.state, job.done, job.failed) == ("succeeded", 3, 0)
    mirrored = Event.objects.filter(portal=portal, object_id__in=ids)
    if action == "delete":
        assert not mirrored.exists()
    else:
        assert sorted(mirrored.values_list("organizer", flat=True)) == ["Events team"] * 3
        assert all(partner.get(i)["eventOrganizer"] == "Events team" for i in ids)


def test_bulk_without_an_action_asks_for_one(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    _mirror(portal, 2)
    response = signed_in(marketing_user).post(
        reverse("events:bulk", args=[portal.hub_id]), {"action": "", "object_ids": ["1000"]}, follow=True
    )
    assert "Choose what to do with the selected events." in response.text
    assert not Job.objects.exists()


def test_bulk_with_nothing_selected_explains(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    response = signed_in(marketing_user).post(
        reverse("events:bulk", args=[portal.hub_id]), {"action": "cancel"}, follow=True
    )
    assert "Select at least one event." in response.text
    assert not Job.objects.exists()


def test_managers_read_events_but_cannot_change_them(
    portal: Portal, manager_user: User, signed_in: Callable[[User], Client]
) -> None:
    _mirror(portal, 3)
    client = signed_in(manager_user)
    page = client.get(reverse("events:list", args=[portal.hub_id])).text
    assert "New event" not in page and 'name="object_ids"' not in page
    assert client.get(reverse("events:create", args=[portal.hub_id])).status_code == 403
    assert client.post(reverse("events:bulk", args=[portal.hub_id]), {"action": "cancel"}).status_code == 403


def test_another_portals_event_is_a_404(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    other = Portal.objects.create(hub_id=999, name="Other", status="connected")
    Event.objects.create(portal=other, object_id="5", name="Secret")
    client = signed_in(marketing_user)
    assert client.get(reverse("events:detail", args=[999, "5"])).status_code == 404
    assert client.get(reverse("events:detail", args=[portal.hub_id, "5"])).status_code == 404


def test_an_unknown_action_on_an_event_is_a_404_for_everyone(
    portal: Portal,
    marketing_user: User,
    manager_user: User,
    signed_in: Callable[[User], Client],
) -> None:
    _mirror(portal, 1)
    url = f"/p/{portal.hub_id}/events/1000/archive/"
    for person in (marketing_user, manager_user):
        client = signed_in(person)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert reverse("events:cancel", args=[portal.hub_id, "1000"]) == f"/p/{portal.hub_id}/events/1000/cancel/"


def test_creating_with_an_existing_external_id_of_ours_updates_that_event(
    hubspot: LiveSimulator, portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(marketing_user)
    url = reverse("events:create", args=[portal.hub_id])
    client.post(url, {"name": "First", "organizer": "Us", "external_event_id": "webinar-2026-12"})
    client.post(url, {"name": "Second", "organizer": "Us", "external_event_id": "webinar-2026-12"})
    event = Event.objects.get(portal=portal, external_event_id="webinar-2026-12")
    assert event.name == "Second"
    assert HubSpotApi(hubspot, portal.hub_id, hubspot.app_id).get(event.object_id)["eventName"] == "Second"
    bad = client.post(url, {"name": "x", "organizer": "y", "external_event_id": "has spaces"})
    assert bad.status_code == 422 and "Use letters, digits" in bad.text


@pytest.mark.parametrize(
    "params",
    [{}, {"status": "past", "per_page": "25"}, {"q": "number 1", "sort": "-registrants"}, {"sort": "name"}],
)
def test_every_page_of_the_list_holds_the_rows_a_plain_offset_would(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client], params: dict
) -> None:
    """The list reads a page's keys first and then their rows: the same rows, in the same order, on every page."""
    from hsadmin.events import selectors
    from hsadmin.events.forms import EventFilterForm

    _mirror(portal, n=80)
    form = EventFilterForm(params)
    assert form.is_valid()
    expected = [e.object_id for e in selectors.event_list(portal=portal, filters=form.cleaned_data)]
    client = signed_in(marketing_user)
    seen: list[str] = []
    for number in range(1, 5):
        response = client.get(reverse("events:list", args=[portal.hub_id]), {**params, "page": number})
        seen += [e.object_id for e in response.context["page"].object_list]
        if not response.context["page"].has_next():
            break
    assert seen == expected
    assert len(seen) == response.context["page"].paginator.count


def test_a_sync_leaves_statistics_so_the_planner_uses_the_list_index(
    portal: Portal, run: Callable[..., Job], partner: HubSpotApi
) -> None:
    """On SQLite, the list's search and deep pages read the narrow covering index, not the wide rows."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the covering index is SQLite's (PostgreSQL's B-tree entries are too small for it)")
    for i in range(30):
        partner.create(f"stats-{i}", f"Webinar {i}")
    assert run("events.sync", portal=portal).state == "succeeded"
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'events_event'")
        assert cursor.fetchone()[0] > 0
        sql, params = (
            Event.objects.filter(portal=portal, name__icontains="webinar")
            .values("pk")
            .query.sql_with_params()
        )
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "COVERING INDEX event_list_cover" in plan
