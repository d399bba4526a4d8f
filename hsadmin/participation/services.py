"""Writes about participation: recording one contact, and the steps of a CSV import (upload, map, confirm).

Every HubSpot write goes through here or through the import job, and each leaves an audit entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hsadmin.core.audit import audit_record
from hsadmin.core.exceptions import ActionFailed
from hsadmin.core.models import Job, Outcome, User
from hsadmin.events.models import Event
from hsadmin.hubspot.gateway import EventGateway, open_event
from hsadmin.hubspot.messages import describe
from hsadmin.hubspot_client import (
    BatchOutcome,
    EmailSubscriber,
    HubSpotError,
    InputStatus,
    Subscriber,
    SubscriberResult,
    SubscriberState,
    attendance_properties,
)
from hsadmin.jobs.services import job_start
from hsadmin.participation import csvio, imports, reports
from hsadmin.participation.models import Import, ImportStatus, SavedMapping

# Recording one contact -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordData:
    contact: str  # an email, or a HubSpot contact ID (digits)
    state: SubscriberState
    interaction_at: dt.datetime
    joined_at: dt.datetime | None = None
    left_at: dt.datetime | None = None
    never_create: bool = False
    create_confirmed: bool = False

    @property
    def by_id(self) -> bool:
        return self.contact.isdigit()

    def properties(self) -> dict[str, str]:
        if self.state != SubscriberState.ATTEND:
            return {}
        return attendance_properties(joined_at=self.joined_at, left_at=self.left_at)


@dataclass(frozen=True)
class RecordOutcome:
    """What happened: recorded (HubSpot's answer: the contact it landed on), or why not."""

    recorded: bool
    message: str
    vid: int | None = None
    email: str = ""
    created_contact: bool = False
    needs_create_confirmation: bool = False


def _write(
    hubspot: EventGateway, data: RecordData, *, vid: int | None
) -> BatchOutcome[Subscriber, SubscriberResult] | BatchOutcome[EmailSubscriber, SubscriberResult]:
    """The write, by contact ID or by email; its outcome is audited from HubSpot's answer (a 200 may still
    refuse the contact)."""
    at, props = data.interaction_at, data.properties()
    if vid is not None:
        return hubspot.record_by_contact_ids(data.state, [Subscriber(vid, at, props)], audit_success=False)
    emails = [EmailSubscriber(data.contact.lower(), at, props)]
    return hubspot.record_by_emails(data.state, emails, audit_success=False)


def participation_record(*, event: Event, user: User, data: RecordData) -> RecordOutcome:
    """Record one contact's registration, attendance or cancellation.

    By contact ID: one call to `create` by ID (it never creates contacts). By email: a contact read first (so a
    new contact is never created by surprise), then the write by the contact's ID; `email-create` only once the
    person confirmed creating the contact and "never create contacts" is off. Both calls are single-object and
    share a 5-second budget.
    """
    detail = {"state": str(data.state), "interaction_at": data.interaction_at.isoformat()}
    hubspot = open_event(
        event,
        user=user,
        action="participation.record",
        target=f"{data.contact} → {event.name} ({event.object_id}): {data.state}",
        detail=detail,
    )
    vid: int | None = int(data.contact) if data.by_id else None
    who = "" if data.by_id else data.contact.lower()
    if vid is None and not data.create_confirmed:
        contact = hubspot.contact_by_email(data.contact, properties=("email", "firstname", "lastname"))
        if contact is None:
            if data.never_create:
                return RecordOutcome(
                    recorded=False,
                    message=_(
                        "No contact in HubSpot has the email %(email)s, and “never create contacts” is on: "
                        "nothing was recorded."
                    )
                    % {"email": data.contact},
                )
            return RecordOutcome(
                recorded=False,
                needs_create_confirmation=True,
                message=_(
                    "No contact in HubSpot has the email %(email)s. Recording this creates a new contact "
                    "(HubSpot may bill it as a marketing contact)."
                )
                % {"email": data.contact},
            )
        vid = int(contact.id)
        name = " ".join(
            filter(None, (contact.properties.get("firstname"), contact.properties.get("lastname")))
        )
        who = f"{name} ({who})" if name else who
    outcome = _write(hubspot, data, vid=vid)
    (item,) = outcome.per_input()
    if item.status is not InputStatus.OK:
        error = item.error
        if item.status is InputStatus.FAILED and getattr(error, "category", "") == "OBJECT_NOT_FOUND":
            message = _("HubSpot has no contact with ID %(id)s; nothing was recorded.") % {"id": data.contact}
        elif isinstance(error, HubSpotError):
            message = describe(error)
        else:
            message = _("HubSpot refused this: %(reason)s") % {
                "reason": getattr(error, "message", "") or _("it did not say why")
            }
        hubspot.audit(
            outcome=Outcome.FAILURE,
            correlation_id=getattr(error, "correlation_id", "") or "",
            detail={"error": message},
        )
        return RecordOutcome(recorded=False, message=message)
    result: SubscriberResult | None = outcome.results[0] if outcome.results else None
    created = vid is None
    hubspot.audit(detail={"vid": result.vid if result else vid, "created_contact": created})
    words = {
        SubscriberState.REGISTER: _("registered"),
        SubscriberState.ATTEND: _("attended"),
        SubscriberState.CANCEL: _("cancelled"),
    }
    return RecordOutcome(
        recorded=True,
        vid=result.vid if result else vid,
        email=(result.email if result else "") or "",
        created_contact=created,
        message=_("HubSpot recorded %(who)s as %(state)s.")
        % {
            "who": who or _("contact %(vid)s") % {"vid": (result.vid if result else vid) or data.contact},
            "state": words[data.state],
        },
    )


# CSV import ----------------------------------------------------------------------------------------------


def import_create(
    *,
    event: Event,
    user: User,
    name: str,
    chunks: Iterable[bytes],
    default_interaction_at: dt.datetime | None = None,
) -> Import:
    """Store an uploaded (or pasted) CSV, streamed to disk, and read its header and first rows.

    The same file uploaded again for the same event keeps the earlier upload's default interaction time, so its
    rows without a time are the same activities and importing it again changes nothing.
    """
    imports.imports_prune()
    now = timezone.now()
    imp = Import.objects.create(
        portal=event.portal,
        event=event,
        created_by=user,
        original_name=(name or "pasted.csv")[:255],
        default_interaction_at=default_interaction_at or now.replace(second=0, microsecond=0),
        time_zone=timezone.get_current_timezone_name(),
    )
    limit = imports.max_rows()
    try:
        stored = csvio.store_upload(chunks, imp.path, max_bytes=imports.max_bytes())
        delimiter = csvio.sniff_delimiter(imp.path, stored.encoding)
        with csvio.open_text(imp.path, stored.encoding) as text:
            header, rows = csvio.read_rows(text, delimiter)
            sample = [row.cells for _, row in zip(range(5), rows, strict=False)]
        # Count every row (streamed, stopping past the limit), so a file too long for one import is refused now,
        # before its preview spends the portal's rate limit on contact look-ups.
        counted = csvio.count_rows(imp.path, stored.encoding, delimiter, stop_after=limit)
    except csvio.UploadTooLarge:
        imports.files_delete(imp)
        imp.delete()
        raise ActionFailed(imports.too_large_message(imports.max_bytes())) from None
    except csvio.NotACsv as refused:
        imports.files_delete(imp)
        imp.delete()
        raise ActionFailed(refused.message) from None
    if not header:
        imports.files_delete(imp)
        imp.delete()
        raise ActionFailed(_("The file is empty: it needs a header row and at least one row of data."))
    if counted > limit:
        imports.files_delete(imp)
        imp.delete()
        raise ActionFailed(imports.too_many_rows_message(limit))
    earlier = (
        Import.objects.filter(event=event, sha256=stored.sha256)
        .exclude(pk=imp.pk)
        .order_by("created_at")
        .first()
    )
    imp.size, imp.sha256, imp.encoding, imp.delimiter = stored.size, stored.sha256, stored.encoding, delimiter
    imp.header, imp.sample, imp.mapping = header, sample, csvio.guess_mapping(header)
    saved = SavedMapping.objects.filter(user=user, header_key=header_key(header)).first()
    if saved is not None and len(saved.mapping) == len(header):
        imp.mapping = list(saved.mapping)  # what this person chose last time for a file with this header
    imp.report = reports.recognise_upload(imp)
    if earlier is not None:
        imp.default_interaction_at = earlier.default_interaction_at
        imp.message = _(
            "This file was uploaded for this event before (%(when)s); rows without a time keep that upload's "
            "time, so importing it again changes nothing."
        ) % {"when": timezone.localtime(earlier.created_at).strftime("%Y-%m-%d %H:%M")}
    imp.save()
    if imp.report:  # a platform's own report needs no mapping: check every row at once
        import_report_preview(imp=imp, user=user, time_zone=imp.time_zone, never_create=False)
    return imp


def header_key(header: list[str]) -> str:
    """The same header, compared loosely (case, spaces), as a key."""
    names = "\x1f".join(" ".join(name.lower().split()) for name in header)
    return hashlib.sha256(names.encode()).hexdigest()


def _preview_reset(imp: Import) -> None:
    """Forget the last preview's figures and mark the import as being previewed (saves the import)."""
    imp.status = ImportStatus.PREVIEWING
    imp.counts, imp.preview = {}, {}
    imp.save()


def _preview_job_start(*, imp: Import, user: User) -> Job:
    """Start the preview job (a CSV's or a platform report's: the job reads which from the import)."""
    job = job_start(
        kind="participation.preview",
        portal=imp.portal,
        user=user,
        params={"import": imp.pk, "event": imp.event.object_id},
    )
    Import.objects.filter(pk=imp.pk).update(preview_job=job)
    imp.preview_job = job
    return job


def import_report_preview(
    *, imp: Import, user: User, time_zone: str, never_create: bool, corrections: dict[str, str] | None = None
) -> Job:
    """Start (or start again) the preview of a platform's report: in this time zone, with these corrections
    of flagged addresses (address → corrected address, or "" to leave the person out)."""
    with transaction.atomic():
        imp.time_zone = time_zone
        imp.never_create = never_create
        if corrections is not None:
            imp.report = {**imp.report, "corrections": corrections}
        _preview_reset(imp)
    return _preview_job_start(imp=imp, user=user)


def import_as_csv(*, imp: Import) -> None:
    """Treat a recognised report as a plain CSV after all: forget what it was and map its columns."""
    imp.report = {}
    imp.status = ImportStatus.UPLOADED
    imp.counts, imp.preview = {}, {}
    imp.preview_job = None
    imp.save(update_fields=["report", "status", "counts", "preview", "preview_job"])


def import_preview_start(
    *,
    imp: Import,
    user: User,
    mapping: list[str],
    default_state: str,
    default_interaction_at: dt.datetime,
    never_create: bool,
) -> Job:
    """Keep the mapping and start the preview job (it reads HubSpot: contact lookups, 100 per call)."""
    with transaction.atomic():
        SavedMapping.objects.update_or_create(
            user=user, header_key=header_key(imp.header), defaults={"mapping": mapping}
        )
        imp.mapping = mapping
        imp.default_state = default_state
        imp.default_interaction_at = default_interaction_at
        imp.never_create = never_create
        _preview_reset(imp)
    return _preview_job_start(imp=imp, user=user)


def import_confirm(*, imp: Import, user: User, never_create: bool) -> Job:
    """Start the import job (after the preview, and the confirmations the page asked for)."""
    updated = Import.objects.filter(pk=imp.pk, status=ImportStatus.PREVIEWED).update(
        status=ImportStatus.IMPORTING, never_create=never_create
    )
    if not updated:
        raise ActionFailed(_("This import is not ready to run (it may be running already)."))
    imp.refresh_from_db()
    job = job_start(
        kind="participation.import",
        portal=imp.portal,
        user=user,
        params={"import": imp.pk, "event": imp.event.object_id},
        total=int(imp.counts.get("rows", 0)),
    )
    Import.objects.filter(pk=imp.pk).update(import_job=job)
    imp.import_job = job
    audit_record(
        action="participation.import_start",
        actor=user,
        portal=imp.portal,
        target=f"{imp.original_name} → {imp.event.name} ({imp.event.object_id})",
        detail={"import": imp.pk, "job": job.pk, "counts": imp.counts, "never_create": never_create},
    )
    return job


def export_start(*, event: Event, user: User, state: str = "", contact: str = "") -> Job:
    return job_start(
        kind="participation.export",
        portal=event.portal,
        user=user,
        params={"event": event.object_id, "state": state, "contact": contact},
    )


def counts_start(*, event: Event, user: User) -> Job:
    return job_start(
        kind="participation.counts", portal=event.portal, user=user, params={"event": event.object_id}
    )
