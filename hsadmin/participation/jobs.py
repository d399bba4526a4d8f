"""Participation jobs: the import's preview and the import (see imports.py), the breakdown export, and the
reconciled counts."""

from __future__ import annotations

import contextlib
import csv
import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hsadmin.core.audit import audit_record
from hsadmin.core.exports import safe_cell
from hsadmin.core.models import Outcome
from hsadmin.events import services as event_services
from hsadmin.events.models import Event
from hsadmin.hubspot.gateway import Budget, open_event, open_portal
from hsadmin.hubspot_client import HubSpotError
from hsadmin.jobs.runner import (
    JobCancelled,
    JobContext,
    JobPaused,
    LeaseLost,
    portal_needs_reconnect,
    register_job_kind,
)
from hsadmin.participation import imports, reports, selectors
from hsadmin.participation.models import Import, ImportStatus


def _import(ctx: JobContext) -> Import:
    return Import.objects.select_related("event", "portal").get(pk=ctx.params["import"], portal=ctx.portal)


@register_job_kind(
    "participation.preview",
    label=gettext_lazy("Import preview"),
    unit=gettext_lazy("rows"),
    capability="record_participation",
)
def preview_import(ctx: JobContext) -> dict[str, Any]:
    imp = _import(ctx)
    try:
        if imp.report:  # a platform's own report (Zoom, Teams…): read as the platform lays it out
            return reports.preview_run(ctx, imp)
        return imports.preview_run(ctx, imp)
    except JobCancelled:  # the upload stays: the person may change the mapping and preview again
        Import.objects.filter(pk=imp.pk, status=ImportStatus.PREVIEWING).update(status=ImportStatus.UPLOADED)
        raise
    except (JobPaused, LeaseLost):  # the engine resumes it later, or another run carries on: still under way
        raise
    except Exception:
        if not portal_needs_reconnect(
            ctx.job
        ):  # else the engine pauses the job until the portal is reconnected
            Import.objects.filter(pk=imp.pk, status=ImportStatus.PREVIEWING).update(
                status=ImportStatus.FAILED
            )
        raise


@register_job_kind(
    "participation.import",
    label=gettext_lazy("Attendance import"),
    unit=gettext_lazy("rows"),
    capability="record_participation",
)
def run_import(ctx: JobContext) -> dict[str, Any]:
    imp = _import(ctx)
    result = imports.import_run(ctx, imp)
    with contextlib.suppress(HubSpotError):  # the mirror's activity counts, fresh after the import
        event_services.event_refresh(event=imp.event, budget=Budget.JOB)
    audit_record(
        action="participation.import",
        actor=ctx.actor,
        portal=imp.portal,
        target=f"{imp.original_name} → {imp.event.name} ({imp.event.object_id})",
        outcome=Outcome.SUCCESS if not ctx.job.failed else Outcome.FAILURE,
        detail={
            "import": imp.pk,
            "job": ctx.job.pk,
            "rows": ctx.job.done,
            "failed": ctx.job.failed,
            "left_out": ctx.job.skipped,  # on purpose (hosts, repeated rows…): not a failure
        },
    )
    return result


EXPORT_COLUMNS = (
    "contact_id",
    "email",
    "firstname",
    "lastname",
    "state",
    "occurred_at",
    "attendance_duration_seconds",
    "attendance_percentage",
)


def _cell(value: object) -> str:
    return str(safe_cell("" if value is None else str(value)))


@register_job_kind(
    "participation.export",
    label=gettext_lazy("Participation export"),
    unit=gettext_lazy("people"),
    capability="view_events",
    item_results=False,
)
def export_breakdown(ctx: JobContext) -> dict[str, Any]:
    """Every row of the event's breakdown (100 per call) to a CSV file.

    The file grows in the job's scratch space; after each page its length and HubSpot's cursor are the
    checkpoint, so a resumed export cuts off what was written after the last checkpoint and carries on from
    there, without reading the pages before again."""
    event = Event.objects.get(portal=ctx.portal, object_id=ctx.params["event"])
    hubspot = open_portal(ctx.portal, budget=Budget.JOB)
    part = ctx.scratch_path("export.csv")
    written = int(ctx.checkpoint.get("bytes", 0))
    resumed = bool(written) and part.exists() and part.stat().st_size >= written
    after: str | None = ctx.checkpoint.get("after") if resumed else None
    rows = int(ctx.checkpoint.get("rows", 0)) if resumed else 0
    with part.open("r+b" if resumed else "w+b") as raw:
        raw.truncate(written if resumed else 0)
        raw.seek(0, io.SEEK_END)
        # The byte-order mark (for spreadsheets) once, at the very start of the file.
        text = io.TextIOWrapper(raw, encoding="utf-8" if resumed else "utf-8-sig", newline="")
        writer = csv.writer(text)
        if not resumed:
            writer.writerow(EXPORT_COLUMNS)
        while True:
            ctx.check()
            page = selectors.breakdown_page(
                event=event,
                state=ctx.params.get("state") or "",
                contact=ctx.params.get("contact") or "",
                after=after,
                hubspot=hubspot,
            )
            if after is None and page.total is not None:
                ctx.set_total(page.total)
            for p in page.results:
                writer.writerow(
                    [
                        _cell(p.contact_id),
                        _cell(p.email),
                        _cell(p.firstname),
                        _cell(p.lastname),
                        _cell(p.state),
                        p.occurred_at.isoformat() if p.occurred_at else "",
                        p.attendance_duration_seconds if p.attendance_duration_seconds is not None else "",
                        _cell(p.attendance_percentage),
                    ]
                )
            rows += len(page.results)
            text.flush()
            after = page.next_after
            ctx.record_chunk(
                checkpoint={"after": after, "rows": rows, "bytes": raw.tell()}, done=len(page.results)
            )
            if not after or not page.results:
                break
        raw.seek(0)
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        ctx.attach_file(f"participation-{event.object_id}-{stamp}.csv", raw)
        text.detach()
    return {"summary": _("%(n)s people exported.") % {"n": f"{rows:,}"}}


@register_job_kind(
    "participation.counts",
    label=gettext_lazy("Participation counts"),
    unit=gettext_lazy("calls"),
    capability="view_events",
)
def reconcile_counts(ctx: JobContext) -> dict[str, Any]:
    """Six calls: the event (its activity counts), the counters, and the breakdown's total per state."""
    event = Event.objects.get(portal=ctx.portal, object_id=ctx.params["event"])
    hubspot = open_event(event, budget=Budget.JOB)
    ctx.set_total(6)
    event_services.event_refresh(event=event, budget=Budget.JOB)
    ctx.record_chunk(checkpoint={}, done=1)
    counters = hubspot.counters()
    ctx.record_chunk(checkpoint={}, done=1)
    breakdown: dict[str, int] = {}
    for state in selectors.BREAKDOWN_STATES:
        ctx.check()
        page = selectors.breakdown_page(event=event, state=state, hubspot=hubspot, limit=1)
        breakdown[state] = int(page.total if page.total is not None else len(page.results))
        ctx.record_chunk(checkpoint={}, done=1)
    return {
        "at": timezone.now().isoformat(),
        "activities": {
            "REGISTERED": event.registrants,
            "ATTENDED": event.attendees,
            "CANCELLED": event.cancellations,
            "NO_SHOW": event.no_shows,
        },
        "counters": {
            "REGISTERED": counters.registered,
            "ATTENDED": counters.attended,
            "CANCELLED": counters.cancelled,
            "NO_SHOW": counters.no_shows,
        },
        "breakdown": breakdown,
        "summary": _("Counted."),
    }
