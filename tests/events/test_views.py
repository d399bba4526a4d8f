from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

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
    response = signed_in(marketing_user).get(reverse("events:list", args=[portal.hub_id]))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 30
    assert "1–25 of 30" in response.text
    assert "number 29" in response.text  # newest first


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
    assert (
        signed_in(marketing_user).get(reverse("events:list", args=[portal.hub_id]), params).status_code == 200
    )


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
