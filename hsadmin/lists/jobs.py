"""List jobs: tie one list to many selected events, one HubSpot call per event, with a result per event."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hsadmin.core.audit import audit_record
from hsadmin.core.models import Outcome
from hsadmin.events.models import Event
from hsadmin.hubspot.gateway import Budget, open_portal
from hsadmin.hubspot.messages import describe
from hsadmin.hubspot_client import AuthError, HubSpotError
from hsadmin.jobs.runner import ItemResult, JobContext, register_job_kind
from hsadmin.lists.services import draft_refusal

CHUNK = 10  # events per confirmed chunk: a restart repeats at most this many (idempotent) PUTs


@register_job_kind(
    "lists.bulk_associate",
    label=gettext_lazy("Associate a list with events"),
    unit=gettext_lazy("events"),
    capability="change_lists",
)
def bulk_associate(ctx: JobContext) -> dict[str, Any]:
    """PUT the list onto each selected event (HubSpot has no batch association endpoint)."""
    list_id = str(ctx.params["list_id"])
    list_name = str(ctx.params.get("list_name") or list_id)
    events = list(
        Event.objects.filter(portal=ctx.portal, object_id__in=ctx.params["object_ids"]).order_by("object_id")
    )
    ctx.set_total(len(events))
    hubspot = open_portal(ctx.portal, budget=Budget.JOB)  # one client for every event; the job audits once
    for batch in ctx.batches(events, size=CHUNK):
        results = []
        for event in batch.items:
            ref = f"{event.name} ({event.object_id})"
            if event.is_draft:
                results.append(ItemResult(ref=ref, ok=False, message=draft_refusal()))
                continue
            try:
                hubspot.event(event).associate_list(list_id)
            except AuthError:
                raise  # the portal needs reconnecting: the engine pauses the job instead of failing every row
            except HubSpotError as error:
                results.append(ItemResult(ref=ref, ok=False, message=describe(error)))
            else:
                results.append(ItemResult(ref=ref, ok=True))
        ctx.record_batch(batch, items=results)
    ok = len(events) - ctx.job.failed
    audit_record(
        action="list.bulk_associate",
        actor=ctx.actor,
        portal=ctx.portal,
        target=_("%(list)s (%(id)s) ↔ %(n)s events") % {"list": list_name, "id": list_id, "n": len(events)},
        outcome=Outcome.SUCCESS if ctx.job.failed == 0 else Outcome.FAILURE,
        detail={"list_id": list_id, "failed": ctx.job.failed, "job": ctx.job.pk},
    )
    return {
        "summary": _("“%(list)s” is tied to %(ok)s of %(n)s events.")
        % {"list": list_name, "ok": ok, "n": len(events)}
    }
