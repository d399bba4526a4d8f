from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from hsadmin.core.models import User
from hsadmin.core.roles import Role
from hsadmin.events.models import Event
from hsadmin.portals.models import Membership, Portal
from tests.browser.conftest import PageProblems
from tests.conftest import PASSWORD


def test_the_report_page_draws_every_chart_under_the_strict_csp(
    live_server: LiveServer, page: Page, problems: PageProblems, manager_user: User
) -> None:
    now = timezone.now()
    for hub_id, name in ((601, "Acme"), (602, "Globex")):
        portal = Portal.objects.create(hub_id=hub_id, name=name, status="connected")
        Membership.objects.create(user=manager_user, portal=portal, role=Role.MANAGER.value)
        for i in range(6):
            Event.objects.create(
                portal=portal,
                object_id=f"{hub_id}{i}",
                name=f"{name} event {i}",
                event_type=["WEBINAR", "CONFERENCE"][i % 2],
                starts_at=now - dt.timedelta(days=30 * i),
                registrants=20 + i,
                attendees=10 + i,
                no_shows=10,
                cancellations=1,
            )
    page.goto(live_server.url + "/sign-in/?next=/reports/%3Fportal%3Dall")
    page.get_by_label("Username").fill("max")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Reports")).to_be_visible()
    expect(page.get_by_role("heading", name="Portals side by side")).to_be_visible()
    for chart in ("chart-funnel", "chart-types", "chart-trend", "chart-portals"):
        page.wait_for_function(
            f"() => window.Chart && window.Chart.getChart(document.getElementById('{chart}'))"
        )
    expect(page.locator("#report-table tbody tr")).to_have_count(12)
    page.get_by_role("link", name="Registered").last.click()
    expect(page).to_have_url(re.compile(r"sort=registrants"))
