"""Webinar platforms' own reports, understood without a column mapping.

Each reader takes a report's rows as decoded cells (a list of lists) and returns a `Report` — the platform, the
kind of report, its topic and start, the zone its times are in when it says, one `Person` per email with their
rows merged, and the rows left out with the reason — or None when the rows are not its report. `recognise`
tries them in order. Nothing here imports Django: the import flow (`participation/reports.py`) turns a Report
into HubSpot's inputs.

Supported: Zoom's webinar attendee and registration reports and its meeting participant report, Microsoft
Teams' attendance report and live event attendee report, GoTo Webinar's attendee and registrant reports. Left out for want of a documented
layout: Webex (its help lists what the attendance export holds but not its columns), Livestorm, ON24 and
Eventbrite (no published column layout for their attendee exports).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from hsadmin.participation.platforms import gotowebinar, teams, zoom
from hsadmin.participation.platforms.base import (
    LeftOut,
    Person,
    Reason,
    Report,
    Rows,
    date_order,
    dates_day_first,
    parse_time,
)

__all__ = ["READERS", "LeftOut", "Person", "Reason", "Report", "parse_time", "recognise"]

Reader = Callable[[Rows], Report | None]

# The order matters only where layouts overlap: the most specific readers first.
READERS: tuple[Reader, ...] = (
    zoom.read_webinar_attendees,
    gotowebinar.read_report,
    teams.read_attendance,
    teams.read_live_event,
    zoom.read_meeting_participants,
    zoom.read_webinar_registrants,
)

PLATFORM_NAMES = {"zoom": "Zoom", "teams": "Microsoft Teams", "gotowebinar": "GoTo Webinar"}


def recognise(rows: Rows, *, event_days: tuple[dt.date, dt.date] | None = None) -> Report | None:
    """The report these rows are, read in full, or None when no reader knows them. Never raises on odd rows.

    `event_days` are the event's first and last day: they settle whether a file whose dates all read both ways
    ("03/04/2026") writes them day first or month first (`date_order`)."""
    with dates_day_first(date_order(rows, event_days=event_days)):
        for read in READERS:
            try:
                report = read(rows)
            except (ValueError, IndexError, KeyError, OverflowError):  # a damaged file is not this report
                report = None
            if report is not None:
                return report
    return None
