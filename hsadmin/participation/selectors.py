"""Reads about participation. Breakdowns and histories are read live from HubSpot, one page (100 rows) per
request; the reconciled counts come from the latest counts job; imports from our own rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from hsadmin.core.models import Job, JobState
from hsadmin.events.models import Event
from hsadmin.hubspot.gateway import Gateway, open_event, open_portal
from hsadmin.hubspot_client import Page, Participation, ParticipationState
from hsadmin.participation.models import Import, ImportStatus, ReportedAttendance
from hsadmin.portals.models import Portal

PAGE_SIZE = 100  # HubSpot's maximum
BREAKDOWN_STATES = ("REGISTERED", "ATTENDED", "CANCELLED", "NO_SHOW")


def breakdown_page(
    *,
    event: Event,
    state: str = "",
    contact: str = "",
    after: str | None = None,
    hubspot: Gateway | None = None,
    limit: int = PAGE_SIZE,
) -> Page[Participation]:
    """One page of who did what at the event (one HubSpot call), by the endpoint family the event allows.

    A job passes its own gateway (`hubspot`: the job's budget and client); a page gets the web budget."""
    door = hubspot.event(event) if hubspot is not None else open_event(event)
    return door.participations_page(
        state=ParticipationState(state) if state else None, contact=contact or None, limit=limit, after=after
    )


def contact_history_page(*, portal: Portal, contact: str, after: str | None = None) -> Page[Participation]:
    """One page of a contact's participation across every event (one HubSpot call)."""
    return open_portal(portal).contact_history_page(contact.strip().lower(), limit=PAGE_SIZE, after=after)


def events_by_object_id(*, portal: Portal, object_ids: list[str]) -> dict[str, Event]:
    return {e.object_id: e for e in Event.objects.filter(portal=portal, object_id__in=object_ids)}


def import_get(*, event: Event, pk: int) -> Import:
    try:
        return Import.objects.select_related("preview_job", "import_job", "event").get(pk=pk, event=event)
    except Import.DoesNotExist:
        raise Http404("No such import") from None


def reported_attendance(*, event: Event, emails: list[str]) -> dict[str, ReportedAttendance]:
    """What platform reports imported for these people at the event (their time in session), by email."""
    wanted = sorted({e.lower() for e in emails if e})
    if not wanted:
        return {}
    return {r.email: r for r in ReportedAttendance.objects.filter(event=event, email__in=wanted)}


def import_editable(*, imp: Import) -> bool:
    """May the person still change the import's mapping and preview it again? Until it is importing or done."""
    return imp.status in (
        ImportStatus.UPLOADED,
        ImportStatus.PREVIEWED,
        ImportStatus.REFUSED,
        ImportStatus.FAILED,
    )


def import_list(*, event: Event) -> QuerySet[Import]:
    return Import.objects.filter(event=event).select_related("import_job", "created_by")[:10]


def active_job(*, event: Event, kind: str) -> Job | None:
    return (
        Job.objects.filter(portal=event.portal, kind=kind, params__event=event.object_id)
        .filter(state__in=[JobState.QUEUED, JobState.RUNNING, JobState.PAUSED])
        .first()
    )


def latest_export(*, event: Event) -> Job | None:
    return Job.objects.filter(
        portal=event.portal, kind="participation.export", params__event=event.object_id
    ).first()


@dataclass(frozen=True)
class Reconciled:
    """The three kinds of numbers HubSpot gives, side by side, and why they differ."""

    activities: dict[str, int]  # the event's own counts: every activity
    counters: dict[str, int] | None  # AttendanceCounters: contacts by current state
    breakdown: dict[str, int] | None  # what the breakdown adds up to, by state
    at: str
    job: Job | None
    explanations: list[str]

    @property
    def rows(self) -> list[tuple[str, int, int | None, int | None]]:
        labels = {
            "REGISTERED": _("Registered"),
            "ATTENDED": _("Attended"),
            "CANCELLED": _("Cancelled"),
            "NO_SHOW": _("No-show"),
        }
        return [
            (
                str(labels[s]),
                self.activities.get(s, 0),
                None if self.counters is None else self.counters.get(s, 0),
                None if self.breakdown is None else self.breakdown.get(s, 0),
            )
            for s in BREAKDOWN_STATES
        ]


def reconciled_counts(*, event: Event) -> Reconciled:
    """The mirror's activity counts beside the latest counts job's counters and breakdown totals."""
    activities = {
        "REGISTERED": event.registrants,
        "ATTENDED": event.attendees,
        "CANCELLED": event.cancellations,
        "NO_SHOW": event.no_shows,
    }
    job = (
        Job.objects.filter(
            portal=event.portal,
            kind="participation.counts",
            params__event=event.object_id,
            state=JobState.SUCCEEDED,
        )
        .only("id", "result", "finished_at", "state")
        .first()
    )
    result: dict[str, Any] = job.result if job else {}
    counters = result.get("counters")
    breakdown = result.get("breakdown")
    if result.get("activities"):
        activities = result["activities"]
    return Reconciled(
        activities=activities,
        counters=counters,
        breakdown=breakdown,
        at=result.get("at", ""),
        job=job,
        explanations=explain(activities, counters, breakdown),
    )


def explain(
    activities: dict[str, int], counters: dict[str, int] | None, breakdown: dict[str, int] | None
) -> list[str]:
    """Plain sentences for each kind of disagreement the numbers show."""
    notes: list[str] = []
    if counters is None:
        return [
            _(
                "Only the event's activity counts are known. Count again to compare them with HubSpot's current "
                "state of each contact."
            )
        ]
    moved = [s for s in ("REGISTERED", "ATTENDED", "CANCELLED") if activities.get(s, 0) != counters.get(s, 0)]
    if moved:
        notes.append(
            _(
                "The event's activity counts count every registration, attendance and cancellation ever recorded: "
                "a contact who registered twice, or registered and then attended or cancelled, counts in each. "
                "The current-state counters count each contact once, in their latest state. So the activity "
                "counts are usually higher."
            )
        )
    if counters.get("NO_SHOW", 0) and not activities.get("NO_SHOW", 0):
        notes.append(
            _(
                "No-shows are worked out by HubSpot once the event is over: registered contacts who never attended."
            )
        )
    if breakdown is not None and any(counters.get(s, 0) != breakdown.get(s, 0) for s in BREAKDOWN_STATES):
        notes.append(
            _(
                "The breakdown (the list of people) does not add up to the counters. This happens when contacts "
                "were merged or deleted in HubSpot (their participation may vanish from one and not the other), "
                "and right after a write: HubSpot counts it at once but takes a while to index it for the "
                "breakdown. Count again in a few minutes."
            )
        )
    if not notes:
        notes.append(
            _("All three agree: every contact has one activity, and HubSpot has indexed every write.")
        )
    return notes
