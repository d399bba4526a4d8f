"""The role-by-portal permission matrix over every URL, generated from the URL configuration.

Every named URL must appear in EXPECTED, so a new view cannot escape the matrix: add its row when you add it.
Each row says what GET answers for each persona: a member of the portal in each role, a portal admin of
*another* portal (who must get 404 for this portal's objects), and a signed-out visitor (sent to sign in).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hsadmin.core.models import Job, User
from hsadmin.core.roles import Role
from hsadmin.events.models import Event
from hsadmin.portals.models import Membership, Portal

pytestmark = pytest.mark.django_db

PERSONAS = ("marketing", "portal_admin", "manager", "other_admin")
OK, FORBIDDEN, MISSING, NOT_ALLOWED, REDIRECT = 200, 403, 404, 405, 302

# name: (marketing, portal_admin, manager, other_admin)
EXPECTED: dict[str, tuple[int, int, int, int]] = {
    "home": (OK, OK, OK, OK),
    "login": (REDIRECT, REDIRECT, REDIRECT, REDIRECT),  # signed in: straight home
    "logout": (NOT_ALLOWED,) * 4,  # POST only
    "healthz": (OK, OK, OK, OK),
    "core:preferences": (OK, OK, OK, OK),
    "activity": (FORBIDDEN, OK, FORBIDDEN, OK),
    "portals:list": (FORBIDDEN, OK, FORBIDDEN, OK),
    "portals:connect": (FORBIDDEN, REDIRECT, FORBIDDEN, REDIRECT),
    "portals:callback": (FORBIDDEN, 400, FORBIDDEN, 400),  # no state: the failure page
    "portals:switch": (NOT_ALLOWED,) * 4,
    "portals:people": (FORBIDDEN, OK, FORBIDDEN, OK),
    "portals:membership_revoke": (NOT_ALLOWED,) * 4,
    "portals:detail": (FORBIDDEN, OK, FORBIDDEN, MISSING),
    "portals:disconnect": (FORBIDDEN, OK, FORBIDDEN, MISSING),
    "events:home": (REDIRECT, FORBIDDEN, REDIRECT, FORBIDDEN),
    "events:list": (OK, FORBIDDEN, OK, MISSING),
    "events:create": (OK, FORBIDDEN, FORBIDDEN, MISSING),
    "events:bulk": (NOT_ALLOWED,) * 4,
    "events:sync": (NOT_ALLOWED,) * 4,
    "events:detail": (OK, FORBIDDEN, OK, MISSING),
    "events:edit": (OK, FORBIDDEN, FORBIDDEN, MISSING),
    "events:refresh": (NOT_ALLOWED,) * 4,
    "events:cancel": (OK, FORBIDDEN, FORBIDDEN, MISSING),  # GET: the confirmation page
    "events:complete": (OK, FORBIDDEN, FORBIDDEN, MISSING),
    "events:delete": (OK, FORBIDDEN, FORBIDDEN, MISSING),
    "reports:index": (FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    "reports:export": (FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    "reports:no_shows": (NOT_ALLOWED,) * 4,
    "lists:event": (OK, FORBIDDEN, OK, MISSING),  # the Lists tab (the portal is not connected: a message)
    "lists:add": (OK, FORBIDDEN, FORBIDDEN, MISSING),
    "lists:remove": (OK, FORBIDDEN, FORBIDDEN, MISSING),  # GET: the confirmation page
    "lists:bulk": (REDIRECT, FORBIDDEN, FORBIDDEN, MISSING),  # nothing selected: back to the event list
    "appsettings:index": (FORBIDDEN, OK, FORBIDDEN, OK),
    "appsettings:test": (NOT_ALLOWED,) * 4,
    "appsettings:event_details": (401,) * 4,  # public, but only with HubSpot's signature
    "appsettings:draft_create": (OK, FORBIDDEN, FORBIDDEN, MISSING),
    "appsettings:draft_edit": (MISSING, FORBIDDEN, FORBIDDEN, MISSING),  # event 77 is not a draft
    "appsettings:draft_publish": (MISSING, FORBIDDEN, FORBIDDEN, MISSING),
    "appsettings:draft_delete": (MISSING, FORBIDDEN, FORBIDDEN, MISSING),
    "participation:contacts": (REDIRECT, FORBIDDEN, REDIRECT, FORBIDDEN),
    "participation:contact-history": (OK, FORBIDDEN, OK, MISSING),  # no contact asked for: no HubSpot call
    "participation:event": (OK, FORBIDDEN, OK, MISSING),  # the portal is not connected: a message
    "participation:record": (OK, FORBIDDEN, FORBIDDEN, MISSING),
    "participation:recount": (NOT_ALLOWED,) * 4,
    "participation:export": (NOT_ALLOWED,) * 4,
    "participation:import-new": (OK, FORBIDDEN, FORBIDDEN, MISSING),
    "participation:import": (OK, FORBIDDEN, FORBIDDEN, MISSING),
    "participation:import-confirm": (NOT_ALLOWED,) * 4,
    "jobs:list": (OK, OK, OK, OK),  # each sees only the jobs of their portals
    "jobs:detail": (OK, OK, OK, MISSING),
    "jobs:progress": (REDIRECT, REDIRECT, REDIRECT, MISSING),  # without HTMX: to the job's page
    "jobs:cancel": (NOT_ALLOWED,) * 4,
    "jobs:retry": (NOT_ALLOWED,) * 4,
    "jobs:file": (MISSING, MISSING, MISSING, MISSING),  # this job has no file
    "jobs:failed-csv": (MISSING, MISSING, MISSING, MISSING),  # this job has no failed items
    "jobs:left-out-csv": (MISSING, MISSING, MISSING, MISSING),  # nor items left out on purpose
}
PUBLIC = {"login", "healthz", "appsettings:event_details"}
# What a signed-out visitor gets from a public URL (200 unless said here).
PUBLIC_SIGNED_OUT = {"appsettings:event_details": 401}  # HubSpot's call-back: no signature, no answer


def _patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's admin: superusers only, tested in tests/core
            found += _patterns(entry, f"{prefix}{entry.namespace}:" if entry.namespace else prefix)
        elif entry.name:
            found.append((prefix + entry.name, entry))
    return found


ALL_URLS = _patterns(get_resolver())


def test_every_named_url_is_in_the_matrix() -> None:
    names = {name for name, _ in ALL_URLS}
    assert names - set(EXPECTED) == set(), "add these views to the permission matrix"
    assert set(EXPECTED) - names == set(), "the matrix names views that no longer exist"


@pytest.fixture
def world(make_person: Callable[..., User]) -> dict[str, object]:
    portal = Portal.objects.create(hub_id=111, name="Ours", status="connected")
    other = Portal.objects.create(hub_id=222, name="Theirs", status="connected")
    people = {
        "marketing": make_person("m", Role.MARKETING),
        "portal_admin": make_person("a", Role.PORTAL_ADMIN),
        "manager": make_person("g", Role.MANAGER),
        "other_admin": make_person("o", Role.PORTAL_ADMIN),
    }
    roles = {"marketing": Role.MARKETING, "portal_admin": Role.PORTAL_ADMIN, "manager": Role.MANAGER}
    memberships = {
        name: Membership.objects.create(user=people[name], portal=portal, role=role.value)
        for name, role in roles.items()
    }
    Membership.objects.create(user=people["other_admin"], portal=other, role=Role.PORTAL_ADMIN.value)
    event = Event.objects.create(portal=portal, object_id="77", name="Ours")
    job = Job.objects.create(kind="events.sync", portal=portal, started_by=people["marketing"])
    return {
        "portal": portal,
        "people": people,
        "membership": memberships["manager"],
        "event": event,
        "job": job,
    }


def _an_import(world: dict[str, object]) -> object:
    from django.utils import timezone

    from hsadmin.participation.models import Import

    event = world["event"]
    return Import.objects.get_or_create(
        portal=event.portal,  # type: ignore[attr-defined]
        event=event,
        defaults={
            "original_name": "people.csv",
            "default_interaction_at": timezone.now(),
            "header": ["email"],
        },
    )[0]


def _url(name: str, pattern: URLPattern, world: dict[str, object]) -> str:
    kwargs: dict[str, object] = {}
    for arg in pattern.pattern.regex.groupindex:
        if arg == "hub_id":
            kwargs[arg] = world["portal"].hub_id  # type: ignore[attr-defined]
        elif arg == "membership_id":
            kwargs[arg] = world["membership"].pk  # type: ignore[attr-defined]
        elif arg == "object_id":
            kwargs[arg] = world["event"].object_id  # type: ignore[attr-defined]
        elif arg == "list_id":
            kwargs[arg] = "5"
        elif arg == "external_event_id":
            kwargs[arg] = "ext-77"
        elif arg == "import_id":
            kwargs[arg] = _an_import(world).pk
        elif arg == "action":
            kwargs[arg] = "cancel"
        elif arg == "table":
            kwargs[arg] = "events"
        elif arg == "pk" and name.startswith("jobs:"):
            kwargs[arg] = world["job"].pk  # type: ignore[attr-defined]
        else:
            raise AssertionError(f"teach the matrix how to fill <{arg}> for {name}")
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(("name", "pattern"), ALL_URLS, ids=[name for name, _ in ALL_URLS])
def test_each_role_gets_what_it_should(
    name: str, pattern: URLPattern, world: dict[str, object], client: Client
) -> None:
    url = _url(name, pattern, world)
    got = []
    for persona in PERSONAS:
        client.force_login(world["people"][persona])  # type: ignore[index]
        got.append(client.get(url).status_code)
    assert tuple(got) == EXPECTED[name], dict(zip(PERSONAS, got, strict=True))
    client.logout()
    signed_out = client.get(url)
    if name in PUBLIC:
        assert signed_out.status_code == PUBLIC_SIGNED_OUT.get(name, 200)
    elif signed_out.status_code != NOT_ALLOWED:
        assert signed_out.status_code == REDIRECT and signed_out.url.startswith(reverse("login")), name
