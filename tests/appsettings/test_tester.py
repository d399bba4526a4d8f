"""The URL tester: calls a URL as HubSpot would, behind a guard against server-side request forgery."""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer

from hsadmin.appsettings import fetch
from hsadmin.appsettings.services import check_answer
from hsadmin.core.models import AuditEntry
from hsadmin.events.models import Event
from tests.live_simulator import LiveSimulator


def _test(client: Client, url: str, external_event_id: str = "sample-event") -> object:
    return client.post(
        reverse("appsettings:test"),
        {"test-event_details_url": url, "test-external_event_id": external_event_id},
        headers={"HX-Request": "true", "HX-Target": "tester"},
    )


@pytest.fixture
def loopback_allowed(settings, live_server: LiveServer) -> None:
    """Development: loopback may be called, on the simulator's port and hsadmin's own (here the live server's,
    which the test client does not go through)."""
    settings.HSADMIN_ALLOW_LOOPBACK_FETCH = True
    settings.HSADMIN_LOOPBACK_PORTS = [int(live_server.url.rsplit(":", 1)[1])]


def test_hsadmins_own_endpoint_passes_for_a_draft(
    live_server: LiveServer, admin: Client, make_draft: Callable[..., Event], loopback_allowed: None
) -> None:
    draft = make_draft("Winter meetup", starts_at=None)
    response = _test(admin, f"{live_server.url}/hubspot/event-details/%s", draft.external_event_id)
    assert response.status_code == 200 and "<html" not in response.text
    result = response.context["result"]
    assert result.status == 200 and result.ok, result.checks
    assert "HubSpot could create the event from this answer." in response.text
    assert "externalAccountId=hsadmin" in result.url and draft.external_event_id in result.url
    assert AuditEntry.objects.get(action="appsettings.test_url").outcome == "success"


def test_an_answer_without_the_required_fields_fails_with_what_is_missing(
    live_server: LiveServer, admin: Client, hubspot: LiveSimulator, loopback_allowed: None
) -> None:
    response = _test(admin, f"{live_server.url}/healthz?probe=%s")
    result = response.context["result"]
    assert result.status == 200 and not result.ok
    texts = " ".join(check.text for check in result.checks if not check.ok)
    assert "eventName is missing" in texts and "eventOrganizer is missing" in texts
    assert "HubSpot could not create the event from this answer." in response.text


def test_an_unknown_event_and_a_redirect_are_reported_not_followed(
    live_server: LiveServer, admin: Client, hubspot: LiveSimulator, loopback_allowed: None
) -> None:
    unknown = _test(admin, f"{live_server.url}/hubspot/event-details/%s", "nobody-knows").context["result"]
    assert unknown.status == 404 and not unknown.ok
    redirect = _test(admin, f"{live_server.url}/events/?probe=%s").context["result"]
    assert redirect.status == 302 and "answered 302; HubSpot needs 200" in redirect.checks[0].text


def test_an_answer_over_64_kb_is_not_read(
    admin: Client, hubspot: LiveSimulator, loopback_allowed: None
) -> None:
    result = _test(admin, f"{hubspot.base_url}/_simulator/openapi.json?probe=%s").context["result"]
    assert "larger than 64 KB" in result.refused and not result.ok


@pytest.mark.parametrize(
    "url",
    [
        "https://169.254.169.254/latest/meta-data/%s",
        "https://10.0.0.8/events/%s",
        "https://[::ffff:192.168.1.4]/events/%s",
        "https://localhost:9/events/%s",
    ],
)
def test_a_forbidden_address_is_refused_by_the_form_before_any_call(
    admin: Client, settings, url: str, hubspot: LiveSimulator
) -> None:
    settings.HSADMIN_ALLOW_LOOPBACK_FETCH = False
    response = _test(admin, url)
    assert response.status_code == 422 and "is not on the public internet" in response.text
    assert response.context["result"] is None


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("169.254.169.254", "does not call 169.254.169.254"),
        ("10.0.0.8", "does not call 10.0.0.8"),
        ("::ffff:192.168.1.4", "does not call"),
        ("127.0.0.1", "does not call 127.0.0.1"),
    ],
)
def test_a_name_that_resolves_to_a_forbidden_address_is_refused_before_any_call(
    admin: Client,
    settings,
    address: str,
    reason: str,
    hubspot: LiveSimulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.HSADMIN_ALLOW_LOOPBACK_FETCH = False
    monkeypatch.setattr(fetch, "resolve", lambda host, port: [ipaddress.ip_address(address)])
    response = _test(admin, "https://events.example.com/events/%s")
    assert response.status_code == 200
    result = response.context["result"]
    assert reason in result.refused and result.status is None
    assert "hsadmin did not call this URL." in response.text


def test_plain_http_is_refused_by_the_form_outside_development(
    admin: Client, settings, hubspot: LiveSimulator
) -> None:
    settings.HSADMIN_ALLOW_LOOPBACK_FETCH = False
    response = _test(admin, "http://127.0.0.1:9/events/%s")
    assert response.status_code == 422 and "HubSpot calls only https URLs" in response.text
    assert response.context["result"] is None


def test_a_refused_fetch_is_audited_as_denied(
    admin: Client, settings, hubspot: LiveSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.HSADMIN_ALLOW_LOOPBACK_FETCH = False
    monkeypatch.setattr(fetch, "resolve", lambda host, port: [ipaddress.ip_address("10.9.8.7")])
    _test(admin, "https://private.example.com/%s")
    assert AuditEntry.objects.get(action="appsettings.test_url").outcome == "denied"


def test_the_connection_goes_to_the_address_that_was_checked(
    hubspot: LiveSimulator, monkeypatch: pytest.MonkeyPatch, settings
) -> None:
    """DNS rebinding: the name is resolved once, checked, and the request is pinned to that address."""
    settings.HSADMIN_ALLOW_LOOPBACK_FETCH = True
    port = hubspot.base_url.rsplit(":", 1)[1]
    monkeypatch.setattr(fetch, "resolve", lambda host, port: [ipaddress.ip_address("127.0.0.1")])
    fetched = fetch.guarded_get(f"http://pinned.invalid:{port}/_simulator/health")
    assert fetched.status == 200 and fetched.address == "127.0.0.1"


def test_any_private_address_among_the_answers_refuses_the_host() -> None:
    mixed = [ipaddress.ip_address("93.184.216.34"), ipaddress.ip_address("10.0.0.1")]
    with pytest.raises(fetch.FetchRefused):
        fetch.check_address(mixed, loopback_ok=True)
    assert (
        str(fetch.check_address([ipaddress.ip_address("93.184.216.34")], loopback_ok=False))
        == "93.184.216.34"
    )


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ([], "not a JSON object"),
        ({"eventName": "X"}, "eventOrganizer is missing"),
        ({"eventName": "X", "eventOrganizer": 5}, "eventOrganizer is missing"),
        (
            {"eventName": "X", "eventOrganizer": "Y", "eventCancelled": "no"},
            "eventCancelled must be true or false",
        ),
        ({"eventName": "X", "eventOrganizer": "Y", "startDateTime": "tomorrow"}, "must be an ISO-8601"),
        ({"eventName": "X", "eventOrganizer": "Y", "customProperties": {"a": 1}}, "customProperties must be"),
    ],
)
def test_the_answer_check_names_each_wrong_field(answer: object, problem: str) -> None:
    failed = [check.text for check in check_answer(answer) if not check.ok]
    assert any(problem in text for text in failed), failed


def test_a_complete_answer_passes_every_check() -> None:
    answer = {
        "eventName": "X",
        "eventOrganizer": "Y",
        "eventType": "WEBINAR",
        "startDateTime": "2026-05-01T10:00:00.000Z",
        "eventCancelled": False,
        "customProperties": [{"name": "a", "value": "b"}],
    }
    assert all(check.ok for check in check_answer(answer))


@pytest.mark.django_db
def test_the_tester_form_refuses_bad_input_with_422(admin: Client) -> None:
    response = admin.post(
        reverse("appsettings:test"),
        {"test-event_details_url": "https://x.example/%s", "test-external_event_id": ""},
        headers={"HX-Request": "true", "HX-Target": "tester"},
    )
    assert response.status_code == 422 and "This field is required" in response.text


def test_a_dns_lookup_that_hangs_is_given_up_with_a_plain_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    """The system resolver has no timeout of its own; a stuck lookup must not hold the page."""
    release = threading.Event()

    def stuck(*args: object, **kwargs: object) -> list:
        release.wait(5)
        return []

    monkeypatch.setattr(fetch.socket, "getaddrinfo", stuck)
    monkeypatch.setattr(fetch, "DNS_TIMEOUT_SECONDS", 0.2)
    try:
        with pytest.raises(fetch.FetchRefused, match="took too long"):
            fetch.resolve("slow.example", 443)
    finally:
        release.set()
