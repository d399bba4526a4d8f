"""Event jobs: the sync (HubSpot → mirror) and bulk actions across selected events."""

from __future__ import annotations

import functools
import logging
import time
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hsadmin.core.audit import audit_record
from hsadmin.core.db import atomic_retried, refresh_planner_statistics
from hsadmin.core.exceptions import ActionFailed
from hsadmin.core.models import Job
from hsadmin.events import services
from hsadmin.events.models import Event
from hsadmin.hubspot.gateway import Budget, open_portal
from hsadmin.hubspot.messages import describe
from hsadmin.hubspot_client import (
    EventUpdate,
    HubSpotClient,
    HubSpotError,
    MarketingEvent,
    ObjectIdUpdate,
)
from hsadmin.jobs.runner import ItemResult, JobContext, register_job_kind
from hsadmin.jobs.services import job_start
from hsadmin.portals.models import Portal

logger = logging.getLogger(__name__)

SYNC_PAGE_SIZE = 100  # HubSpot's maximum: 10,000 events in 100 calls
# Pages written to the mirror in one transaction. Each event touches a leaf of every index of the mirror (about
# twenty, and the search index), so at 100,000 events a 100-event write dirties some 2,000 pages and SQLite
# writes them back at once (its WAL checkpoints every 1,000 pages): ~80 ms of commit per page, close to the
# ~100 ms a list call is allowed. Five pages a transaction share leaves and checkpoints and halve the cost of
# an event, while holding the write lock for well under a second. See README, Performance.
SYNC_PAGES_PER_WRITE = 5


@register_job_kind(
    "events.sync",
    label=gettext_lazy("Event sync"),
    unit=gettext_lazy("events"),
    capability="view_events",
    also_for=("manage_portals",),  # portal admins start the first sync when they connect a portal
)
def sync_events(ctx: JobContext) -> dict[str, Any]:
    """Page through list-all (limit 100), upsert the mirror a few pages at a time, then remove what HubSpot
    dropped. Memory stays flat at any size: at most `SYNC_PAGES_PER_WRITE` pages are held, and what this sync saw
    is stamped on the rows (`seen_by_job`), not kept in a set."""
    portal: Portal = ctx.portal
    client = open_portal(portal, budget=Budget.JOB).client
    after = ctx.checkpoint.get("after")
    finished_paging = bool(ctx.checkpoint.get("finished_paging"))  # a run stopped during the end of the sync
    started = ctx.job.started_at or timezone.now()
    pending: list[MarketingEvent] = []
    pages = 0
    writing, written = 0.0, 0  # this run's time in the mirror's write transactions, and their events
    while not finished_paging:
        ctx.check()
        page = client.list_events_page(after=after, limit=SYNC_PAGE_SIZE)
        pending.extend(page.results)
        pages += 1
        after = page.next_after
        finished_paging = not after
        if pages < SYNC_PAGES_PER_WRITE and not finished_paging:
            continue
        # The pages and the cursor after them are confirmed together: a run stopped before this commit asks
        # for those pages again, one stopped after it never does.
        clock = time.perf_counter()
        checkpoint = {"after": after, "finished_paging": finished_paging}
        atomic_retried(functools.partial(_write_pages, ctx, pending, checkpoint))
        writing, written = writing + time.perf_counter() - clock, written + len(pending)
        pending, pages = [], 0
    # The end of a sync, timed: each part is bounded at 100,000 events (the bench reports these figures).
    finish: dict[str, float] = {}
    clock = time.perf_counter()
    removed = services.mirror_remove_unseen(portal=portal, job_id=ctx.job.pk, since=started)
    finish["remove_unseen"], clock = round(time.perf_counter() - clock, 3), time.perf_counter()
    Portal.objects.filter(pk=portal.pk).update(last_synced_at=timezone.now())
    refresh_planner_statistics(Event)
    finish["statistics"], clock = round(time.perf_counter() - clock, 3), time.perf_counter()
    _recover_accounts_later(portal)
    finish["recover_accounts_check"] = round(time.perf_counter() - clock, 3)
    logger.info(
        "Sync of portal %s: %s events, %s removed; end of sync %s",
        portal.hub_id,
        ctx.job.done,
        removed,
        finish,
    )
    return {
        "summary": _("%(n)s events synced, %(removed)s removed.") % {"n": ctx.job.done, "removed": removed},
        "removed": removed,
        "finish_seconds": finish,
        "writes": {"seconds": round(writing, 3), "events": written},
    }


def _write_pages(ctx: JobContext, pending: list[MarketingEvent], checkpoint: dict[str, Any]) -> None:
    """One write of the sync: the pages' events into the mirror and the cursor after them, together (the caller's
    transaction, run again if PostgreSQL picks it as a deadlock's victim)."""
    services.mirror_upsert_many(portal=ctx.portal, events=pending, job_id=ctx.job.pk)
    ctx.record_chunk(checkpoint=checkpoint, done=len(pending))


def _recover_accounts_later(portal: Portal) -> None:
    """List-all carries no externalAccountId: when our own events lack one, a job of its own asks HubSpot's
    search for them (one call each, once per event), so the sync itself stays at one call per 100 events."""
    if not services.mirror_accounts_missing(portal=portal).exists():
        return
    waiting = Job.objects.filter(
        portal=portal, kind="events.recover_accounts", state__in=["queued", "running", "paused"]
    )
    if not waiting.exists():
        job_start(kind="events.recover_accounts", portal=portal)


@register_job_kind(
    "events.recover_accounts",
    label=gettext_lazy("External account IDs from HubSpot"),
    unit=gettext_lazy("events"),
    capability="view_events",
    also_for=("manage_portals",),
)
def recover_accounts(ctx: JobContext) -> dict[str, Any]:
    """Our events the mirror learnt from list-all (a reset mirror, a second instance) get their external account
    ID from HubSpot's search, so cancel, complete and attendance by external IDs work for them."""
    client = open_portal(ctx.portal, budget=Budget.JOB).client
    events = list(services.mirror_accounts_missing(portal=ctx.portal))
    ctx.set_total(len(events))
    for batch in ctx.batches(events, size=10):
        results = []
        for event in batch.items:
            found = services.mirror_external_account_recover(event=event, client=client)
            message = "" if found else _("HubSpot's search does not list it yet; the next sync asks again.")
            results.append(ItemResult(ref=_ref(event), ok=bool(found), message=message))
        ctx.record_batch(batch, items=results)
    return {
        "summary": _("%(ok)s of %(n)s events recovered.")
        % {"ok": len(events) - ctx.job.failed, "n": len(events)}
    }


BULK_ACTIONS = ("cancel", "complete", "delete", "set_field")
BULK_FIELDS = {"event_type": "event_type", "organizer": "event_organizer", "url": "event_url"}


def _selected(ctx: JobContext) -> QuerySet[Event]:
    return Event.objects.filter(portal=ctx.portal, object_id__in=ctx.params["object_ids"]).order_by(
        "object_id"
    )


@register_job_kind(
    "events.bulk",
    label=gettext_lazy("Bulk event change"),
    unit=gettext_lazy("events"),
    capability="change_events",
)
def bulk_events(ctx: JobContext) -> dict[str, Any]:
    """Apply one action to the selected events through the batch endpoints, with a result per event."""
    action = ctx.params["action"]
    client = open_portal(ctx.portal, budget=Budget.JOB).client
    events = list(_selected(ctx))
    ctx.set_total(len(events))
    user = ctx.actor
    for batch in ctx.batches(events, size=100):
        results = _apply(client, action, batch.items, ctx.params, user)
        ctx.record_batch(batch, items=results)
    audit_record(
        action=f"event.bulk_{action}",
        actor=user,
        portal=ctx.portal,
        target=_("%(n)s events") % {"n": len(events)},
        detail={"failed": ctx.job.failed, "job": ctx.job.pk},
    )
    return {
        "summary": _("%(ok)s of %(n)s events changed.")
        % {"ok": len(events) - ctx.job.failed, "n": len(events)}
    }


def _ref(event: Event) -> str:
    return f"{event.name} ({event.object_id})"


def _apply(
    client: HubSpotClient, action: str, events: list[Event], params: dict[str, Any], user: Any
) -> list[ItemResult]:
    if action == "complete":  # HubSpot has no batch complete: one call each, only for our own events
        results = []
        for event in events:
            try:
                services.event_complete(event=event, user=user, budget=Budget.JOB)
                results.append(ItemResult(ref=_ref(event), ok=True))
            except ActionFailed as refused:
                results.append(ItemResult(ref=_ref(event), ok=False, message=refused.message))
            except HubSpotError as error:
                results.append(ItemResult(ref=_ref(event), ok=False, message=describe(error)))
        return results
    if action == "delete":
        deleted = client.delete_events([e.object_id for e in events])
        by_id = {e.object_id: e for e in events}
        results, gone = [], []
        for item in deleted.per_input():
            event = by_id[str(item.input)]
            ok = item.status == "ok"
            if ok:
                gone.append(event.pk)
            results.append(ItemResult(ref=_ref(event), ok=ok, message="" if ok else _why(item.error)))
        if gone:  # HubSpot deleted them: one delete from the mirror, run again if it is a deadlock's victim
            atomic_retried(Event.objects.filter(pk__in=gone).delete)
        return results
    update = (
        EventUpdate(event_cancelled=True)
        if action == "cancel"
        else EventUpdate(**{BULK_FIELDS[params["field"]]: params["value"]})
    )
    updated = client.update_events([ObjectIdUpdate(e.object_id, update) for e in events])
    by_id = {e.object_id: e for e in events}
    remote = {r.object_id: r for r in updated.results}
    results, accepted = [], []
    for change in updated.per_input():
        event = by_id[change.input.object_id]
        ok = change.status == "ok"
        if ok and event.object_id in remote:
            accepted.append(remote[event.object_id])
        results.append(ItemResult(ref=_ref(event), ok=ok, message="" if ok else _why(change.error)))
    if accepted:
        portal = events[0].portal
        atomic_retried(functools.partial(_mirror_changes, portal, accepted, cancelled=action == "cancel"))
    return results


def _mirror_changes(portal: Portal, accepted: list[MarketingEvent], *, cancelled: bool) -> None:
    """The changes HubSpot accepted, into the mirror in one write (run again if PostgreSQL picks it as a
    deadlock's victim)."""
    services.mirror_upsert_many(portal=portal, events=accepted)
    if cancelled:
        Event.objects.filter(portal=portal, object_id__in=[str(r.object_id) for r in accepted]).update(
            cancelled=True
        )


def _why(error: object) -> str:
    if isinstance(error, HubSpotError):
        return describe(error)
    message = getattr(error, "message", None)
    return str(message or error or _("HubSpot did not say."))
