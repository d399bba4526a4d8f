"""Browser journeys: connecting the demo portal through the simulator's consent page, and working on events."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from hsadmin.core.models import User
from hsadmin.core.roles import Role
from hsadmin.jobs.runner import run_job
from hsadmin.jobs.services import job_start
from hsadmin.portals.models import Portal
from tests.browser.conftest import WIDTHS, PageProblems, looks_right
from tests.conftest import PASSWORD
from tests.events.conftest import HubSpotApi
from tests.live_simulator import LiveSimulator
from tests.portals.conftest import hubspot, make_portal  # noqa: F401 - fixtures


def _sign_in(page: Page, live_server: LiveServer, username: str) -> None:
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_a_portal_admin_connects_the_demo_portal_in_a_few_clicks(
    live_server: LiveServer,
    page: Page,
    problems: PageProblems,
    portal_admin_user: User,
    hubspot: LiveSimulator,  # noqa: F811
    width: str,
) -> None:
    problems.ignore_origin(hubspot.base_url)
    w, h = WIDTHS[width]
    page.set_viewport_size({"width": w, "height": h})
    _sign_in(page, live_server, "pat")
    page.get_by_role("link", name="Portals").click()
    expect(page.get_by_role("heading", name="No portal is connected yet")).to_be_visible()
    page.get_by_role("link", name="Connect a HubSpot portal").first.click()
    # HubSpot's (the simulator's) consent page.
    expect(page).to_have_url(re.compile(re.escape(hubspot.base_url) + "/oauth/authorize"))
    page.get_by_role("button", name="Connect app").click()
    expect(page.locator("#toasts")).to_contain_text("is connected. Its first sync has started")
    expect(page.get_by_role("heading", name="Permissions (scopes)")).to_be_visible()
    # What the connection brought: the first sync's progress, on the portal's page.
    expect(
        page.locator("section", has_text="events from this portal").locator(".job-progress")
    ).to_be_visible()
    assert looks_right(page) == []
    portal = Portal.objects.get()
    assert portal.status == "connected" and portal.refresh_token


def test_marketing_finds_filters_opens_edits_and_cancels_an_event(
    live_server: LiveServer,
    page: Page,
    problems: PageProblems,
    marketing_user: User,
    hubspot: LiveSimulator,  # noqa: F811
    make_portal: Callable[..., Portal],  # noqa: F811
) -> None:
    portal = make_portal((marketing_user, Role.MARKETING))
    api = HubSpotApi(hubspot, portal.hub_id, hubspot.app_id)
    api.create("browser-spring", "Spring product webinar", eventType="WEBINAR")
    api.create("browser-summit", "Autumn summit", eventType="CONFERENCE")
    job = job_start(kind="events.sync", portal=portal, user=marketing_user)
    run_job(job.pk)

    _sign_in(page, live_server, "mara")
    page.get_by_role("link", name="Events").click()
    expect(page.get_by_role("heading", name="Marketing events")).to_be_visible()
    page.get_by_label("Search").fill("spring product")
    expect(page.locator("#events-table tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=spring(\+|%20)product"))
    page.get_by_label("Status").select_option("cancelled")
    expect(page.locator("#events-table")).to_contain_text("No event matches these filters.")
    page.get_by_label("Status").select_option("")
    page.get_by_role("link", name="Spring product webinar").click()

    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Name").fill("Spring launch webinar")
    page.get_by_role("button", name="Save in HubSpot").click()
    expect(page.locator("#toasts")).to_contain_text("is saved in HubSpot")
    expect(page.get_by_role("heading", name=re.compile("Spring launch webinar"))).to_be_visible()

    page.get_by_role("link", name="Cancel event").click()
    page.get_by_role("button", name="Cancel the event").click()
    expect(page.locator("#toasts")).to_contain_text("is cancelled")
    page.get_by_role("link", name="Events").first.click()
    page.get_by_label("Search").fill("spring launch")  # the shared simulator may hold many other events
    row = page.locator("#events-table tbody tr", has_text="Spring launch webinar")
    expect(row).to_contain_text("Cancelled")
