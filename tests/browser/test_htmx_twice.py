"""Tests that look: every HTMX interaction done twice, and each swapped region on the page exactly once,
showing what the URL says.

The event list, reports and activity data live in the mirror (no HubSpot call is needed to page, sort or
filter); the participation breakdown and the list search read the live simulator.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from hsadmin.core.models import AuditEntry, Job, User
from hsadmin.core.roles import Role
from hsadmin.events.models import Event
from hsadmin.portals.models import Membership, Portal
from tests.browser.conftest import PageProblems, assert_once, looks_right
from tests.browser.test_every_page import Tour, tour  # noqa: F401 - fixtures
from tests.conftest import PASSWORD
from tests.portals.conftest import hubspot, make_portal  # noqa: F401 - fixtures


def _sign_in(page: Page, live_server: LiveServer, username: str, next_path: str) -> None:
    page.goto(f"{live_server.url}/sign-in/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def acme(marketing_user: User, manager_user: User) -> Portal:
    """A portal with 60 events in the mirror, one every 10 days around now, numbered in time order."""
    portal = Portal.objects.create(hub_id=4242, name="Acme", status="connected", refresh_token="r")
    for user, role in ((marketing_user, Role.MARKETING), (manager_user, Role.MANAGER)):
        Membership.objects.create(user=user, portal=portal, role=role.value)
    now = timezone.now()
    Event.objects.bulk_create(
        Event(
            portal=portal,
            object_id=str(9000 + i),
            name=f"Event {i:02d}",
            event_type=("WEBINAR", "CONFERENCE")[i % 2],
            organizer="Acme",
            starts_at=now + dt.timedelta(days=10 * (i - 40)),
            ends_at=now + dt.timedelta(days=10 * (i - 40), hours=1),
            registrants=10 + i,
            attendees=i,
            no_shows=10,
        )
        for i in range(60)
    )
    return portal


def _rows(page: Page, table: str) -> list[str]:
    return page.locator(f"{table} tbody tr td a").all_inner_texts()


def test_the_event_list_pages_sorts_filters_and_searches_twice_without_nesting(
    live_server: LiveServer, page: Page, problems: PageProblems, acme: Portal
) -> None:
    _sign_in(page, live_server, "mara", f"/p/{acme.hub_id}/events/?sort=name")
    table = "#events-table"
    expect(page.locator(table)).to_contain_text("Page 1 of 3")

    for number in (2, 3):
        page.locator(table).get_by_role("link", name="Next").click()
        expect(page).to_have_url(re.compile(rf"page={number}"))
        expect(page.locator(table)).to_contain_text(f"Page {number} of 3")
        assert_once(page, table)
        assert_once(page, f"{table} table")
    assert _rows(page, table)[0] == "Event 50"
    for number in (2, 1):
        page.locator(table).get_by_role("link", name="Previous").click()
        expect(page).to_have_url(re.compile(rf"page={number}"))
        expect(page.locator(table)).to_contain_text(f"Page {number} of 3")
        assert_once(page, table)
    assert _rows(page, table)[0] == "Event 00"

    # Sorting: once descending, once back ascending.
    for sort, first in (("-name", "Event 59"), ("name", "Event 00")):
        page.locator(table).get_by_role("link", name=re.compile("^Name")).click()
        expect(page).to_have_url(re.compile(rf"sort={re.escape(sort)}(&|$)"))
        expect(page.locator(f"{table} tbody tr").first).to_contain_text(first)
        assert_once(page, table)

    # Filters: the type, then the status, each shows what the URL asks for.
    page.get_by_label("Type").select_option("CONFERENCE")
    expect(page).to_have_url(re.compile(r"type=CONFERENCE"))
    expect(page.locator(table)).to_contain_text("Page 1 of 2")
    expect(page.locator(f"{table} tbody")).not_to_contain_text("WEBINAR")
    assert_once(page, table)
    page.get_by_label("Type").select_option("WEBINAR")
    expect(page).to_have_url(re.compile(r"type=WEBINAR"))
    expect(page.locator(f"{table} tbody")).not_to_contain_text("CONFERENCE")
    assert_once(page, table)
    page.get_by_label("Type").select_option("")

    # Dates the server refuses, twice: the table swapped in says it is not filtered and why; good dates filter.
    problems.expect_status(422)
    for since, until in (("2026-05-01", "2026-01-01"), ("2030-12-31", "2030-01-01")):
        page.get_by_label("Starts from").fill(since)
        page.get_by_label("Starts from").dispatch_event("change")
        page.get_by_label("Starts until").fill(until)
        page.get_by_label("Starts until").dispatch_event("change")
        alert = page.locator(f"{table} .alert-error")
        expect(alert).to_contain_text("Not filtered")
        expect(alert).to_contain_text("Starts until: This date is before “Starts from”.")
        assert_once(page, table)
        assert looks_right(page) == []
        page.get_by_label("Starts until").fill("2100-12-31")
        page.get_by_label("Starts until").dispatch_event("change")
        expect(page.locator(f"{table} .alert-error")).to_have_count(0)
        assert_once(page, table)
    # A date the browser itself refuses (before 1970) is not sent, and the browser says why.
    page.get_by_label("Starts from").fill("1900-01-01")
    assert page.get_by_label("Starts from").evaluate("field => field.validity.rangeUnderflow")
    for field in ("Starts from", "Starts until"):
        page.get_by_label(field).fill("")
        page.get_by_label(field).dispatch_event("change")

    # Search as you type, twice.
    for term, count in (("Event 1", 10), ("Event 12", 1)):
        page.get_by_label("Search").fill(term)
        expect(page).to_have_url(re.compile(rf"q={term.replace(' ', r'(\+|%20)')}(&|$)"))
        expect(page.locator(f"{table} tbody tr")).to_have_count(count)
        assert_once(page, table)
    # The browser's back button goes back to the previous search's state.
    page.go_back()
    expect(page).to_have_url(re.compile(r"q=Event(\+|%20)1(&|$)"))


def test_the_event_list_opens_on_the_last_week_and_pages_back_twice_and_returns(
    live_server: LiveServer, page: Page, problems: PageProblems, acme: Portal
) -> None:
    """No sort chosen: Event 40 starts now, so the list opens on it and what follows; Earlier twice reaches the
    oldest, and "Recent and upcoming" comes back, each time one table showing what the URL says."""
    _sign_in(page, live_server, "mara", f"/p/{acme.hub_id}/events/")
    table = "#events-table"
    expect(page.locator(f"{table} tbody tr").first).to_contain_text("Event 40")
    expect(page.locator(table)).to_contain_text("of 60 events")
    for first, last in (("Event 15", "Event 39"), ("Event 00", "Event 14")):
        page.locator(table).get_by_role("link", name="Earlier").click()
        expect(page).to_have_url(re.compile(r"before=\d+"))
        expect(page.locator(f"{table} tbody tr").first).to_contain_text(first)
        expect(page.locator(f"{table} tbody tr").last).to_contain_text(last)
        assert_once(page, table)
        assert_once(page, f"{table} table")
    expect(page.locator(table).get_by_role("link", name="Earlier")).to_have_count(0)
    page.locator(table).get_by_role("link", name="Recent and upcoming").click()
    expect(page).to_have_url(re.compile(r"/events/(\?)?$"))
    expect(page.locator(f"{table} tbody tr").first).to_contain_text("Event 40")
    assert_once(page, table)
    page.go_back()
    expect(page.locator(f"{table} tbody tr").first).to_contain_text("Event 00")

    # A header clicked, then a filter: the filter keeps the chosen sort (and clears the row the page started at).
    page.goto(f"{live_server.url}/p/{acme.hub_id}/events/")
    page.locator(table).get_by_role("link", name=re.compile("^Name")).click()
    expect(page).to_have_url(re.compile(r"sort=name(&|$)"))
    page.get_by_label("Type").select_option("CONFERENCE")
    expect(page).to_have_url(re.compile(r"type=CONFERENCE"))
    expect(page).to_have_url(re.compile(r"sort=name(&|$)"))
    expect(page.locator(f"{table} tbody tr").first).to_contain_text(
        "Event 01"
    )  # the first conference by name
    assert_once(page, table)


def test_the_bulk_bar_counts_a_selection_and_survives_paging_twice(
    live_server: LiveServer, page: Page, problems: PageProblems, acme: Portal
) -> None:
    _sign_in(page, live_server, "mara", f"/p/{acme.hub_id}/events/?sort=name")
    table = "#events-table"
    page.get_by_label("Select Event 00").check()
    page.get_by_label("Select Event 01").check()
    expect(page.locator("[data-selection-count]")).to_have_text(re.compile("^2 selected"))
    for _ in range(2):
        page.locator(table).get_by_role("link", name="Next").click()
        expect(page.locator("[data-selection-count]")).to_have_text(re.compile("^0 selected"))
        assert_once(page, table)
        assert_once(page, "#bulk-form")
    page.get_by_label("Select all on this page").check()
    expect(page.locator("[data-selection-count]")).to_have_text(re.compile("^10 selected"))

    # No action is chosen at first; only "Set a field" shows its inputs; the yes is asked in the page.
    apply = page.get_by_role("button", name="Apply to selected…")
    expect(page.get_by_label("Bulk action")).to_have_value("")
    expect(apply).to_be_disabled()
    expect(page.get_by_label("New value")).to_be_hidden()
    page.get_by_label("Bulk action").select_option("set_field")
    expect(page.get_by_label("New value")).to_be_visible()
    page.get_by_label("Bulk action").select_option("cancel")
    expect(page.get_by_label("New value")).to_be_hidden()
    page.on("dialog", lambda dialog: pytest.fail(f"the browser's own dialog opened: {dialog.message}"))
    apply.click()
    expect(page.get_by_role("heading", name="Cancel 10 events in HubSpot?")).to_be_visible()
    expect(page.locator(".bulk-names li")).to_have_count(10)
    assert looks_right(page) == []
    page.get_by_role("link", name="Go back").click()
    expect(page.locator(table)).to_contain_text("Page 3 of 3")


def test_the_reports_event_table_pages_and_sorts_twice_without_nesting(
    live_server: LiveServer, page: Page, problems: PageProblems, acme: Portal
) -> None:
    _sign_in(page, live_server, "max", "/reports/%3Fperiod%3Dlast_12_months")
    table = "#report-table"
    expect(page.get_by_label("Period", exact=True)).to_have_value("last_12_months")
    expect(page.locator(table)).to_contain_text("Page 1 of 2")
    for number in (2, 1):
        page.locator(table).get_by_role("link", name="Next" if number == 2 else "Previous").click()
        expect(page).to_have_url(re.compile(rf"page={number}"))
        expect(page.locator(table)).to_contain_text(f"Page {number} of 2")
        assert_once(page, table)
        assert_once(page, f"{table} table")
    for sort in ("registrants", "-registrants"):
        page.locator(table).get_by_role("link", name=re.compile("^Registered")).click()
        expect(page).to_have_url(re.compile(rf"sort={sort}(&|$)"))
        assert_once(page, table)
    figures = page.locator(f"{table} tbody tr td.num").all_inner_texts()
    registered = [int(figures[i]) for i in range(0, len(figures), 4)]
    assert registered == sorted(registered, reverse=True)
    # The report's selects still say what it shows: pressing Show changes nothing.
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_label("Period", exact=True)).to_have_value("last_12_months")
    expect(page.locator(".page-head .muted")).to_contain_text("Last 12 months")


def test_the_activity_log_filters_and_pages_twice_without_nesting(
    live_server: LiveServer, page: Page, problems: PageProblems, portal_admin_user: User, acme: Portal
) -> None:
    Membership.objects.create(user=portal_admin_user, portal=acme, role=Role.PORTAL_ADMIN.value)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=portal_admin_user,
            actor_name="pat" if i % 2 else "mara",
            portal=acme,
            portal_name="Acme",
            action="event.update",
            target=f"Event {i:03d}",
        )
        for i in range(120)
    )
    _sign_in(page, live_server, "pat", "/activity/")
    table = "#activity-table"
    for person, pages in (("pat", 2), ("mara", 2)):
        page.get_by_label("Person").fill(person)
        page.get_by_role("button", name="Filter").click()
        expect(page).to_have_url(re.compile(rf"person={person}"))
        who = page.locator(f"{table} tbody td:nth-child(2)")
        expect(who).to_have_text([person] * 50)
        expect(page.locator(table)).to_contain_text(f"Page 1 of {pages}")
        assert_once(page, table)
    # Leaving the name field and pressing Filter sends the filter twice (change, then submit); the second answer
    # replaces the table, and a page link clicked before it lands goes with the old table. A person reads the
    # rows first: wait for the answers still on their way, as they would.
    page.wait_for_load_state("networkidle")
    for name, number in (("Next", 2), ("Previous", 1)):
        page.locator(table).get_by_role("link", name=name).click()
        expect(page).to_have_url(re.compile(rf"person=mara.*page={number}"))
        expect(page.locator(table)).to_contain_text(f"Page {number} of 2")
        assert_once(page, table)
        assert_once(page, f"{table} table")


def test_participation_lists_and_jobs_filter_search_and_page_twice_without_nesting(
    live_server: LiveServer,
    page: Page,
    problems: PageProblems,
    tour: Tour,  # noqa: F811
    marketing_user: User,
) -> None:
    Job.objects.bulk_create(
        Job(kind="events.sync", portal=tour.portal, started_by=marketing_user, state="succeeded")
        for _ in range(30)
    )
    past = f"/p/{tour.portal.hub_id}/events/{tour.past_event.object_id}"
    _sign_in(page, live_server, "mara", past + "/participation/breakdown/")
    breakdown = "#breakdown"
    expect(page.locator(breakdown)).to_contain_text("12 people")
    for state, count in (("ATTENDED", 7), ("NO_SHOW", 5)):
        page.get_by_label("State").select_option(state)
        expect(page).to_have_url(re.compile(rf"state={state}"))
        expect(page.locator(f"{breakdown} tbody tr")).to_have_count(count)
        assert_once(page, breakdown)
    expect(page.locator(f"{breakdown} tbody")).not_to_contain_text("Attended")

    # Record one, twice: the form is swapped in place, each success is said once, naming the person, and the
    # time starts at the event's (it is over), to the minute.
    page.goto(f"{live_server.url}{past}/participation/record/")
    start = timezone.localtime(tour.past_event.starts_at).strftime("%Y-%m-%dT%H:%M")
    for n, state in ((1, "Attended"), (2, "Registered")):
        expect(page.get_by_label("When", exact=True)).to_have_value(start)
        page.get_by_label("Contact", exact=True).fill(tour.email)
        page.get_by_label(state, exact=True).check()
        page.get_by_role("button", name="Record in HubSpot").click()
        toast = page.locator(
            "#toasts .toast", has_text=f"HubSpot recorded Ada ({tour.email}) as {state.lower()}."
        )
        expect(toast).to_have_count(1)
        expect(page.locator("#toasts .toast")).to_have_count(n)
        assert_once(page, "#record-form")
        expect(page.locator("#record-form")).not_to_contain_text("HubSpot recorded")

    page.goto(f"{live_server.url}{past}/lists/add/")
    search = "#list-search"
    for term, name in (("invitees", "Webinar invitees"), ("newsletter", "Newsletter subscribers")):
        page.get_by_label("List name").fill(term)
        expect(page).to_have_url(re.compile(rf"q={term}"))
        expect(page.locator(f"{search} tbody tr").first).to_contain_text(name)
        assert_once(page, search)
        assert_once(page, f"{search} table")

    page.goto(f"{live_server.url}/jobs/")
    jobs = "#jobs-table"
    for name, number in (("Next", 2), ("Previous", 1)):
        page.locator(jobs).get_by_role("link", name=name).click()
        expect(page).to_have_url(re.compile(rf"page={number}"))
        expect(page.locator(jobs)).to_contain_text(f"Page {number} of 2")
        assert_once(page, jobs)
        assert_once(page, f"{jobs} table")
