"""The watchdog: gives a dead worker's jobs to a live one, and resumes jobs whose portal came back.

A worker killed mid-job leaves its job RUNNING (and django-tasks-db's task row RUNNING too: it never re-runs
it). A job is taken as dead when its heartbeat is older than JOBS_HEARTBEAT_TIMEOUT seconds (default 90), or
at once when its worker ran on this machine and that process is gone. Requeueing is a conditional UPDATE on
the dead run's lease, so any number of watchdogs can run side by side: one of them wins each job.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from hsadmin.core.models import Job, JobState, PauseReason
from hsadmin.jobs.services import job_requeue, jobs_resume_for_portal
from hsadmin.portals.models import Portal

logger = logging.getLogger(__name__)


def heartbeat_timeout() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "JOBS_HEARTBEAT_TIMEOUT", 90))


@dataclass
class SweepReport:
    requeued: list[int] = field(default_factory=list)
    resumed: int = 0


def _process_gone(worker: str) -> bool:
    """True only when the worker ran on this host and its process no longer exists."""
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _fail_lost_task(task_id: str) -> None:
    """Mark the dead run's django-tasks-db row failed, so it does not show as running for ever."""
    if not task_id or not apps.is_installed("django_tasks_db"):
        return
    from django_tasks_db.models import DBTaskResult

    try:
        DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
            status="FAILED",
            finished_at=timezone.now(),
            exception_class_path="hsadmin.jobs.watchdog.WorkerLost",
            traceback="The worker running this task stopped; hsadmin's watchdog requeued the job.",
        )
    except Exception:  # a task id from another backend is not a UUID: nothing to tidy
        logger.debug("No django-tasks-db row for task %s", task_id)


def sweep(*, now: dt.datetime | None = None) -> SweepReport:
    now = now or timezone.now()
    report = SweepReport()
    cutoff = now - heartbeat_timeout()
    for job in Job.objects.filter(state=JobState.RUNNING).only(
        "pk", "lease", "worker", "heartbeat_at", "task_id"
    ):
        stale = job.heartbeat_at is None or job.heartbeat_at < cutoff
        if not (stale or _process_gone(job.worker)):
            continue
        old_task = job.task_id
        if job_requeue(job=job, from_states=(JobState.RUNNING,), lease=job.lease):
            _fail_lost_task(old_task)
            logger.warning(
                "Job %s: its worker %s stopped; requeued to resume from its checkpoint", job.pk, job.worker
            )
            report.requeued.append(job.pk)
    portals = (
        Job.objects.filter(state=JobState.PAUSED, pause_reason=PauseReason.PORTAL, portal__status="connected")
        .values_list("portal", flat=True)
        .distinct()
    )
    for portal in Portal.objects.filter(pk__in=list(portals)):
        report.resumed += jobs_resume_for_portal(portal=portal)
    return report


def run_forever(*, interval: float) -> None:
    logger.info("Jobs watchdog: checking every %s s (heartbeat timeout %s)", interval, heartbeat_timeout())
    while True:
        close_old_connections()
        try:
            sweep()
        except Exception:
            logger.exception("Jobs watchdog sweep failed; trying again")
        time.sleep(interval)
