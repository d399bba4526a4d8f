"""The job engine: a registry of job kinds, and the context a kind's handler works through.

A feature registers a handler for a kind (usually in its app's `tasks.py`, found automatically):

    @register_job_kind("participation.import", label=_("Attendance import"), unit=_("rows"),
                       capability="record_participation")
    def import_attendance(ctx: JobContext) -> dict | None:
        rows = read_rows(ctx.params["upload"])            # an iterator: flat memory
        ctx.set_total(ctx.params["row_count"])
        for batch in ctx.batches(rows, size=100):         # skips batches confirmed before a restart
            outcomes = send(batch.items)                  # one HubSpot call
            ctx.record_batch(batch, items=[ItemResult(...), ...])   # confirmed before the next is sent
        return {"summary": "…"}                           # optional: kept as the job's result

Cursor-paged work (a sync) records its own checkpoint instead of using `batches()`:

    after = ctx.checkpoint.get("after")
    while True:
        ctx.check()                                       # heartbeat; stops on cancel or a portal to reconnect
        page = client.list_events(after=after)
        ctx.record_chunk(checkpoint={"after": page.next_after}, done=len(page.results))
        if not page.next_after:
            break
        after = page.next_after

A view starts a job with `services.job_start(kind=…, portal=…, user=…, params={…})`; an export writes into
`ctx.scratch_path(name)` (kept across restarts) and calls `ctx.attach_file(name, content)` at the end; a page shows it with `{% include "components/job_progress.html" with job=job
link=True %}`. If the handler raises while the portal is marked as needing reconnecting, the job pauses (not
fails); the watchdog resumes it once the portal is connected again.

The engine guarantees what design §5 asks: each chunk's outcome and the checkpoint after it are recorded in one
transaction, under the lease of the run that owns the job, so a killed run's confirmed chunks are never
repeated, and a run that lost its lease (the watchdog gave the job to another worker) cannot record anything.
"""

from __future__ import annotations

import itertools
import logging
import os
import shutil
import socket
import traceback
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from hsadmin.core.jobkinds import (
    ITEMS,
    Handler,
    JobKind,
    get_job_kind,
    job_kinds,
    kind_label,
    register_job_kind,
)
from hsadmin.core.models import ENDED_STATES, Job, JobChunk, JobItem, JobState, PauseReason
from hsadmin.jobs.selectors import job_visible
from hsadmin.portals.models import Portal, PortalStatus

__all__ = [
    "ITEMS",
    "Batch",
    "Handler",
    "ItemResult",
    "JobContext",
    "JobKind",
    "get_job_kind",
    "job_kinds",
    "kind_label",
    "register_job_kind",
    "run_job",
]

logger = logging.getLogger(__name__)


# What a handler reports ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemResult:
    """One item's outcome. `data` is kept (JSON) for the failed-items CSV, e.g. the original CSV row.

    `skipped` marks an item left out on purpose (a webinar's host, a row repeating another): not ok, since
    nothing was done with it, yet not a failure either; `message` says why it was left out."""

    ref: str
    ok: bool
    message: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    skipped: bool = False

    @property
    def failed(self) -> bool:
        return not self.ok and not self.skipped


@dataclass(frozen=True)
class Batch:
    """A slice of the handler's input: items [start, end) of the whole sequence."""

    start: int
    items: list[Any]

    @property
    def end(self) -> int:
        return self.start + len(self.items)


class JobStop(Exception):
    """Raised inside a handler to stop the run; the engine records why."""


class JobCancelled(JobStop):
    pass


class JobPaused(JobStop):
    def __init__(self, message: str = "", reason: str = PauseReason.OTHER) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


class LeaseLost(JobStop):
    """Another run owns this job now (the watchdog thought this one dead): stop without writing anything."""


def portal_pause_message() -> str:
    return str(
        _(
            "Paused: the portal needs reconnecting. A portal admin can reconnect it on the Portals page; "
            "the job then carries on from where it stopped."
        )
    )


# The context ---------------------------------------------------------------------------------------------


class JobContext:
    """What a handler gets: its parameters and checkpoint, and the only ways to report progress."""

    def __init__(self, job: Job, *, lease: str) -> None:
        self.job = job
        self.lease = lease
        self.checkpoint: dict[str, Any] = dict(job.checkpoint or {})

    @property
    def params(self) -> dict[str, Any]:
        params: dict[str, Any] = self.job.params
        return params

    @property
    def portal(self) -> Any:
        return self.job.portal

    @property
    def actor(self) -> Any:
        """The person the job acts for (the audit log's "who"): who retried it last, else who started it."""
        return self.job.run_by or self.job.started_by

    def _owned(self) -> Any:
        return Job.objects.filter(pk=self.job.pk, lease=self.lease, state=JobState.RUNNING)

    def heartbeat(self) -> None:
        """Say this run is alive. Handlers waiting a long time (rate limits) call it; `check()` does it too."""
        if not self._owned().update(heartbeat_at=timezone.now()):
            raise LeaseLost

    def check(self) -> None:
        """Heartbeat, then stop if the job was cancelled or its portal needs reconnecting."""
        self.heartbeat()
        row = Job.objects.filter(pk=self.job.pk).values("cancel_requested_at", "portal__status").get()
        if row["cancel_requested_at"] is not None:
            raise JobCancelled
        if row["portal__status"] == "needs_reconnect":
            raise JobPaused(portal_pause_message(), PauseReason.PORTAL)

    def set_total(self, total: int) -> None:
        if not self._owned().update(total=total, heartbeat_at=timezone.now()):
            raise LeaseLost
        self.job.total = total

    def record_chunk(
        self,
        *,
        checkpoint: dict[str, Any],
        done: int | None = None,
        failed: int | None = None,
        items: Sequence[ItemResult] = (),
    ) -> None:
        """Confirm one chunk: its item outcomes, counts and the checkpoint after it, in one transaction.

        `done` defaults to the number of items, `failed` to the number of failed items (items left out on
        purpose are counted apart, as `skipped`). Call it after the chunk's HubSpot call answered and before the
        next call is sent.
        """
        done = len(items) if done is None else done
        failed = sum(1 for item in items if item.failed) if failed is None else failed
        skipped = sum(1 for item in items if item.skipped)
        now = timezone.now()
        with transaction.atomic():
            updated = self._owned().update(
                done=F("done") + done,
                failed=F("failed") + failed,
                skipped=F("skipped") + skipped,
                chunks=F("chunks") + 1,
                checkpoint=checkpoint,
                heartbeat_at=now,
                progress_at=now,
            )
            if not updated:
                raise LeaseLost
            seq = Job.objects.filter(pk=self.job.pk).values_list("chunks", flat=True).get()
            JobChunk.objects.create(
                job_id=self.job.pk,
                seq=seq,
                checkpoint=checkpoint,
                done=done,
                failed=failed,
                attempt=self.job.attempts,
            )
            if items:
                JobItem.objects.bulk_create(
                    JobItem(
                        job_id=self.job.pk,
                        chunk_seq=seq,
                        ref=item.ref[:200],
                        ok=item.ok,
                        skipped=item.skipped,
                        message=item.message,
                        # Only items not done are offered back (the failed and left-out rows' CSVs). Kept as
                        # [name, value] pairs: PostgreSQL's jsonb does not keep a mapping's key order, and the
                        # CSV's columns must.
                        data=[[name, value] for name, value in item.data.items()] if not item.ok else [],
                    )
                    for item in items
                )
        self.checkpoint = dict(checkpoint)
        self.job.done += done
        self.job.failed += failed
        self.job.skipped += skipped
        self.job.chunks = seq

    def batches(self, items: Iterable[Any], *, size: int) -> Iterator[Batch]:
        """Cut an iterable into batches, skipping the items confirmed before (checkpoint `position`).

        It checks for cancel and pause before handing out each batch. Pair it with `record_batch`.
        """
        iterator = iter(items)
        position = int(self.checkpoint.get("position", 0))
        if position:
            next(itertools.islice(iterator, position, position), None)  # skip without holding them
        while True:
            chunk = list(itertools.islice(iterator, size))
            if not chunk:
                return
            self.check()
            yield Batch(start=position, items=chunk)
            position += len(chunk)

    def record_batch(
        self, batch: Batch, *, items: Sequence[ItemResult] = (), failed: int | None = None, **extra: Any
    ) -> None:
        """`record_chunk` for a batch from `batches()`: done is the batch's size, the checkpoint its end."""
        self.record_chunk(
            checkpoint={**self.checkpoint, **extra, "position": batch.end},
            done=len(batch.items),
            failed=failed,
            items=items,
        )

    def scratch_path(self, name: str) -> Path:
        """A working file of this job's own (a half-written export) that outlives a worker restart, so a resumed
        run carries on with it. Deleted when the job succeeds or is cancelled, or with the job when pruned."""
        folder = job_scratch_dir(self.job.pk)
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name

    def attach_file(self, name: str, content: bytes | str | IO[Any] | File[Any]) -> None:
        """Keep a file as the job's result (an export); people download it from the job's page."""
        if isinstance(content, str):
            content = content.encode()
        django_file = (
            ContentFile(content, name=name) if isinstance(content, bytes) else File(content, name=name)
        )
        job = Job.objects.get(pk=self.job.pk)
        if job.lease != self.lease:
            raise LeaseLost
        if job.file:
            job.file.delete(save=False)
        job.file.save(name, django_file, save=False)
        if not self._owned().update(file=job.file.name, file_name=name[:200]):
            job.file.delete(save=False)
            raise LeaseLost
        self.job.file = job.file
        self.job.file_name = name

    def pause(self, message: str = "", *, portal: bool = False) -> None:
        raise JobPaused(message, PauseReason.PORTAL if portal else PauseReason.OTHER)


# Running a job -------------------------------------------------------------------------------------------


def job_scratch_dir(job_id: int) -> Path:
    return Path(settings.DATA_DIR) / "job-scratch" / str(job_id)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(job_id: int, *, task_id: str = "") -> tuple[Job, str] | None:
    """Take a queued job for this run (a conditional UPDATE, so two workers can never both take it)."""
    lease = get_random_string(32)
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED, cancel_requested_at__isnull=True).update(
        state=JobState.RUNNING,
        lease=lease,
        worker=worker_name(),
        task_id=task_id or F("task_id"),
        attempts=F("attempts") + 1,
        started_at=Coalesce(F("started_at"), now),
        heartbeat_at=now,
        run_started_at=now,
        run_started_done=F("done"),
        progress_at=None,
        pause_reason="",
        message="",
    )
    if not claimed:
        return None
    return Job.objects.select_related("portal", "run_by", "started_by").get(pk=job_id), lease


def _end(job: Job, lease: str, state: JobState, **fields: Any) -> bool:
    now = timezone.now()
    if state in ENDED_STATES:
        fields.setdefault("finished_at", now)
    return bool(
        Job.objects.filter(pk=job.pk, lease=lease, state=JobState.RUNNING).update(
            state=state, lease="", heartbeat_at=now, **fields
        )
    )


def portal_needs_reconnect(job: Job) -> bool:
    """Whether the job's portal waits for a reconnect: a run that stops on an error then pauses, not fails."""
    if job.portal_id is None:
        return False
    return Portal.objects.filter(pk=job.portal_id, status=PortalStatus.NEEDS_RECONNECT).exists()


def actor_lost_access(job: Job) -> bool:
    """A job acts for a person only while they may still do its kind on its portal: a job resumed after a
    restart, a reconnect or the watchdog is checked again, as a retry is (jobs the system started are not)."""
    actor = job.run_by or job.started_by
    if actor is None:
        return False
    return not actor.is_active or not job_visible(user=actor).filter(pk=job.pk).exists()


def run_job(job_id: int, *, task_id: str = "") -> JobState | None:
    """Run (or resume) one job to its end, a pause or a cancel. Returns the state it left, None if not taken."""
    taken = claim(job_id, task_id=task_id)
    if taken is None:
        logger.info("Job %s was not queued (already taken, cancelled or ended); nothing to do", job_id)
        return None
    job, lease = taken
    kind = get_job_kind(job.kind)
    if kind is None:
        _end(
            job,
            lease,
            JobState.FAILED,
            message=str(_("This kind of job is not known to this version of hsadmin.")),
        )
        return JobState.FAILED
    if actor_lost_access(job):
        _end(
            job,
            lease,
            JobState.FAILED,
            message=str(
                _(
                    "%(person)s may no longer do this on this portal, so the job stopped. Someone who may "
                    "can retry it; it then runs for them."
                )
            )
            % {"person": job.run_by or job.started_by},
        )
        return JobState.FAILED
    ctx = JobContext(job, lease=lease)
    logger.info(
        "Job %s (%s) run %s starts at %s", job.pk, job.kind, job.attempts, ctx.checkpoint or "the start"
    )
    try:
        ctx.check()
        result = kind.handler(ctx)
    except LeaseLost:
        logger.warning("Job %s: another run owns it now; this run stops", job.pk)
        return None
    except JobCancelled:
        _end(job, lease, JobState.CANCELLED, message=str(_("Cancelled.")))
        shutil.rmtree(job_scratch_dir(job.pk), ignore_errors=True)
        return JobState.CANCELLED
    except JobPaused as paused:
        _end(job, lease, JobState.PAUSED, pause_reason=paused.reason, message=paused.message)
        return JobState.PAUSED
    except Exception as exc:
        if portal_needs_reconnect(job):
            # The portal's tokens were refused: pause the whole job instead of failing it row by row.
            _end(job, lease, JobState.PAUSED, pause_reason=PauseReason.PORTAL, message=portal_pause_message())
            return JobState.PAUSED
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _end(
            job,
            lease,
            JobState.FAILED,
            message=str(_("The job stopped on an error: %(error)s"))
            % {"error": f"{type(exc).__name__}: {exc}"[:500]},
            error_detail="".join(traceback.format_exception(exc))[-20000:],
        )
        return JobState.FAILED
    _end(job, lease, JobState.SUCCEEDED, result=result or {})
    shutil.rmtree(job_scratch_dir(job.pk), ignore_errors=True)  # a failed job keeps it, for its retry
    logger.info("Job %s (%s) finished", job.pk, job.kind)
    return JobState.SUCCEEDED
