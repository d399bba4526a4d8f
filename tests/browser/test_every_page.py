"""Tests that look: every page, for each role that may see it, at laptop (1280 px) and phone (390 px) width.

On each: the page answers, nothing scrolls sideways, axe-core finds no serious or critical violation, and (the
`problems` fixture) no console error and no Content Security Policy violation. One signed-in browser context per
role visits all of that role's pages, so the sweep stays quick; it lists every problem it saw at the end.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from pytest_django.live_server_helper import LiveServer

from hsadmin.core.models import Job, User
from hsadmin.core.roles import Role
from hsadmin.events.models import Event
from hsadmin.events.services import EventData, event_create
from hsadmin.jobs.runner import run_job
from hsadmin.jobs.services import job_start
from hsadmin.portals.models import Membership, Portal
from tests.browser.conftest import WIDTHS, PageProblems, looks_right
from tests.conftest import PASSWORD
from tests.events.conftest import HubSpotApi
from tests.live_simulator import LiveSimulator
from tests.portals.conftest import hubspot, make_portal  # noqa: F401 - fixtures


@dataclass(frozen=True)
class Tour:
    portal: Portal
    event: Event
    past_event: Event
    job: Job
    email: str


@pytest.fixture
def tour(
    hubspot: LiveSimulator,  # noqa: F811
    make_portal: Callable[..., Portal],  # noqa: F811
    marketing_user: User,
    manager_user: User,
    portal_admin_user: User,
) -> Tour:
    """A portal as the README's tour leaves it: synced events, one with people who took part, a job."""
    portal = make_portal(
        (marketing_user, Role.MARKETING), (manager_user, Role.MANAGER), (portal_admin_user, Role.PORTAL_ADMIN)
    )
    now = timezone.now()
    event = event_create(
        portal=portal,
        user=marketing_user,
        data=EventData(
            name="Summer launch webinar with a rather long name that has to wrap on a phone",
            organizer="Acme Marketing",
            event_type="WEBINAR",
            starts_at=now + dt.timedelta(days=3),
            ends_at=now + dt.timedelta(days=3, hours=1),
        ),
    )
    past = event_create(
        portal=portal,
        user=marketing_user,
        data=EventData(
            name="Harvest conference",
            organizer="Acme Marketing",
            event_type="CONFERENCE",
            starts_at=now - dt.timedelta(days=40),
            ends_at=now - dt.timedelta(days=40, hours=-6),
        ),
    )
    ours = HubSpotApi(hubspot, portal.hub_id, hubspot.app_id)
    email = "ada.lovelace@example.com"
    for state, people in (("register", 12), ("attend", 7)):
        response = ours.http.post(
            f"/{past.object_id}/attendance/{state}/email-create",
            json={
                "inputs": [
                    {
                        "email": email if i == 0 else f"person{i}@example.com",
                        "interactionDateTime": int((now - dt.timedelta(days=40)).timestamp() * 1000),
                        "properties": {},
                        "contactProperties": {"firstname": "Ada" if i == 0 else f"Person{i}"},
                    }
                    for i in range(people)
                ]
            },
        )
        assert response.status_code == 200, response.text
    job = job_start(kind="events.sync", portal=portal, user=marketing_user)
    run_job(job.pk)
    for i in range(
        30
    ):  # after the sync (which keeps only HubSpot's events): enough for the event list and the report to page
        Event.objects.create(
            portal=portal,
            object_id=f"m{i}",
            name=f"Mirrored event {i}",
            event_type="WEBINAR",
            organizer="Partner",
            starts_at=now - dt.timedelta(days=9 * i),
            ends_at=now - dt.timedelta(days=9 * i, hours=-1),
            registrants=20 + i,
            attendees=10 + i // 2,
            no_shows=10 - i // 3,
        )
    # A second portal (mirror only) for marketing and the manager: the portal switcher and all-portal reports.
    second = Portal.objects.create(hub_id=4243, name="Globex Europe, the second portal", status="connected")
    for user, role in ((marketing_user, Role.MARKETING), (manager_user, Role.MANAGER)):
        Membership.objects.create(user=user, portal=second, role=role.value)
    Event.objects.create(
        portal=second,
        object_id="g1",
        name="Globex kick-off",
        event_type="CONFERENCE",
        starts_at=now - dt.timedelta(days=20),
        registrants=40,
        attendees=30,
        no_shows=10,
    )
    return Tour(portal, Event.objects.get(pk=event.pk), Event.objects.get(pk=past.pk), job, email)


def _pages(role: str, t: Tour) -> list[str]:
    p = f"/p/{t.portal.hub_id}"
    event = f"{p}/events/{t.event.object_id}"
    past = f"{p}/events/{t.past_event.object_id}"
    common = ["/", "/me/preferences/", "/jobs/", f"/jobs/{t.job.pk}/"]
    if role == "marketing":
        return [
            *common,
            f"{p}/events/",
            f"{p}/events/new/",
            f"{p}/drafts/new/",
            event + "/",
            event + "/edit/",
            event + "/cancel/",
            past + "/participation/breakdown/",
            past + "/participation/record/",
            past + "/participation/import/",
            past + "/lists/",
            past + "/lists/add/?q=invitees",
            "/contacts/",
            f"{p}/contacts/?q={t.email}",
        ]
    if role == "manager":
        return [
            *common[:3],
            f"{p}/events/",
            past + "/",
            past + "/participation/breakdown/",
            "/reports/",
            "/reports/?period=this_year&sort=-registrants&page=2",
            "/reports/?portal=all",
            f"{p}/contacts/?q={t.email}",
        ]
    return [
        *common[:3],
        "/portals/",
        f"/portals/{t.portal.hub_id}/",
        "/portals/people/",
        "/activity/",
        "/settings/",
    ]


def _settle(page: Page) -> None:
    """Wait for what the page loads after it opens (a breakdown read from HubSpot): no HTMX request in flight.
    (Waiting for the network to be idle would cost half a second a page, and never ends on a polling page.)"""
    page.wait_for_load_state("load")
    # A job's progress poll may be in flight at any moment: after the timeout the page has settled enough.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function("() => !document.querySelector('.htmx-request')", timeout=5_000)


@pytest.mark.parametrize(
    ("role", "username", "language"),
    [
        ("marketing", "mara", "en"),
        ("manager", "max", "en"),
        ("admin", "pat", "en"),
        ("marketing", "mara", "de"),  # German's longer words must fit a phone too
    ],
)
def test_every_page_of_each_role_fits_both_widths_and_passes_axe(
    live_server: LiveServer,
    page: Page,
    problems: PageProblems,
    tour: Tour,
    role: str,
    username: str,
    language: str,
) -> None:
    User.objects.filter(username=username).update(language=language)
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == language
    seen: list[str] = []
    for width, size in WIDTHS.items():
        page.set_viewport_size({"width": size[0], "height": size[1]})
        for path in _pages(role, tour):
            response = page.goto(live_server.url + path)
            assert response is not None
            if not response.ok:
                seen.append(f"{path} at {width}: HTTP {response.status}")
                continue
            _settle(page)
            seen.extend(f"{path} at {width}: {problem}" for problem in looks_right(page))
            bar = page.locator(".topbar").bounding_box()
            if width == "phone" and bar and bar["height"] > 110:  # two rows: brand and portal, then the nav
                seen.append(f"{path} at {width}: the top bar is {bar['height']:.0f} px tall")
    assert seen == [], "\n".join(seen)
