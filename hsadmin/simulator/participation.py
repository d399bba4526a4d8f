"""Participation arithmetic: the two kinds of numbers HubSpot reports.

- The **event payload** (``registrants``, ``attendees``, ``cancellations``) counts every activity recorded: a
  contact who registered twice counts twice.
- The **counters** (``AttendanceCounters``) and the **breakdowns** report each contact's *current* state: the
  state of their latest activity (latest ``interactionDateTime``, then latest recorded).
- ``NO_SHOW`` is derived, never written: a contact whose current state is REGISTERED at an event that has ended
  (its end time has passed, or it was completed). Before the end it stays REGISTERED, and ``noShows`` is 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connections

from hsadmin.simulator import clock
from hsadmin.simulator.models import MarketingEvent, Participation
from hsadmin.simulator.routers import SIMULATOR_DB

REGISTERED, ATTENDED, CANCELLED, NO_SHOW = "REGISTERED", "ATTENDED", "CANCELLED", "NO_SHOW"
PATH_STATES = {"register": REGISTERED, "attend": ATTENDED, "cancel": CANCELLED}


@dataclass
class EventNumbers:
    activities: Counter[str] = field(default_factory=Counter)
    current: Counter[str] = field(default_factory=Counter)

    def payload(self) -> dict[str, int]:
        """The event's own fields: every activity counted, ``noShows`` derived."""
        return {
            "registrants": self.activities[REGISTERED],
            "attendees": self.activities[ATTENDED],
            "cancellations": self.activities[CANCELLED],
            "noShows": self.current[NO_SHOW],
        }

    def counters(self) -> dict[str, int]:
        """``AttendanceCounters``: contacts by current state."""
        return {
            "attended": self.current[ATTENDED],
            "cancelled": self.current[CANCELLED],
            "noShows": self.current[NO_SHOW],
            "registered": self.current[REGISTERED],
        }


def has_ended(event: MarketingEvent) -> bool:
    return event.completed or (event.end is not None and event.end <= clock.now())


def path_state(raw: str) -> str | None:
    """``register``/``attend``/``cancel`` (case-insensitive) to the stored state."""
    return PATH_STATES.get(raw.lower())


def numbers_for(events: Iterable[MarketingEvent]) -> dict[int, EventNumbers]:
    """Activity counts and current-state counts for many events, in one query."""
    events = list(events)
    result = {event.pk: EventNumbers() for event in events}
    if not events:
        return result
    ended = {event.pk for event in events if has_ended(event)}
    table = Participation._meta.db_table
    marks = ",".join(["%s"] * len(events))
    sql = (
        f"SELECT event_id, state, COUNT(*), SUM(CASE WHEN rn = 1 THEN 1 ELSE 0 END) FROM ("  # noqa: S608
        f" SELECT event_id, state, ROW_NUMBER() OVER (PARTITION BY event_id, contact_id"
        f" ORDER BY interaction_at DESC, id DESC) AS rn FROM {table} WHERE event_id IN ({marks})"
        f") t GROUP BY event_id, state"
    )
    with connections[SIMULATOR_DB].cursor() as cursor:
        cursor.execute(sql, [event.pk for event in events])
        for event_id, state, activities, current in cursor.fetchall():
            numbers = result[event_id]
            numbers.activities[state] += activities
            shown = NO_SHOW if state == REGISTERED and event_id in ended else state
            numbers.current[shown] += current or 0
    return result


def latest_states(event_id: int, *, contact_id: int | None = None) -> list[tuple[int, str]]:
    """(contact id, state of the latest activity) for each contact at one event, by contact id: one query."""
    table = Participation._meta.db_table
    where, params = "event_id = %s", [event_id]
    if contact_id is not None:
        where, params = f"{where} AND contact_id = %s", [event_id, contact_id]
    sql = (
        f"SELECT contact_id, state FROM ("  # noqa: S608 - the table name is ours, the values are parameters
        f" SELECT contact_id, state, ROW_NUMBER() OVER (PARTITION BY contact_id"
        f" ORDER BY interaction_at DESC, id DESC) AS rn FROM {table} WHERE {where}"
        f") t WHERE rn = 1 ORDER BY contact_id"
    )
    with connections[SIMULATOR_DB].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _duration_seconds(rows: list[dict[str, Any]]) -> int | None:
    total = 0
    seen = False
    for row in rows:
        if row["state"] != ATTENDED:
            continue
        joined = clock.parse_ms_or_iso(row["properties"].get("joinedAt"))
        left = clock.parse_ms_or_iso(row["properties"].get("leftAt"))
        if joined is not None and left is not None and left >= joined:
            total += (left - joined) // 1000
            seen = True
    return total if seen else None


def summarize(event: MarketingEvent, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One contact's activities at one event (oldest first) to their breakdown numbers."""
    latest = rows[-1]
    state = latest["state"]
    if state == REGISTERED and has_ended(event):
        state = NO_SHOW
    summary: dict[str, Any] = {
        "id": str(latest["id"]),
        "createdAt": clock.iso(min(row["created_at"] for row in rows)),
        "state": state,
        "occurredAt": latest["interaction_at"],
    }
    duration = _duration_seconds(rows)
    if duration is not None:
        summary["attendanceDurationSeconds"] = duration
        if event.start and event.end and event.end > event.start:
            length = (event.end - event.start).total_seconds()
            summary["attendancePercentage"] = f"{min(100.0, 100 * duration / length):.1f}"
    return summary
