"""The no-shows export: read live from HubSpot's breakdown (state NO_SHOW), event by event, into a CSV.

It costs one HubSpot call per event with no-shows, one more per further 100 (the breakdown's largest page), and
nothing else: at HubSpot's 100 calls per 10 seconds a year of a few hundred such events takes tens of seconds,
however few people each one has. `least_seconds()` says how long at the least, before it starts.

Rows go to a file on disk as they arrive (flat memory). Each event's rows are flushed before the event is
confirmed with the file's size as the checkpoint; a resumed run truncates the file back to that size and goes on
with the next event, so no event's rows are lost or written twice.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hsadmin.core.exports import safe_cell
from hsadmin.events.models import Event
from hsadmin.hubspot.gateway import Budget, open_portal
from hsadmin.hubspot_client import ParticipationState
from hsadmin.jobs.runner import JobContext, register_job_kind

# The breakdown's largest page (reference §5): every call brings up to this many no-shows.
PAGE_SIZE = 100

HEADER = ["event", "event_object_id", "event_start", "contact_id", "email", "first_name", "last_name"]


def breakdown_calls(no_shows: Iterable[int]) -> int:
    """The HubSpot calls the export makes for events with these no-show counts (from the mirror)."""
    return sum(max(1, math.ceil(count / PAGE_SIZE)) for count in no_shows)


def least_seconds(calls: int) -> float:
    """How long `calls` take at the least under HubSpot's sliding window (design §7): each call after the first
    window's worth waits for the one a window before it to age out."""
    if calls <= 0:
        return 0.0
    return ((calls - 1) // settings.HUBSPOT_RATE_LIMIT_MAX) * settings.HUBSPOT_RATE_LIMIT_INTERVAL_SECONDS


def _work_file(job_id: int) -> Path:
    folder = Path(settings.DATA_DIR) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"no-shows-job-{job_id}.csv"


@register_job_kind(
    "reports.no_shows",
    label=gettext_lazy("No-shows export"),
    unit=gettext_lazy("events"),
    capability="view_reports",
    item_results=False,
)
def export_no_shows(ctx: JobContext) -> dict[str, Any]:
    events = list(
        Event.objects.filter(portal=ctx.portal, object_id__in=ctx.params["object_ids"]).order_by(
            "starts_at", "id"
        )
    )
    ctx.set_total(len(events))
    client = open_portal(ctx.portal, budget=Budget.JOB).client
    path = _work_file(ctx.job.pk)
    size = int(ctx.checkpoint.get("size", 0))
    contacts = int(ctx.checkpoint.get("contacts", 0))
    with path.open("a+", encoding="utf-8", newline="") as handle:
        handle.truncate(size)
        handle.seek(size)
        writer = csv.writer(handle)
        if size == 0:
            handle.write("\ufeff")
            writer.writerow(HEADER)
        for batch in ctx.batches(events, size=1):
            event = batch.items[0]
            for row in client.iter_participations(
                event.object_id, state=ParticipationState.NO_SHOW, limit=PAGE_SIZE
            ):
                contacts += 1
                start = event.starts_at.isoformat() if event.starts_at else ""
                cells = (
                    event.name,
                    event.object_id,
                    start,
                    row.contact_id,
                    row.email,
                    row.firstname,
                    row.lastname,
                )
                writer.writerow([safe_cell(cell or "") for cell in cells])
            handle.flush()
            ctx.record_batch(batch, size=handle.tell(), contacts=contacts)
    with path.open("rb") as handle:
        ctx.attach_file("no-shows.csv", handle)
    path.unlink(missing_ok=True)
    return {"summary": _("%(n)s no-shows from %(events)s events.") % {"n": contacts, "events": len(events)}}
