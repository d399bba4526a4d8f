"""A form sent with a stale CSRF token under HTMX: the person gets a toast saying to reload, not a broken page."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from hsadmin.core.models import User
from hsadmin.core.roles import Role
from hsadmin.portals.models import Membership, Portal
from tests.browser.conftest import PageProblems
from tests.conftest import PASSWORD


def test_an_htmx_form_posted_after_the_csrf_cookie_is_gone_shows_a_reload_toast(
    live_server: LiveServer, page: Page, problems: PageProblems, marketing_user: User
) -> None:
    portal = Portal.objects.create(hub_id=31337, name="Acme", status="connected")
    Membership.objects.create(user=marketing_user, portal=portal, role=Role.MARKETING.value)
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("Username").fill("mara")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/p/{portal.hub_id}/events/new/")
    form = page.locator("#event-form")
    expect(form).to_be_visible()

    page.context.clear_cookies(name="csrftoken")  # as if the page was left open past the token's life
    form.get_by_role("button").last.click()

    toast = page.locator("#toasts .toast-error")
    expect(toast).to_contain_text("Reload the page and try again; nothing was changed.")
    expect(toast).to_have_count(1)  # the server's message only, not the generic one as well
    expect(page.locator("#event-form")).to_be_visible()  # the form stays, with what was typed
    # The browser and htmx each log the refused request; that is expected here, and nothing else may be.
    problems.errors = [e for e in problems.errors if "status of 403" not in e and "Error Code 403" not in e]
