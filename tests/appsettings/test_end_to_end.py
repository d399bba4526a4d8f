"""End to end through the simulator: HubSpot fetches a draft from hsadmin's endpoint and creates the event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from hsadmin.core.models import Job
from hsadmin.events.models import Event
from hsadmin.hubspot_client import EmailSubscriber, SubscriberState
from hsadmin.jobs.runner import run_job
from hsadmin.portals.hubspot import hubspot_client_for
from hsadmin.portals.models import Portal
from tests.appsettings.conftest import SimulatorSettings
from tests.live_simulator import LiveSimulator


def test_attendance_for_a_draft_makes_hubspot_create_it_from_hsadmins_answer(
    live_server: LiveServer,
    settings,
    hubspot: LiveSimulator,
    simulator_settings: SimulatorSettings,
    admin: Client,
    portal: Portal,
    make_draft: Callable[..., Event],
) -> None:
    settings.HSADMIN_ALLOW_LOOPBACK_FETCH = True  # the simulator calls hsadmin over http on 127.0.0.1
    endpoint = f"{live_server.url}/hubspot/event-details/%s"
    # A portal admin points the app (the simulator's) at hsadmin's own endpoint.
    saved = admin.post(reverse("appsettings:index"), {"event_details_url": endpoint})
    assert saved.status_code == 302
    assert simulator_settings.get() == endpoint

    starts = timezone.now() + timedelta(days=3)
    draft = make_draft(
        "Launch party", event_type="MEETUP", starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    assert not [
        e for e in hubspot.control.events(portal.hub_id) if e["externalEventId"] == draft.external_event_id
    ]

    # Attendance for the draft's external IDs: HubSpot does not know the event, so it asks hsadmin (signed).
    outcome = hubspot_client_for(portal).record_external_participation_by_emails(
        draft.external_event_id,
        SubscriberState.ATTEND,
        [EmailSubscriber(email="guest@example.com", interaction_date_time=starts)],
        external_account_id=draft.external_account_id,
    )
    assert not outcome.errors, outcome.errors
    (created,) = [
        e for e in hubspot.control.events(portal.hub_id) if e["externalEventId"] == draft.external_event_id
    ]
    assert created["eventName"] == "Launch party" and created["appId"] == hubspot.app_id
    assert created["startDateTime"].startswith(starts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M"))

    # hsadmin's answer queued a job that finds the new event and turns the draft into its mirror row.
    job = Job.objects.get(kind="drafts.adopt")
    run_job(job.pk)
    job.refresh_from_db()
    assert job.state == "succeeded", job.message
    event = Event.objects.get(pk=draft.pk)
    assert not event.is_draft and event.object_id == created["objectId"]
    assert event.attendees == 1
    assert Event.objects.filter(external_event_id=draft.external_event_id).count() == 1
