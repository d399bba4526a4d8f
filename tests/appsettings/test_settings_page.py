"""The Settings page: the current eventDetailsUrl read from HubSpot, and changing it there."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hsadmin.core.models import AuditEntry
from tests.appsettings.conftest import SimulatorSettings
from tests.live_simulator import LiveSimulator

pytestmark = pytest.mark.django_db

URL = "https://events.example.com/hubspot/%s"


def test_the_page_shows_the_url_hubspot_has_now(
    admin: Client, hubspot: LiveSimulator, simulator_settings: SimulatorSettings
) -> None:
    simulator_settings.set(URL)
    response = admin.get(reverse("appsettings:index"))
    assert response.status_code == 200
    assert response.context["current"] == URL
    assert f"HubSpot app {hubspot.app_id}" in response.text
    assert hubspot.app["developer_api_key"] not in response.text
    assert hubspot.app["client_secret"] not in response.text


def test_saving_a_url_changes_it_in_hubspot_and_is_audited(
    admin: Client, simulator_settings: SimulatorSettings
) -> None:
    response = admin.post(reverse("appsettings:index"), {"event_details_url": URL}, follow=True)
    assert simulator_settings.get() == URL
    assert "HubSpot now calls" in response.text
    entry = AuditEntry.objects.get(action="appsettings.update")
    assert entry.outcome == "success" and entry.detail["url"] == URL


def test_a_url_hubspot_would_refuse_comes_back_as_a_422_fragment_and_is_not_sent(
    admin: Client, simulator_settings: SimulatorSettings, settings
) -> None:
    settings.HSADMIN_ALLOW_LOOPBACK_FETCH = False
    before = simulator_settings.get()
    response = admin.post(
        reverse("appsettings:index"),
        {"event_details_url": "http://events.example.com/%s"},
        headers={"HX-Request": "true", "HX-Target": "settings-form"},
    )
    assert response.status_code == 422
    assert "<html" not in response.text and "HubSpot calls only https URLs" in response.text
    assert simulator_settings.get() == before
    assert not AuditEntry.objects.filter(action="appsettings.update").exists()


def test_use_hsadmin_fills_the_form_with_hsadmins_own_endpoint(admin: Client, hubspot: LiveSimulator) -> None:
    response = admin.get(
        reverse("appsettings:index"),
        {"use": "hsadmin"},
        headers={"HX-Request": "true", "HX-Target": "settings-form"},
    )
    assert response.status_code == 200 and "<html" not in response.text
    assert 'value="http://testserver/hubspot/event-details/%s"' in response.text


def test_without_the_apps_credentials_the_page_says_what_to_set(admin: Client, settings) -> None:
    settings.HUBSPOT_APP_ID = None
    settings.HUBSPOT_DEVELOPER_API_KEY = ""
    response = admin.get(reverse("appsettings:index"))
    assert response.status_code == 200
    assert "set HUBSPOT_APP_ID and HUBSPOT_DEVELOPER_API_KEY" in response.text


def test_marketing_and_managers_cannot_reach_the_settings(
    marketing_user, manager_user, signed_in, portal_admin_user
) -> None:
    for person in (marketing_user, manager_user):
        client = signed_in(person)
        assert client.get(reverse("appsettings:index")).status_code == 403
        assert client.post(reverse("appsettings:index"), {"event_details_url": URL}).status_code == 403
        assert client.post(reverse("appsettings:test"), {}).status_code == 403


def test_a_refusal_from_hubspot_is_shown_as_a_422_and_audited(
    admin: Client, simulator_settings: SimulatorSettings, settings
) -> None:
    before = simulator_settings.get()
    settings.HUBSPOT_DEVELOPER_API_KEY = "not-our-developer-key"
    response = admin.post(
        reverse("appsettings:index"),
        {"event_details_url": URL},
        headers={"HX-Request": "true", "HX-Target": "settings-form"},
    )
    assert response.status_code == 422 and 'class="alert alert-error"' in response.text
    assert "not-our-developer-key" not in response.text
    entry = AuditEntry.objects.get(action="appsettings.update")
    assert entry.outcome == "failure" and entry.correlation_id
    assert simulator_settings.get() == before
