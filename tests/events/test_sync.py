from __future__ import annotations

from collections.abc import Callable

import pytest

from hsadmin.core.models import Job
from hsadmin.events.models import Event
from hsadmin.events.services import mirror_upsert_many
from hsadmin.hubspot_client import MarketingEvent
from hsadmin.portals.models import Portal
from tests.events.conftest import HubSpotApi
from tests.live_simulator import LiveSimulator

pytestmark = pytest.mark.django_db


def test_a_sync_pages_through_every_event_and_mirrors_them(
    hubspot: LiveSimulator, portal: Portal, partner: HubSpotApi, run: Callable[..., Job]
) -> None:
    for i in range(205):
        partner.create(f"sync-{i}", f"Sync event {i}", eventType="WEBINAR")
    expected = partner.count()
    assert expected >= 205
    before = hubspot.control.stats()["by_family"].get("marketing-events", 0)
    job = run("events.sync", portal)
    assert job.state == "succeeded", job.message
    assert Event.objects.filter(portal=portal).count() == expected
    calls = hubspot.control.stats()["by_family"]["marketing-events"] - before
    assert calls == -(-expected // 100)  # one list call per 100 events, nothing else
    event = Event.objects.get(portal=portal, external_event_id="sync-7")
    assert (event.name, event.event_type, event.app_id) == ("Sync event 7", "WEBINAR", hubspot.other_app_id)
    portal.refresh_from_db()
    assert portal.last_synced_at is not None


def test_a_sync_removes_events_deleted_in_hubspot(
    hubspot: LiveSimulator, portal: Portal, partner: HubSpotApi, run: Callable[..., Job]
) -> None:
    gone = partner.create("to-delete", "Soon gone")
    partner.create("to-keep", "Stays")
    run("events.sync", portal)
    assert Event.objects.filter(portal=portal, object_id=gone["objectId"]).exists()
    partner.delete(gone["objectId"])
    run("events.sync", portal)
    assert not Event.objects.filter(portal=portal, object_id=gone["objectId"]).exists()
    assert Event.objects.filter(portal=portal, external_event_id="to-keep").exists()


def test_a_sync_finishes_exactly_despite_injected_faults(
    hubspot: LiveSimulator, portal: Portal, partner: HubSpotApi, run: Callable[..., Job]
) -> None:
    for i in range(120):
        partner.create(f"fault-{i}", f"Fault event {i}")
    expected = partner.count()
    hubspot.control.set_rate_limit(max=100, interval_ms=500, enabled=False)  # 429s then say "wait 0.5 s"
    hubspot.control.set_faults(rate_429=0.15, rate_500=0.15, rate_drop=0.05, seed=7)
    try:
        job = run("events.sync", portal)
    finally:
        hubspot.control.clear_faults()
    assert job.state == "succeeded", job.message
    assert Event.objects.filter(portal=portal).count() == expected
    assert sum(hubspot.control.stats()["faults"].values()) > 0


def test_a_sync_does_not_overwrite_a_newer_edit_made_while_it_ran(portal: Portal) -> None:
    from datetime import UTC, datetime

    Event.objects.create(
        portal=portal,
        object_id="42",
        name="Edited just now",
        hubspot_updated_at=datetime(2026, 5, 2, tzinfo=UTC),
    )
    stale = MarketingEvent(object_id="42", event_name="Old name", updated_at=datetime(2026, 5, 1, tzinfo=UTC))
    mirror_upsert_many(portal=portal, events=[stale], job_id=1)
    assert Event.objects.get(portal=portal, object_id="42").name == "Edited just now"
