"""The event-details endpoint HubSpot calls: answers only to a fresh, valid v3 signature."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from hsadmin.core.models import Job
from hsadmin.events.models import Event
from hsadmin.hubspot_client.signatures import sign_v3

pytestmark = pytest.mark.django_db

SECRET = "test-client-secret-0000"


@pytest.fixture(autouse=True)
def _app(settings, hubspot) -> None:  # after `hubspot`, which sets the simulator app's values
    settings.HUBSPOT_CLIENT_SECRET = SECRET
    settings.HUBSPOT_APP_ID = 4242
    settings.HUBSPOT_EXTERNAL_ACCOUNT_ID = "hsadmin"


def _path(external_event_id: str, **query: str) -> str:
    params = {"appId": "4242", "externalAccountId": "hsadmin", **query}
    return f"{reverse('appsettings:event_details', args=[external_event_id])}?{urlencode(params)}"


def _call(
    client: Client, path: str, *, signed_path: str | None = None, age_ms: int = 0, secret: str = SECRET
) -> object:
    timestamp = str(int(time.time() * 1000) - age_ms)
    signature = sign_v3(secret, "GET", f"http://testserver{signed_path or path}", "", timestamp)
    return client.get(
        path, headers={"X-HubSpot-Signature-v3": signature, "X-HubSpot-Request-Timestamp": timestamp}
    )


def test_a_signed_call_for_a_draft_gets_hubspots_fields(
    client: Client, make_draft: Callable[..., Event], settings
) -> None:
    draft = make_draft("Autumn summit", event_type="CONFERENCE", description="All day")
    response = _call(client, _path(draft.external_event_id))
    assert response.status_code == 200
    body = response.json()
    assert body["eventName"] == "Autumn summit" and body["eventOrganizer"] == "Acme"
    assert body["eventType"] == "CONFERENCE" and body["eventDescription"] == "All day"
    assert body["eventCancelled"] is False and body["customProperties"] == []
    # HubSpot creates the event next: a job will find it and turn the draft into a mirrored event.
    assert Job.objects.filter(kind="drafts.adopt", params__event_id=draft.pk).count() == 1


def test_a_mirrored_event_hsadmin_created_is_answered_too(client: Client, portal) -> None:
    Event.objects.create(
        portal=portal,
        object_id="555",
        name="Mirrored",
        organizer="Org",
        app_id=4242,
        external_event_id="ext-mirrored",
        external_account_id="hsadmin",
    )
    response = _call(client, _path("ext-mirrored"))
    assert response.status_code == 200 and response.json()["eventName"] == "Mirrored"
    assert not Job.objects.exists()


def test_an_unknown_event_is_404_even_when_signed(client: Client, portal) -> None:
    Event.objects.create(
        portal=portal, object_id="556", name="Theirs", app_id=1, external_event_id="other-app"
    )
    assert _call(client, _path("nobody-knows")).status_code == 404
    assert _call(client, _path("other-app")).status_code == 404  # another app's event is not ours to describe


def test_a_wrong_signature_is_401(client: Client, make_draft: Callable[..., Event]) -> None:
    draft = make_draft()
    response = _call(client, _path(draft.external_event_id), secret="not-the-secret")
    assert response.status_code == 401
    assert "Autumn" not in response.text


def test_a_timestamp_older_than_five_minutes_is_401(client: Client, make_draft: Callable[..., Event]) -> None:
    draft = make_draft()
    assert _call(client, _path(draft.external_event_id), age_ms=5 * 60 * 1000 + 5000).status_code == 401
    assert _call(client, _path(draft.external_event_id), age_ms=4 * 60 * 1000).status_code == 200


def test_a_tampered_query_is_401(client: Client, make_draft: Callable[..., Event]) -> None:
    draft = make_draft()
    signed = _path(draft.external_event_id, externalAccountId="someone-else")
    assert _call(client, _path(draft.external_event_id), signed_path=signed).status_code == 401


def test_no_signature_or_no_configured_secret_is_401(
    client: Client, make_draft: Callable[..., Event], settings
) -> None:
    draft = make_draft()
    assert client.get(_path(draft.external_event_id)).status_code == 401
    settings.HUBSPOT_CLIENT_SECRET = ""
    assert _call(client, _path(draft.external_event_id), secret="").status_code == 401


def test_the_endpoint_answers_only_get(client: Client, make_draft: Callable[..., Event]) -> None:
    draft = make_draft()
    assert client.post(_path(draft.external_event_id)).status_code == 405
