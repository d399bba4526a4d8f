"""Writes about jobs: start, cancel, retry, requeue. Every state change is a conditional UPDATE, so web
processes, workers and watchdogs can act on the same job at once and exactly one of them wins."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from hsadmin.core.models import ENDED_STATES, Job, JobState, PauseReason, User
from hsadmin.jobs.runner import get_job_kind, job_scratch_dir
from hsadmin.jobs.selectors import job_visible
from hsadmin.portals.selectors import can

logger = logging.getLogger(__name__)


class JobError(Exception):
    """A request about a job that cannot be done now; the message is for the person."""


def _enqueue(job: Job) -> None:
    from hsadmin.jobs.tasks import run_job

    result = run_job.enqueue(job.pk)
    # A worker may already have claimed it (and the immediate backend has even run it): only fill a blank.
    Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id))


def job_may_manage(*, user: User, job: Job) -> bool:
    """May this person cancel or retry the job (and see it)? The same rule as every job view
    (`selectors.job_access_rule`): their current role on the job's portal, never having started it alone."""
    return job_visible(user=user).filter(pk=job.pk).exists()


def job_start(
    *,
    kind: str,
    portal: Any = None,
    user: User | None = None,
    params: dict[str, Any] | None = None,
    total: int | None = None,
) -> Job:
    """Create the job's row and queue it. `params` must be JSON; the handler reads them as `ctx.params`."""
    job_kind = get_job_kind(kind)
    if job_kind is None:
        raise ValueError(f"Unknown job kind {kind!r}; register it with register_job_kind()")
    if (
        user is not None
        and portal is not None
        and job_kind.capability
        and not user.is_superuser
        and not can(user=user, portal=portal, capability=job_kind.capability)
    ):
        raise PermissionDenied
    job = Job.objects.create(
        kind=kind, portal=portal, started_by=user, run_by=user, params=params or {}, total=total
    )
    _enqueue(job)
    job.refresh_from_db()
    return job


def job_cancel(*, job: Job, user: User) -> Job:
    """Cancel a job: at once when it waits (queued, paused), else at the running handler's next check."""
    if not job_may_manage(user=user, job=job):
        raise PermissionDenied
    now = timezone.now()
    for _attempt in range(3):
        if Job.objects.filter(pk=job.pk, state__in=[JobState.QUEUED, JobState.PAUSED]).update(
            state=JobState.CANCELLED,
            cancel_requested_at=now,
            cancelled_by=user,
            finished_at=now,
            message=_("Cancelled."),
        ):
            break
        if Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
            cancel_requested_at=now, cancelled_by=user
        ):
            break
        job.refresh_from_db()
        if job.is_ended:
            raise JobError(_("This job has already ended."))
    job.refresh_from_db()
    return job


def job_retry(*, job: Job, user: User) -> Job:
    """Run a failed job again from its last checkpoint: confirmed chunks are not repeated."""
    if not job_may_manage(user=user, job=job):
        raise PermissionDenied
    if not job_requeue(job=job, from_states=(JobState.FAILED,), run_by=user):
        raise JobError(_("Only a failed job can be retried."))
    job.refresh_from_db()
    return job


def job_requeue(
    *, job: Job, from_states: tuple[str, ...], lease: str | None = None, run_by: User | None = None
) -> bool:
    """Put the job back in the queue (from `from_states`, and only if `lease` still holds) and enqueue a task.

    The watchdog uses it for a dead worker's job (RUNNING, its lease), resume for paused jobs, retry for
    failed ones (`run_by`: the job acts for the person who retried it from now on). Returns whether this
    caller won the job.
    """
    rows = Job.objects.filter(pk=job.pk, state__in=from_states)
    if lease is not None:
        rows = rows.filter(lease=lease)
    # Someone asked to cancel it before its run died: it ends here rather than running again.
    rows.filter(cancel_requested_at__isnull=False).update(
        state=JobState.CANCELLED, lease="", finished_at=timezone.now(), message=_("Cancelled.")
    )
    won = rows.filter(cancel_requested_at__isnull=True).update(
        state=JobState.QUEUED,
        lease="",
        worker="",
        task_id="",
        queued_at=timezone.now(),
        finished_at=None,
        pause_reason="",
        message="",
        error_detail="",
        **({"run_by": run_by} if run_by is not None else {}),
    )
    if won:
        _enqueue(job)
    return bool(won)


def jobs_resume_for_portal(*, portal: Any) -> int:
    """After a portal is reconnected: requeue its jobs that paused for it. Returns how many."""
    resumed = 0
    paused = Job.objects.filter(portal=portal, state=JobState.PAUSED, pause_reason=PauseReason.PORTAL)
    for job in paused.filter(portal__status="connected"):
        resumed += job_requeue(job=job, from_states=(JobState.PAUSED,))
    return resumed


def jobs_prune(*, older_than: dt.timedelta) -> int:
    """Delete ended jobs (their chunks, items and files) that finished longer ago than `older_than`."""
    old = Job.objects.filter(state__in=ENDED_STATES, finished_at__lt=timezone.now() - older_than)
    deleted = 0
    for job in old.only("pk", "file").iterator(chunk_size=200):
        if job.file:
            job.file.delete(save=False)
        shutil.rmtree(job_scratch_dir(job.pk), ignore_errors=True)
        job.delete()
        deleted += 1
    return deleted
