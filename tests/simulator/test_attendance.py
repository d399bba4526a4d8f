"""Recording participation over HTTP: the four create endpoints, the legacy upserts, idempotency."""

from __future__ import annotations

import pytest

from tests.simulator.conftest import PREFIXES, V3, assert_error, unique


def contact_ids(sim, hub_id) -> dict[str, int]:
    return {c["email"]: int(c["id"]) for c in sim.control.contacts(hub_id)}


@pytest.mark.parametrize("prefix", PREFIXES)
def test_create_by_contact_ids_records_and_answers_the_batch_envelope(sim, api, prefix):
    event = api.create_event(prefix)
    vid = contact_ids(sim, sim.hub_id)["alice@example.com"]
    response = api.post(
        f"{prefix}/attendance/{event['externalEventId']}/register/create",
        params={"externalAccountId": "acct-1"},
        json={"inputs": [{"vid": vid, "interactionDateTime": 1700000000000, "properties": {}}]},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "COMPLETE"
    assert body["results"] == [{"vid": vid}]
    assert "errors" not in body
    rows = sim.control.participations(event_object_id=event["objectId"])
    assert [(r["contactId"], r["state"], r["interactionDateTime"]) for r in rows] == [
        (str(vid), "REGISTERED", 1700000000000)
    ]


def test_the_account_id_is_optional_on_the_attendance_create_endpoints(sim, api):
    event = api.create_event()
    vid = contact_ids(sim, sim.hub_id)["bob@example.com"]
    response = api.post(
        f"{V3}/attendance/{event['externalEventId']}/attend/create",
        json={"inputs": [{"vid": vid, "interactionDateTime": 1, "properties": {}}]},
    )
    assert response.status_code == 200


def test_unknown_contact_ids_are_reported_with_207_and_not_recorded(sim, api):
    event = api.create_event()
    vid = contact_ids(sim, sim.hub_id)["alice@example.com"]
    response = api.post(
        f"{V3}/{event['objectId']}/attendance/register/create",
        json={
            "inputs": [
                {"vid": vid, "interactionDateTime": 5, "properties": {}},
                {"vid": 999999999, "interactionDateTime": 5, "properties": {}},
            ]
        },
    )
    assert response.status_code == 207
    body = response.json()
    assert body["results"] == [{"vid": vid}]
    assert body["numErrors"] == 1
    assert body["errors"][0]["category"] == "OBJECT_NOT_FOUND"
    assert body["errors"][0]["context"] == {"vids": ["999999999"]}
    assert len(sim.control.participations(event_object_id=event["objectId"])) == 1


@pytest.mark.parametrize("prefix", PREFIXES)
def test_email_create_creates_missing_contacts_with_their_properties(sim, api, prefix):
    event = api.create_event(prefix)
    email = f"{unique('new')}@example.com"
    response = api.post(
        f"{prefix}/{event['objectId']}/attendance/register/email-create",
        json={
            "inputs": [
                {
                    "email": email,
                    "interactionDateTime": 10,
                    "properties": {},
                    "contactProperties": {"firstname": "Nia", "lastname": "New"},
                },
                {
                    "email": "alice@example.com",
                    "interactionDateTime": 10,
                    "properties": {},
                    "contactProperties": {"firstname": "Not Alice"},
                },
            ]
        },
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["email"] for r in results] == [email, "alice@example.com"]
    contacts = {c["email"]: c for c in sim.control.contacts(sim.hub_id)}
    assert contacts[email]["firstname"] == "Nia"
    assert contacts["alice@example.com"]["firstname"] == "Alice", "existing contacts are not updated"
    assert results[0]["vid"] == int(contacts[email]["id"])


def test_email_create_by_external_ids(sim, api):
    event = api.create_event()
    response = api.post(
        f"{V3}/attendance/{event['externalEventId']}/attend/email-create",
        params={"externalAccountId": "acct-1"},
        json={
            "inputs": [
                {
                    "email": "carol@example.com",
                    "interactionDateTime": 20,
                    "properties": {"joinedAt": "1000", "leftAt": "61000"},
                    "contactProperties": {},
                }
            ]
        },
    )
    assert response.status_code == 200
    rows = sim.control.participations(event_object_id=event["objectId"])
    assert rows[0]["state"] == "ATTENDED"
    assert rows[0]["properties"] == {"joinedAt": "1000", "leftAt": "61000"}


@pytest.mark.parametrize("prefix", PREFIXES)
def test_legacy_upserts_answer_204_and_never_create_contacts(sim, api, prefix):
    event = api.create_event(prefix)
    before = len(sim.control.contacts(sim.hub_id))
    vid = contact_ids(sim, sim.hub_id)["dave@example.com"]
    path = f"{prefix}/events/{event['externalEventId']}"
    by_id = api.post(
        f"{path}/register/upsert",
        params={"externalAccountId": "acct-1"},
        json={"inputs": [{"vid": vid, "interactionDateTime": 1, "properties": {}}]},
    )
    assert by_id.status_code == 204
    by_email = api.post(
        f"{path}/cancel/email-upsert",
        params={"externalAccountId": "acct-1"},
        json={
            "inputs": [
                {
                    "email": "dave@example.com",
                    "interactionDateTime": 2,
                    "properties": {},
                    "contactProperties": {},
                },
                {
                    "email": "ghost@example.com",
                    "interactionDateTime": 2,
                    "properties": {},
                    "contactProperties": {},
                },
            ]
        },
    )
    assert by_email.status_code == 204
    assert len(sim.control.contacts(sim.hub_id)) == before
    states = [r["state"] for r in sim.control.participations(event_object_id=event["objectId"])]
    assert states == ["REGISTERED", "CANCELLED"]


def test_legacy_upserts_require_the_account_id(api):
    event = api.create_event()
    response = api.post(f"{V3}/events/{event['externalEventId']}/register/upsert", json={"inputs": []})
    assert_error(response, 400, "VALIDATION_ERROR")


def test_attendance_is_idempotent_for_the_same_contact_and_interaction_time(sim, api):
    event = api.create_event()
    inputs = {
        "inputs": [
            {
                "email": "erin@example.com",
                "interactionDateTime": 42,
                "properties": {},
                "contactProperties": {},
            }
        ]
    }
    path = f"{V3}/{event['objectId']}/attendance/register/email-create"
    for _ in range(3):
        assert api.post(path, json=inputs).status_code == 200
    assert len(sim.control.participations(event_object_id=event["objectId"])) == 1
    inputs["inputs"][0]["interactionDateTime"] = 43
    api.post(path, json=inputs)
    assert len(sim.control.participations(event_object_id=event["objectId"])) == 2


def test_an_unknown_subscriber_state_is_a_validation_error(api):
    event = api.create_event()
    response = api.post(f"{V3}/{event['objectId']}/attendance/REGISTERED/create", json={"inputs": []})
    assert_error(response, 400, "VALIDATION_ERROR")


def test_subscriber_states_are_accepted_in_any_case(sim, api):
    event = api.create_event()
    vid = contact_ids(sim, sim.hub_id)["alice@example.com"]
    response = api.post(
        f"{V3}/{event['objectId']}/attendance/Attend/create",
        json={"inputs": [{"vid": vid, "interactionDateTime": 1, "properties": {}}]},
    )
    assert response.status_code == 200


def test_attendance_for_an_unknown_event_is_404(api):
    response = api.post(
        f"{V3}/attendance/{unique()}/register/create",
        params={"externalAccountId": "acct-1"},
        json={"inputs": []},
    )
    assert_error(response, 404, "OBJECT_NOT_FOUND")


def test_another_apps_external_event_is_404_for_attendance(api, other_app):
    event = api.create_event()
    response = other_app.post(
        f"{V3}/attendance/{event['externalEventId']}/register/email-create",
        params={"externalAccountId": "acct-1"},
        json={"inputs": []},
    )
    assert_error(response, 404)


def test_bad_inputs_are_a_validation_error_and_nothing_is_recorded(sim, api):
    event = api.create_event()
    response = api.post(
        f"{V3}/{event['objectId']}/attendance/register/email-create",
        json={"inputs": [{"email": "a@example.com", "interactionDateTime": 1}, {"email": "not-an-email"}]},
    )
    assert_error(response, 400, "VALIDATION_ERROR")
    assert sim.control.participations(event_object_id=event["objectId"]) == []
