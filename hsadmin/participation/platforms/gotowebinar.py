"""GoTo Webinar's attendee and registrant reports (Reports → Attendee / Registrant, CSV).

The attendee report starts with a head in which each label sits above its value: "Attendee Report",
"Generated", `Webinar Name` / `Webinar ID`, `Actual Start Date/Time` / `Actual Duration (minutes)`,
`Total Attended`; then the people under a section title ("Session Details", "Attendee Details") with the header
`Attended`, `Interest Rating`, `First Name`, `Last Name`, `Email`, `Registration Date`, `Join Time`,
`Leave Time`, `In Session Duration* (minutes)`, …; staff sections ("Panelist…", "Organizer…", "Co-Organizer…")
are left out. Every time carries its zone ("May 16, 2026 10:58 AM EDT"), so no zone needs picking. The
registrant report is the same head with registrants under `First Name`, `Last Name`, `Email`,
`Registration Date` and no join times.
"""

from __future__ import annotations

from hsadmin.participation.platforms.base import (
    Columns,
    People,
    Reason,
    Report,
    Rows,
    clean_email,
    find_header,
    norm,
    only_cell,
    parse_duration,
    parse_time,
    short_row,
    value_below,
    yes,
)

ATTENDEE_HEADER = (("attended",), ("first name",), ("last name",), ("email", "email address"), ("join time",))
REGISTRANT_HEADER = (("first name",), ("last name",), ("email", "email address"), ("registration date",))


def _staff(title: str) -> Reason | None:
    if "panelist" in title:
        return Reason.PANELIST
    if "organizer" in title or "staff" in title or "host" in title:
        return Reason.HOST
    return None


def _is_goto(rows: Rows) -> str:
    """ "attendees" or "registrants" when the head is GoTo Webinar's, else ""."""
    head = [norm(c) for row in rows[:3] for c in row if c.strip()]
    if not any(c in {"gotowebinar", "goto webinar"} for c in head) and not value_below(rows, "Webinar Name"):
        return ""
    if "attendee report" in head:
        return "attendees"
    if "registrant report" in head or "registration report" in head:
        return "registrants"
    return ""


def read_report(rows: Rows) -> Report | None:
    kind = _is_goto(rows)
    header = ATTENDEE_HEADER if kind == "attendees" else REGISTRANT_HEADER
    start = find_header(rows, *header) if kind else None
    if start is None:
        return None
    started, zone = parse_time(
        value_below(rows, "Actual Start Date/Time") or value_below(rows, "Start Date/Time")
    )
    expected = value_below(rows, "Total Attended").replace(",", "")
    report = Report(
        platform="gotowebinar",
        kind=kind,
        topic=value_below(rows, "Webinar Name"),
        started_at=started,
        stated_zone=zone,
        expected=int(expected) if expected.isdecimal() and kind == "attendees" else None,
    )
    people = People()
    columns = Columns(rows[start])
    section: Reason | None = None
    last_data = max((i for i, row in enumerate(rows) if any(c.strip() for c in row)), default=-1)
    index = start
    while index + 1 < len(rows):
        index += 1
        row = rows[index]
        if not any(c.strip() for c in row):
            continue
        title = norm(only_cell(row))
        if title and find_header([row], ("email", "email address")) is None and not clean_email(title):
            section = _staff(title)  # a new section: its header follows
            if index + 1 < len(rows):
                index += 1
                columns = Columns(rows[index])
            continue
        number = index + 1
        name = " ".join(filter(None, (columns.get(row, "First Name"), columns.get(row, "Last Name"))))
        email = clean_email(columns.get(row, "Email", "Email Address"))
        if report.set_aside(
            row=number,
            name=name,
            email=email,
            cut_off=index == last_data and short_row(row, columns.width),
            staff=section,
        ):
            continue
        attended = kind == "attendees" and yes(columns.get(row, "Attended"))
        joined, _ = parse_time(columns.get(row, "Join Time"))
        left, _ = parse_time(columns.get(row, "Leave Time"))
        registered, _ = parse_time(columns.get(row, "Registration Date"))
        people.add(
            row=number,
            email=email,
            first_name=columns.get(row, "First Name"),
            last_name=columns.get(row, "Last Name"),
            attended=attended,
            registered_at=registered,
            joined_at=joined if attended else None,
            left_at=left if attended else None,
            seconds=parse_duration(columns.get(row, "In Session Duration (minutes)", "In Session Duration"))
            if attended
            else None,
        )
    report.people = people.all()
    return report
