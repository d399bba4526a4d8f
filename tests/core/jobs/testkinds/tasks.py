"""A job kind for the tests: counts 0..n-1 in batches, like an import sending one batch per HubSpot call.

It lives in a tiny app (`tests.core.jobs.testkinds`) so a real `db_worker` subprocess finds it the way it
finds a feature's kinds: by autodiscovering `tasks` modules of the installed apps (see worker_settings.py).

Parameters: n, size; `log` (a file each "sent" batch start is appended to, before its outcome is recorded);
`delay` (seconds per batch); `fail_every` (every k-th number fails); `die_at` (a batch start at which the run
dies after sending, before recording, on its first run); `reconnect_at` (a batch start at which HubSpot
refuses the portal's tokens); `crash_at` (a batch start that raises an error on the first run);
`cancel_at` (someone cancels the job while this batch is sent).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from hsadmin.jobs.runner import ItemResult, JobContext, register_job_kind


class SimulatedDeath(BaseException):
    """Stands in for SIGKILL in-process: not an Exception, so the engine cannot record anything."""


@register_job_kind("tests.count", label="Counting", unit="numbers", capability="change_events")
def count(ctx: JobContext) -> dict[str, Any]:
    p = ctx.params
    n, size = int(p["n"]), int(p["size"])
    ctx.set_total(n)
    for batch in ctx.batches(range(n), size=size):
        if p.get("log"):
            with Path(p["log"]).open("a") as log:
                log.write(f"{batch.start}\n")
        if p.get("delay"):
            time.sleep(float(p["delay"]))
        first_run = ctx.job.attempts == 1
        if p.get("die_at") == batch.start and first_run:
            raise SimulatedDeath
        if p.get("crash_at") == batch.start and first_run:
            raise RuntimeError("HubSpot answered 500 three times")
        if p.get("reconnect_at") == batch.start and first_run:
            from hsadmin.portals.models import Portal, PortalStatus

            Portal.objects.filter(pk=ctx.job.portal_id).update(status=PortalStatus.NEEDS_RECONNECT)
            raise RuntimeError("401 EXPIRED_AUTHENTICATION and the refresh token was refused")
        if p.get("cancel_at") == batch.start:
            from hsadmin.jobs.services import job_cancel

            job_cancel(job=ctx.job, user=ctx.job.started_by)
        every = int(p.get("fail_every") or 0)
        ctx.record_batch(
            batch,
            items=[
                ItemResult(
                    ref=f"number {i}",
                    ok=not (every and i % every == 0),
                    message="" if not (every and i % every == 0) else f"{i} is not welcome",
                    data={"number": i, "email": f"n{i}@example.com"},
                )
                for i in batch.items
            ],
        )
    if p.get("file"):
        ctx.attach_file("numbers.csv", "number\n" + "".join(f"{i}\n" for i in range(n)))
    return {"summary": f"Counted {n} numbers."}
