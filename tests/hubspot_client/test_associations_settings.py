"""List associations #29-#34 and settings #35-#36 (developer API key)."""

from __future__ import annotations

import pytest

from hsadmin.hubspot_client import AuthError, BearerAuth, EventDetailSettings, HubSpotClient

from .fakes import FakeHubSpot, reply

PREFIXES = {"v3": "/marketing/v3/marketing-events", "2026-03": "/marketing/marketing-events/2026-03"}
LIST = {
    "listId": "12",
    "listVersion": 3,
    "name": "VIPs",
    "objectTypeId": "0-1",
    "processingStatus": "COMPLETE",
    "processingType": "MANUAL",
    "size": 40,
    "createdAt": "2026-01-01T00:00:00Z",
}


@pytest.fixture(params=["v3", "2026-03"])
def versioned(request: pytest.FixtureRequest, make_client) -> tuple[HubSpotClient, str]:
    return make_client(api_version=request.param, developer_api_key="dev-key", app_id=77), PREFIXES[
        request.param
    ]


def test_it_lists_an_events_lists_by_external_ids(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(200, {"total": 1, "results": [LIST]}))
    page = client.event_lists_page_by_external_id("acct-9", "ev-1")
    assert (fake.last.method, fake.last.url.path) == ("GET", f"{prefix}/associations/acct-9/ev-1/lists")
    assert page.total == 1 and page.results[0].list_id == "12" and page.results[0].size == 40
    fake.then(reply(200, {"total": 1, "results": [LIST]}))
    assert [lst.name for lst in client.iter_event_lists_by_external_id("acct-9", "ev-1")] == ["VIPs"]


def test_it_associates_and_disassociates_a_list_by_external_ids(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(204), reply(204))
    client.associate_list_by_external_id("acct-9", "ev-1", "12")
    assert (fake.requests[0].method, fake.requests[0].url.path) == (
        "PUT",
        f"{prefix}/associations/acct-9/ev-1/lists/12",
    )
    client.disassociate_list_by_external_id("acct-9", "ev-1", "12")
    assert (fake.last.method, fake.last.url.path) == ("DELETE", f"{prefix}/associations/acct-9/ev-1/lists/12")
    assert fake.last.content == b""


def test_it_lists_associates_and_disassociates_by_marketing_event_id(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(
        reply(200, {"total": 1, "results": [LIST]}), reply(204), reply(204), reply(200, {"results": []})
    )
    assert client.event_lists_page("501").results[0].name == "VIPs"
    assert fake.last.url.path == f"{prefix}/associations/501/lists"
    client.associate_list("501", "12")
    assert (fake.last.method, fake.last.url.path) == ("PUT", f"{prefix}/associations/501/lists/12")
    client.disassociate_list("501", "12")
    assert (fake.last.method, fake.last.url.path) == ("DELETE", f"{prefix}/associations/501/lists/12")
    assert list(client.iter_event_lists("501")) == []


def test_settings_calls_use_the_developer_key_and_not_the_portal_token(
    fake: FakeHubSpot, make_client
) -> None:
    client = make_client(auth=BearerAuth("portal-token"), developer_api_key="dev-key", app_id=77)
    fake.then(reply(200, {"appId": 77, "eventDetailsUrl": "https://app.example/events/%s"}))
    settings = client.get_event_settings()
    assert (fake.last.method, fake.last.url.path) == ("GET", "/marketing/v3/marketing-events/77/settings")
    assert fake.last.url.params["hapikey"] == "dev-key"
    assert "authorization" not in fake.last.headers
    assert settings == EventDetailSettings(77, "https://app.example/events/%s")


def test_it_updates_the_event_details_url(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(200, {"appId": 78, "eventDetailsUrl": "https://x/%s"}))
    settings = client.update_event_settings("https://x/%s", app_id=78)
    assert (fake.last.method, fake.last.url.path) == ("POST", f"{prefix}/78/settings")
    assert fake.body() == {"eventDetailsUrl": "https://x/%s"}
    assert settings.app_id == 78


def test_an_event_details_url_without_the_placeholder_is_refused_before_sending(
    fake: FakeHubSpot, versioned
) -> None:
    client, _ = versioned
    with pytest.raises(ValueError, match="%s"):
        client.update_event_settings("https://x/events")
    assert fake.requests == []


def test_settings_without_a_developer_key_fail_clearly(fake: FakeHubSpot, make_client) -> None:
    client = make_client(app_id=77)
    with pytest.raises(AuthError, match="HUBSPOT_DEVELOPER_API_KEY"):
        client.get_event_settings()
    with pytest.raises(ValueError, match="app_id"):
        make_client(developer_api_key="k").get_event_settings()
    assert fake.requests == []
