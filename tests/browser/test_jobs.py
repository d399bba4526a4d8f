from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from hsadmin.core.models import User
from hsadmin.core.roles import Role
from hsadmin.jobs import runner
from hsadmin.jobs.services import job_start
from hsadmin.portals.models import Membership, Portal
from tests.browser.conftest import PageProblems
from tests.conftest import PASSWORD
from tests.core.jobs.testkinds import tasks as test_kinds

assert test_kinds  # registers the "tests.count" job kind


def test_a_person_watches_a_jobs_progress_bar_reach_100_percent(
    live_server: LiveServer, page: Page, problems: PageProblems, marketing_user: User
) -> None:
    portal = Portal.objects.create(hub_id=777, name="Acme Events", refresh_token="r")
    Membership.objects.create(user=marketing_user, portal=portal, role=Role.MARKETING.value)
    job = job_start(
        kind="tests.count", portal=portal, user=marketing_user, params={"n": 12, "size": 3, "delay": 0.6}
    )

    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("Username").fill("mara")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + "/jobs/")
    page.get_by_role("link", name=re.compile("Counting")).click()
    progress = page.locator(".job-progress")
    expect(progress).to_contain_text("waiting for a worker")
    page.evaluate(
        "window.seen = []; document.body.addEventListener('htmx:afterSwap', () => {"
        " const bar = document.querySelector('.job-progress progress');"
        " if (bar) window.seen.push(Number(bar.getAttribute('value'))); });"
    )

    assert runner.run_job(job.pk) == "succeeded"  # the worker's part, here: the page keeps polling meanwhile

    expect(progress.locator("progress")).to_have_attribute("value", "100")
    expect(progress).to_contain_text("12 of 12 numbers")
    expect(progress.locator(".job-state")).to_have_text("Finished")
    expect(progress).not_to_have_attribute("hx-get", re.compile(".*"))  # polling stopped
    # The end of the job refreshed the rest of the page: the results are there.
    expect(page.locator("#job-items")).to_contain_text("number 11")
    seen = page.evaluate("window.seen")
    assert any(0 < value < 100 for value in seen), seen  # it moved through the middle, not just 0 → 100
