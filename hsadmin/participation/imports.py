"""The two halves of a CSV import, as run by its jobs (`jobs.py`): the preview and the import itself.

**Preview** streams the uploaded CSV once: parses and validates each row, marks repeats of the same activity
(same contact, state and interaction time) as duplicates, and asks HubSpot which contacts exist (CRM batch read,
100 per call, by email and by ID). It writes every row, classified, to one of a few JSON-lines files beside the
upload — grouped by state and by how it will be sent — and keeps the counts and a few rows of each class.

**Import** streams those files in a fixed order, 100 rows per HubSpot call: contacts that exist (by ID, or by an
email the preview resolved) through the attendance `create` endpoint by contact ID, which can never create a
contact; new contacts through `email-create`, unless "never create contacts" is on, in which case they are not
sent. Every row's interaction time was fixed before the first call (from the CSV, or the import's default
time), so a resumed or repeated batch — or a second import of the same file — records nothing twice.
"""

from __future__ import annotations

import itertools
import json
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from hsadmin.hubspot.gateway import Budget, EventGateway, open_event, open_portal
from hsadmin.hubspot.messages import describe
from hsadmin.hubspot_client import (
    AuthError,
    BatchError,
    EmailSubscriber,
    HubSpotClient,
    HubSpotError,
    InputStatus,
    NotFoundError,
    RateLimitedError,
    ServerError,
    Subscriber,
    SubscriberState,
    TransportError,
    ValidationError,
    from_epoch_ms,
    to_epoch_ms,
)
from hsadmin.jobs.runner import Batch, ItemResult, JobContext
from hsadmin.participation import csvio
from hsadmin.participation.models import Import, ImportStatus

BATCH = 100  # rows per HubSpot call: the most HubSpot takes
SAMPLE = 10  # rows of each class kept for the preview page
CHECK_EVERY = 10 * BATCH  # rows read between two checks for Cancel when no look-up was due
CLASSES = ("existing", "new", "invalid", "duplicate")
# Rows left out on purpose: not sent and not a failure (a repeat of another row, a webinar's host). An invalid
# row is a failure: the person should fix it, and gets it back in the failed rows' CSV.
LEFT_OUT = ("duplicate", "left_out")
STATES = (SubscriberState.REGISTER, SubscriberState.ATTEND, SubscriberState.CANCEL)
# The order the import sends groups in: skipped rows first (no calls), then by state, existing before new.
GROUPS = ("skip", *(f"{state}-{kind}" for state in STATES for kind in ("vid", "new")))
SEND_ROUNDS = 8  # rounds per batch for rows HubSpot did not confirm (each round: the client's own retries)


def max_bytes() -> int:
    return int(getattr(settings, "HSADMIN_IMPORT_MAX_BYTES", 50 * 1024 * 1024))


def max_rows() -> int:
    return int(getattr(settings, "HSADMIN_IMPORT_MAX_ROWS", 500_000))


def too_large_message(limit_bytes: int) -> str:
    """What a person reads when what they sent is too big, as a file or pasted (see core.views.bad_request)."""
    return _("The file is larger than %(mb)s MB. Split it into smaller files and import each.") % {
        "mb": f"{limit_bytes / (1024 * 1024):.3g}"
    }


def too_many_rows_message(limit: int) -> str:
    return _("The file has more than %(n)s rows. Split it into smaller files and import each.") % {
        "n": f"{limit:,}"
    }


def options_for(imp: Import) -> csvio.Options:
    return csvio.Options(
        mapping=list(imp.mapping),
        default_state=imp.default_state,
        default_at_ms=to_epoch_ms(imp.default_interaction_at),
        time_zone=imp.time_zone,
    )


def _row_record(row: csvio.ParsedRow, **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"n": row.number, "raw": row.raw}
    if row.ok:
        record.update(
            email=row.email,
            vid=row.vid,
            state=row.state,
            at=row.at_ms,
            props=row.properties(),
            cprops=row.contact_properties,
        )
    record.update(extra)
    return record


def _sample(record: dict[str, Any], reason: str = "") -> dict[str, Any]:
    return {
        "n": record["n"],
        "contact": record.get("email") or record.get("vid") or record.get("who") or "",
        "state": record.get("state", ""),
        "at": record.get("at"),
        "reason": reason,
        "raw": dict(itertools.islice(record["raw"].items(), 8)),
    }


class _Writer:
    """The classified rows, one JSON-lines file per group, plus the counts and samples."""

    def __init__(self, imp: Import, stack: ExitStack, classes: Sequence[str] = CLASSES) -> None:
        self.imp = imp
        self.stack = stack
        self.files: dict[str, IO[str]] = {}
        self.counts = dict.fromkeys((*classes, "rows", "future"), 0)
        self.samples: dict[str, list[dict[str, Any]]] = {name: [] for name in classes}
        self.unreported = 0  # rows written since the last progress report
        self.future_after = int((timezone.now() + timedelta(minutes=1)).timestamp() * 1000)
        # A preview run again (another mapping, zone or correction) must not leave an earlier run's groups behind.
        for stale in imp.folder.glob("*.jsonl"):
            stale.unlink(missing_ok=True)

    def write(self, group: str, record: dict[str, Any], klass: str, reason: str = "") -> None:
        handle = self.files.get(group)
        if handle is None:
            handle = self.files[group] = self.stack.enter_context(
                (self.imp.folder / f"{group}.jsonl").open("w", encoding="utf-8")
            )
        if reason:
            record["reason"] = reason
        if klass in LEFT_OUT:
            record["out"] = True
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.counts[klass] += 1
        self.counts["rows"] += 1
        self.unreported += 1
        if klass in ("existing", "new") and record.get("at", 0) > self.future_after:
            self.counts["future"] += 1
        if len(self.samples[klass]) < SAMPLE:
            self.samples[klass].append(_sample(record, reason))


def _lookup(client: HubSpotClient, values: list[str], *, by_email: bool) -> dict[str, str]:
    """Which of these emails (or contact IDs) exist in HubSpot: value → contact ID. Raises when HubSpot fails."""
    outcome = client.batch_read_contacts(
        values, id_property="email" if by_email else None, properties=["email"]
    )
    for chunk in outcome.chunks:
        if chunk.error is not None:
            raise chunk.error
    found: dict[str, str] = {}
    for contact in outcome.results:
        key = (contact.email or "").lower() if by_email else contact.id
        if key:
            found[key] = contact.id
    return found


def preview_run(ctx: JobContext, imp: Import) -> dict[str, Any]:
    """Classify every row (see the module's docstring). Starts over if resumed: it only reads HubSpot."""
    client = open_portal(imp.portal, budget=Budget.JOB).client
    options = options_for(imp)
    zone = csvio.zone_for(imp.time_zone)
    limit = max_rows()
    seen: dict[int, int] = {}  # hash of an activity's key → the row that first had it (8-byte keys, no rows)
    pending: dict[bool, list[dict[str, Any]]] = {True: [], False: []}  # by_email → rows awaiting lookup

    with ExitStack() as stack:
        writer = _Writer(imp, stack)

        def classify(by_email: bool) -> None:
            rows = pending[by_email]
            if not rows:
                return
            ctx.check()  # Cancel stops the preview here, before it asks HubSpot about another 100 contacts
            keys = sorted({r["email"] if by_email else str(r["vid"]) for r in rows})
            found = _lookup(client, keys, by_email=by_email)
            for record in rows:
                key = record["email"] if by_email else str(record["vid"])
                if key in found:
                    record["vid"] = int(found[key])
                    writer.write(f"{record['state']}-vid", record, "existing")
                elif by_email:
                    writer.write(f"{record['state']}-new", record, "new")
                else:
                    writer.write(
                        "skip",
                        record,
                        "invalid",
                        _("HubSpot has no contact with ID %(id)s.") % {"id": record["vid"]},
                    )
            pending[by_email] = []
            ctx.record_chunk(checkpoint={}, done=writer.unreported)
            writer.unreported = 0

        with csvio.open_text(imp.path, imp.encoding) as text:
            header, rows = csvio.read_rows(text, imp.delimiter)
            for raw in rows:
                if raw.number % CHECK_EVERY == 0:
                    ctx.check()  # also between look-ups: a file of invalid rows makes none
                if raw.number > limit:
                    return _refuse(imp, too_many_rows_message(limit))
                row = csvio.parse_row(raw, header, options, zone)
                record = _row_record(row)
                if not row.ok:
                    writer.write("skip", record, "invalid", row.error)
                    continue
                digest = hash(row.key) & 0xFFFFFFFFFFFFFFFF
                first = seen.setdefault(digest, row.number)
                if first != row.number:
                    writer.write(
                        "skip",
                        record,
                        "duplicate",
                        _("The same as row %(n)s (same contact, state and time); sent once.") % {"n": first},
                    )
                    continue
                by_email = row.vid is None
                pending[by_email].append(record)
                if len(pending[by_email]) >= BATCH:
                    classify(by_email)
            classify(True)
            classify(False)
        if writer.unreported:
            ctx.record_chunk(checkpoint={}, done=writer.unreported)
    if not writer.counts["rows"]:
        return _refuse(imp, _("The file has no data rows under its header."))
    imp.counts = writer.counts
    imp.preview = writer.samples
    imp.status = ImportStatus.PREVIEWED
    imp.message = ""
    imp.save(update_fields=["counts", "preview", "status", "message"])
    ctx.set_total(writer.counts["rows"])
    return {
        "summary": _(
            "%(rows)s rows: %(existing)s existing contacts, %(new)s new contacts, %(invalid)s invalid, "
            "%(duplicate)s duplicates."
        )
        % {k: f"{v:,}" for k, v in writer.counts.items()}
    }


def _refuse(imp: Import, message: str) -> dict[str, Any]:
    imp.status = ImportStatus.REFUSED
    imp.message = message
    imp.save(update_fields=["status", "message"])
    files_delete(imp)
    return {"summary": message}


# The import ----------------------------------------------------------------------------------------------


def _records(imp: Import) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every classified row, group by group, one at a time."""
    for group in GROUPS:
        path = imp.folder / f"{group}.jsonl"
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                yield group, json.loads(line)


def _ref(record: dict[str, Any]) -> str:
    return _("row %(n)s") % {"n": record["n"]}


def _transient(error: object) -> bool:
    if isinstance(error, BatchError):
        return (error.category or "") not in {"OBJECT_NOT_FOUND", "VALIDATION_ERROR", "INVALID_EMAIL"}
    return isinstance(error, RateLimitedError | ServerError | TransportError)


def _why(error: object, record: dict[str, Any]) -> str:
    if isinstance(error, BatchError):
        if error.category == "OBJECT_NOT_FOUND":
            return _("HubSpot has no contact with ID %(id)s.") % {"id": record.get("vid")}
        return _("HubSpot refused this row: %(reason)s") % {"reason": error.message or error.category}
    if isinstance(error, NotFoundError):
        return _("HubSpot does not know this event any more (it may have been deleted there).")
    if isinstance(error, ValidationError):
        return _("HubSpot refused this row: %(reason)s") % {"reason": error.message}
    if isinstance(error, HubSpotError):
        return describe(error)
    return _("HubSpot did not say why.")


Sender = Callable[[str, str, Sequence[dict[str, Any]]], Any]


def sender_for(hubspot: EventGateway) -> Sender:
    """Send rows of one state and kind ("vid" or "new") to the import's event, by the endpoint family it allows."""
    _ = hubspot.client  # built now, before the sending threads share it

    def send(state: str, kind: str, rows: Sequence[dict[str, Any]]) -> Any:
        verb = SubscriberState(state)
        if kind == "vid":
            subs = [Subscriber(int(r["vid"]), from_epoch_ms(r["at"]), r["props"]) for r in rows]
            return hubspot.record_by_contact_ids(verb, subs)
        emails = [EmailSubscriber(r["email"], from_epoch_ms(r["at"]), r["props"], r["cprops"]) for r in rows]
        return hubspot.record_by_emails(verb, emails)

    return send


def send_group(
    ctx: JobContext | None, send: Sender, state: str, kind: str, rows: list[dict[str, Any]]
) -> list[ItemResult]:
    """Send rows until HubSpot confirmed or refused each; rows it did not confirm are sent again (safe: their
    interaction times are fixed). Raises when HubSpot stays unreachable, so the job stops before its checkpoint."""
    results: list[ItemResult] = []
    pending = rows
    last_error: object = None
    for round_ in range(SEND_ROUNDS):
        if round_:
            time.sleep(min(5.0, 0.25 * 2.0**round_))
            if ctx is not None:
                ctx.heartbeat()
        outcome = send(state, kind, pending)
        for chunk in outcome.chunks:
            if isinstance(chunk.error, AuthError):
                raise chunk.error
        again = []
        for item, record in zip(outcome.per_input(), pending, strict=True):
            if item.status is InputStatus.OK:
                results.append(ItemResult(ref=_ref(record), ok=True, data=record["raw"]))
            elif item.status is InputStatus.FAILED and not _transient(item.error):
                message = _why(item.error, record)
                results.append(ItemResult(ref=_ref(record), ok=False, message=message, data=record["raw"]))
            else:
                last_error = item.error
                again.append(record)
        pending = again
        if not pending:
            return results
    if isinstance(last_error, HubSpotError):
        raise last_error
    raise RuntimeError(f"HubSpot did not confirm {len(pending)} rows after {SEND_ROUNDS} rounds")


def concurrency() -> int:
    """Batches in flight at once. HubSpot answers a 100-row call in a few hundred milliseconds, so one call at a
    time cannot use the rate limit's 10 calls a second; the shared limiter still paces every call."""
    return max(1, int(getattr(settings, "HSADMIN_IMPORT_CONCURRENCY", 4)))


def _batch_results(
    send: Sender, items: list[tuple[str, dict[str, Any]]], *, never_create: bool, ctx: JobContext | None
) -> list[ItemResult]:
    """Send one batch (its rows grouped by state and kind) and say what happened to each row."""
    results: list[ItemResult] = []
    for group, members in itertools.groupby(items, key=lambda item: item[0]):
        records = [record for _, record in members]
        if group == "skip":
            results += [
                ItemResult(
                    ref=_ref(r),
                    ok=False,
                    message=r.get("reason", ""),
                    data=r["raw"],
                    skipped=bool(r.get("out")),
                )
                for r in records
            ]
            continue
        state, kind = group.split("-")
        if kind == "new" and never_create:
            message = _("Not recorded: no contact has this email, and “never create contacts” is on.")
            results += [ItemResult(ref=_ref(r), ok=False, message=message, data=r["raw"]) for r in records]
            continue
        results += send_group(ctx, send, state, kind, records)
    return results


def _in_thread(
    send: Sender, items: list[tuple[str, dict[str, Any]]], never_create: bool, ctx: JobContext
) -> list[ItemResult]:
    try:
        return _batch_results(send, items, never_create=never_create, ctx=ctx)
    finally:
        connections.close_all()  # this thread's own connections (the shared limiter, heartbeats)


def import_run(ctx: JobContext, imp: Import) -> dict[str, Any]:
    """Send every row, 100 per call, several calls in flight; each batch is confirmed (its rows' results and the
    checkpoint after it) in order, so a killed run re-sends only batches that were not confirmed — harmless,
    since their interaction times are fixed."""
    send = sender_for(open_event(imp.event, budget=Budget.JOB))  # no action: the job audits the import once
    ctx.set_total(int(imp.counts.get("rows", 0)))
    never_create = imp.never_create
    width = concurrency()
    if width == 1:
        for batch in ctx.batches(_records(imp), size=BATCH):
            ctx.record_batch(
                batch, items=_batch_results(send, batch.items, never_create=never_create, ctx=ctx)
            )
    else:
        pool = ThreadPoolExecutor(max_workers=width, thread_name_prefix=f"import-{imp.pk}")
        flying: deque[tuple[Batch, Future[list[ItemResult]]]] = deque()
        try:
            for batch in ctx.batches(_records(imp), size=BATCH):
                flying.append((batch, pool.submit(_in_thread, send, batch.items, never_create, ctx)))
                if len(flying) >= width:
                    done, future = flying.popleft()
                    ctx.record_batch(done, items=future.result())
            while flying:
                done, future = flying.popleft()
                ctx.record_batch(done, items=future.result())
        finally:
            pool.shutdown(wait=not flying, cancel_futures=True)
    done_rows, failed, left_out = ctx.job.done, ctx.job.failed, ctx.job.skipped
    if imp.report:  # a platform's report: keep each recorded attendee's time in session (for the event page)
        from hsadmin.participation.reports import times_record

        times_record(imp, ctx.job)
    Import.objects.filter(pk=imp.pk).update(status=ImportStatus.DONE)
    files_delete(imp)
    sent = done_rows - left_out
    summary = _("%(ok)s of %(n)s rows recorded in HubSpot; %(failed)s not recorded.") % {
        "ok": f"{sent - failed:,}",
        "n": f"{sent:,}",
        "failed": f"{failed:,}",
    }
    if left_out:
        summary += " " + left_out_sentence(imp, left_out)
    return {"summary": summary}


def left_out_sentence(imp: Import, left_out: int) -> str:
    """ "Left out on purpose, not sent: 3 hosts, 2 without an email." for the import's result."""
    if imp.report:
        from hsadmin.participation.reports import left_out_parts

        parts = left_out_parts((imp.report.get("summary") or {}).get("left_out") or {})
    else:
        n = int(imp.counts.get("duplicate", 0))
        parts = [ngettext("%(n)s repeated row", "%(n)s repeated rows", n) % {"n": f"{n:,}"}] if n else []
    if not parts:
        parts = [ngettext("%(n)s row", "%(n)s rows", left_out) % {"n": f"{left_out:,}"}]
    return _("Left out on purpose, not sent: %(list)s.") % {
        "list": pgettext("between the items of a list", ", ").join(parts)
    }


# Files ---------------------------------------------------------------------------------------------------


def files_delete(imp: Import) -> None:
    shutil.rmtree(imp.folder, ignore_errors=True)


def imports_prune(*, older_than: timedelta | None = None) -> int:
    """Delete the files of imports that ended, or were never confirmed, longer ago than the retention."""
    hours = int(getattr(settings, "HSADMIN_IMPORT_RETENTION_HOURS", 72))
    cutoff = timezone.now() - (older_than if older_than is not None else timedelta(hours=hours))
    pruned = 0
    for imp in Import.objects.filter(created_at__lt=cutoff).exclude(
        status__in=[ImportStatus.PREVIEWING, ImportStatus.IMPORTING]
    ):
        if imp.folder.exists():
            files_delete(imp)
            pruned += 1
    return pruned
