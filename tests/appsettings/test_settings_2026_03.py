"""On HubSpot API 2026-03 the app's settings take a portal's OAuth token with developers-read/-write."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from hsadmin.portals.models import REQUIRED_SCOPES, Portal
from tests.appsettings.conftest import SimulatorSettings
from tests.live_simulator import LiveSimulator

pytestmark = pytest.mark.django_db

URL = "https://events.example.com/hubspot-2026-03/%s"


@pytest.fixture
def on_2026_03(settings, hubspot: LiveSimulator) -> LiveSimulator:
    settings.HUBSPOT_API_VERSION = "2026-03"
    settings.HUBSPOT_DEVELOPER_API_KEY = ""  # 2026-03 does not use it: proves the token is what works
    return hubspot


def test_without_a_portal_granting_the_developer_scopes_the_page_says_what_to_do(
    admin: Client, on_2026_03: LiveSimulator, make_portal: Callable[..., Portal]
) -> None:
    make_portal(scopes=list(REQUIRED_SCOPES))
    response = admin.get(reverse("appsettings:index"))
    assert response.status_code == 200
    assert "developers-read" in response.text and "developers-write" in response.text


def test_a_portal_token_with_the_developer_scopes_reads_and_changes_the_settings(
    admin: Client,
    on_2026_03: LiveSimulator,
    make_portal: Callable[..., Portal],
    simulator_settings: SimulatorSettings,
) -> None:
    make_portal(scopes=[*REQUIRED_SCOPES, "developers-read", "developers-write"])
    simulator_settings.set("https://events.example.com/before/%s")
    assert (
        admin.get(reverse("appsettings:index")).context["current"] == "https://events.example.com/before/%s"
    )
    admin.post(reverse("appsettings:index"), {"event_details_url": URL}, follow=True)
    assert simulator_settings.get() == URL
