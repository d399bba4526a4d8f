"""What HubSpot refuses in an eventDetailsUrl is refused here first, with a reason."""

from __future__ import annotations

import pytest

from hsadmin.appsettings.forms import EventDetailsUrlForm


def _error(url: str) -> str:
    form = EventDetailsUrlForm({"event_details_url": url})
    assert not form.is_valid()
    return " ".join(form.errors["event_details_url"])


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://events.example.com/details/%s", "HubSpot calls only https URLs"),
        ("ftp://events.example.com/%s", "HubSpot calls only https URLs"),
        ("https://events.example.com/details", "Put %s where the event's ID goes"),
        ("https://events.example.com/%s/%s", "Use %s only once"),
        ("https://user:secret@events.example.com/%s", "Take the user name and password out of the URL"),
        ("https://token@events.example.com/%s", "Take the user name and password out of the URL"),
        ("https://%s.example.com/details", "not in the host name"),
        ("https://events.example.com/%s#top", "Remove the part from # on"),
        ("events.example.com/%s", "Give a full URL with a host name"),
        ("https://events.example.com/a b/%s", "Take the spaces out"),
    ],
)
def test_a_url_hubspot_would_refuse_is_refused_with_the_reason(url: str, reason: str, settings) -> None:
    settings.HSADMIN_ALLOW_LOOPBACK_FETCH = False
    assert reason in _error(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://events.example.com/details/%s",
        "https://events.example.com/details?id=%s",
        "https://events.example.com:8443/e/%s?source=hubspot",
    ],
)
def test_an_https_url_with_one_placeholder_is_accepted(url: str) -> None:
    form = EventDetailsUrlForm({"event_details_url": f"  {url} "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["event_details_url"] == url


def test_http_to_loopback_is_accepted_only_when_development_allows_it(settings) -> None:
    url = "http://127.0.0.1:8000/hubspot/event-details/%s"
    settings.HSADMIN_ALLOW_LOOPBACK_FETCH = False
    assert "https" in _error(url)
    settings.HSADMIN_ALLOW_LOOPBACK_FETCH = True
    assert EventDetailsUrlForm({"event_details_url": url}).is_valid()
    assert "https" in _error("http://10.0.0.5/%s")  # only loopback, never a private address
