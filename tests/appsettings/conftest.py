from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from django.contrib.auth.models import Group
from django.test import Client

from hsadmin.appsettings.drafts import draft_create
from hsadmin.core.models import User
from hsadmin.core.roles import APP_ADMIN
from hsadmin.events.models import Event
from hsadmin.events.services import EventData
from hsadmin.portals.models import Portal
from tests.events.conftest import portal, run  # noqa: F401 - shared fixtures
from tests.live_simulator import LiveSimulator
from tests.portals.conftest import hubspot, make_portal  # noqa: F401 - shared fixtures


@pytest.fixture
def admin(portal_admin_user: User, signed_in: Callable[[User], Client]) -> Client:
    """A portal admin who is also an App admin: may change and test the app-wide settings."""
    portal_admin_user.groups.add(Group.objects.get(name=APP_ADMIN))
    return signed_in(portal_admin_user)


class SimulatorSettings:
    """The simulator app's settings endpoint, called with its developer key (as an operator would)."""

    def __init__(self, sim: LiveSimulator) -> None:
        self.url = f"{sim.base_url}/marketing/v3/marketing-events/{sim.app_id}/settings"
        self.params = {"hapikey": sim.app["developer_api_key"]}

    def get(self) -> str:
        response = httpx.get(self.url, params=self.params)
        assert response.status_code == 200, response.text
        return response.json()["eventDetailsUrl"]

    def set(self, url: str) -> None:
        response = httpx.post(self.url, params=self.params, json={"eventDetailsUrl": url})
        assert response.status_code == 200, response.text


@pytest.fixture
def simulator_settings(hubspot: LiveSimulator) -> Iterator[SimulatorSettings]:  # noqa: F811
    """The simulator app's eventDetailsUrl, put back as it was after the test."""
    remote = SimulatorSettings(hubspot)
    before = remote.get()
    yield remote
    # The simulator cannot unset it; an unreachable loopback URL behaves like none (the call-back just fails).
    remote.set(before or "http://127.0.0.1:9/unset/%s")


@pytest.fixture
def make_draft(portal: Portal, marketing_user: User) -> Callable[..., Event]:  # noqa: F811
    def make(name: str = "Autumn summit", **fields: object) -> Event:
        data = EventData(name=name, organizer=str(fields.pop("organizer", "Acme")), **fields)  # type: ignore[arg-type]
        return draft_create(portal=portal, user=marketing_user, data=data)

    return make
