"""Events our app created keep working by external IDs after a sync into a fresh mirror.

HubSpot's list-all and reads by objectId carry no `externalAccountId` (the simulator is as strict), so a mirror
that first learns an event from a sync must recover it from HubSpot's search; cancel, complete and attendance by
external IDs depend on it. The events here were made under an account ID this install does not use (an earlier
install, another instance), so nothing can be guessed. Each test runs on every API version the simulator serves.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

import httpx
import pytest

from hsadmin.core.models import Job, User
from hsadmin.events.models import Event
from hsadmin.events.services import event_cancel, event_complete
from hsadmin.hubspot_client import SubscriberState
from hsadmin.participation.services import RecordData, participation_record
from hsadmin.portals.models import Portal
from tests.live_simulator import LiveSimulator

pytestmark = [pytest.mark.django_db, pytest.mark.parametrize("version", ["2026-09", "2026-03", "v3"])]


def prefix(version: str) -> str:
    return "/marketing/v3/marketing-events" if version == "v3" else f"/marketing/marketing-events/{version}"


OLD_ACCOUNT = "earlier-install"


def create_as_hsadmin(sim: LiveSimulator, version: str, *, ended: bool = False) -> str:
    """An event hsadmin's app created (as an earlier install would have), unknown to this database."""
    external = f"recover-{uuid.uuid4().hex[:10]}"
    start = "2020-01-01T10:00:00Z" if ended else "2099-01-01T10:00:00Z"
    end = "2020-01-01T11:00:00Z" if ended else "2099-01-01T11:00:00Z"
    response = httpx.post(
        f"{sim.base_url}{prefix(version)}/events",
        headers={"Authorization": f"Bearer {sim.access_token()}"},
        json={
            "externalAccountId": OLD_ACCOUNT,
            "externalEventId": external,
            "eventName": "Made by an earlier install",
            "eventOrganizer": "hsadmin",
            "startDateTime": start,
            "endDateTime": end,
            "customProperties": [],
        },
    )
    assert response.status_code == 200, response.text
    return external


def synced(run: Callable[..., Job], portal: Portal, external: str) -> Event:
    """A sync, then the recovery job it queues (run here, as the worker would)."""
    job = run("events.sync", portal)
    assert job.state == "succeeded", job.message
    assert Event.objects.get(portal=portal, external_event_id=external).external_account_id == ""
    queued = Job.objects.filter(portal=portal, kind="events.recover_accounts", state="queued")
    assert queued.exists()
    recovery = run("events.recover_accounts", portal)
    assert recovery.state == "succeeded", recovery.message
    return Event.objects.get(portal=portal, external_event_id=external)


def test_a_synced_event_of_ours_gets_its_account_id_back_and_can_be_cancelled(
    hubspot: LiveSimulator,
    portal: Portal,
    run: Callable[..., Job],
    marketing_user: User,
    settings,
    version: str,
) -> None:
    settings.HUBSPOT_API_VERSION = version
    external = create_as_hsadmin(hubspot, version)
    event = synced(run, portal, external)
    assert event.external_account_id == OLD_ACCOUNT and event.owned_by_us
    event_cancel(event=event, user=marketing_user)
    state = {e["externalEventId"]: e for e in hubspot.control.events(hubspot.hub_id)}[external]
    assert state["eventCancelled"] is True
    again = run("events.sync", portal)  # a second sync keeps what was recovered and queues nothing for it
    assert again.state == "succeeded"
    kept = Event.objects.get(portal=portal, external_event_id=external)
    assert kept.external_account_id == OLD_ACCOUNT and kept.cancelled


def test_a_synced_event_of_ours_can_be_completed_and_take_attendance_by_external_ids(
    hubspot: LiveSimulator,
    portal: Portal,
    run: Callable[..., Job],
    marketing_user: User,
    settings,
    version: str,
) -> None:
    settings.HUBSPOT_API_VERSION = version
    external = create_as_hsadmin(hubspot, version, ended=True)
    event = synced(run, portal, external)
    assert event.owned_by_us  # so both calls below go to the external-ID endpoints
    contact = hubspot.control.contacts(hubspot.hub_id)[0]
    at = dt.datetime(2020, 1, 1, 10, 5, tzinfo=dt.UTC)
    outcome = participation_record(
        event=event,
        user=marketing_user,
        data=RecordData(contact=contact["id"], state=SubscriberState.ATTEND, interaction_at=at),
    )
    assert outcome.recorded, outcome.message
    event_complete(event=event, user=marketing_user)
    state = {e["externalEventId"]: e for e in hubspot.control.events(hubspot.hub_id)}[external]
    assert state["eventCompleted"] is True
    rows = hubspot.control.participations(hubspot.hub_id, state["objectId"])
    assert [(r["contactId"], r["state"]) for r in rows] == [(contact["id"], "ATTENDED")]


def test_an_event_of_another_app_gets_no_account_id_and_stays_on_the_object_id_endpoints(
    hubspot: LiveSimulator, portal: Portal, run: Callable[..., Job], partner, version: str, settings
) -> None:
    settings.HUBSPOT_API_VERSION = version
    partner.create(f"theirs-{uuid.uuid4().hex[:8]}", "Partner webinar")
    run("events.sync", portal)
    theirs = Event.objects.filter(portal=portal, app_id=hubspot.other_app_id)
    assert theirs.exists() and not theirs.exclude(external_account_id="").exists()
    assert not any(e.owned_by_us for e in theirs)
