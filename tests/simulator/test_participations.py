"""Counters and breakdowns: current state per contact, every activity on the event, NO_SHOW derived."""

from __future__ import annotations

import pytest

from tests.simulator.conftest import PREFIXES, V3, Api, assert_error, unique


def record(api, event, state, email, at, properties=None):
    response = api.post(
        f"{V3}/{event['objectId']}/attendance/{state}/email-create",
        json={
            "inputs": [
                {
                    "email": email,
                    "interactionDateTime": at,
                    "properties": properties or {},
                    "contactProperties": {},
                }
            ]
        },
    )
    assert response.status_code == 200, response.text


@pytest.fixture
def busy_event(api):
    """Alice registers then attends for 30 of 60 minutes; Bob registers twice; Carol registers then cancels."""
    event = api.create_event(startDateTime="2030-01-01T10:00:00Z", endDateTime="2030-01-01T11:00:00Z")
    record(api, event, "register", "alice@example.com", 1000)
    record(
        api,
        event,
        "attend",
        "alice@example.com",
        2000,
        {"joinedAt": "1893492000000", "leftAt": "1893493800000"},
    )
    record(api, event, "register", "bob@example.com", 1000)
    record(api, event, "register", "bob@example.com", 1500)
    record(api, event, "register", "carol@example.com", 1000)
    record(api, event, "cancel", "carol@example.com", 3000)
    return event


@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_event_counts_every_activity_while_counters_count_contacts(api, busy_event, prefix):
    event = api.get(f"{prefix}/{busy_event['objectId']}").json()
    assert (event["registrants"], event["attendees"], event["cancellations"], event["noShows"]) == (
        4,
        1,
        1,
        0,
    )
    by_id = api.get(f"{prefix}/participations/{busy_event['objectId']}").json()
    assert by_id == {"attended": 1, "cancelled": 1, "noShows": 0, "registered": 1}
    by_external = api.get(f"{prefix}/participations/acct-1/{busy_event['externalEventId']}").json()
    assert by_external == by_id


def test_no_show_is_derived_once_the_event_has_ended(sim, api, busy_event):
    sim.control.set_clock(5 * 365 * 24 * 3600)
    api = Api(sim, sim.hub_id, sim.app_id)  # the old token has expired by now
    counters = api.get(f"{V3}/participations/{busy_event['objectId']}").json()
    assert counters == {"attended": 1, "cancelled": 1, "noShows": 1, "registered": 0}
    assert api.get(f"{V3}/{busy_event['objectId']}").json()["noShows"] == 1
    states = api.get(
        f"{V3}/participations/{busy_event['objectId']}/breakdown", params={"state": "NO_SHOW"}
    ).json()
    assert [r["associations"]["contact"]["email"] for r in states["results"]] == ["bob@example.com"]


def test_completing_an_event_ends_it(api, busy_event):
    api.post(
        f"{V3}/events/{busy_event['externalEventId']}/complete",
        params={"externalAccountId": "acct-1"},
        json={"startDateTime": "2030-01-01T10:00:00Z", "endDateTime": "2030-01-01T11:00:00Z"},
    )
    assert api.get(f"{V3}/participations/{busy_event['objectId']}").json()["noShows"] == 1


@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_breakdown_shows_each_contacts_current_state_with_duration(api, busy_event, prefix):
    body = api.get(f"{prefix}/participations/{busy_event['objectId']}/breakdown").json()
    assert body["total"] == 3
    rows = {r["associations"]["contact"]["email"]: r for r in body["results"]}
    alice = rows["alice@example.com"]
    assert alice["properties"]["attendanceState"] == "ATTENDED"
    assert alice["properties"]["occurredAt"] == 2000
    assert alice["properties"]["attendanceDurationSeconds"] == 1800
    assert alice["properties"]["attendancePercentage"] == "50.0"
    assert alice["associations"]["marketingEvent"]["marketingEventId"] == busy_event["objectId"]
    assert alice["associations"]["contact"]["firstname"] == "Alice"
    assert rows["carol@example.com"]["properties"]["attendanceState"] == "CANCELLED"
    assert rows["bob@example.com"]["properties"]["attendanceState"] == "REGISTERED"
    external = api.get(f"{prefix}/participations/acct-1/{busy_event['externalEventId']}/breakdown").json()
    assert external["total"] == 3


def test_the_breakdown_filters_by_contact_and_state(sim, api, busy_event):
    path = f"{V3}/participations/{busy_event['objectId']}/breakdown"
    one = api.get(path, params={"contactIdentifier": "carol@example.com"}).json()
    assert one["total"] == 1
    vid = one["results"][0]["associations"]["contact"]["contactId"]
    assert api.get(path, params={"contactIdentifier": vid}).json()["total"] == 1
    assert api.get(path, params={"state": "ATTENDED"}).json()["total"] == 1
    assert_error(api.get(path, params={"state": "bogus"}), 400, "VALIDATION_ERROR")


def test_the_breakdown_pages_with_after_cursors(api, busy_event):
    path = f"{V3}/participations/{busy_event['objectId']}/breakdown"
    first = api.get(path, params={"limit": 2}).json()
    assert len(first["results"]) == 2
    second = api.get(path, params={"limit": 2, "after": first["paging"]["next"]["after"]}).json()
    assert len(second["results"]) == 1
    assert "paging" not in second


@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_contact_breakdown_lists_every_event_of_a_contact(api, prefix):
    email = f"{unique('person')}@example.com"
    first, second = api.create_event(), api.create_event()
    record(api, first, "register", email, 1000)
    record(api, first, "attend", email, 2000)
    record(api, second, "register", email, 5000)
    path = f"{prefix}/participations/contacts/{email}/breakdown"
    body = api.get(path).json()
    assert body["total"] == 2
    assert [r["associations"]["marketingEvent"]["marketingEventId"] for r in body["results"]] == [
        first["objectId"],
        second["objectId"],
    ]
    filtered = api.get(path, params={"state": "ATTENDED"}).json()
    assert [r["associations"]["marketingEvent"]["marketingEventId"] for r in filtered["results"]] == [
        first["objectId"]
    ]
    assert api.get(f"{prefix}/participations/contacts/nobody@example.com/breakdown").json() == {
        "total": 0,
        "results": [],
    }


def test_counters_by_external_ids_are_404_for_another_app(api, other_app, busy_event):
    assert_error(other_app.get(f"{V3}/participations/acct-1/{busy_event['externalEventId']}"), 404)
    assert other_app.get(f"{V3}/participations/{busy_event['objectId']}").status_code == 200
