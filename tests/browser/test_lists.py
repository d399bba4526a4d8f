"""Browser journeys: an event's lists (add, remove), one list for many events, and the app's settings."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from hsadmin.core.models import Job, User
from hsadmin.core.roles import APP_ADMIN, Role
from hsadmin.events.services import EventData, event_create
from hsadmin.jobs.runner import run_job
from hsadmin.portals.models import Portal
from tests.browser.conftest import PageProblems
from tests.conftest import PASSWORD
from tests.live_simulator import LiveSimulator
from tests.portals.conftest import hubspot, make_portal  # noqa: F401 - fixtures


def _sign_in(page: Page, live_server: LiveServer, username: str) -> None:
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()


def test_marketing_ties_a_list_to_an_event_removes_it_and_ties_one_list_to_two_events(
    live_server: LiveServer,
    page: Page,
    problems: PageProblems,
    marketing_user: User,
    hubspot: LiveSimulator,  # noqa: F811
    make_portal: Callable[..., Portal],  # noqa: F811
) -> None:
    portal = make_portal((marketing_user, Role.MARKETING))
    first = event_create(
        portal=portal, user=marketing_user, data=EventData(name="Lists webinar", organizer="Acme")
    )
    event_create(portal=portal, user=marketing_user, data=EventData(name="Lists summit", organizer="Acme"))

    _sign_in(page, live_server, "mara")
    page.get_by_role("link", name="Events").click()
    page.get_by_role("link", name="Lists webinar").click()
    page.get_by_role("tab", name="Lists").click()
    expect(page.get_by_text("No list is tied to this event yet.")).to_be_visible()

    page.get_by_role("link", name="Add a list").click()
    page.get_by_label("List name").fill("invitees")
    results = page.locator("#list-search table tbody tr")
    expect(results.first).to_contain_text("Webinar invitees")
    expect(page).to_have_url(re.compile(r"q=invitees"))
    results.filter(has_text="Webinar invitees").first.get_by_role(
        "button", name="Add Webinar invitees"
    ).click()
    expect(page.locator("#toasts")).to_contain_text("is now tied to this event")
    row = page.locator("table.lists-table tbody tr", has_text="Webinar invitees")
    expect(row).to_contain_text("Fixed members")
    expect(row).to_contain_text("Ready")

    row.get_by_role("link", name="Remove Webinar invitees").click()
    expect(page.get_by_role("heading", name=re.compile("Untie “Webinar invitees”"))).to_be_visible()
    page.get_by_role("button", name="Remove the list").click()
    expect(page.locator("#toasts")).to_contain_text("is no longer tied to this event")
    expect(page.get_by_text("No list is tied to this event yet.")).to_be_visible()

    # One list for two events, from the event list's bulk bar.
    page.get_by_role("link", name="Events").first.click()
    page.get_by_label("Select Lists webinar").check()
    page.get_by_label("Select Lists summit").check()
    page.get_by_role("button", name="Associate a list…").click()
    expect(page.get_by_role("heading", name="Associate a list with 2 selected events")).to_be_visible()
    page.get_by_label("List name").fill("newsletter")
    choice = page.locator("#list-search table tbody tr", has_text="Newsletter subscribers").first
    choice.get_by_role("button", name=re.compile("Associate Newsletter subscribers")).click()
    expect(page.locator("#toasts")).to_contain_text("to 2 events")
    job = Job.objects.get(kind="lists.bulk_associate")
    assert run_job(job.pk) == "succeeded"
    expect(page.locator(".job-progress")).to_contain_text("2 of 2", timeout=10_000)
    page.goto(f"{live_server.url}/p/{portal.hub_id}/events/{first.object_id}/lists/")
    expect(page.locator("table.lists-table")).to_contain_text("Newsletter subscribers")


def test_an_app_admin_points_the_app_at_hsadmin_and_tests_the_url(
    live_server: LiveServer,
    page: Page,
    problems: PageProblems,
    portal_admin_user: User,
    marketing_user: User,
    hubspot: LiveSimulator,  # noqa: F811
    make_portal: Callable[..., Portal],  # noqa: F811
    settings,
) -> None:
    settings.HSADMIN_ALLOW_LOOPBACK_FETCH = True
    settings.HSADMIN_LOOPBACK_PORTS = [int(live_server.url.rsplit(":", 1)[1])]
    portal_admin_user.groups.add(Group.objects.get(name=APP_ADMIN))  # app-wide authority (README: Security)
    make_portal((marketing_user, Role.MARKETING))
    _sign_in(page, live_server, "pat")
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="App settings")).to_be_visible()
    page.get_by_role("link", name="Use hsadmin as the event-details URL").click()
    expect(page.get_by_role("textbox", name="Event-details URL")).to_have_value(
        f"{live_server.url}/hubspot/event-details/%s"
    )
    page.get_by_role("button", name="Save in HubSpot").click()
    expect(page.locator("#toasts")).to_contain_text("HubSpot now calls")
    expect(page.locator("#current-event-details-url")).to_have_text(
        f"{live_server.url}/hubspot/event-details/%s"
    )

    page.get_by_role("button", name="Call it as HubSpot would").click()
    # "sample-event" is no event of ours: hsadmin answers 404, and the tester says so.
    expect(page.locator(".test-result")).to_contain_text("answered 404")
    # Loopback is allowed here (development), but only the simulator and hsadmin itself: not another port.
    page.get_by_label("URL to test").fill("https://127.0.0.1:9/latest/%s")
    page.get_by_role("button", name="Call it as HubSpot would").click()
    expect(page.locator(".test-result")).to_contain_text("hsadmin did not call this URL.")
    expect(page.locator(".test-result")).to_contain_text("only the simulator and hsadmin itself")
