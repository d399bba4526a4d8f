"""The platform report readers alone (no Django, no database): each layout as the platform writes it, with
rejoins, hosts and panelists, guests without an email, UTF-16 and tabs, stated and unstated time zones, and files
cut off in the middle. Every fixture is written by `platform_files` from the documented layout."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hsadmin.participation import csvio
from hsadmin.participation.platforms import Reason, emails, recognise
from hsadmin.participation.platforms.base import parse_duration, parse_time
from tests.participation import platform_files as pf


def _rows(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _stored_rows(tmp_path: Path, content: bytes) -> list[list[str]]:
    """The bytes as an upload is stored and decoded: encoding and separator found as the import finds them."""
    path = tmp_path / "upload.csv"
    stored = csvio.store_upload([content], path, max_bytes=10**8)
    delimiter = csvio.sniff_delimiter(path, stored.encoding)
    with csvio.open_text(path, stored.encoding) as text:
        return list(csv.reader(text, delimiter=delimiter))


ZOOM = pf.zoom_attendee_report(
    hosts=[("Hana Host", "hana.host@example.com"), ("Hana Host", "hana.host@example.com")],
    attendees=[
        pf.zoom_attendee(
            "ann@example.com", join="Mar 05, 2026 10:01:00", leave="Mar 05, 2026 10:31:00", minutes=30
        ),
        pf.zoom_attendee(
            "ANN@example.com", join="Mar 05, 2026 10:40:00", leave="Mar 05, 2026 11:00:00", minutes=20
        ),
        pf.zoom_attendee(
            "ann@example.com", join="Mar 05, 2026 10:35:00", leave="Mar 05, 2026 10:38:00", minutes=3
        ),
        pf.zoom_attendee("bob@example.com", name="Bob Absent", attended=False),
        pf.zoom_attendee("", name="Guest Phone", guest="Yes"),
    ],
)


def test_a_zoom_attendee_report_merges_rejoins_into_first_join_last_leave_and_total_time() -> None:
    report = recognise(_rows(ZOOM))
    assert report is not None and (report.platform, report.kind) == ("zoom", "attendees")
    assert report.topic == "Quarterly product webinar"
    assert report.started_at == dt.datetime(2026, 3, 5, 10, 0) and report.stated_zone == ""
    ann, bob = report.people
    assert (ann.email, ann.attended, ann.seconds) == ("ann@example.com", True, 53 * 60)
    assert (ann.joined_at, ann.left_at) == (dt.datetime(2026, 3, 5, 10, 1), dt.datetime(2026, 3, 5, 11, 0))
    assert ann.names() == ("Ann", "Example") and len(ann.rows) == 3
    assert (bob.attended, bob.joined_at, bob.registered_at) == (False, None, dt.datetime(2026, 2, 20, 8, 0))
    assert (report.attended, report.registered_only, report.merged_rows) == (1, 1, 2)
    # The host who rejoined is one host; the guest has no address HubSpot could use.
    assert report.left_out_by_reason() == {"host": 1, "panelist": 1, "no_email": 1}
    assert not report.truncated


def test_a_zoom_report_cut_off_mid_row_leaves_that_row_out_and_says_so() -> None:
    cut = ZOOM.rstrip("\r\n").rsplit("\r\n", 1)[0] + "\r\nYes,Cut Person,Cut,Person,cut@exam"
    report = recognise(_rows(cut))
    assert report is not None and report.truncated
    assert report.left_out[-1].reason is Reason.TRUNCATED and report.left_out[-1].name == "Cut Person"
    assert "cut@exam" not in {p.email for p in report.people}


def test_teams_attendance_report_in_utf16_with_tabs_reads_roles_and_durations(tmp_path: Path) -> None:
    text = pf.teams_attendance_report(
        participants=[
            (
                "Olga Organizer",
                "3/5/26, 10:00:00 AM",
                "3/5/26, 11:02:00 AM",
                "1h 2m 0s",
                "olga@example.com",
                "Organizer",
            ),
            (
                "Pia Presenter",
                "3/5/26, 10:00:00 AM",
                "3/5/26, 11:00:00 AM",
                "1h",
                "pia@example.com",
                "Presenter",
            ),
            (
                "Zoë Müller",
                "3/5/26, 10:03:10 AM",
                "3/5/26, 10:58:00 AM",
                "48m 20s",
                "zoe@example.com",
                "Attendee",
            ),
            ("Anonymous caller", "3/5/26, 10:05:00 AM", "3/5/26, 10:10:00 AM", "5m 0s", "", "Attendee"),
        ]
    )
    rows = _stored_rows(tmp_path, text.encode("utf-16"))  # Teams' download: UTF-16 with its byte-order mark
    report = recognise(rows)
    assert report is not None and (report.platform, report.kind) == ("teams", "participants")
    (zoe,) = report.people
    assert (zoe.email, zoe.name, zoe.seconds) == ("zoe@example.com", "Zoë Müller", 48 * 60 + 20)
    assert zoe.joined_at == dt.datetime(2026, 3, 5, 10, 3, 10) and zoe.left_at == dt.datetime(
        2026, 3, 5, 10, 58
    )
    assert report.left_out_by_reason() == {"organizer": 1, "presenter": 1, "no_email": 1}
    assert not report.truncated


def test_a_teams_report_holding_fewer_people_than_its_summary_announces_is_flagged_as_cut_off() -> None:
    text = pf.teams_attendance_report(
        participants=[
            ("Zoë", "3/5/26, 10:03:10 AM", "3/5/26, 10:58:00 AM", "48m", "zoe@example.com", "Attendee")
        ],
        announced=40,
    )
    report = recognise(_rows(text, "\t"))
    assert report is not None and report.truncated and report.expected == 40


def test_goto_webinar_times_keep_the_zone_the_report_states() -> None:
    text = pf.goto_attendee_report(
        attendees=[
            (
                "Yes",
                75,
                "Kim",
                "Lee",
                "kim@example.com",
                "Mar 01, 2026 08:19 AM EST",
                "Mar 05, 2026 10:58 AM EST",
                "Mar 05, 2026 11:56 AM EST",
                58.5,
            ),
            (
                "Yes",
                60,
                "Kim",
                "Lee",
                "kim@example.com",
                "Mar 01, 2026 08:19 AM EST",
                "Mar 05, 2026 12:00 PM EST",
                "Mar 05, 2026 12:05 PM EST",
                5,
            ),
            ("No", 0, "Jo", "Nash", "jo@example.com", "Mar 02, 2026 09:00 AM EST", "", "", ""),
        ],
        panelists=[("Pat", "Panel", "pat@example.com")],
    )
    report = recognise(_rows(text))
    assert report is not None and (report.platform, report.kind) == ("gotowebinar", "attendees")
    assert report.stated_zone == "EST"
    kim, jo = report.people
    est = dt.timezone(dt.timedelta(hours=-5))
    assert kim.joined_at == dt.datetime(2026, 3, 5, 10, 58, tzinfo=est)
    assert kim.left_at == dt.datetime(2026, 3, 5, 12, 5, tzinfo=est)
    assert kim.seconds == round(63.5 * 60) and not jo.attended
    assert report.left_out_by_reason() == {"panelist": 1}


def test_a_report_in_a_zone_hsadmin_cannot_place_states_none_so_the_preview_asks_for_it() -> None:
    """IST is India's, Israel's or Ireland's: the times stay naive, and the zone picker is shown (not hidden by a
    stated zone the times are not actually read in)."""
    text = pf.goto_attendee_report(
        attendees=[
            (
                "Yes",
                75,
                "Kim",
                "Lee",
                "kim@example.com",
                "Mar 01, 2026 08:19 AM IST",
                "Mar 05, 2026 10:58 AM IST",
                "Mar 05, 2026 11:56 AM IST",
                58,
            ),
        ],
    ).replace("AM EST", "AM IST")
    report = recognise(_rows(text))
    assert report is not None and (report.platform, report.kind) == ("gotowebinar", "attendees")
    assert report.stated_zone == ""
    (kim,) = report.people
    assert kim.joined_at == dt.datetime(2026, 3, 5, 10, 58) and report.started_at == dt.datetime(
        2026, 3, 5, 10, 0
    )


@pytest.mark.parametrize("announced", ["²", "¹²", "①"])
def test_a_participant_count_in_digits_that_are_no_number_is_ignored_and_the_report_still_recognised(
    announced: str,
) -> None:
    teams = pf.teams_attendance_report(
        participants=[
            ("Ann", "3/5/26, 10:01:00 AM", "3/5/26, 10:31:00 AM", "30m", "ann@example.com", "Attendee")
        ]
    ).replace("Attended participants\t1", f"Attended participants\t{announced}")
    goto = pf.goto_attendee_report().replace("\r\n0\r\n", f"\r\n{announced}\r\n")
    assert announced in teams and announced in goto
    for text, delimiter in ((teams, "\t"), (goto, ",")):
        report = recognise(_rows(text, delimiter))
        assert report is not None and report.expected is None


def test_zoom_meeting_participants_leave_the_host_out_and_zoom_registrations_leave_denied_ones_out() -> None:
    meeting = pf.zoom_meeting_participants(
        rows=[
            (
                "Hana Host",
                "hana.host@example.com",
                "03/05/2026 10:00:00 AM",
                "03/05/2026 11:00:00 AM",
                60,
                "No",
            ),
            ("Ann (Annie)", "ann@example.com", "03/05/2026 10:05:00 AM", "03/05/2026 10:30:00 AM", 25, "No"),
            ("Ann (Annie)", "ann@example.com", "03/05/2026 10:35:00 AM", "03/05/2026 10:50:00 AM", 15, "No"),
        ]
    )
    report = recognise(_rows(meeting))
    assert report is not None and (report.kind, report.topic) == ("participants", "Partner sync")
    (ann,) = report.people
    assert (ann.name, ann.seconds, report.merged_rows) == ("Ann", 40 * 60, 1)
    assert report.left_out_by_reason() == {"host": 1}

    registrations = pf.zoom_registration_report(
        registrants=[
            ("Ann", "A", "ann@example.com", "Feb 20, 2026 08:00:00", "approved"),
            ("Den", "D", "den@example.com", "Feb 21, 2026 08:00:00", "denied"),
        ]
    )
    report = recognise(_rows(registrations))
    assert report is not None and report.kind == "registrants"
    assert [p.email for p in report.people] == ["ann@example.com"] and report.registered_only == 1
    assert report.left_out_by_reason() == {"not_approved": 1}


@pytest.mark.parametrize(
    "text",
    [
        "email,state\na@example.com,registered\n",
        "Name,Join Time,Leave Time,Duration,Email,Role\nA,1,2,3,a@example.com,Attendee\n",  # no Teams summary
        "Attendee Details\n",
        "",
        '\x00\x00,,,\n"unclosed',
    ],
    ids=["plain CSV", "Teams-like columns alone", "a title alone", "empty", "garbage"],
)
def test_anything_else_is_no_platform_report(text: str) -> None:
    assert recognise(_rows(text)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mar 05, 2026 10:01:02", (dt.datetime(2026, 3, 5, 10, 1, 2), "")),
        ("03/05/2026 01:02:03 PM", (dt.datetime(2026, 3, 5, 13, 2, 3), "")),
        ("3/5/26, 1:02:03 PM", (dt.datetime(2026, 3, 5, 13, 2, 3), "")),
        ("25/03/2026 13:02:03", (dt.datetime(2026, 3, 25, 13, 2, 3), "")),
        (
            "May 16, 2026 10:58 AM EDT",
            (dt.datetime(2026, 5, 16, 10, 58, tzinfo=dt.timezone(dt.timedelta(hours=-4))), "EDT"),
        ),
        (
            "2026-03-05 10:00 (GMT+01:00)",
            (dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))), "GMT+01:00"),
        ),
        ("May 16, 2026 10:58 AM IST", (dt.datetime(2026, 5, 16, 10, 58), "")),
        ("--", (None, "")),
        ("soon", (None, "")),
    ],
)
def test_times_are_read_as_each_platform_prints_them(text: str, expected: tuple[object, str]) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1h 2m 3s", 3723),
        ("48m 20s", 2900),
        ("30s", 30),
        ("01:02:03", 3723),
        ("58.53", 3512),
        ("--", None),
        ("x", None),
    ],
)
def test_durations_in_minutes_or_hours_minutes_seconds(text: str, seconds: int | None) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("address", "flag", "suggestion"),
    [
        ("ann@gmial.com", "typo", "ann@gmail.com"),
        ("ann@outlok.com", "typo", "ann@outlook.com"),
        ("ann@hotmail.con", "typo", "ann@hotmail.com"),
        ("info@acme-gmbh.de", "role", ""),
        ("noreply@example.com", "role", ""),
        ("x@mailinator.com", "disposable", ""),
    ],
)
def test_likely_mistyped_role_and_throwaway_addresses_are_flagged_with_a_suggestion(
    address: str, flag: str, suggestion: str
) -> None:
    found = emails.check(address)
    assert found is not None and (found.flag.value, found.suggestion) == (flag, suggestion)


@pytest.mark.parametrize(
    "address",
    [
        "ann@acme.com",
        "ann@gmail.com",
        "ann@mail.com",
        "ann@email.com",
        "ann@gmx.com",
        "ann@web.de",
        "ann@mit.edu",
    ],
)
def test_ordinary_addresses_are_not_flagged(address: str) -> None:
    assert emails.check(address) is None


def test_a_goto_webinar_registrant_report_lists_registrants_only() -> None:
    text = pf.goto_registrant_report(
        registrants=[
            ("Kim", "Lee", "kim@example.com", "Mar 01, 2026 08:19 AM EST"),
            ("No", "Mail", "", "Mar 01, 2026 08:20 AM EST"),
        ]
    )
    report = recognise(_rows(text))
    assert report is not None and (report.platform, report.kind) == ("gotowebinar", "registrants")
    (kim,) = report.people
    assert not kim.attended and kim.registered_at == dt.datetime(
        2026, 3, 1, 8, 19, tzinfo=dt.timezone(dt.timedelta(hours=-5))
    )
    assert report.left_out_by_reason() == {"no_email": 1}


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.sampled_from(
                    [
                        "Attendee Details",
                        "Host Details",
                        "Attended",
                        "Email",
                        "Join Time",
                        "Leave Time",
                        "Meeting title",
                        "First Join",
                        "Last Leave",
                        "In-Meeting Duration",
                        "Role",
                        "Name",
                        "Yes",
                        "--",
                        "a@example.com",
                        "Mar 05, 2026 10:00 AM EDT",
                        "3/5/26, 10:00:00 AM",
                        "1h 2m",
                        "Webinar Name",
                        "GoToWebinar",
                        "Attendee Report",
                        "Organizer",
                    ]
                ),
                st.text(max_size=12),
            ),
            max_size=8,
        ),
        max_size=25,
    )
)
def test_no_arrangement_of_report_like_cells_makes_a_reader_raise(rows: list[list[str]]) -> None:
    report = recognise(rows)
    if report is not None:  # whatever it read adds up: every person has an email and at least one row
        assert all(p.email and p.rows for p in report.people)
        assert report.rows_read >= len(report.people)


def test_a_teams_live_event_report_pairs_joins_and_leaves_per_session_in_utc() -> None:
    text = pf.teams_live_event_report(
        [
            ("s1", "ann@example.com", "Ann", "3/5/2026 10:00:00 AM", "Joined", "Attendee"),
            ("s1", "ann@example.com", "Ann", "3/5/2026 10:20:00 AM", "Left", "Attendee"),
            ("s2", "ann@example.com", "Ann", "3/5/2026 10:30:00 AM", "Joined", "Attendee"),
            ("s2", "ann@example.com", "Ann", "3/5/2026 10:45:00 AM", "Left", "Attendee"),
            ("s3", "pat@example.com", "Pat", "3/5/2026 09:50:00 AM", "Joined", "Presenter"),
            ("s4", "0b1c-anonymous", "Anonymous", "3/5/2026 10:05:00 AM", "Joined", "Attendee"),
        ]
    )
    report = recognise(_rows(text))
    assert report is not None and (report.platform, report.kind, report.stated_zone) == (
        "teams",
        "live_event",
        "UTC",
    )
    (ann,) = report.people
    assert ann.joined_at == dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)
    assert ann.left_at == dt.datetime(2026, 3, 5, 10, 45, tzinfo=dt.UTC)
    assert ann.seconds == 35 * 60  # 20 + 15 minutes in session, not the 45-minute span
    assert report.left_out_by_reason() == {"presenter": 1, "no_email": 1}


def _uk_teams(*joins: str) -> list[list[str]]:
    """A Teams attendance report downloaded in a day-first locale (UK): 24-hour times, day before month."""
    text = pf.teams_attendance_report(
        start=joins[0],
        participants=[
            (f"Person {i}", join, join, "30m 0s", f"person{i}@example.com", "Attendee")
            for i, join in enumerate(joins)
        ],
    )
    return _rows(text, delimiter="\t")


def test_one_date_past_the_12th_makes_the_whole_file_read_day_first() -> None:
    # Before, each cell was read on its own: "12/03" month first (December) beside "13/03" day first (March).
    report = recognise(_uk_teams("12/03/2026, 23:50:00", "13/03/2026, 00:10:00"))
    assert report is not None
    joined = sorted(person.joined_at for person in report.people if person.joined_at)
    assert joined == [dt.datetime(2026, 3, 12, 23, 50), dt.datetime(2026, 3, 13, 0, 10)]


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ((dt.date(2026, 4, 3),) * 2, dt.datetime(2026, 4, 3, 10, 5)),  # the event is on 3 April: day first
        ((dt.date(2026, 3, 4),) * 2, dt.datetime(2026, 3, 4, 10, 5)),  # the event is on 4 March: month first
        # A conference from 1 to 5 April, its report from its third day: still day first.
        ((dt.date(2026, 4, 1), dt.date(2026, 4, 5)), dt.datetime(2026, 4, 3, 10, 5)),
        (None, dt.datetime(2026, 3, 4, 10, 5)),  # no event to go by: month first, the platforms' default
    ],
    ids=["event on 3 April", "event on 4 March", "conference 1-5 April", "no event"],
)
def test_dates_that_read_both_ways_are_read_the_way_that_lands_on_the_events_days(
    days: tuple[dt.date, dt.date] | None, expected: dt.datetime
) -> None:
    report = recognise(_uk_teams("03/04/2026, 10:05:00", "03/04/2026, 10:07:00"), event_days=days)
    assert report is not None
    assert min(person.joined_at for person in report.people if person.joined_at) == expected


def test_a_us_file_stays_month_first_whatever_the_event_says() -> None:
    # "04/13/2026" can only be month first: the file says so, and the event's date is not asked.
    days = (dt.date(2026, 12, 4), dt.date(2026, 12, 4))
    report = recognise(_uk_teams("04/13/2026, 10:05:00", "04/12/2026, 10:07:00"), event_days=days)
    assert report is not None
    joined = sorted(person.joined_at for person in report.people if person.joined_at)
    assert joined == [dt.datetime(2026, 4, 12, 10, 7), dt.datetime(2026, 4, 13, 10, 5)]
