"""The simulator's decisions where HubSpot's behaviour is undocumented (``x-simulator-decisions``)."""

from __future__ import annotations

import pytest

from tests.simulator.conftest import DATED, PREFIXES, V3, Api


def test_event_status_says_upcoming_ongoing_past_or_cancelled_and_there_is_no_status_v2(sim, api):
    upcoming = api.create_event(startDateTime="2099-01-01T10:00:00Z", endDateTime="2099-01-01T11:00:00Z")
    ongoing = api.create_event(startDateTime="2000-01-01T10:00:00Z", endDateTime="2099-01-01T11:00:00Z")
    past = api.create_event(startDateTime="2000-01-01T10:00:00Z", endDateTime="2000-01-01T11:00:00Z")
    completed = api.create_event(eventCompleted=True)
    cancelled = api.create_event(eventCancelled=True)
    expected = {
        upcoming["objectId"]: "UPCOMING",
        ongoing["objectId"]: "ONGOING",
        past["objectId"]: "PAST",
        completed["objectId"]: "PAST",
        cancelled["objectId"]: "CANCELLED",
    }
    for object_id, status in expected.items():
        body = api.get(f"{V3}/{object_id}").json()
        assert body["eventStatus"] == status
        assert "eventStatusV2" not in body  # not in HubSpot's SDK models: nothing may rely on it


def test_batches_are_not_capped_at_100_inputs(sim, api):
    event = api.create_event()
    inputs = [
        {"email": f"big{i}@example.com", "interactionDateTime": 1, "properties": {}, "contactProperties": {}}
        for i in range(150)
    ]
    response = api.post(f"{V3}/{event['objectId']}/attendance/register/email-create", json={"inputs": inputs})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 150


@pytest.mark.parametrize("prefix", PREFIXES)
def test_attendance_by_external_email_and_by_object_id_contact_ids_on_each_prefix(sim, api, prefix):
    event = api.create_event(prefix)
    email = api.post(
        f"{prefix}/attendance/{event['externalEventId']}/cancel/email-create",
        params={"externalAccountId": "acct-1"},
        json={
            "inputs": [
                {
                    "email": "bob@example.com",
                    "interactionDateTime": 3,
                    "properties": {},
                    "contactProperties": {},
                }
            ]
        },
    )
    assert email.status_code == 200
    vid = email.json()["results"][0]["vid"]
    by_id = api.post(
        f"{prefix}/{event['objectId']}/attendance/register/create",
        json={"inputs": [{"vid": vid, "interactionDateTime": 1, "properties": {}}]},
    )
    assert by_id.json()["results"] == [{"vid": vid}]
    assert api.get(f"{prefix}/participations/{event['objectId']}").json()["cancelled"] == 1


def test_limit_above_100_is_clamped_on_breakdowns_too(sim, api):
    event = api.create_event()
    inputs = [
        {"email": f"many{i}@example.com", "interactionDateTime": 1, "properties": {}, "contactProperties": {}}
        for i in range(105)
    ]
    api.post(f"{DATED}/{event['objectId']}/attendance/register/email-create", json={"inputs": inputs})
    page = api.get(f"{DATED}/participations/{event['objectId']}/breakdown", params={"limit": 1000}).json()
    assert page["total"] == 105
    assert len(page["results"]) == 100
    assert page["paging"]["next"]["after"] == "100"


def test_a_ui_created_event_has_no_app_and_no_external_access(sim):
    sim.control.reset()
    sim.control.seed(events=40, contacts=50, lists=2, random_seed=5)
    api = Api(sim, sim.hub_id, sim.app_id)
    ui_events = [e for e in sim.control.events(sim.hub_id) if e["appId"] is None]
    assert ui_events
    body = api.get(f"{V3}/{ui_events[0]['objectId']}").json()
    assert "appInfo" not in body
    assert "externalEventId" not in body
    sim.control.reset()
