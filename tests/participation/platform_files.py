"""Platform reports written the way each platform lays them out (see the readers' docstrings), about synthetic
people. No real export is committed: every test writes the files it reads from these."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence


def _csv(rows: Sequence[Sequence[object]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


ZOOM_ATTENDEE_HEADER = [
    "Attended",
    "User Name (Original Name)",
    "First Name",
    "Last Name",
    "Email",
    "Registration Time",
    "Approval Status",
    "Join Time",
    "Leave Time",
    "Time in Session (minutes)",
    "Is Guest",
    "Country/Region Name",
]


def zoom_attendee_report(
    *,
    topic: str = "Quarterly product webinar",
    start: str = "Mar 05, 2026 10:00 AM",
    hosts: Sequence[tuple[str, str]] = (("Hana Host", "hana.host@example.com"),),
    panelists: Sequence[tuple[str, str]] = (("Pavel Panel", "pavel.panel@example.com"),),
    attendees: Sequence[Sequence[object]] = (),
) -> str:
    """attendees: (attended "Yes"/"No", name, first, last, email, registered, join, leave, minutes, guest)."""
    rows: list[Sequence[object]] = [
        ["Attendee Report"],
        ["Report Generated:", "Mar 06, 2026 09:12 AM"],
        [
            "Topic",
            "Webinar ID",
            "Actual Start Time",
            "Actual Duration (minutes)",
            "# Registered",
            "# Cancelled",
            "Unique Viewers",
            "Total Users",
            "Max Concurrent Views",
        ],
        [topic, "812 3456 7890", start, 62, len(attendees), 0, len(attendees), len(attendees), 40],
        ["Host Details"],
        [
            "Attended",
            "User Name (Original Name)",
            "Email",
            "Join Time",
            "Leave Time",
            "Time in Session (minutes)",
            "Country/Region Name",
        ],
        *[
            ["Yes", name, email, "Mar 05, 2026 09:50:00", "Mar 05, 2026 11:05:00", 75, "Germany"]
            for name, email in hosts
        ],
        ["Panelist Details"],
        [
            "Attended",
            "User Name (Original Name)",
            "Email",
            "Join Time",
            "Leave Time",
            "Time in Session (minutes)",
            "Country/Region Name",
        ],
        *[
            ["Yes", name, email, "Mar 05, 2026 09:55:00", "Mar 05, 2026 11:00:00", 65, "Austria"]
            for name, email in panelists
        ],
        ["Attendee Details"],
        ZOOM_ATTENDEE_HEADER,
        *[[*row[:6], "approved", *row[6:10], "Germany"] for row in attendees],
    ]
    return _csv(rows)


def zoom_attendee(
    email: str,
    *,
    name: str = "Ann Example",
    attended: bool = True,
    join: str = "Mar 05, 2026 10:01:00",
    leave: str = "Mar 05, 2026 10:31:00",
    minutes: int = 30,
    registered: str = "Feb 20, 2026 08:00:00",
    guest: str = "No",
) -> list[object]:
    first, _, last = name.partition(" ")
    if not attended:
        return ["No", name, first, last, email, registered, "--", "--", "--", guest]
    return ["Yes", name, first, last, email, registered, join, leave, minutes, guest]


def zoom_registration_report(
    *, topic: str = "Quarterly product webinar", registrants: Sequence[Sequence[str]] = ()
) -> str:
    """registrants: (first, last, email, registration time, approval status)."""
    rows: list[Sequence[object]] = [
        ["Registration Report"],
        ["Report Generated:", "Mar 01, 2026 09:12 AM"],
        ["Topic", "Webinar ID", "Scheduled Start Time", "# Registered"],
        [topic, "812 3456 7890", "Mar 05, 2026 10:00 AM", len(registrants)],
        ["Registrant Details"],
        ["First Name", "Last Name", "Email", "Registration Time", "Approval Status", "Country/Region Name"],
        *[[*row, "Germany"] for row in registrants],
    ]
    return _csv(rows)


def zoom_meeting_participants(
    *, topic: str = "Partner sync", host: str = "hana.host@example.com", rows: Sequence[Sequence[object]] = ()
) -> str:
    """rows: (name, email, join, leave, minutes, guest)."""
    return _csv(
        [
            [
                "Meeting ID",
                "Topic",
                "Start Time",
                "End Time",
                "User Email",
                "Duration (Minutes)",
                "Participants",
            ],
            ["812 0000 1111", topic, "03/05/2026 10:00:00 AM", "03/05/2026 11:00:00 AM", host, 60, len(rows)],
            [],
            ["Name (Original Name)", "User Email", "Join Time", "Leave Time", "Duration (Minutes)", "Guest"],
            *rows,
        ]
    )


def teams_attendance_report(
    *,
    title: str = "Quarterly product webinar",
    start: str = "3/5/26, 10:00:00 AM",
    participants: Sequence[Sequence[str]] = (),
    announced: int | None = None,
) -> str:
    """participants: (name, first join, last leave, in-meeting duration, email, role). Tab-separated text."""
    summary = [
        ["1. Summary"],
        ["Meeting title", title],
        ["Attended participants", str(announced if announced is not None else len(participants))],
        ["Start time", start],
        ["End time", "3/5/26, 11:02:00 AM"],
        ["Meeting duration", "1h 2m 0s"],
        ["Average attendance time", "40m 12s"],
        [],
        ["2. Participants"],
        ["Name", "First Join", "Last Leave", "In-Meeting Duration", "Email", "Participant ID (UPN)", "Role"],
        *[
            [name, join, leave, duration, email, email, role]
            for name, join, leave, duration, email, role in participants
        ],
        [],
        ["3. In-Meeting Activities"],
        ["Name", "Join Time", "Leave Time", "Duration", "Email", "Role"],
        *[
            [name, join, leave, duration, email, role]
            for name, join, leave, duration, email, role in participants
        ],
    ]
    return _csv(summary, delimiter="\t")


def goto_attendee_report(
    *,
    name: str = "Quarterly product webinar",
    attendees: Sequence[Sequence[object]] = (),
    panelists: Sequence[tuple[str, str, str]] = (),
) -> str:
    """attendees: (attended, interest, first, last, email, registered, join, leave, minutes)."""
    rows: list[Sequence[object]] = [
        ["Attendee Report", "", "", "GoToWebinar"],
        ["Generated"],
        ["Mar 06, 2026 01:36 PM EST"],
        ["General Information"],
        ["Webinar Name", "", "Webinar ID"],
        [name, "", "846313449"],
        ["Actual Start Date/Time", "", "Actual Duration (minutes)"],
        ["Mar 05, 2026 10:00 AM EST", "", 62],
        ["Clicked Registration Link", "", "Opened Invitation"],
        [40, "", 33],
        ["Total Attended"],
        [sum(1 for a in attendees if a[0] == "Yes")],
        ["Session Details"],
        [
            "Attended",
            "",
            "Interest Rating",
            "First Name",
            "Last Name",
            "Email",
            "Registration Date",
            "Join Time",
            "Leave Time",
            "In Session Duration* (minutes)",
            "Country",
        ],
        *[[a[0], "", *a[1:], "US"] for a in attendees],
    ]
    if panelists:
        rows += [
            ["Panelist Details"],
            ["Attended", "", "First Name", "Last Name", "Email", "Join Time", "Leave Time"],
            *[
                ["Yes", "", first, last, email, "Mar 05, 2026 09:55 AM EST", "Mar 05, 2026 11:02 AM EST"]
                for first, last, email in panelists
            ],
        ]
    return _csv(rows)


def goto_registrant_report(
    *, name: str = "Quarterly product webinar", registrants: Sequence[Sequence[str]] = ()
) -> str:
    """registrants: (first, last, email, registration date)."""
    return _csv(
        [
            ["Registrant Report", "", "", "GoToWebinar"],
            ["Generated"],
            ["Mar 01, 2026 01:36 PM EST"],
            ["General Information"],
            ["Webinar Name", "", "Webinar ID"],
            [name, "", "846313449"],
            ["Registrant Details"],
            ["First Name", "Last Name", "Email", "Registration Date", "Country"],
            *[[*row, "US"] for row in registrants],
        ]
    )


def teams_live_event_report(events: Sequence[Sequence[str]] = ()) -> str:
    """events: (session id, participant id, full name, UTC timestamp, action, role)."""
    return _csv(
        [
            ["SessionId", "ParticipantId", "FullName", "UserAgent", "UtcEventTimestamp", "Action", "Role"],
            *[
                [sid, pid, name, "Mozilla/5.0", when, action, role]
                for sid, pid, name, when, action, role in events
            ],
        ]
    )
