"""Browser journey: a Zoom attendee report and a Teams attendance report, uploaded as the platforms download
them, understood without mapping a column, recorded in one confirm each, and their time in session shown."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from hsadmin.core.models import User
from hsadmin.events.models import Event
from hsadmin.jobs.runner import run_job
from hsadmin.participation.models import Import
from hsadmin.portals.models import Portal
from tests.browser.conftest import PageProblems, looks_right
from tests.browser.test_portals_and_events import _sign_in
from tests.events.conftest import partner, portal  # noqa: F401 - fixtures
from tests.live_simulator import LiveSimulator
from tests.participation import platform_files as pf
from tests.participation.conftest import make_contacts, make_event, ours  # noqa: F401 - fixtures
from tests.portals.conftest import hubspot, make_portal  # noqa: F401 - fixtures


def _import(page: Page, live_server: LiveServer, event: Event, name: str, content: bytes) -> None:
    page.goto(f"{live_server.url}/p/{event.portal.hub_id}/events/{event.object_id}/participation/breakdown/")
    page.get_by_role("link", name="Import a CSV").click()
    page.get_by_label("CSV file").set_input_files({"name": name, "mimeType": "text/csv", "buffer": content})
    page.get_by_role("button", name="Upload and map columns").click()
    expect(page.locator("#understood")).to_be_visible()
    imp = Import.objects.latest("id")
    assert run_job(imp.preview_job_id) == "succeeded"  # the worker's part; the page polls meanwhile


def test_marketing_records_a_zoom_and_a_teams_report_without_mapping_a_column(
    live_server: LiveServer,
    page: Page,
    problems: PageProblems,
    marketing_user: User,
    hubspot: LiveSimulator,  # noqa: F811
    portal: Portal,  # noqa: F811
    make_event: Callable[..., Event],  # noqa: F811
    make_contacts: Callable[[int], list[tuple[str, int]]],  # noqa: F811
    settings: pytest.FixtureRequest,
) -> None:
    settings.HSADMIN_IMPORT_CONCURRENCY = 1  # the in-memory test database is not for several threads at once
    event = make_event(
        name="Quarterly product webinar",
        startDateTime="2026-03-05T09:00:00Z",
        endDateTime="2026-03-05T10:00:00Z",
    )
    (ann, _), (bob, _), (zoe, _) = make_contacts(3)
    zoom = pf.zoom_attendee_report(
        attendees=[
            pf.zoom_attendee(ann, join="Mar 05, 2026 10:01:00", leave="Mar 05, 2026 10:31:00", minutes=30),
            pf.zoom_attendee(ann, join="Mar 05, 2026 10:40:00", leave="Mar 05, 2026 11:00:00", minutes=20),
            pf.zoom_attendee(bob, name="Bob Absent", attended=False),
            pf.zoom_attendee("", name="Guest Phone", guest="Yes"),
        ]
    )
    _sign_in(page, live_server, "mara")
    _import(page, live_server, event, "attendee_report.csv", zoom.encode("utf-8-sig"))
    understood = page.locator("#understood")
    expect(understood).to_contain_text(
        "Zoom webinar attendee report for “Quarterly product webinar”: 2 people, 1 attended, 1 registered only, "
        "1 row merged, 1 host, 1 panelist, 1 without an email left out.",
        timeout=10_000,
    )
    expect(understood).to_contain_text("It goes to the event Quarterly product webinar")
    expect(page.locator(".preview-left_out")).to_contain_text("Guest Phone")
    assert looks_right(page) == []
    # The button counts the rows it sends (Ann's registration and attendance, Bob's registration), not the three
    # left out; the progress counts every row of the report, and the left-out ones apart, not as failures.
    page.get_by_role("button", name=re.compile(r"Import 3 rows")).click()
    expect(page.locator(".job-progress")).to_contain_text("waiting for a worker")
    imp = Import.objects.latest("id")
    assert run_job(imp.import_job_id) == "succeeded"
    expect(page.locator(".job-progress")).to_contain_text("6 of 6 rows", timeout=10_000)
    expect(page.locator(".job-progress")).to_contain_text("3 left out on purpose")
    expect(page.locator(".job-progress")).not_to_contain_text("not done")
    expect(page.get_by_role("link", name="Download the rows left out on purpose (CSV)")).to_be_visible()

    teams = pf.teams_attendance_report(
        participants=[
            (
                "Olga Organizer",
                "3/5/26, 10:00:00 AM",
                "3/5/26, 11:02:00 AM",
                "1h 2m 0s",
                "olga@example.com",
                "Organizer",
            ),
            ("Zoë Müller", "3/5/26, 10:03:10 AM", "3/5/26, 10:58:00 AM", "48m 20s", zoe, "Attendee"),
        ]
    )
    _import(page, live_server, event, "meetingAttendanceReport.csv", teams.encode("utf-16"))
    expect(page.locator("#understood")).to_contain_text(
        "Microsoft Teams attendance report for “Quarterly product webinar”: 1 person, 1 attended",
        timeout=10_000,
    )
    page.get_by_role("button", name=re.compile(r"Import 1 row\b")).click()
    expect(page.locator(".job-progress")).to_contain_text("waiting for a worker")
    imp = Import.objects.latest("id")
    assert run_job(imp.import_job_id) == "succeeded"
    expect(page.locator(".job-progress")).to_contain_text("2 of 2 rows", timeout=10_000)

    page.get_by_role("link", name="See who took part").click()
    breakdown = page.locator("#breakdown")
    expect(breakdown).to_contain_text("3 people", timeout=10_000)
    expect(breakdown.locator("tr", has_text=ann)).to_contain_text("50 min in session")
    expect(breakdown.locator("tr", has_text=zoe)).to_contain_text("48 min 20 s in session")
    assert problems.errors == []


def test_the_confirm_button_counts_the_rows_it_will_send_and_follows_never_create_contacts(
    live_server: LiveServer,
    page: Page,
    problems: PageProblems,
    marketing_user: User,
    hubspot: LiveSimulator,  # noqa: F811
    portal: Portal,  # noqa: F811
    make_event: Callable[..., Event],  # noqa: F811
    make_contacts: Callable[[int], list[tuple[str, int]]],  # noqa: F811
) -> None:
    event = make_event(
        name="Quarterly product webinar",
        startDateTime="2026-03-05T09:00:00Z",
        endDateTime="2026-03-05T10:00:00Z",
    )
    ((ann, _),) = make_contacts(1)
    zoom = pf.zoom_attendee_report(
        attendees=[
            pf.zoom_attendee(ann, join="Mar 05, 2026 10:01:00", leave="Mar 05, 2026 10:31:00", minutes=30),
            pf.zoom_attendee(f"nobody.yet.{event.object_id}@example.org", name="Nora New", attended=False),
        ]
    )
    _sign_in(page, live_server, "mara")
    _import(page, live_server, event, "attendee_report.csv", zoom.encode("utf-8-sig"))
    expect(page.locator("#understood")).to_contain_text("2 people", timeout=10_000)
    confirm = page.locator("#confirm button[type=submit]")
    # Ann's registration and attendance, and Nora's registration; the host and the panelist are not counted.
    expect(confirm).to_have_accessible_name("Import 3 rows into HubSpot")
    page.locator("#confirm").get_by_label("Never create contacts", exact=True).check()
    expect(confirm).to_have_accessible_name("Import 2 rows into HubSpot")
    page.locator("#confirm").get_by_label("Never create contacts", exact=True).uncheck()
    expect(confirm).to_have_accessible_name("Import 3 rows into HubSpot")
    assert problems.errors == []
