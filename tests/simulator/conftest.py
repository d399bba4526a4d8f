"""Helpers for the simulator's own tests: authenticated httpx clients and unique ids.

The ``sim`` and ``live_simulator`` fixtures come from the ``tests.live_simulator`` plugin.
"""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import httpx
import pytest

from tests.live_simulator import LiveSimulator

V3 = "/marketing/v3/marketing-events"
DATED = "/marketing/marketing-events/2026-03"
PREFIXES = [V3, DATED]

_counter = itertools.count()


def unique(prefix: str = "ev") -> str:
    return f"{prefix}-{next(_counter)}-{uuid.uuid4().hex[:8]}"


class Api:
    """An httpx client for one app on one portal, with a bearer token."""

    def __init__(self, sim: LiveSimulator, hub_id: int, app_id: int, scopes: Any = None) -> None:
        self.sim = sim
        self.hub_id = hub_id
        self.app_id = app_id
        self.token = sim.control.token(hub_id, app_id, scopes=scopes)
        self.http = httpx.Client(
            base_url=sim.base_url,
            headers={"Authorization": f"Bearer {self.token['access_token']}"},
            timeout=30,
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self.http, name)

    def create_event(self, prefix: str = V3, **overrides: Any) -> dict[str, Any]:
        """Create an event through the API; returns the request body plus ``objectId``."""
        body = {
            "externalAccountId": "acct-1",
            "externalEventId": unique(),
            "eventName": "Quarterly webinar",
            "eventOrganizer": "Acme",
            "eventType": "WEBINAR",
            "startDateTime": "2030-01-01T10:00:00Z",
            "endDateTime": "2030-01-01T11:00:00Z",
            "customProperties": [],
        } | overrides
        response = self.http.post(f"{prefix}/events", json=body)
        assert response.status_code == 200, response.text
        return body | {"objectId": response.json()["objectId"]}


@pytest.fixture
def api(sim: LiveSimulator) -> Api:
    """The hsadmin app on the first portal, with every scope."""
    return Api(sim, sim.hub_id, sim.app_id)


@pytest.fixture
def other_app(sim: LiveSimulator) -> Api:
    """Another app (Partner Webinars) on the same portal."""
    return Api(sim, sim.hub_id, sim.other_app_id)


def assert_error(response: httpx.Response, status: int, category: str | None = None) -> dict[str, Any]:
    """HubSpot's standard error body: status "error", message, a UUID correlationId, category."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == "error"
    assert body["message"]
    uuid.UUID(body["correlationId"])
    if category:
        assert body["category"] == category
    return body
