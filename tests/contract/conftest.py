"""The real client against the live simulator over HTTP (load the plugin: `pytest -p tests.live_simulator`)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from hsadmin.hubspot_client import (
    BearerAuth,
    EventCreate,
    HubSpotClient,
    OAuthClient,
    RetryPolicy,
)

VERSIONS = ("v3", "2026-03", "2026-09")
FAST_RETRIES = RetryPolicy(max_attempts=6, base_delay=0.02, max_delay=0.2, max_rate_limit_wait=12.0)


@pytest.fixture
def live(request: pytest.FixtureRequest) -> Any:
    """The `sim` fixture of tests/live_simulator.py (faults off, no rate limit, real clock)."""
    try:
        return request.getfixturevalue("sim")
    except pytest.FixtureLookupError:
        pytest.skip("the live simulator plugin is not loaded: run pytest -p tests.live_simulator")


@pytest.fixture(params=VERSIONS)
def api_version(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def make_client(live: Any, api_version: str) -> Callable[..., HubSpotClient]:
    def build(
        *, hub_id: int | None = None, app: dict[str, Any] | None = None, **options: Any
    ) -> HubSpotClient:
        app = app or live.app
        hub = hub_id or live.hub_id
        options.setdefault("auth", BearerAuth(live.access_token(hub_id=hub, app_id=app["app_id"])))
        options.setdefault("api_version", api_version)
        options.setdefault("retry", FAST_RETRIES)
        return HubSpotClient(
            base_url=live.base_url,
            portal_key=f"portal:{hub}",
            developer_api_key=app["developer_api_key"],
            app_id=app["app_id"],
            **options,
        )

    return build


@pytest.fixture
def client(make_client: Callable[..., HubSpotClient]) -> HubSpotClient:
    return make_client()


@pytest.fixture
def oauth(live: Any) -> Callable[[str], OAuthClient]:
    def build(version: str = "v1") -> OAuthClient:
        return OAuthClient(
            client_id=live.app["client_id"],
            client_secret=live.app["client_secret"],
            base_url=live.base_url,
            auth_base=live.base_url,
            version=version,
            retry=FAST_RETRIES,
        )

    return build


def unique(prefix: str = "ct") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def new_event(**overrides: Any) -> EventCreate:
    values: dict[str, Any] = {
        "external_account_id": "acct-contract",
        "external_event_id": unique("ev"),
        "event_name": "Contract webinar",
        "event_organizer": "hsadmin",
        "event_type": "WEBINAR",
        "custom_properties": {"hs_event_topic": "testing"},
    }
    values.update(overrides)
    return EventCreate(**values)
