"""Zoom's reports, as Zoom's web portal exports them (Reports → Webinars and Meetings, "Export as CSV").

- **Webinar attendee report**: a title row, "Report Generated", a metadata block (`Topic`, `Webinar ID`,
  `Actual Start Time`, …), then sections — "Host Details", "Panelist Details", "Attendee Details" (and
  "Other Attended") — each a title row, its own header and rows. The attendee header holds `Attended`,
  `User Name (Original Name)`, `First Name`, `Last Name`, `Email`, `Registration Time`, `Join Time`,
  `Leave Time`, `Time in Session (minutes)`, `Is Guest`, …; a rejoin is a further row of the same person, and a
  registrant who did not come has `Attended` = No and "--" for the times.
- **Webinar registration report**: the same head, then registrants: `First Name`, `Last Name`, `Email`,
  `Registration Time`, `Approval Status`, … (no join times).
- **Meeting participant report** (Usage → Participants, with or without the meeting's own row first):
  `Name (Original Name)`, `User Email`, `Join Time`, `Leave Time`, `Duration (Minutes)`, `Guest`; the meeting
  row's `User Email` is the host's.

Zoom prints times in the time zone of the account that downloads the report and does not name it.
"""

from __future__ import annotations

from hsadmin.participation.platforms.base import (
    Columns,
    LeftOut,
    People,
    Reason,
    Report,
    Rows,
    clean_email,
    display_name,
    find_header,
    label_values,
    norm,
    only_cell,
    parse_duration,
    parse_time,
    short_row,
    yes,
)

ATTENDEE_HEADER = (("attended",), ("user name (original name)", "user name"), ("email",), ("join time",))
REGISTRANT_HEADER = (
    ("first name",),
    ("last name",),
    ("email",),
    ("registration time",),
    ("approval status",),
)
PARTICIPANT_HEADER = (("name (original name)", "name"), ("user email",), ("join time",), ("leave time",))
_SECTIONS = {
    "host details": Reason.HOST,
    "panelist details": Reason.PANELIST,
    "attendee details": None,
    "other attended": None,
}


def _meta(rows: Rows) -> dict[str, str]:
    return label_values(rows, "Topic") or label_values(rows, "Meeting ID")


def read_webinar_attendees(rows: Rows) -> Report | None:
    attendee_title = next(
        (i for i, row in enumerate(rows) if norm(only_cell(row)) == "attendee details"), None
    )
    if attendee_title is None or find_header(rows, *ATTENDEE_HEADER, start=attendee_title) is None:
        return None
    meta = _meta(rows)
    started, zone = parse_time(meta.get("actual start time", "") or meta.get("start time", ""))
    report = Report(
        platform="zoom",
        kind="attendees",
        topic=meta.get("topic", ""),
        started_at=started,
        stated_zone=zone,
    )
    people = People()
    section: Reason | None = None
    in_section = False  # rows before the first section title are the report's head
    columns: Columns | None = None
    last_data = max((i for i, row in enumerate(rows) if any(c.strip() for c in row)), default=-1)
    for index, row in enumerate(rows):
        title = norm(only_cell(row))
        if title in _SECTIONS:
            section, columns, in_section = _SECTIONS[title], None, True
            continue
        if not in_section or not any(c.strip() for c in row):
            continue
        if columns is None:  # the first row after a section's title is its header
            columns = Columns(row)
            continue
        number = index + 1
        name = display_name(columns.get(row, "User Name (Original Name)", "User Name", "Name"))
        email = clean_email(columns.get(row, "Email"))
        if report.set_aside(
            row=number,
            name=name,
            email=email,
            cut_off=index == last_data and short_row(row, columns.width),
            staff=section,
        ):
            continue
        joined, _ = parse_time(columns.get(row, "Join Time"))
        left, _ = parse_time(columns.get(row, "Leave Time"))
        attended = yes(columns.get(row, "Attended"))
        registered, _ = parse_time(columns.get(row, "Registration Time"))
        people.add(
            row=number,
            email=email,
            name=name,
            first_name=columns.get(row, "First Name"),
            last_name=columns.get(row, "Last Name"),
            attended=attended,
            registered_at=registered,
            joined_at=joined if attended else None,
            left_at=left if attended else None,
            seconds=parse_duration(columns.get(row, "Time in Session (minutes)")) if attended else None,
        )
    report.people = people.all()
    return report


def read_webinar_registrants(rows: Rows) -> Report | None:
    start = find_header(rows, *REGISTRANT_HEADER)
    if start is None or find_header([rows[start]], ("join time",)) is not None:
        return None
    meta = _meta(rows)
    started, zone = parse_time(meta.get("actual start time", "") or meta.get("start time", ""))
    report = Report(
        platform="zoom", kind="registrants", topic=meta.get("topic", ""), started_at=started, stated_zone=zone
    )
    columns = Columns(rows[start])
    people = People()
    data = [
        (i, row) for i, row in enumerate(rows[start + 1 :], start=start + 1) if any(c.strip() for c in row)
    ]
    for position, (index, row) in enumerate(data):
        number = index + 1
        name = " ".join(filter(None, (columns.get(row, "First Name"), columns.get(row, "Last Name"))))
        email = clean_email(columns.get(row, "Email"))
        cut_off = position == len(data) - 1 and short_row(row, columns.width)
        if report.set_aside(row=number, name=name, email=email, cut_off=cut_off):
            continue
        status = norm(columns.get(row, "Approval Status"))
        if status and status not in {"approved", "approve"}:
            report.left_out.append(LeftOut(number, name, email, Reason.NOT_APPROVED))
            continue
        registered, _ = parse_time(columns.get(row, "Registration Time"))
        people.add(
            row=number,
            email=email,
            first_name=columns.get(row, "First Name"),
            last_name=columns.get(row, "Last Name"),
            registered_at=registered,
        )
    report.people = people.all()
    return report


def read_meeting_participants(rows: Rows) -> Report | None:
    start = find_header(rows, *PARTICIPANT_HEADER, ("duration (minutes)", "duration (min)", "duration"))
    if start is None:
        return None
    meta = label_values(rows, "Meeting ID")
    host = clean_email(meta.get("user email", ""))
    started, zone = parse_time(meta.get("start time", ""))
    report = Report(
        platform="zoom",
        kind="participants",
        topic=meta.get("topic", ""),
        started_at=started,
        stated_zone=zone,
    )
    columns = Columns(rows[start])
    people = People()
    data = [
        (i, row) for i, row in enumerate(rows[start + 1 :], start=start + 1) if any(c.strip() for c in row)
    ]
    for position, (index, row) in enumerate(data):
        number = index + 1
        name = display_name(columns.get(row, "Name (Original Name)", "Name"))
        email = clean_email(columns.get(row, "User Email"))
        cut_off = position == len(data) - 1 and short_row(row, columns.width)
        staff = Reason.HOST if email and email == host else None
        if report.set_aside(row=number, name=name, email=email, cut_off=cut_off, staff=staff):
            continue
        joined, _ = parse_time(columns.get(row, "Join Time"))
        left, _ = parse_time(columns.get(row, "Leave Time"))
        people.add(
            row=number,
            email=email,
            name=name,
            attended=True,
            joined_at=joined,
            left_at=left,
            seconds=parse_duration(columns.get(row, "Duration (Minutes)", "Duration (min)", "Duration")),
        )
    report.people = people.all()
    return report
