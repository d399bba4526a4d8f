"""Marketing events #1-#17: verb, path, query and body on the wire, and the typed result."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hsadmin.hubspot_client import (
    AppInfo,
    EventCreate,
    EventUpdate,
    ExternalEventRef,
    HubSpotClient,
    InputStatus,
    ObjectIdUpdate,
    PropertyValue,
)

from .fakes import FakeHubSpot, reply

PREFIXES = {"v3": "/marketing/v3/marketing-events", "2026-03": "/marketing/marketing-events/2026-03"}

READ_V2 = {
    "objectId": "501",
    "eventName": "Spring webinar",
    "eventOrganizer": "Acme",
    "eventType": "WEBINAR",
    "startDateTime": "2026-05-01T15:00:00.000Z",
    "endDateTime": "2026-05-01T16:30:00Z",
    "customProperties": [{"name": "room", "value": "A"}],
    "createdAt": "2026-04-01T09:00:00Z",
    "updatedAt": "2026-04-02T09:00:00Z",
    "appInfo": {"id": "77", "name": "hsadmin"},
    "externalEventId": "ev-1",
    "registrants": 3,
    "attendees": 2,
    "cancellations": 1,
    "noShows": 0,
    "eventStatus": "UPCOMING",
    "eventStatusV2": "upcoming",
}
DEFAULT_RESPONSE = {  # MarketingEventDefaultResponse: no id, no timestamps, no external ids
    "objectId": "501",
    "eventName": "Spring webinar",
    "eventOrganizer": "Acme",
    "customProperties": [],
    "eventCancelled": True,
    "eventCompleted": False,
}
PUBLIC_DEFAULT = {
    "id": "501",
    "objectId": "501",
    "createdAt": "2026-04-01T09:00:00Z",
    "updatedAt": "2026-04-02T09:00:00Z",
    "eventName": "Spring webinar",
    "eventOrganizer": "Acme",
    "customProperties": [{"name": "room", "value": "A", "timestamp": 1, "source": "API"}],
}
START = datetime(2026, 5, 1, 15, 0, tzinfo=UTC)
END = datetime(2026, 5, 1, 16, 30, tzinfo=UTC)
NEW_EVENT = EventCreate(
    external_account_id="acct-9",
    external_event_id="ev-1",
    event_name="Spring webinar",
    event_organizer="Acme",
    event_type="WEBINAR",
    start_date_time=START,
    end_date_time=END,
    custom_properties={"room": "A"},
)
NEW_EVENT_JSON = {
    "externalAccountId": "acct-9",
    "externalEventId": "ev-1",
    "eventName": "Spring webinar",
    "eventOrganizer": "Acme",
    "customProperties": [{"name": "room", "value": "A"}],
    "eventType": "WEBINAR",
    "startDateTime": "2026-05-01T15:00:00.000Z",
    "endDateTime": "2026-05-01T16:30:00.000Z",
}


@pytest.fixture(params=["v3", "2026-03"])
def versioned(request: pytest.FixtureRequest, make_client) -> tuple[HubSpotClient, str]:
    return make_client(api_version=request.param), PREFIXES[request.param]


def test_it_lists_one_page_of_events_from_the_list_all_path(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(200, {"results": [READ_V2], "paging": {"next": {"after": "501", "link": "x"}}}))
    page = client.list_events_page(limit=50, after="400")
    expected_path = prefix + "/" if prefix.endswith("marketing-events") else prefix
    assert fake.last.method == "GET"
    assert fake.last.url.path == expected_path
    assert dict(fake.last.url.params) == {"after": "400", "limit": "50"}
    assert page.next_after == "501"
    event = page.results[0]
    assert event.object_id == "501"
    assert event.start_date_time == START
    assert event.end_date_time == END
    assert event.app_info == AppInfo(id="77", name="hsadmin")
    assert (event.registrants, event.attendees, event.cancellations, event.no_shows) == (3, 2, 1, 0)
    assert event.custom_property("room") == "A"
    assert event.event_status == "UPCOMING"


def test_iterating_events_follows_the_after_cursor_lazily_until_there_is_no_next_page(
    fake: FakeHubSpot, client: HubSpotClient
) -> None:
    fake.then(
        reply(200, {"results": [{**READ_V2, "objectId": "1"}], "paging": {"next": {"after": "c1"}}}),
        reply(200, {"results": [{**READ_V2, "objectId": "2"}], "paging": {"next": {"after": "c2"}}}),
        reply(200, {"results": [{**READ_V2, "objectId": "3"}]}),
    )
    events = client.iter_events(limit=1)
    assert fake.requests == []  # nothing is fetched before the first item is asked for
    assert next(events).object_id == "1"
    assert len(fake.requests) == 1
    assert [e.object_id for e in events] == ["2", "3"]
    assert [r.url.params.get("after") for r in fake.requests] == [None, "c1", "c2"]


def test_it_gets_an_event_by_object_id(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(200, READ_V2))
    event = client.get_event("501")
    assert (fake.last.method, fake.last.url.path) == ("GET", f"{prefix}/501")
    assert event.event_name == "Spring webinar"
    assert event.created_at == datetime(2026, 4, 1, 9, tzinfo=UTC)


def test_it_patches_an_event_by_object_id_with_only_the_fields_given(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(200, {**READ_V2, "eventName": "Renamed"}))
    event = client.update_event("501", EventUpdate(event_name="Renamed", event_cancelled=False))
    assert (fake.last.method, fake.last.url.path) == ("PATCH", f"{prefix}/501")
    assert fake.body() == {"customProperties": [], "eventName": "Renamed", "eventCancelled": False}
    assert event.event_name == "Renamed"


def test_an_update_by_object_id_refuses_event_completed(client: HubSpotClient, fake: FakeHubSpot) -> None:
    with pytest.raises(ValueError, match="eventCompleted"):
        client.update_event("501", EventUpdate(event_completed=True))
    assert fake.requests == []


def test_it_deletes_an_event_by_object_id(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(204))
    assert client.delete_event("501") is None
    assert (fake.last.method, fake.last.url.path) == ("DELETE", f"{prefix}/501")


def test_it_creates_an_event_and_reads_the_200_default_response(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(200, DEFAULT_RESPONSE))
    event = client.create_event(NEW_EVENT)
    assert (fake.last.method, fake.last.url.path) == ("POST", f"{prefix}/events")
    assert fake.body() == NEW_EVENT_JSON
    assert event.object_id == "501"
    assert event.id is None and event.created_at is None and event.external_event_id is None


def test_it_gets_an_event_by_external_ids_with_the_account_in_the_query(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(
        reply(
            200,
            {
                **PUBLIC_DEFAULT,
                "externalEventId": "ev 1/2",
                "registrants": 4,
                "attendees": 1,
                "cancellations": 0,
                "noShows": 2,
            },
        )
    )
    event = client.get_event_by_external_id("acct-9", "ev 1/2")
    assert fake.last.method == "GET"
    assert fake.last.url.raw_path.decode().startswith(f"{prefix}/events/ev%201%2F2?")
    assert fake.last.url.params["externalAccountId"] == "acct-9"
    assert event.registrants == 4 and event.no_shows == 2


def test_it_upserts_an_event_with_a_put_and_the_account_in_the_body(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(200, PUBLIC_DEFAULT))
    event = client.upsert_event(NEW_EVENT)
    assert (fake.last.method, fake.last.url.path) == ("PUT", f"{prefix}/events/ev-1")
    assert "externalAccountId" not in fake.last.url.params
    assert fake.body() == NEW_EVENT_JSON
    assert event.id == "501"
    assert event.custom_properties == (PropertyValue("room", "A"),)


def test_it_patches_an_event_by_external_ids(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(200, PUBLIC_DEFAULT))
    client.update_event_by_external_id(
        "acct-9", "ev-1", EventUpdate(event_completed=True, custom_properties=[PropertyValue("room", "B")])
    )
    assert (fake.last.method, fake.last.url.path) == ("PATCH", f"{prefix}/events/ev-1")
    assert fake.last.url.params["externalAccountId"] == "acct-9"
    assert fake.body() == {"customProperties": [{"name": "room", "value": "B"}], "eventCompleted": True}


def test_it_deletes_an_event_by_external_ids(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(204))
    client.delete_event_by_external_id("acct-9", "ev-1")
    assert (fake.last.method, fake.last.url.path) == ("DELETE", f"{prefix}/events/ev-1")
    assert fake.last.url.params["externalAccountId"] == "acct-9"


def test_it_cancels_an_event_with_no_body(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(200, DEFAULT_RESPONSE))
    event = client.cancel_event("acct-9", "ev-1")
    assert (fake.last.method, fake.last.url.path) == ("POST", f"{prefix}/events/ev-1/cancel")
    assert fake.last.url.params["externalAccountId"] == "acct-9"
    assert fake.last.content == b""
    assert event.event_cancelled is True


def test_it_completes_an_event_with_its_start_and_end_as_iso(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(200, {**DEFAULT_RESPONSE, "eventCompleted": True}))
    event = client.complete_event("acct-9", "ev-1", start_date_time=START, end_date_time=END)
    assert (fake.last.method, fake.last.url.path) == ("POST", f"{prefix}/events/ev-1/complete")
    assert fake.body() == {
        "startDateTime": "2026-05-01T15:00:00.000Z",
        "endDateTime": "2026-05-01T16:30:00.000Z",
    }
    assert event.event_completed is True


def _envelope(results: list, **extra: object) -> dict:
    return {
        "status": "COMPLETE",
        "results": results,
        "startedAt": "2026-04-01T09:00:00Z",
        "completedAt": "2026-04-01T09:00:01Z",
        **extra,
    }


def test_it_upserts_events_in_a_batch(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(200, _envelope([PUBLIC_DEFAULT])))
    outcome = client.upsert_events([NEW_EVENT])
    assert (fake.last.method, fake.last.url.path) == ("POST", f"{prefix}/events/upsert")
    assert fake.body() == {"inputs": [NEW_EVENT_JSON]}
    assert outcome.ok
    assert outcome.results[0].id == "501"
    assert outcome.chunks[0].result.completed_at == datetime(2026, 4, 1, 9, 0, 1, tzinfo=UTC)


def test_it_deletes_events_by_external_ids_in_a_batch(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(204))
    outcome = client.delete_events_by_external_id([ExternalEventRef(77, "acct-9", "ev-1")])
    assert (fake.last.method, fake.last.url.path) == ("POST", f"{prefix}/events/delete")
    assert fake.body() == {
        "inputs": [{"appId": 77, "externalAccountId": "acct-9", "externalEventId": "ev-1"}]
    }
    assert outcome.ok and outcome.chunks[0].result.http_status == 204


def test_it_deletes_events_by_object_id_and_reports_the_unknown_ones_of_a_207(
    fake: FakeHubSpot, versioned
) -> None:
    client, prefix = versioned
    error = {
        "status": "error",
        "category": "OBJECT_NOT_FOUND",
        "message": "not found",
        "context": {"ids": ["9"]},
    }
    fake.then(reply(207, _envelope([], errors=[error], numErrors=1)))
    outcome = client.delete_events(["501", "9"])
    assert (fake.last.method, fake.last.url.path) == ("POST", f"{prefix}/batch/archive")
    assert fake.body() == {"inputs": [{"objectId": "501"}, {"objectId": "9"}]}
    assert not outcome.ok
    assert [(o.input, o.status) for o in outcome.per_input()] == [
        ("501", InputStatus.OK),
        ("9", InputStatus.FAILED),
    ]
    assert outcome.errors[0].category == "OBJECT_NOT_FOUND"


def test_it_updates_events_by_object_id_in_a_batch(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(200, _envelope([READ_V2])))
    outcome = client.update_events([ObjectIdUpdate("501", EventUpdate(event_name="Renamed"))])
    assert (fake.last.method, fake.last.url.path) == ("POST", f"{prefix}/batch/update")
    assert fake.body() == {"inputs": [{"objectId": "501", "customProperties": [], "eventName": "Renamed"}]}
    assert outcome.results[0].object_id == "501"


def test_it_searches_this_apps_events_by_external_id(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(
        reply(
            200,
            {
                "results": [
                    {"appId": 77, "externalAccountId": "acct-9", "externalEventId": "ev-1", "objectId": "501"}
                ]
            },
        )
    )
    found = client.search_events_by_external_id("ev-1")
    assert (fake.last.method, fake.last.url.path) == ("GET", f"{prefix}/events/search")
    assert fake.last.url.params["q"] == "ev-1"
    assert found[0].app_id == 77 and found[0].object_id == "501"


def test_it_finds_every_apps_identifiers_for_an_external_id_across_pages(
    fake: FakeHubSpot, versioned
) -> None:
    client, prefix = versioned
    item = {
        "objectId": "501",
        "externalEventId": "ev-1",
        "marketingEventName": "Spring webinar",
        "externalAccountId": "acct-9",
        "appInfo": {"id": "77", "name": "hsadmin"},
    }
    fake.then(
        reply(200, {"total": 2, "results": [item], "paging": {"next": {"after": "p2"}}}),
        reply(200, {"total": 2, "results": [{**item, "objectId": "502"}]}),
    )
    found = list(client.iter_event_identifiers("ev-1"))
    assert fake.requests[0].url.path == f"{prefix}/ev-1/identifiers"
    assert fake.requests[1].url.params["after"] == "p2"
    assert [f.object_id for f in found] == ["501", "502"]
    assert found[0].marketing_event_name == "Spring webinar"
    assert found[0].app_info == AppInfo("77", "hsadmin")


def test_a_creation_is_never_retried_after_a_server_error(fake: FakeHubSpot, client: HubSpotClient) -> None:
    from hsadmin.hubspot_client import ServerError

    fake.then(reply(502, {"message": "bad gateway"}), reply(200, DEFAULT_RESPONSE))
    with pytest.raises(ServerError) as caught:
        client.create_event(NEW_EVENT)
    assert len(fake.requests) == 1
    assert caught.value.operation == "create_event"
