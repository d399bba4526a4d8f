"""Portal personas: the dashboard pointed at the live simulator, and portals connected to it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from django.utils import timezone

from hsadmin.core.models import User
from hsadmin.core.roles import Role
from hsadmin.portals.models import REQUIRED_SCOPES, Membership, Portal
from tests.live_simulator import LiveSimulator


@pytest.fixture
def hubspot(settings: pytest.FixtureRequest, sim: LiveSimulator) -> LiveSimulator:
    """Point the dashboard at the live simulator, as hsadmin's app (the simulator's first app)."""
    settings.HUBSPOT_API_BASE = sim.base_url
    settings.HUBSPOT_AUTH_BASE = sim.base_url
    settings.HUBSPOT_APP_ID = sim.app_id
    settings.HUBSPOT_CLIENT_ID = sim.app["client_id"]
    settings.HUBSPOT_CLIENT_SECRET = sim.app["client_secret"]
    settings.HUBSPOT_DEVELOPER_API_KEY = sim.app["developer_api_key"]
    return sim


def consent(sim: LiveSimulator, authorize_url: str, *, hub_id: int, decision: str = "allow") -> str:
    """Act as the person on HubSpot's consent page; return where HubSpot sends the browser back."""
    split = urlsplit(authorize_url)
    assert f"{split.scheme}://{split.netloc}" == sim.base_url
    page = httpx.get(authorize_url)
    assert page.status_code == 200, page.text
    form = {k: v[0] for k, v in parse_qs(split.query).items()} | {"hub_id": str(hub_id), "decision": decision}
    answer = httpx.post(f"{sim.base_url}{split.path}", data=form, follow_redirects=False)
    assert answer.status_code in (302, 303), answer.text
    return answer.headers["location"]


def callback_path(location: str) -> str:
    split = urlsplit(location)
    return f"{split.path}?{split.query}"


@pytest.fixture
def make_portal(hubspot: LiveSimulator) -> Callable[..., Portal]:
    """A portal connected to the simulator with a real token set, and members in the given roles."""

    def make(
        *members: tuple[User, Role], hub_id: int | None = None, scopes: list[str] | None = None
    ) -> Portal:
        hub = hub_id or hubspot.hub_id
        tokens = hubspot.control.token(hub, hubspot.app_id, scopes=scopes or list(REQUIRED_SCOPES))
        portal, _ = Portal.objects.update_or_create(
            hub_id=hub,
            defaults={
                "name": f"Portal {hub}",
                "app_id": hubspot.app_id,
                "scopes": tokens["scopes"],
                "status": "connected",
                "access_token": tokens["access_token"],
                "refresh_token": tokens["refresh_token"],
                "token_expires_at": timezone.now() + timedelta(seconds=tokens["expires_in"]),
                "connected_at": timezone.now(),
            },
        )
        for user, role in members:
            Membership.objects.update_or_create(user=user, portal=portal, defaults={"role": role.value})
        return portal

    return make


def query(**params: str) -> str:
    return urlencode(params)
