"""Jobs: our own row per background run, with its progress, checkpoint, per-chunk log and per-item results.

Django's Tasks API (django-tasks-db) only carries the job's id to a worker; everything a person sees, and
everything a resumed run needs, lives here. The engine that writes these rows is `hsadmin.jobs.runner` (above `portals`).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hsadmin.core.jobkinds import get_job_kind, kind_label
from hsadmin.core.progress import eta_seconds, format_duration, format_rate, percent, throughput


class DataDirStorage(FileSystemStorage):
    """`DATA_DIR/job-files`, read when used (not at import), so it follows the settings in force."""

    @property
    def base_location(self) -> str:
        return str(Path(settings.DATA_DIR) / "job-files")

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def job_file_storage() -> Storage:
    """Where job result files (exports) are kept.

    A `job_files` entry in STORAGES wins (e.g. S3 when several machines run workers); otherwise a folder in
    the data directory, never MEDIA_ROOT (unset here) or anywhere the web server serves directly.
    """
    if "job_files" in settings.STORAGES:
        return storages["job_files"]
    return DataDirStorage()


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", pgettext_lazy("job state", "Cancelled")


ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING, JobState.PAUSED)
ENDED_STATES = (JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED)


class PauseReason(models.TextChoices):
    PORTAL = "portal", _("The portal needs reconnecting")
    OTHER = "other", _("Paused")


class Job(models.Model):
    """One run of a job kind (`events.sync`, `participation.import`, …) for one portal."""

    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    portal = models.ForeignKey(
        "portals.Portal", null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whom the job acts for now: who started it, or who retried it last (the audit log names this person).
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("runs for"),
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)

    state = models.CharField(_("state"), max_length=10, choices=JobState, default=JobState.QUEUED)
    pause_reason = models.CharField(_("pause reason"), max_length=10, choices=PauseReason, blank=True)
    message = models.TextField(
        _("message"), blank=True
    )  # why it failed or paused, in words a person can act on
    error_detail = models.TextField(_("error detail"), blank=True)  # the traceback, for admins only

    total = models.PositiveIntegerField(_("total"), null=True, blank=True)  # unknown until the handler says
    done = models.PositiveIntegerField(_("done"), default=0)  # items processed, failed ones included
    failed = models.PositiveIntegerField(_("failed"), default=0)
    # Items left out on purpose (a webinar's hosts, a repeated row): done, neither sent nor failed.
    skipped = models.PositiveIntegerField(_("left out"), default=0)
    chunks = models.PositiveIntegerField(_("confirmed chunks"), default=0)
    checkpoint = models.JSONField(_("checkpoint"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    file = models.FileField(_("file"), storage=job_file_storage, upload_to="jobs/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    progress_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    # Throughput is measured over the current run only: a resumed job does not count work done before it.
    run_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    run_started_done = models.PositiveIntegerField(default=0, editable=False)

    attempts = models.PositiveSmallIntegerField(_("runs"), default=0)
    lease = models.CharField(max_length=32, blank=True, editable=False)  # the token of the run that owns it
    worker = models.CharField(_("worker"), max_length=200, blank=True)  # host:pid of that run
    task_id = models.CharField(_("task ID"), max_length=64, blank=True)
    cancel_requested_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "heartbeat_at"], name="job_state_heartbeat"),
            models.Index(fields=["portal", "-created_at"], name="job_portal_recent"),
            models.Index(fields=["started_by", "-created_at"], name="job_starter_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"

    # What the pages show. All computed from this row alone, so the progress poll needs no other query.

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def is_ended(self) -> bool:
        return self.state in ENDED_STATES

    @property
    def succeeded(self) -> int:
        return self.done - self.failed - self.skipped

    @property
    def remaining(self) -> int | None:
        return None if self.total is None else max(self.total - self.done, 0)

    @property
    def percent(self) -> int | None:
        if self.state == JobState.SUCCEEDED and not self.total:
            return 100
        return percent(self.done, self.total)

    @property
    def throughput(self) -> float | None:
        """Items per second: this run's progress over this run's time so far (or the whole job's, once it ended).

        The time runs to now, not to the last progress: a job waiting for HubSpot's rate-limit window (or for a
        HubSpot that does not answer) slows down in the figures while it waits, so its ETA grows instead of
        promising the speed it had before the wait."""
        if self.is_ended:
            if self.started_at and self.finished_at:
                return throughput(self.done, (self.finished_at - self.started_at).total_seconds())
            return None
        if self.run_started_at is None or self.progress_at is None:
            return None
        # A paused or queued job is not waiting on HubSpot: its rate stays what it was when it last moved.
        until = max(self.progress_at, timezone.now()) if self.state == JobState.RUNNING else self.progress_at
        return throughput(self.done - self.run_started_done, (until - self.run_started_at).total_seconds())

    @property
    def eta_seconds(self) -> float | None:
        if self.state != JobState.RUNNING:
            return None
        return eta_seconds(self.remaining, self.throughput)

    @property
    def elapsed_seconds(self) -> float | None:
        if self.started_at is None:
            return None
        end = self.finished_at or timezone.now()
        return max((end - self.started_at).total_seconds(), 0.0)

    @property
    def kind_label(self) -> str:
        return str(kind_label(self.kind))

    @property
    def unit(self) -> str:
        kind = get_job_kind(self.kind)
        return str(kind.unit if kind else _("items"))

    @property
    def records_items(self) -> bool:
        """Whether this kind of job records per-item results (an export only makes a file)."""
        kind = get_job_kind(self.kind)
        return kind.item_results if kind else True

    @property
    def throughput_display(self) -> str:
        return format_rate(self.throughput)

    @property
    def eta_display(self) -> str:
        return format_duration(self.eta_seconds)

    @property
    def elapsed_display(self) -> str:
        return format_duration(self.elapsed_seconds)

    @property
    def state_label(self) -> str:
        """The state in words; a job that finished with some items not done is its own state, not a failure."""
        if self.state == JobState.SUCCEEDED and self.failed:
            return str(_("Partly done")) if self.failed < self.done - self.skipped else str(_("Nothing done"))
        return str(self.get_state_display())

    @property
    def state_badge(self) -> str:
        if self.state == JobState.SUCCEEDED:
            return "badge-warning" if self.failed else "badge-success"
        return {
            JobState.RUNNING: "badge-info",
            JobState.PAUSED: "badge-warning",
            JobState.FAILED: "badge-danger",
        }.get(JobState(self.state), "")

    def is_stale(self, *, now: dt.datetime, after: dt.timedelta) -> bool:
        return self.state == JobState.RUNNING and (
            self.heartbeat_at is None or self.heartbeat_at < now - after
        )


class JobChunk(models.Model):
    """A confirmed chunk: its outcome was recorded, with the checkpoint after it, in one transaction.

    (job, seq) is unique, so a chunk can never be confirmed twice; a resumed run starts after the last one.
    """

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="chunk_log")
    seq = models.PositiveIntegerField(_("chunk"))
    checkpoint = models.JSONField(_("checkpoint after"), default=dict, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    attempt = models.PositiveSmallIntegerField(_("run"), default=1)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["job", "seq"]
        constraints = [models.UniqueConstraint(fields=["job", "seq"], name="job_chunk_once")]

    def __str__(self) -> str:
        return f"job {self.job_id} chunk {self.seq}"


class JobItem(models.Model):
    """One item's outcome: a CSV row, an event of a bulk edit. `data` keeps what a retry or a CSV needs."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="items")
    chunk_seq = models.PositiveIntegerField(_("chunk"))
    ref = models.CharField(_("item"), max_length=200)  # what a person recognises: "row 12", an event name
    ok = models.BooleanField(_("succeeded"))
    # Left out on purpose (not ok, yet not a failure): a webinar's host, a row repeating another.
    skipped = models.BooleanField(_("left out"), default=False)
    message = models.TextField(_("message"), blank=True)
    data: models.JSONField[Any] = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        ordering = ["job", "id"]
        indexes = [models.Index(fields=["job", "ok", "id"], name="job_item_outcome")]

    def __str__(self) -> str:
        return f"{self.ref}: {'ok' if self.ok else self.message}"

    @property
    def failed(self) -> bool:
        return not self.ok and not self.skipped
