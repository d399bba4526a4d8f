"""A CSV import of participation: the uploaded file, how its columns map, and what the preview found.

The rows themselves never live in the database: the file is streamed from disk, and the preview job writes the
validated, classified rows to files beside it (see `imports.py`), which the import job streams in turn.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hsadmin.events.models import Event
from hsadmin.portals.models import Portal


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Columns to map")
    PREVIEWING = "previewing", _("Checking rows")
    PREVIEWED = "previewed", _("Ready to import")
    REFUSED = "refused", _("Refused")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Stopped")


def uploads_dir() -> Path:
    return Path(settings.DATA_DIR) / "uploads"


class Import(models.Model):
    """One uploaded CSV for one event, from upload through preview to the import job."""

    portal = models.ForeignKey(Portal, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus, default=ImportStatus.UPLOADED)
    message = models.TextField(_("message"), blank=True)

    # The file: kept under DATA_DIR/uploads/<pk>/ until its import ends.
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(max_length=64, db_index=True)
    encoding = models.CharField(max_length=20, default="utf-8")
    delimiter = models.CharField(max_length=1, default=",")
    header = models.JSONField(default=list)
    sample = models.JSONField(default=list)  # the first rows as read, for the mapping screen

    # How to read it: one role per column (see csvio.ROLES), and what rows that lack a value get.
    mapping = models.JSONField(default=list)
    default_state = models.CharField(max_length=10, blank=True)
    default_interaction_at = models.DateTimeField(_("interaction time for rows without one"))
    time_zone = models.CharField(max_length=64, default="UTC")
    never_create = models.BooleanField(_("never create contacts"), default=False)

    # A platform's own report, when the upload is one (see participation/reports.py): what it is, what the preview
    # understood of it, the addresses it flagged and the corrections the person accepted. Empty for a plain CSV.
    report = models.JSONField(default=dict, blank=True)

    # What the preview found.
    counts = models.JSONField(default=dict, blank=True)
    preview = models.JSONField(default=dict, blank=True)  # a few rows of each class
    preview_job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    import_job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} → {self.event}"

    @property
    def folder(self) -> Path:
        return uploads_dir() / str(self.pk)

    @property
    def path(self) -> Path:
        return self.folder / "upload.csv"

    @property
    def active_job(self) -> Any:
        return self.import_job if self.import_job_id else self.preview_job

    @property
    def status_label(self) -> str:
        """The status in words; an import with some rows not recorded is partly imported, not failed."""
        job = self.import_job if self.import_job_id else None
        if self.status == ImportStatus.DONE and job is not None and job.failed:
            return str(
                ngettext(
                    "Partly imported: %(n)s row not recorded",
                    "Partly imported: %(n)s rows not recorded",
                    job.failed,
                )
                % {"n": f"{job.failed:,}"}
            )
        return str(self.get_status_display())


class SavedMapping(models.Model):
    """The column mapping a person last chose for a header, offered again for the next file with that header."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    header_key = models.CharField(max_length=64)  # sha256 of the header's names, compared loosely
    mapping = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "header_key"], name="saved_mapping_once")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.header_key[:8]}"


class ReportedAttendance(models.Model):
    """What a platform's report said of one attendee HubSpot recorded: their time in session.

    HubSpot keeps the first join and last leave an import sends (`joinedAt`/`leftAt`); for someone who left and
    came back the time between them is more than the time they were there, which only the report knows.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="reported_attendance")
    email = models.CharField(max_length=254)
    seconds_in_session = models.PositiveIntegerField(null=True, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    imp = models.ForeignKey(Import, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "email"], name="reported_attendance_once")]

    def __str__(self) -> str:
        return f"{self.email} at {self.event_id}"
