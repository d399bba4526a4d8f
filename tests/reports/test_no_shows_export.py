"""The no-shows export's cost in HubSpot calls, what it tells the person, and its job page.

The export's time is set by HubSpot's rate limit (100 calls per 10 s), so what is tested is the number of calls
it makes (one per event with no-shows, one more per further 100), not a stopwatch.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections.abc import Callable

import httpx
import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from hsadmin.core.models import Job, User
from hsadmin.core.roles import Role
from hsadmin.events.models import Event
from hsadmin.jobs.runner import run_job
from hsadmin.jobs.services import job_start
from hsadmin.portals.models import Portal
from hsadmin.reports.jobs import breakdown_calls, least_seconds
from tests.live_simulator import LiveSimulator

pytestmark = pytest.mark.django_db


def _ended_event_with_no_shows(hubspot: LiveSimulator, portal: Portal, people: int) -> Event:
    """An event that ended three days ago in the simulator, with `people` registered contacts (new ones) and
    none attended, so all of them are no-shows; and its row in the mirror."""
    token = hubspot.control.token(portal.hub_id, hubspot.app_id)["access_token"]
    api = httpx.Client(
        base_url=f"{hubspot.base_url}/marketing/v3/marketing-events",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    ended = timezone.now() - dt.timedelta(days=3)
    external_id = f"noshows-{uuid.uuid4().hex[:10]}"
    created = api.post(
        "/events",
        json={
            "externalAccountId": "acct",
            "externalEventId": external_id,
            "eventName": f"Webinar {external_id}",
            "eventOrganizer": "Us",
            "customProperties": [],
            "startDateTime": ended.isoformat(),
            "endDateTime": (ended + dt.timedelta(hours=1)).isoformat(),
        },
    )
    assert created.status_code == 200, created.text
    registered = int((ended - dt.timedelta(days=1)).timestamp() * 1000)
    for start in range(0, people, 100):
        inputs = [
            {
                "email": f"{external_id}-{n}@example.com",
                "interactionDateTime": registered,
                "properties": {},
                "contactProperties": {},
            }
            for n in range(start, min(start + 100, people))
        ]
        answer = api.post(
            f"/attendance/{external_id}/register/email-create",
            params={"externalAccountId": "acct"},
            json={"inputs": inputs},
        )
        assert answer.status_code in (200, 207), answer.text
    return Event.objects.create(
        portal=portal,
        object_id=created.json()["objectId"],
        name=f"Webinar {external_id}",
        starts_at=ended,
        ends_at=ended + dt.timedelta(hours=1),
        registrants=people,
        no_shows=people,
    )


def _hubspot_calls(hubspot: LiveSimulator) -> dict[str, int]:
    """The simulator's requests since its stats were reset, by API family (its own control calls left out)."""
    return {k: v for k, v in hubspot.control.stats()["by_family"].items() if k != "control"}


def test_the_export_makes_one_call_per_hundred_no_shows_of_each_event_and_no_other(
    hubspot: LiveSimulator,
    make_portal: Callable[..., Portal],
    manager_user: User,
    signed_in: Callable[[User], Client],
) -> None:
    portal = make_portal((manager_user, Role.MANAGER))
    big = _ended_event_with_no_shows(hubspot, portal, 250)
    small = _ended_event_with_no_shows(hubspot, portal, 1)
    Event.objects.create(
        portal=portal, object_id="999000111", name="Everyone came", starts_at=big.starts_at, registrants=9
    )
    hubspot.control.reset_stats()
    client = signed_in(manager_user)

    response = client.post(reverse("reports:no_shows") + f"?portal={portal.hub_id}&period=last_12_months")
    job = Job.objects.get(kind="reports.no_shows")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert sorted(job.params["object_ids"]) == sorted([big.object_id, small.object_id])
    run_job(job.pk)

    job.refresh_from_db()
    assert job.state == "succeeded", job.message
    # 250 no-shows are 3 pages of 100, 1 no-show is 1 page; the event without no-shows costs nothing, and
    # there is no call per contact, no counters call, no second pass.
    assert _hubspot_calls(hubspot) == {"marketing-events": 3 + 1} and breakdown_calls([250, 1]) == 4
    rows = list(csv.reader(io.StringIO(job.file.read().decode("utf-8-sig"))))
    assert len(rows) == 1 + 251
    assert {r[1] for r in rows[1:]} == {big.object_id, small.object_id}


def test_an_event_with_a_hundred_no_shows_costs_one_call_not_two(
    hubspot: LiveSimulator, make_portal: Callable[..., Portal], manager_user: User
) -> None:
    portal = make_portal((manager_user, Role.MANAGER))
    event = _ended_event_with_no_shows(hubspot, portal, 100)
    hubspot.control.reset_stats()
    job = job_start(
        kind="reports.no_shows", portal=portal, user=manager_user, params={"object_ids": [event.object_id]}
    )

    run_job(job.pk)

    job.refresh_from_db()
    assert job.state == "succeeded", job.message
    assert _hubspot_calls(hubspot) == {"marketing-events": 1}


def test_the_calls_and_least_time_follow_the_rate_limit(settings: Settings) -> None:
    settings.HUBSPOT_RATE_LIMIT_MAX = 100
    settings.HUBSPOT_RATE_LIMIT_INTERVAL_SECONDS = 10.0
    assert breakdown_calls([]) == 0 and breakdown_calls([1, 100, 101, 250]) == 1 + 1 + 2 + 3
    assert least_seconds(0) == 0 and least_seconds(1) == 0 and least_seconds(100) == 0
    assert least_seconds(101) == 10 and least_seconds(200) == 10
    # The demo's "Last 12 months": 204 events with a few no-shows each take 20 s at the least.
    assert least_seconds(breakdown_calls([3] * 204)) == 20


def test_starting_a_long_export_says_how_long_hubspots_rate_limit_makes_it(
    make_portal: Callable[..., Portal], manager_user: User, signed_in: Callable[[User], Client]
) -> None:
    portal = make_portal((manager_user, Role.MANAGER))
    starts = timezone.now() - dt.timedelta(days=10)
    Event.objects.bulk_create(
        Event(portal=portal, object_id=str(9_000_000 + n), name=f"E{n}", starts_at=starts, no_shows=2)
        for n in range(204)
    )
    client = signed_in(manager_user)

    response = client.post(reverse("reports:no_shows") + f"?portal={portal.hub_id}&period=last_12_months")

    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("204 events" in t and "about 20 seconds" in t for t in texts), texts


def test_a_short_export_does_not_talk_about_the_rate_limit(
    make_portal: Callable[..., Portal], manager_user: User, signed_in: Callable[[User], Client]
) -> None:
    portal = make_portal((manager_user, Role.MANAGER))
    Event.objects.create(
        portal=portal,
        object_id="9100001",
        name="E",
        starts_at=timezone.now() - dt.timedelta(days=2),
        no_shows=5,
    )
    client = signed_in(manager_user)

    response = client.post(reverse("reports:no_shows") + f"?portal={portal.hub_id}&period=last_12_months")

    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("1 event;" in t for t in texts) and not any("HubSpot answers" in t for t in texts), texts


def test_a_running_export_shows_its_progress_and_no_empty_results_section(
    make_portal: Callable[..., Portal], manager_user: User, signed_in: Callable[[User], Client]
) -> None:
    portal = make_portal((manager_user, Role.MANAGER))
    job = job_start(kind="reports.no_shows", portal=portal, user=manager_user, params={"object_ids": ["1"]})
    Job.objects.filter(pk=job.pk).update(state="running", total=204, done=57, started_at=timezone.now())

    page = signed_in(manager_user).get(reverse("jobs:detail", args=[job.pk])).text

    assert reverse("jobs:progress", args=[job.pk]) in page  # the bar polls while it runs
    assert "57 of 204 events" in page
    assert 'id="job-items"' not in page and "Results appear here" not in page


def test_a_running_job_that_records_items_still_has_its_results_section(
    make_portal: Callable[..., Portal], marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    portal = make_portal((marketing_user, Role.MARKETING))
    job = job_start(kind="events.bulk", portal=portal, user=marketing_user, params={})
    Job.objects.filter(pk=job.pk).update(state="running", total=10, done=0, started_at=timezone.now())

    page = signed_in(marketing_user).get(reverse("jobs:detail", args=[job.pk])).text

    assert 'id="job-items"' in page and "Results appear here" in page
