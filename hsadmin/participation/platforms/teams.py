"""Microsoft Teams' attendance report, as the meeting's Attendance tab downloads it: UTF-16 text, tab-separated
(the caller decodes it; rows arrive as cells).

"1. Summary" (`Meeting title`, `Attended participants`, `Start time`, `End time`, `Meeting duration`, …),
"2. Participants" — one row per person, already merged by Teams: `Name`, `First Join`, `Last Leave`,
`In-Meeting Duration` ("1h 2m 3s"), `Email`, `Participant ID (UPN)`, `Role` (Organizer, Co-organizer, Presenter,
Attendee) — then "3. In-Meeting Activities" (each join and leave). Older downloads name the summary
"Meeting Summary" with `Meeting Title`, `Total Number of Participants`, `Meeting Start Time`, and call the
columns `Full Name`, `Join Time`, `Leave Time`, `Duration`. Teams prints times in the downloader's time zone and
locale without naming the zone.

A Teams **live event** has its own attendee report instead: one row per join or leave of each viewing session —
`SessionId`, `ParticipantId` (the email, or an anonymous ID), `FullName`, `UserAgent`, `UtcEventTimestamp`,
`Action` (Joined, Left), `Role` (Attendee, Presenter, Producer) — in UTC, as the column's name says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hsadmin.participation.platforms.base import (
    Columns,
    People,
    Reason,
    Report,
    Rows,
    blank,
    clean_email,
    find_header,
    norm,
    parse_duration,
    parse_time,
    short_row,
    value_beside,
)

HEADER = (
    ("name", "full name"),
    ("first join", "join time"),
    ("last leave", "leave time"),
    ("in-meeting duration", "duration"),
    ("email",),
    ("role",),
)
_ROLES = {"organizer": Reason.ORGANIZER, "co-organizer": Reason.ORGANIZER, "presenter": Reason.PRESENTER}


def _section_title(row: list[str] | tuple[str, ...]) -> bool:
    """ "3. In-Meeting Activities": a numbered title row ends the participants."""
    first = norm(row[0]) if row else ""
    return len(first) > 2 and first[0].isdigit() and first[1] == "." and not any(c.strip() for c in row[1:])


def read_attendance(rows: Rows) -> Report | None:
    title = value_beside(rows, "Meeting title") or value_beside(rows, "Meeting Title")
    start = find_header(rows, *HEADER)
    if start is None or not (title or value_beside(rows, "Attended participants")):
        return None
    started, zone = parse_time(value_beside(rows, "Start time") or value_beside(rows, "Meeting Start Time"))
    expected = value_beside(rows, "Attended participants") or value_beside(
        rows, "Total Number of Participants"
    )
    report = Report(
        platform="teams",
        kind="participants",
        topic=title,
        started_at=started,
        stated_zone=zone,
        expected=int(expected) if expected.isdecimal() else None,
    )
    columns = Columns(rows[start])
    people = People()
    data: list[tuple[int, Sequence[str]]] = []
    for index in range(start + 1, len(rows)):
        row = rows[index]
        if blank(row) or _section_title(list(row)):
            break
        data.append((index, row))
    for position, (index, row) in enumerate(data):
        number = index + 1
        name = columns.get(row, "Name", "Full Name")
        email = clean_email(columns.get(row, "Email"))
        reason = _ROLES.get(norm(columns.get(row, "Role")))
        cut_off = position == len(data) - 1 and index == len(rows) - 1 and short_row(row, columns.width)
        if report.set_aside(row=number, name=name, email=email, cut_off=cut_off, staff=reason):
            continue
        joined, _ = parse_time(columns.get(row, "First Join", "Join Time"))
        left, _ = parse_time(columns.get(row, "Last Leave", "Leave Time"))
        people.add(
            row=number,
            email=email,
            name=name,
            attended=True,
            joined_at=joined,
            left_at=left,
            seconds=parse_duration(columns.get(row, "In-Meeting Duration", "Duration"), unit_seconds=1),
        )
    report.people = people.all()
    if report.expected is not None and report.rows_read < report.expected:
        report.truncated = True
    return report


LIVE_HEADER = (("sessionid",), ("participantid",), ("utceventtimestamp",), ("action",))
_LIVE_STAFF = {"presenter": Reason.PRESENTER, "producer": Reason.ORGANIZER, "organizer": Reason.ORGANIZER}


def read_live_event(rows: Rows) -> Report | None:
    start = find_header(rows, *LIVE_HEADER)
    if start is None:
        return None
    report = Report(platform="teams", kind="live_event", stated_zone="UTC")
    columns = Columns(rows[start])
    people = People()
    sessions: dict[str, dict[str, list[dt.datetime | None]]] = {}  # email → session → [joined, left]
    data = [
        (i, row) for i, row in enumerate(rows[start + 1 :], start=start + 1) if any(c.strip() for c in row)
    ]
    for position, (index, row) in enumerate(data):
        number = index + 1
        name = columns.get(row, "FullName", "Full Name")
        email = clean_email(columns.get(row, "ParticipantId"))
        reason = _LIVE_STAFF.get(norm(columns.get(row, "Role")))
        cut_off = position == len(data) - 1 and short_row(row, columns.width)
        if report.set_aside(row=number, name=name, email=email, cut_off=cut_off, staff=reason):
            continue
        moment, _ = parse_time(columns.get(row, "UtcEventTimestamp"))
        if moment is not None and moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        action = norm(columns.get(row, "Action"))
        joined = moment if action.startswith("join") else None
        left = moment if action.startswith("left") or action.startswith("leave") else None
        people.add(row=number, email=email, name=name, attended=True, joined_at=joined, left_at=left)
        span = sessions.setdefault(email, {}).setdefault(
            columns.get(row, "SessionId") or str(number), [None, None]
        )
        if joined is not None and (span[0] is None or joined < span[0]):
            span[0] = joined
        if left is not None and (span[1] is None or left > span[1]):
            span[1] = left
    report.people = people.all()
    for person in report.people:
        spans = [
            (a, b) for a, b in sessions.get(person.email, {}).values() if a is not None and b is not None
        ]
        if spans:
            person.seconds = int(sum((b - a).total_seconds() for a, b in spans if b >= a))
    return report
