"""The draft adoption job: after HubSpot fetched a draft's details, find the event it created and mirror it."""

from __future__ import annotations

import time
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hsadmin.appsettings.drafts import draft_adopt
from hsadmin.core.audit import audit_record
from hsadmin.events.models import Event
from hsadmin.hubspot.gateway import Budget, open_portal
from hsadmin.hubspot_client import NotFoundError
from hsadmin.jobs.runner import JobContext, register_job_kind

# HubSpot creates the event after our answer reaches it: look at once, then a few more times.
WAITS = (0, 2, 5, 10, 20, 30, 60)


def _wait(ctx: JobContext, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ctx.check()
        time.sleep(min(1.0, max(end - time.monotonic(), 0)))


@register_job_kind(
    "drafts.adopt",
    label=gettext_lazy("Draft created by HubSpot"),
    unit=gettext_lazy("events"),
    capability="change_events",
)
def adopt_draft(ctx: JobContext) -> dict[str, Any]:
    event = Event.objects.filter(portal=ctx.portal, pk=ctx.params["event_id"]).first()
    if event is None or not event.is_draft:
        ctx.record_chunk(checkpoint={"done": True}, done=1)
        return {"summary": _("The draft was already published or deleted.")}
    client = open_portal(ctx.portal, budget=Budget.JOB).client
    for seconds in WAITS:
        _wait(ctx, seconds)
        try:
            remote = client.get_event_by_external_id(event.external_account_id, event.external_event_id)
        except NotFoundError:
            continue
        adopted = draft_adopt(event=event, remote=remote)
        audit_record(
            action="event.draft_adopted",
            portal=ctx.portal,
            target=f"{adopted.name} ({adopted.object_id})",
            detail={"external_event_id": adopted.external_event_id},
        )
        ctx.record_chunk(checkpoint={"done": True}, done=1)
        return {"summary": _("HubSpot created “%(name)s” from the draft.") % {"name": adopted.name}}
    ctx.record_chunk(checkpoint={"done": True}, done=1, failed=1)
    return {
        "summary": _("HubSpot has not created the event yet; it stays a draft until it does or is published.")
    }
