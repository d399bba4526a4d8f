"""Clients wired to the scripted fake HubSpot, with a fake sleep (no test really waits)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from hsadmin.hubspot_client import HubSpotClient, RetryPolicy

from .fakes import BASE, FakeHubSpot, FakeSleep


@pytest.fixture
def fake() -> FakeHubSpot:
    return FakeHubSpot()


@pytest.fixture
def sleeps() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
def make_client(fake: FakeHubSpot, sleeps: FakeSleep) -> Callable[..., HubSpotClient]:
    def build(**options: Any) -> HubSpotClient:
        options.setdefault("base_url", BASE)
        options.setdefault("retry", RetryPolicy(random=lambda: 1.0))
        return HubSpotClient(transport=httpx.MockTransport(fake.handler), sleep=sleeps, **options)

    return build


@pytest.fixture
def client(make_client: Callable[..., HubSpotClient]) -> HubSpotClient:
    return make_client()
