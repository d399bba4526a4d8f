"""Batch operations on events over HTTP."""

from __future__ import annotations

import pytest

from tests.simulator.conftest import PREFIXES, V3, assert_error, unique


def event_body(external_id, **overrides):
    return {
        "externalAccountId": "acct-1",
        "externalEventId": external_id,
        "eventName": "Batch",
        "eventOrganizer": "Acme",
        "customProperties": [],
    } | overrides


@pytest.mark.parametrize("prefix", PREFIXES)
def test_batch_upsert_creates_and_updates_the_calling_apps_events(api, prefix):
    existing = api.create_event(prefix)
    new_id = unique()
    response = api.post(
        f"{prefix}/events/upsert",
        json={"inputs": [event_body(existing["externalEventId"], eventName="Renamed"), event_body(new_id)]},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "COMPLETE"
    assert [r["eventName"] for r in body["results"]] == ["Renamed", "Batch"]
    assert body["results"][0]["objectId"] == existing["objectId"]
    assert body["results"][0]["id"] == existing["objectId"]
    assert {"startedAt", "completedAt"} <= set(body)


def test_batch_upsert_validates_every_input_before_applying_any(sim, api):
    new_id = unique()
    response = api.post(f"{V3}/events/upsert", json={"inputs": [event_body(new_id), {"eventName": "no ids"}]})
    assert_error(response, 400, "VALIDATION_ERROR")
    assert api.get(f"{V3}/events/search", params={"q": new_id}).json()["results"] == []


@pytest.mark.parametrize("prefix", PREFIXES)
def test_batch_delete_by_external_ids_deletes_only_the_calling_apps_events(api, other_app, prefix):
    mine, theirs = api.create_event(prefix), other_app.create_event(prefix)
    inputs = [
        {"appId": api.app_id, "externalAccountId": "acct-1", "externalEventId": mine["externalEventId"]},
        {
            "appId": other_app.app_id,
            "externalAccountId": "acct-1",
            "externalEventId": theirs["externalEventId"],
        },
    ]
    assert api.post(f"{prefix}/events/delete", json={"inputs": inputs}).status_code == 204
    assert api.get(f"{prefix}/{mine['objectId']}").status_code == 404
    assert api.get(f"{prefix}/{theirs['objectId']}").status_code == 200


@pytest.mark.parametrize("prefix", PREFIXES)
def test_batch_archive_is_204_when_all_exist_and_207_naming_the_missing(api, prefix):
    first, second = api.create_event(prefix), api.create_event(prefix)
    response = api.post(f"{prefix}/batch/archive", json={"inputs": [{"objectId": first["objectId"]}]})
    assert response.status_code == 204
    partial = api.post(
        f"{prefix}/batch/archive",
        json={"inputs": [{"objectId": second["objectId"]}, {"objectId": "987654321"}]},
    )
    assert partial.status_code == 207
    body = partial.json()
    assert body["numErrors"] == 1
    assert body["errors"][0]["context"] == {"ids": ["987654321"]}
    assert api.get(f"{prefix}/{second['objectId']}").status_code == 404


@pytest.mark.parametrize("prefix", PREFIXES)
def test_batch_update_answers_200_or_207_with_errors(api, prefix):
    event = api.create_event(prefix)
    ok = api.post(
        f"{prefix}/batch/update",
        json={"inputs": [{"objectId": event["objectId"], "eventName": "B", "customProperties": []}]},
    )
    assert ok.status_code == 200
    assert ok.json()["results"][0]["eventName"] == "B"
    assert ok.json()["results"][0]["appInfo"]["id"] == str(api.app_id)
    partial = api.post(
        f"{prefix}/batch/update",
        json={
            "inputs": [
                {"objectId": event["objectId"], "eventName": "C", "customProperties": []},
                {"objectId": "987654321", "eventName": "D", "customProperties": []},
            ]
        },
    )
    assert partial.status_code == 207
    assert [r["eventName"] for r in partial.json()["results"]] == ["C"]
    assert partial.json()["errors"][0]["context"] == {"ids": ["987654321"]}


def test_batch_inputs_must_be_an_array(api):
    assert_error(api.post(f"{V3}/batch/update", json={"inputs": "x"}), 400, "VALIDATION_ERROR")
    assert_error(api.post(f"{V3}/batch/update", content=b"{not json"), 400, "VALIDATION_ERROR")
