"""A platform's own report from upload to HubSpot: recognised without a mapping, merged per person, previewed in
the person's time zone, flagged addresses corrected, and recorded in one confirm against the live simulator."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hsadmin.core.models import AuditEntry, Job, User
from hsadmin.events.models import Event
from hsadmin.jobs.runner import run_job
from hsadmin.participation.models import Import, ImportStatus, ReportedAttendance, SavedMapping
from hsadmin.portals.models import Portal
from tests.live_simulator import LiveSimulator
from tests.participation import platform_files as pf

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def _ms(text: str, zone: ZoneInfo = BERLIN) -> int:
    return int(datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=zone).timestamp() * 1000)


def _upload(client: Client, event: Event, content: bytes, name: str) -> Import:
    response = client.post(
        reverse("participation:import-new", args=[event.portal.hub_id, event.object_id]),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )
    assert response.status_code == 302, response.content[:2000]
    imp = Import.objects.latest("id")
    assert imp.preview_job_id, "a recognised report is checked at once, without a mapping"
    assert run_job(imp.preview_job_id) == "succeeded", Job.objects.get(pk=imp.preview_job_id).message
    imp.refresh_from_db()
    return imp


def _page(client: Client, imp: Import) -> str:
    return client.get(
        reverse("participation:import", args=[imp.portal.hub_id, imp.event.object_id, imp.pk])
    ).text


def _again(client: Client, imp: Import, **data: object) -> Import:
    url = reverse("participation:import", args=[imp.portal.hub_id, imp.event.object_id, imp.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:3000]
    imp.refresh_from_db()
    assert run_job(imp.preview_job_id) == "succeeded"
    imp.refresh_from_db()
    return imp


def _confirm(client: Client, imp: Import, **data: str) -> Job:
    url = reverse("participation:import-confirm", args=[imp.portal.hub_id, imp.event.object_id, imp.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:3000]
    imp.refresh_from_db()
    run_job(imp.import_job_id)
    return Job.objects.get(pk=imp.import_job_id)


def test_a_zoom_attendee_report_is_recorded_in_one_confirm_with_rejoins_merged_and_staff_left_out(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
    make_contacts: Callable[[int], list[tuple[str, int]]],
) -> None:
    event = make_event(
        name="Quarterly product webinar",
        startDateTime="2026-03-05T09:00:00Z",
        endDateTime="2026-03-05T10:00:00Z",
    )
    (ann, ann_vid), (bob, bob_vid) = make_contacts(2)
    new = f"neu.{event.object_id}@example.com"
    typo = f"carl.{event.object_id}@gmial.com"
    report = pf.zoom_attendee_report(
        start="Mar 05, 2026 10:00 AM",
        attendees=[
            pf.zoom_attendee(
                ann,
                name="Ann Example",
                join="Mar 05, 2026 10:01:00",
                leave="Mar 05, 2026 10:31:00",
                minutes=30,
            ),
            pf.zoom_attendee(
                new, name="Nora Neu", join="Mar 05, 2026 10:05:00", leave="Mar 05, 2026 11:00:00", minutes=55
            ),
            pf.zoom_attendee(
                ann,
                name="Ann Example",
                join="Mar 05, 2026 10:40:00",
                leave="Mar 05, 2026 11:00:00",
                minutes=20,
            ),
            pf.zoom_attendee(bob, name="Bob Absent", attended=False),
            pf.zoom_attendee("", name="Guest Without Mail", guest="Yes"),
            pf.zoom_attendee(
                typo,
                name="Carl Typo",
                join="Mar 05, 2026 10:10:00",
                leave="Mar 05, 2026 10:20:00",
                minutes=10,
            ),
        ],
    )
    client = signed_in(marketing_user)
    imp = _upload(client, event, report.encode("utf-8-sig"), "attendee_report.csv")
    assert imp.report["platform"] == "zoom" and imp.report["kind"] == "attendees"
    assert imp.report["summary"] == {
        "people": 4,
        "attended": 3,
        "registered_only": 1,
        "merged": 1,
        "left_out": {"host": 1, "panelist": 1, "no_email": 1},
        "rows_read": 8,
    }
    assert [f["suggestion"] for f in imp.report["flags"]] == [typo.replace("gmial", "gmail")]
    page = _page(client, imp)
    assert (
        "Zoom webinar attendee report for “Quarterly product webinar”: 4 people, 3 attended, 1 registered only, "
        "1 row merged, 1 host, 1 panelist, 1 without an email left out." in page
    )
    assert "Quarterly product webinar</strong>" in page and "report-warning" not in page
    assert "Guest Without Mail" in page and "A host of the session" in page

    # The report's times were read in the person's zone (UTC here); they were in Berlin: pick it, accept the fix.
    imp = _again(client, imp, time_zone="Europe/Berlin", fix=[typo])
    assert imp.report["corrections"] == {typo: typo.replace("gmial", "gmail")} and imp.report["flags"] == []
    # register + attend for each attendee with a registration time, register for Bob: 7 inputs, 3 left out.
    assert (imp.counts["existing"], imp.counts["new"], imp.counts["left_out"], imp.counts["rows"]) == (
        3,
        4,
        3,
        10,
    )

    # The button counts the rows it sends: 7, not the 3 left out (nor, with "never create contacts", the 4 new).
    assert "Import 7 rows into HubSpot" in page and "Import 10 rows" not in page
    assert '<span class="send-without-new">Import 3 rows into HubSpot</span>' in page

    job = _confirm(client, imp, confirm_create="on")
    assert job.state == "succeeded", job.message
    # The three left-out rows are neither sent nor failed: the import is done, not "partly done", and audited so.
    assert (job.done, job.failed, job.skipped) == (10, 0, 3)
    assert job.state_label == "Finished"
    assert job.result["summary"] == (
        "7 of 7 rows recorded in HubSpot; 0 not recorded. "
        "Left out on purpose, not sent: 1 host, 1 panelist, 1 without an email."
    )
    audit = AuditEntry.objects.get(action="participation.import", portal=portal)
    assert audit.outcome == "success" and audit.detail["left_out"] == 3
    done_page = _page(client, imp)
    assert reverse("jobs:left-out-csv", args=[job.pk]) in done_page
    assert reverse("jobs:failed-csv", args=[job.pk]) not in done_page
    left = b"".join(client.get(reverse("jobs:left-out-csv", args=[job.pk])).streaming_content).decode()
    assert left.splitlines()[0] == "Email,Name,why left out"
    assert "Guest Without Mail" in left and "A host of the session" in left
    activities = hubspot.control.participations(event_object_id=event.object_id)
    by_contact: dict[str, set[tuple[str, int]]] = {}
    for row in activities:
        by_contact.setdefault(row["contactId"], set()).add((row["state"], row["interactionDateTime"]))
    registered = _ms("2026-02-20 08:00")
    assert by_contact[str(ann_vid)] == {("REGISTERED", registered), ("ATTENDED", _ms("2026-03-05 10:01"))}
    assert by_contact[str(bob_vid)] == {("REGISTERED", registered)}
    emails = {c["id"]: c["email"] for c in hubspot.control.contacts(portal.hub_id)}
    assert {emails[c] for c in by_contact} == {ann, bob, new, typo.replace("gmial", "gmail")}
    assert not any("example.com" in emails[c] and "host" in emails[c] for c in by_contact)
    ann_attend = next(r for r in activities if r["contactId"] == str(ann_vid) and r["state"] == "ATTENDED")
    assert ann_attend["properties"] == {
        "joinedAt": str(_ms("2026-03-05 10:01")),
        "leftAt": str(_ms("2026-03-05 11:00")),
    }

    # The event page shows the time in session from the report (50 minutes), not the 59-minute span.
    kept = ReportedAttendance.objects.get(event=event, email=ann)
    assert kept.seconds_in_session == 50 * 60
    breakdown = client.get(
        reverse("participation:event", args=[portal.hub_id, event.object_id]), {"show": 1}
    ).text
    assert "50 min in session" in breakdown

    # The same report again records nothing new: its times are the report's.
    again = _upload(client, event, report.encode("utf-8-sig"), "attendee_report.csv")
    again = _again(client, again, time_zone="Europe/Berlin", fix=[typo])
    _confirm(client, again)
    after = hubspot.control.participations(event_object_id=event.object_id)
    assert len(after) == len(activities), "\n".join(
        str((r["id"], r["contactId"], r["state"], r["interactionDateTime"], r.get("properties")))
        for r in after
    )


def test_a_host_who_also_attended_as_themselves_keeps_their_time_in_session(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
    make_contacts: Callable[[int], list[tuple[str, int]]],
) -> None:
    """The host's own row is left out, but that says nothing about their attendance, which HubSpot recorded."""
    event = make_event(
        name="Quarterly product webinar",
        startDateTime="2026-03-05T09:00:00Z",
        endDateTime="2026-03-05T10:00:00Z",
    )
    ((hana, hana_vid),) = make_contacts(1)
    report = pf.zoom_attendee_report(
        hosts=[("Hana Host", hana)],
        attendees=[
            pf.zoom_attendee(
                hana,
                name="Hana Host",
                join="Mar 05, 2026 10:02:00",
                leave="Mar 05, 2026 10:42:00",
                minutes=40,
            )
        ],
    )
    client = signed_in(marketing_user)
    imp = _upload(client, event, report.encode("utf-8-sig"), "attendee_report.csv")
    assert imp.report["summary"]["left_out"]["host"] == 1
    job = _confirm(client, imp)
    assert job.state == "succeeded"
    assert str(hana_vid) in {
        r["contactId"] for r in hubspot.control.participations(event_object_id=event.object_id)
    }
    assert ReportedAttendance.objects.get(event=event, email=hana).seconds_in_session == 40 * 60


def test_a_report_for_another_session_warns_before_anything_is_sent(
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
) -> None:
    event = make_event(name="Spring partner summit")
    report = pf.zoom_attendee_report(
        topic="Onboarding for new customers",
        start="Jan 05, 2025 10:00 AM",
        attendees=[pf.zoom_attendee("x.warn@example.com")],
    )
    client = signed_in(marketing_user)
    imp = _upload(client, event, report.encode(), "report.csv")
    page = _page(client, imp)
    assert "does not look like this event" in page and "started on 2025-01-05" in page
    assert imp.status == ImportStatus.PREVIEWED and not imp.import_job_id


def test_a_plain_csv_still_maps_its_columns_and_the_mapping_is_remembered_for_the_same_header(
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
) -> None:
    event = make_event()
    client = signed_in(marketing_user)
    url = reverse("participation:import-new", args=[portal.hub_id, event.object_id])
    client.post(url, {"file": SimpleUploadedFile("a.csv", b"Wer,Was,Firma\na@example.com,registered,x\n")})
    first = Import.objects.latest("id")
    assert not first.report and not first.preview_job_id
    assert first.mapping == ["", "", ""]
    choice = {
        "col_0": "email",
        "col_1": "state",
        "col_2": "prop:company",
        "default_interaction_at": "2026-03-01T10:00",
    }
    assert (
        client.post(
            reverse("participation:import", args=[portal.hub_id, event.object_id, first.pk]), choice
        ).status_code
        == 302
    )
    assert SavedMapping.objects.filter(user=marketing_user).count() == 1
    client.post(url, {"file": SimpleUploadedFile("b.csv", b"wer , WAS,firma\nb@example.com,attended,y\n")})
    assert Import.objects.latest("id").mapping == ["email", "state", "prop:company"]


def test_a_teams_report_in_utf16_is_recorded_with_organizers_and_anonymous_callers_left_out(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
    make_contacts: Callable[[int], list[tuple[str, int]]],
) -> None:
    event = make_event(
        name="Quarterly product webinar",
        startDateTime="2026-03-05T09:00:00Z",
        endDateTime="2026-03-05T10:00:00Z",
    )
    ((zoe, zoe_vid),) = make_contacts(1)
    text = pf.teams_attendance_report(
        participants=[
            (
                "Olga Organizer",
                "3/5/26, 10:00:00 AM",
                "3/5/26, 11:02:00 AM",
                "1h 2m 0s",
                f"olga.{event.object_id}@example.com",
                "Organizer",
            ),
            ("Zoë Müller", "3/5/26, 10:03:10 AM", "3/5/26, 10:58:00 AM", "48m 20s", zoe, "Attendee"),
            ("Anonymous caller", "3/5/26, 10:05:00 AM", "3/5/26, 10:10:00 AM", "5m 0s", "", "Attendee"),
        ]
    )
    client = signed_in(marketing_user)
    imp = _upload(client, event, text.encode("utf-16"), "meetingAttendanceReport.csv")
    assert (imp.encoding.replace("_", "-").lower().startswith("utf-16"), imp.delimiter) == (True, "\t")
    imp = _again(client, imp, time_zone="Europe/Berlin")
    assert imp.report["summary"]["left_out"] == {"organizer": 1, "no_email": 1}
    assert (imp.counts["existing"], imp.counts["new"], imp.counts["left_out"]) == (1, 0, 2)
    assert "Microsoft Teams attendance report for “Quarterly product webinar”: 1 person, 1 attended" in _page(
        client, imp
    )

    assert "Import 1 row into HubSpot" in _page(client, imp)
    job = _confirm(client, imp)
    assert (job.state, job.done, job.failed, job.skipped) == ("succeeded", 3, 0, 2)
    ((contact, state, at),) = {
        (r["contactId"], r["state"], r["interactionDateTime"])
        for r in hubspot.control.participations(event_object_id=event.object_id)
    }
    assert (contact, state, at) == (str(zoe_vid), "ATTENDED", _ms("2026-03-05 10:03") + 10_000)
    assert ReportedAttendance.objects.get(event=event, email=zoe).seconds_in_session == 48 * 60 + 20


def test_a_goto_webinar_report_keeps_the_zone_it_states_whatever_zone_is_picked(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
    make_contacts: Callable[[int], list[tuple[str, int]]],
) -> None:
    event = make_event(
        name="Quarterly product webinar",
        startDateTime="2026-03-05T15:00:00Z",
        endDateTime="2026-03-05T16:00:00Z",
    )
    ((kim, kim_vid),) = make_contacts(1)
    text = pf.goto_attendee_report(
        attendees=[
            (
                "Yes",
                75,
                "Kim",
                "Lee",
                kim,
                "Mar 01, 2026 08:19 AM EST",
                "Mar 05, 2026 10:58 AM EST",
                "Mar 05, 2026 11:56 AM EST",
                58,
            )
        ]
    )
    client = signed_in(marketing_user)
    imp = _upload(client, event, text.encode(), "attendees.csv")
    assert imp.report["stated_zone"] == "EST" and "The report states its times" in _page(client, imp)
    _confirm(client, imp)
    est = ZoneInfo("America/New_York")
    got = {
        (r["state"], r["interactionDateTime"])
        for r in hubspot.control.participations(event_object_id=event.object_id)
    }
    assert got == {("REGISTERED", _ms("2026-03-01 08:19", est)), ("ATTENDED", _ms("2026-03-05 10:58", est))}
    assert kim_vid


def test_a_report_with_new_people_asks_before_creating_them_and_can_be_mapped_as_a_plain_csv_instead(
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
) -> None:
    event = make_event(name="Quarterly product webinar")
    report = pf.zoom_attendee_report(attendees=[pf.zoom_attendee(f"fresh.{event.object_id}@example.com")])
    client = signed_in(marketing_user)
    imp = _upload(client, event, report.encode(), "report.csv")
    assert imp.counts["new"] == 2  # register and attend for one person HubSpot does not know
    url = reverse("participation:import-confirm", args=[portal.hub_id, event.object_id, imp.pk])
    for headers in ({}, {"HX-Request": "true"}):
        refused = client.post(url, headers=headers)
        assert refused.status_code == 422 and "new contacts may be created" in refused.text
    assert "Zoom webinar attendee report" in client.post(url).text

    detail = reverse("participation:import", args=[portal.hub_id, event.object_id, imp.pk])
    assert client.post(detail, {"as_csv": "1"}).status_code == 302
    imp.refresh_from_db()
    assert not imp.report and imp.status == ImportStatus.UPLOADED
    assert "Match the columns" in client.get(detail).text


def test_a_bad_time_zone_is_refused_with_the_form_and_starts_no_preview(
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
) -> None:
    event = make_event(name="Quarterly product webinar")
    client = signed_in(marketing_user)
    imp = _upload(
        client,
        event,
        pf.zoom_attendee_report(attendees=[pf.zoom_attendee("z@example.com")]).encode(),
        "r.csv",
    )
    detail = reverse("participation:import", args=[portal.hub_id, event.object_id, imp.pk])
    response = client.post(detail, {"time_zone": "Mars/Olympus", "fix": ["nobody@example.com"]})
    assert response.status_code == 422 and "Select a valid choice" in response.text
    assert Job.objects.filter(kind="participation.preview").count() == 1


def test_a_report_preview_keeps_the_persons_own_zone_when_it_is_one_without_a_region_such_as_japan(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
) -> None:
    """Preferences offer every zone name ("Japan", "GMT"); the report's zone choice must offer the person's own,
    selected, and accept it back, rather than show another zone as chosen or refuse the form."""
    marketing_user.time_zone = "Japan"
    marketing_user.save(update_fields=["time_zone"])
    event = make_event(name="Quarterly product webinar")
    report = pf.teams_attendance_report(
        participants=[
            ("Ann", "3/5/26, 10:01:00 AM", "3/5/26, 10:31:00 AM", "30m 0s", "ann@example.com", "Attendee")
        ]
    )
    client = signed_in(marketing_user)
    imp = _upload(client, event, report.encode("utf-16"), "meetingAttendanceReport.csv")
    assert imp.time_zone == "Japan"
    assert '<option value="Japan" selected>' in _page(client, imp)
    imp = _again(client, imp, time_zone="Japan")
    assert imp.time_zone == "Japan"


def test_blank_lines_in_a_report_never_cut_off_the_people_after_them(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
    settings: pytest.FixtureRequest,
) -> None:
    """The upload counts rows without its blank lines (spreadsheets leave thousands of `,,,,` behind); the
    preview must read as far, or every person after the blank lines is silently left out."""
    settings.HSADMIN_IMPORT_MAX_ROWS = 40
    event = make_event(name="Quarterly product webinar")
    people = [f"p{i}.{event.object_id}@example.com" for i in range(4)]
    lines = pf.zoom_attendee_report(attendees=[pf.zoom_attendee(email) for email in people]).split("\r\n")
    second = next(i for i, line in enumerate(lines) if people[1] in line)
    lines[second + 1 : second + 1] = [",,,,,,,,,,,"] * 2100
    client = signed_in(marketing_user)
    imp = _upload(client, event, "\r\n".join(lines).encode("utf-8"), "attendee_report.csv")
    assert imp.status == ImportStatus.PREVIEWED, imp.message
    assert imp.report["summary"]["people"] == 4


def test_a_report_dated_at_the_edge_of_the_calendar_is_previewed_with_its_warning_not_a_failed_job(
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
) -> None:
    event = make_event(name="Quarterly product webinar")
    report = pf.zoom_attendee_report(
        start="Jan 01, 0001 12:30 AM GMT+14:00", attendees=[pf.zoom_attendee("x.edge@example.com")]
    )
    marketing_user.time_zone = "America/New_York"
    marketing_user.save(update_fields=["time_zone"])
    imp = _upload(signed_in(marketing_user), event, report.encode(), "report.csv")
    assert imp.status == ImportStatus.PREVIEWED, imp.message
    assert any("started on 0001-01-01" in warning for warning in imp.report["warnings"])


def test_a_day_first_report_whose_dates_read_both_ways_is_read_on_the_events_day(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
    make_contacts: Callable[[int], list[tuple[str, int]]],
) -> None:
    # A Teams report from a UK account: "03/04/2026" is 3 April. Read month first it would be 4 March, a month
    # before the event, and every attendee's join time would be sent a month off.
    event = make_event(
        name="Quarterly product webinar",
        startDateTime="2026-04-03T09:00:00Z",
        endDateTime="2026-04-03T10:00:00Z",
    )
    ((ann, _),) = make_contacts(1)
    report = pf.teams_attendance_report(
        start="03/04/2026, 10:00:00",
        participants=[
            ("Ann Example", "03/04/2026, 10:02:00", "03/04/2026, 10:50:00", "48m 0s", ann, "Attendee")
        ],
    )
    client = signed_in(marketing_user)
    imp = _upload(client, event, report.encode("utf-16"), "attendance.csv")
    assert imp.report["platform"] == "teams"
    assert imp.report["started_at"].startswith("2026-04-03")
    assert "report-warning" not in _page(client, imp)
