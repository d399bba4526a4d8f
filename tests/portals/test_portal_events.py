"""The portal page tells a portal admin what the connection brought: the sync, the events, a way to see them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from hsadmin.core.models import User
from hsadmin.core.roles import Role
from hsadmin.events.models import Event
from hsadmin.jobs.services import job_start
from hsadmin.portals.models import Membership, Portal

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours(portal_admin_user: User) -> Portal:
    portal = Portal.objects.create(hub_id=111, name="Ours", status="connected")
    Membership.objects.create(user=portal_admin_user, portal=portal, role=Role.PORTAL_ADMIN.value)
    for i in range(3):
        Event.objects.create(portal=portal, object_id=str(i), name=f"Event {i}")
    return portal


def test_the_portal_page_shows_the_sync_and_says_how_to_see_the_events(
    ours: Portal, portal_admin_user: User, signed_in: Callable[[User], Client]
) -> None:
    job = job_start(kind="events.sync", portal=ours)
    client = signed_in(portal_admin_user)
    page = client.get(reverse("portals:detail", args=[111])).text
    assert f'id="job-progress-{job.pk}"' in page
    assert "3 events from this portal are in hsadmin." in page
    assert "Event 2" in page  # the latest it brought, by name
    assert reverse("events:list", args=[111]) not in page  # a portal admin alone cannot browse events
    assert "Marketing or Manager role on this portal" in page
    portal_admin_user.is_superuser = True
    portal_admin_user.save()
    page = client.get(reverse("portals:detail", args=[111])).text
    assert f'href="{reverse("events:list", args=[111])}"' in page


def test_on_a_portals_page_the_switcher_names_that_portal(
    marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    first = Portal.objects.create(hub_id=201, name="Zeta", status="connected")
    other = Portal.objects.create(hub_id=202, name="Alpha", status="connected")
    for portal in (first, other):
        Membership.objects.create(user=marketing_user, portal=portal, role=Role.MARKETING.value)
    page = signed_in(marketing_user).get(reverse("events:list", args=[201])).text
    assert '<option value="201" selected>Zeta</option>' in page
    assert '<option value="202">Alpha</option>' in page
