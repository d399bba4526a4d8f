"""A webinar platform's own report as an import: recognised at upload, previewed and sent without a mapping.

At upload `recognise_upload` reads the file's first rows and asks the readers in `platforms` what it is; when
one knows it, the import keeps what it is (`Import.report`) and its preview starts at once. `preview_run` reads
the whole report, merges each person's rows (the reader does), and turns each person into HubSpot's inputs:

- an attendee → `attend` at their first join, with `joinedAt` (first join) and `leftAt` (last leave), and, when
  the report has their registration time, `register` at that time too;
- a registrant who did not come → `register` only (HubSpot derives the no-show once the event is over);
- hosts, panelists, organizers, presenters, people without an email, rows a cut-off file left half-written →
  listed apart with the reason, never sent.

Naive report times are read in the import's time zone (the person's, or the one they pick in the preview);
times that name their zone keep it. Interaction times come from the report, so importing it again records
nothing twice. After the import `times_record` keeps each recorded attendee's time in session for the event page.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import itertools
import json
import re
from contextlib import ExitStack
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from hsadmin.core.models import Job, JobItem
from hsadmin.events.models import Event
from hsadmin.hubspot.gateway import Budget, open_portal
from hsadmin.hubspot_client import to_epoch_ms
from hsadmin.jobs.runner import JobContext
from hsadmin.participation import csvio, imports
from hsadmin.participation.models import Import, ImportStatus, ReportedAttendance
from hsadmin.participation.platforms import PLATFORM_NAMES, Reason, Report, emails, recognise

HEAD_ROWS = (
    2000  # rows read at upload to recognise a report (Zoom's staff sections come before its attendees)
)
MAX_FLAGS = 200  # flagged addresses kept for the preview


# What a blank line reads as: one shared empty row (the readers never change a row), so thousands of them cost
# next to nothing and the rows after them keep the numbers they have in the file.
_BLANK: list[str] = []


def read_rows(imp: Import, *, limit: int | None = None) -> list[list[str]]:
    """The upload's rows as cells, in its encoding and separator; a row csv cannot read becomes empty.

    `limit` counts rows with content only, as the upload counted them (`csvio.count_rows`): blank lines (a
    spreadsheet may leave thousands of `,,,`) are kept but never stop the reading before the people after them."""
    csv.field_size_limit(csvio.MAX_FIELD)
    rows: list[list[str]] = []
    filled = 0
    with csvio.open_text(imp.path, imp.encoding) as text:
        reader = csv.reader(text, delimiter=imp.delimiter, strict=False)
        while limit is None or filled < limit:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error:
                row = []
            if not any(cell.strip() for cell in row):
                rows.append(_BLANK)
                continue
            rows.append([cell[:1000] for cell in row[: csvio.MAX_COLUMNS]])
            filled += 1
    return rows


def identity(report: Report) -> dict[str, Any]:
    return {
        "platform": report.platform,
        "kind": report.kind,
        "topic": report.topic[:300],
        "started_at": report.started_at.isoformat() if report.started_at else "",
        "stated_zone": report.stated_zone,
    }


def recognise_upload(imp: Import) -> dict[str, Any]:
    """What the upload is when it is a platform's report (see `identity`), else {}."""
    report = recognise(read_rows(imp, limit=HEAD_ROWS), event_days=_event_days(imp))
    return identity(report) if report is not None else {}


def _event_days(imp: Import) -> tuple[dt.date, dt.date] | None:
    """The event's first and last day where the report's times are read: a report of the event was taken while
    it ran (a conference's third day too)."""
    event = imp.event
    if event.starts_at is None:
        return None
    zone = csvio.zone_for(imp.time_zone) if imp.time_zone else timezone.get_current_timezone()
    first = timezone.localtime(event.starts_at, zone).date()
    last = timezone.localtime(event.ends_at, zone).date() if event.ends_at else first
    return first, max(first, last)


def label(info: dict[str, Any]) -> str:
    """ "Zoom webinar attendee report" and the like."""
    platform = PLATFORM_NAMES.get(info.get("platform", ""), info.get("platform", ""))
    kinds = {
        ("zoom", "attendees"): _("%(platform)s webinar attendee report"),
        ("zoom", "registrants"): _("%(platform)s webinar registration report"),
        ("zoom", "participants"): _("%(platform)s meeting participant report"),
        ("teams", "participants"): _("%(platform)s attendance report"),
        ("teams", "live_event"): _("%(platform)s live event attendee report"),
        ("gotowebinar", "attendees"): _("%(platform)s attendee report"),
        ("gotowebinar", "registrants"): _("%(platform)s registrant report"),
    }
    text = kinds.get((info.get("platform", ""), info.get("kind", "")), _("%(platform)s report"))
    return text % {"platform": platform}


def reason_text(reason: str) -> str:
    return {
        Reason.HOST: _("A host of the session, not an attendee."),
        Reason.PANELIST: _("A panelist, not an attendee."),
        Reason.ORGANIZER: _("An organizer of the meeting, not an attendee."),
        Reason.PRESENTER: _("A presenter, not an attendee."),
        Reason.NO_EMAIL: _("No email address in the report (a guest or a phone dial-in): HubSpot needs one."),
        Reason.NOT_APPROVED: _("The registration was not approved."),
        Reason.TRUNCATED: _("The row is cut off: the file ends in the middle of it."),
        "declined": _("Left out, as you chose in the preview."),
    }.get(reason, reason)


def _separator() -> str:
    return pgettext("between the items of a list", ", ")


def left_out_parts(counts: dict[str, int]) -> list[str]:
    """["3 hosts", "2 without an email"]."""
    words = {
        "host": lambda n: ngettext("%(n)s host", "%(n)s hosts", n),
        "panelist": lambda n: ngettext("%(n)s panelist", "%(n)s panelists", n),
        "organizer": lambda n: ngettext("%(n)s organizer", "%(n)s organizers", n),
        "presenter": lambda n: ngettext("%(n)s presenter", "%(n)s presenters", n),
        "no_email": lambda n: ngettext("%(n)s without an email", "%(n)s without an email", n),
        "not_approved": lambda n: ngettext("%(n)s not approved", "%(n)s not approved", n),
        "truncated": lambda n: ngettext("%(n)s cut-off row", "%(n)s cut-off rows", n),
        "declined": lambda n: ngettext("%(n)s you left out", "%(n)s you left out", n),
    }
    # In this order, not the stored dict's: PostgreSQL's jsonb keeps an object's keys in an order of its own.
    return [words[key](counts[key]) % {"n": counts[key]} for key in words if counts.get(key)]


def left_out_phrase(counts: dict[str, int]) -> str:
    """ "3 hosts, 2 without an email left out"."""
    parts = left_out_parts(counts)
    return _("%(list)s left out") % {"list": _separator().join(parts)} if parts else ""


def sentence(info: dict[str, Any]) -> str:
    """What the preview understood, in one sentence."""
    summary = info.get("summary") or {}
    parts = [
        ngettext("%(n)s person", "%(n)s people", summary.get("people", 0)) % {"n": summary.get("people", 0)},
        _("%(n)s attended") % {"n": summary.get("attended", 0)},
        _("%(n)s registered only") % {"n": summary.get("registered_only", 0)},
        ngettext("%(n)s row merged", "%(n)s rows merged", summary.get("merged", 0))
        % {"n": summary.get("merged", 0)},
    ]
    left = left_out_phrase(summary.get("left_out") or {})
    if left:
        parts.append(left)
    topic = info.get("topic") or _("(no topic)")
    return _("%(report)s for “%(topic)s”: %(parts)s.") % {
        "report": label(info),
        "topic": topic,
        "parts": _separator().join(parts),
    }


def _ms(moment: dt.datetime | None, zone: dt.tzinfo) -> int | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    try:
        return to_epoch_ms(moment)
    except (OverflowError, ValueError):
        return None


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def warnings_for(report: Report, event: Event, zone: dt.tzinfo) -> list[str]:
    """Reasons to doubt that the report belongs to this event, and that it is whole."""
    notes: list[str] = []
    topic, name = _words(report.topic), _words(event.name)
    unlike = topic and name and topic not in name and name not in topic
    if unlike and difflib.SequenceMatcher(None, topic, name).ratio() < 0.6:
        notes.append(
            _("The report's topic “%(topic)s” does not look like this event's name “%(name)s”.")
            % {"topic": report.topic[:200], "name": event.name}
        )
    started = report.started_at
    if started is not None and event.starts_at is not None:
        try:
            day = (started if started.tzinfo else started.replace(tzinfo=zone)).astimezone(zone).date()
        except (OverflowError, ValueError):  # at the calendar's edge (year 1 or 9999): the report's own date
            day = started.date()
        event_day = timezone.localtime(event.starts_at, zone).date()
        if abs((day - event_day).days) > 1:
            notes.append(
                _("The report's session started on %(day)s, but this event starts on %(event_day)s.")
                % {"day": day.isoformat(), "event_day": event_day.isoformat()}
            )
    if report.truncated:
        if report.expected is not None and report.rows_read < report.expected:
            notes.append(
                _(
                    "The report announces %(expected)s participants but holds %(read)s: the file seems cut off. "
                    "Download it again to import everyone."
                )
                % {"expected": report.expected, "read": report.rows_read}
            )
        else:
            notes.append(_("The file ends in the middle of a row: it seems cut off. Download it again."))
    return notes


def _record(
    person_row: int, email: str, raw: dict[str, str], state: str, at: int, **extra: Any
) -> dict[str, Any]:
    return {"n": person_row, "raw": raw, "email": email, "vid": None, "state": state, "at": at, **extra}


def preview_run(ctx: JobContext, imp: Import) -> dict[str, Any]:
    """Read the whole report, merge it per person, and classify every input as the CSV preview does."""
    rows = read_rows(imp, limit=imports.max_rows() + HEAD_ROWS)
    report = recognise(rows, event_days=_event_days(imp))
    if report is None:
        return imports._refuse(imp, _("This file is no longer recognised as a platform report."))
    if len(report.people) + len(report.left_out) > imports.max_rows():
        return imports._refuse(
            imp,
            _("The report has more than %(n)s people. Split it into smaller files and import each.")
            % {"n": f"{imports.max_rows():,}"},
        )
    zone = csvio.zone_for(imp.time_zone)
    default_at = to_epoch_ms(imp.default_interaction_at)
    start_ms = _ms(report.started_at, zone)
    corrections: dict[str, str] = dict(imp.report.get("corrections") or {})
    client = open_portal(imp.portal, budget=Budget.JOB).client
    flags: list[dict[str, str]] = []
    declined = 0
    pending: list[dict[str, Any]] = []

    with ExitStack() as stack:
        writer = imports._Writer(imp, stack, classes=(*imports.CLASSES, "left_out"))

        def classify() -> None:
            if not pending:
                return
            ctx.check()  # Cancel stops the preview here, before the next look-up (as the CSV preview does)
            found = imports._lookup(client, sorted({r["email"] for r in pending}), by_email=True)
            for record in pending:
                if record["email"] in found:
                    record["vid"] = int(found[record["email"]])
                    writer.write(f"{record['state']}-vid", record, "existing")
                else:
                    writer.write(f"{record['state']}-new", record, "new")
            pending.clear()
            ctx.record_chunk(checkpoint={}, done=writer.unreported)
            writer.unreported = 0

        for item in report.left_out:
            raw = {"Email": item.email, "Name": item.name}
            writer.write(
                "skip",
                {"n": item.row, "raw": raw, "email": item.email, "who": item.name},
                "left_out",
                reason_text(item.reason),
            )
        for person in report.people:
            email = corrections.get(person.email, person.email)
            rows_text = ", ".join(str(n) for n in person.rows[:20])
            raw = {"Email": email, "Name": person.name or " ".join(person.names()).strip(), "Rows": rows_text}
            if not email:
                declined += 1
                writer.write(
                    "skip",
                    {"n": person.row, "raw": raw, "email": person.email},
                    "left_out",
                    reason_text("declined"),
                )
                continue
            if person.email not in corrections and len(flags) < MAX_FLAGS:
                flagged = emails.check(email)
                if flagged is not None:
                    flags.append(
                        {
                            "n": str(person.row),
                            "email": email,
                            "flag": flagged.flag.value,
                            "suggestion": flagged.suggestion,
                        }
                    )
            first, last = person.names()
            cprops = {k: v[:100] for k, v in (("firstname", first), ("lastname", last)) if v}
            registered = _ms(person.registered_at, zone)
            if person.registered_at is not None or not person.attended:
                pending.append(
                    _record(
                        person.row, email, raw, "register", registered or default_at, props={}, cprops=cprops
                    )
                )
            if person.attended:
                joined, left = _ms(person.joined_at, zone), _ms(person.left_at, zone)
                props = {}
                if joined is not None:
                    props["joinedAt"] = str(joined)
                if left is not None and (joined is None or left >= joined):
                    props["leftAt"] = str(left)
                pending.append(
                    _record(
                        person.row,
                        email,
                        raw,
                        "attend",
                        joined or start_ms or default_at,
                        props=props,
                        cprops=cprops,
                        secs=person.seconds,
                    )
                )
            if len(pending) >= imports.BATCH:
                classify()
        classify()
        if writer.unreported:
            ctx.record_chunk(checkpoint={}, done=writer.unreported)
    if not writer.counts["rows"]:
        return imports._refuse(imp, _("The report lists nobody."))
    left_out = report.left_out_by_reason()
    if declined:
        left_out["declined"] = declined
    imp.report = {
        **imp.report,
        **identity(report),
        "summary": {
            "people": len(report.people) - declined,
            "attended": sum(1 for p in report.people if p.attended and corrections.get(p.email, p.email)),
            "registered_only": sum(
                1 for p in report.people if not p.attended and corrections.get(p.email, p.email)
            ),
            "merged": report.merged_rows,
            "left_out": left_out,
            "rows_read": report.rows_read,
        },
        "flags": flags,
        "warnings": warnings_for(report, imp.event, zone),
    }
    imp.counts = writer.counts
    imp.preview = writer.samples
    imp.status = ImportStatus.PREVIEWED
    imp.message = ""
    imp.save(update_fields=["report", "counts", "preview", "status", "message"])
    ctx.set_total(writer.counts["rows"])
    return {"summary": sentence(imp.report)}


def times_record(imp: Import, job: Job) -> int:
    """Keep each attendee HubSpot recorded with their time in session from the report (for the event page)."""
    # The emails whose own sent rows HubSpot refused; rows left out on purpose (a host who also attended as
    # themselves) say nothing about the person's attendance.
    failed = {
        _item_email(data)
        for data in JobItem.objects.filter(job=job, ok=False, skipped=False).values_list("data", flat=True)
    }
    kept: dict[str, ReportedAttendance] = {}
    for group in ("attend-vid", "attend-new"):
        path = imp.folder / f"{group}.jsonl"
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                email = record.get("email", "")
                if not email or email.lower() in failed or (group == "attend-new" and imp.never_create):
                    continue
                props = record.get("props") or {}
                kept[email] = ReportedAttendance(
                    event=imp.event,
                    email=email,
                    seconds_in_session=record.get("secs"),
                    joined_at=_aware(props.get("joinedAt")),
                    left_at=_aware(props.get("leftAt")),
                    imp=imp,
                )
    for chunk in itertools.batched(kept.values(), 500, strict=False):
        ReportedAttendance.objects.filter(event=imp.event, email__in=[r.email for r in chunk]).delete()
        ReportedAttendance.objects.bulk_create(chunk)
    return len(kept)


def _item_email(data: Any) -> str:
    """The email of a failed item's kept row: stored as [name, value] pairs by the job engine (a dict in older
    rows)."""
    pairs = (
        data.items()
        if isinstance(data, dict)
        else (p for p in data or [] if isinstance(p, list) and len(p) == 2)
    )
    return next((str(value).lower() for name, value in pairs if name == "Email"), "")


def _aware(ms: str | None) -> dt.datetime | None:
    if not ms or not str(ms).isdigit():
        return None
    return dt.datetime.fromtimestamp(int(ms) / 1000, tz=dt.UTC)
