from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hsadmin.core.models import Job, User
from hsadmin.events import services
from hsadmin.events.models import DRAFT_PREFIX, Event
from hsadmin.events.services import mirror_upsert_many
from hsadmin.hubspot.gateway import Budget, open_portal
from hsadmin.hubspot_client import MarketingEvent
from hsadmin.jobs.runner import JobContext, claim, run_job
from hsadmin.jobs.services import job_requeue, job_start
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


def test_an_event_handed_over_twice_in_one_write_is_written_once_with_its_newest_copy(portal: Portal) -> None:
    # Five pages go to the mirror in one statement; an event HubSpot's cursor handed over twice (the portal
    # changed during the sync) must not make PostgreSQL refuse the statement ("cannot affect row a second time").
    from datetime import UTC, datetime

    older = MarketingEvent(object_id="7", event_name="Before", updated_at=datetime(2026, 5, 1, tzinfo=UTC))
    newer = MarketingEvent(object_id="7", event_name="After", updated_at=datetime(2026, 5, 2, tzinfo=UTC))
    other = MarketingEvent(object_id="8", event_name="Other", updated_at=datetime(2026, 5, 1, tzinfo=UTC))
    for pages in ([newer, other, older], [older, other, newer]):
        assert mirror_upsert_many(portal=portal, events=pages, job_id=1) == 2
        assert Event.objects.get(portal=portal, object_id="7").name == "After"
    assert Event.objects.filter(portal=portal).count() == 2


def _list_calls(hubspot: LiveSimulator) -> int:
    return hubspot.control.stats()["by_family"].get("marketing-events", 0)


def _vanished(portal: Portal) -> Event:
    """An event an earlier sync mirrored and HubSpot has since deleted."""
    earlier = timezone.now() - timedelta(days=1)
    return Event.objects.create(
        portal=portal, object_id="987654321", name="Deleted in HubSpot", synced_at=earlier
    )


def _killed_after(job: Job, portal: Portal, *, pages: int | None) -> None:
    """Leave the job as a worker killed after confirming `pages` pages leaves it (None: every page, then killed
    before the end of the sync), and hand it back to the queue as the watchdog does."""
    taken = claim(job.pk)
    assert taken is not None
    claimed, lease = taken
    ctx = JobContext(claimed, lease=lease)
    client = open_portal(portal, budget=Budget.JOB).client
    after = None
    while pages is None or pages > 0:
        page = client.list_events_page(after=after, limit=100)
        mirror_upsert_many(portal=portal, events=page.results, job_id=job.pk)
        after = page.next_after
        ctx.record_chunk(checkpoint={"after": after, "finished_paging": not after}, done=len(page.results))
        pages = None if pages is None else pages - 1
        if not after:
            break
    assert job_requeue(job=claimed, from_states=("running",), lease=lease)


def test_a_sync_stopped_part_way_resumes_after_its_last_confirmed_page_and_still_removes_what_vanished(
    hubspot: LiveSimulator, portal: Portal, partner: HubSpotApi, marketing_user: User
) -> None:
    for i in range(250):
        partner.create(f"resume-{i}", f"Resume event {i}")
    expected = partner.count()
    vanished = _vanished(portal)
    draft = Event.objects.create(
        portal=portal, object_id=f"{DRAFT_PREFIX}resume", name="Draft", is_draft=True
    )
    job = job_start(kind="events.sync", portal=portal, user=marketing_user)
    _killed_after(job, portal, pages=1)
    before = _list_calls(hubspot)
    run_job(job.pk)
    job.refresh_from_db()
    assert job.state == "succeeded", job.message
    assert _list_calls(hubspot) - before == -(-(expected - 100) // 100), (
        "the confirmed page is not asked again"
    )
    assert job.done == expected
    assert Event.objects.filter(portal=portal, is_draft=False).count() == expected
    assert not Event.objects.filter(pk=vanished.pk).exists()
    assert Event.objects.filter(pk=draft.pk).exists()
    assert job.result["removed"] == 1


def test_a_sync_stopped_after_its_last_page_only_finishes_and_asks_hubspot_nothing_again(
    hubspot: LiveSimulator, portal: Portal, partner: HubSpotApi, marketing_user: User
) -> None:
    partner.create("finish-only", "Finish only")
    expected = partner.count()
    vanished = _vanished(portal)
    job = job_start(kind="events.sync", portal=portal, user=marketing_user)
    _killed_after(job, portal, pages=None)
    before = _list_calls(hubspot)
    run_job(job.pk)
    job.refresh_from_db()
    assert job.state == "succeeded", job.message
    assert _list_calls(hubspot) == before
    assert Event.objects.filter(portal=portal).count() == expected
    assert not Event.objects.filter(pk=vanished.pk).exists()
    portal.refresh_from_db()
    assert portal.last_synced_at is not None


def test_a_sync_confirms_several_pages_at_once_and_reports_the_end_of_the_sync(
    hubspot: LiveSimulator, portal: Portal, partner: HubSpotApi, run: Callable[..., Job]
) -> None:
    for i in range(120):
        partner.create(f"grouped-{i}", f"Grouped event {i}")
    pages = -(-partner.count() // 100)
    job = run("events.sync", portal)
    assert job.state == "succeeded", job.message
    assert job.chunks == -(-pages // 5), "five pages a transaction"
    assert job.done == partner.count()
    assert set(job.result["finish_seconds"]) == {"remove_unseen", "statistics", "recover_accounts_check"}
    assert job.result["writes"]["events"] == job.done


def test_the_upsert_looks_its_events_up_by_key_without_sorting_them(portal: Portal) -> None:
    """With the list's default order, SQLite without fresh statistics (a first sync) reads the whole portal."""
    with CaptureQueriesContext(connection) as captured:
        mirror_upsert_many(
            portal=portal, events=[MarketingEvent(object_id="7", event_name="Seven")], job_id=1
        )
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert reads
    assert not [sql for sql in reads if "ORDER BY" in sql.upper()]


def test_removing_what_vanished_goes_in_batches_and_spares_what_was_seen_written_or_drafted(
    portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "REMOVE_BATCH", 2)
    since = timezone.now()
    earlier = since - timedelta(days=1)
    gone = [
        Event.objects.create(portal=portal, object_id=str(100 + i), name=f"Gone {i}", synced_at=earlier)
        for i in range(5)
    ]
    seen = Event.objects.create(portal=portal, object_id="200", name="Seen", synced_at=earlier, seen_by_job=9)
    written = Event.objects.create(portal=portal, object_id="201", name="Edited during the sync")
    draft = Event.objects.create(
        portal=portal, object_id=f"{DRAFT_PREFIX}x", name="Draft", is_draft=True, synced_at=earlier
    )
    with CaptureQueriesContext(connection) as captured:
        removed = services.mirror_remove_unseen(portal=portal, job_id=9, since=since)
    assert removed == 5
    assert not Event.objects.filter(pk__in=[e.pk for e in gone]).exists()
    assert set(Event.objects.filter(portal=portal).values_list("pk", flat=True)) == {
        seen.pk,
        written.pk,
        draft.pk,
    }
    deletes = [q for q in captured.captured_queries if q["sql"].startswith('DELETE FROM "events_event"')]
    assert len(deletes) == 3, "5 events, 2 a batch"
