"""Browser journey: upload a CSV, read the preview, run the import, watch the progress bar, download the failures."""

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
from tests.participation.conftest import make_contacts, make_event, ours  # noqa: F401 - fixtures
from tests.portals.conftest import hubspot, make_portal  # noqa: F401 - fixtures


def test_marketing_imports_a_csv_from_upload_to_the_failures_download(
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
    event = make_event(name="Browser import webinar")
    people = make_contacts(150)
    rows = "".join(f"{email};attended;2026-03-01 10:{i % 60:02d}\n" for i, (email, _) in enumerate(people))
    rows += "someone.new.browser@example.com;registered;\nnot-an-email;registered;\n"
    csv_bytes = ("Email;Status;Time\n" + rows).encode("utf-8-sig")

    _sign_in(page, live_server, "mara")
    page.goto(f"{live_server.url}/p/{portal.hub_id}/events/{event.object_id}/")
    page.get_by_role("tab", name="Participation").click()
    expect(page.get_by_role("heading", name=re.compile("Who took part"))).to_be_visible()
    expect(page.locator("#breakdown")).to_contain_text("Nobody has registered")
    page.get_by_role("link", name="Import a CSV").click()
    page.get_by_label("CSV file").set_input_files(
        {"name": "webinar.csv", "mimeType": "text/csv", "buffer": csv_bytes}
    )
    page.get_by_role("button", name="Upload and map columns").click()

    expect(page.get_by_role("heading", name="Match the columns")).to_be_visible()
    assert looks_right(page) == []
    expect(page.get_by_label("Column “Email” is")).to_have_value("email")
    expect(page.get_by_label("Column “Status” is")).to_have_value("state")
    page.get_by_role("button", name="Check every row").click()
    expect(page.locator("#import-body")).to_contain_text("Checking every row")
    imp = Import.objects.latest("id")
    assert run_job(imp.preview_job_id) == "succeeded"  # the worker's part; the page polls meanwhile

    preview = page.locator("#preview")
    expect(preview).to_contain_text("Existing contacts", timeout=10_000)
    expect(preview.locator(".stat", has_text="Existing contacts")).to_contain_text("150")
    expect(preview.locator(".stat", has_text="Would create")).to_contain_text("1")
    expect(preview.locator(".stat", has_text="Invalid")).to_contain_text("1")
    expect(preview.locator(".preview-invalid")).to_contain_text("not an email address")
    # Creating a contact needs a yes (a 422 with the reason otherwise, tested in tests/participation).
    assert looks_right(page) == []
    page.get_by_label(re.compile("Yes, create 1 new contact")).check()
    # The button counts the rows it sends: 150 existing and 1 new contact, not the invalid row.
    page.get_by_role("button", name=re.compile("Import 151 rows")).click()

    progress = page.locator(".job-progress")
    expect(progress).to_contain_text("waiting for a worker")
    imp.refresh_from_db()
    assert run_job(imp.import_job_id) == "succeeded"
    expect(progress.locator("progress")).to_have_attribute("value", "100", timeout=10_000)
    expect(progress).to_contain_text("152 of 152 rows")
    expect(progress).to_contain_text(re.compile(r"[\d.,]+ rows/s"))  # throughput
    download_link = page.get_by_role("link", name="Download the rows that were not recorded (CSV)")
    expect(download_link).to_be_visible()
    with page.expect_download() as info:
        download_link.click()
    failures = info.value.path().read_text()
    assert "not-an-email" in failures and "not an email address" in failures
    assert "someone.new.browser@example.com" not in failures  # it was created and recorded

    page.get_by_role("link", name="See who took part").click()
    expect(page.locator("#breakdown")).to_contain_text("151 people")
    page.get_by_label("State").select_option("REGISTERED")
    expect(page.locator("#breakdown tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile("state=REGISTERED"))
