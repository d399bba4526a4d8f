"""Events by objectId and by external ids, cancel and complete, search and identifiers, over HTTP."""

from __future__ import annotations

import pytest

from tests.simulator.conftest import PREFIXES, V3, assert_error, unique


@pytest.mark.parametrize("prefix", PREFIXES)
def test_create_returns_200_with_the_default_shape_and_drops_unknown_properties(api, prefix):
    response = api.post(
        f"{prefix}/events",
        json={
            "externalAccountId": "acct-1",
            "externalEventId": unique(),
            "eventName": "Launch",
            "eventOrganizer": "Acme",
            "customProperties": [
                {"name": "hs_event_language", "value": "en"},
                {"name": "nonsense", "value": "x"},
            ],
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["eventName"] == "Launch"
    assert body["objectId"].isdigit()
    assert [(p["name"], p["value"]) for p in body["customProperties"]] == [("hs_event_language", "en")]
    for absent in ("id", "createdAt", "updatedAt", "externalEventId", "externalAccountId"):
        assert absent not in body


def test_create_refuses_a_body_without_required_fields(api):
    body = assert_error(api.post(f"{V3}/events", json={"eventName": "x"}), 400, "VALIDATION_ERROR")
    assert "externalAccountId" in body["context"]


def test_a_second_create_with_the_same_external_ids_is_a_conflict(api):
    event = api.create_event()
    again = api.post(f"{V3}/events", json={k: v for k, v in event.items() if k != "objectId"})
    assert_error(again, 409, "CONFLICT")


@pytest.mark.parametrize("prefix", PREFIXES)
def test_it_reads_an_event_by_object_id_with_the_v2_shape(api, prefix):
    event = api.create_event(prefix)
    body = api.get(f"{prefix}/{event['objectId']}").json()
    assert body["objectId"] == event["objectId"]
    assert body["externalEventId"] == event["externalEventId"]
    assert body["appInfo"] == {"id": str(api.app_id), "name": "hsadmin"}
    assert body["eventStatus"] == "UPCOMING"
    assert body["startDateTime"] == "2030-01-01T10:00:00.000Z"
    assert {"registrants", "attendees", "cancellations", "noShows", "createdAt", "updatedAt"} <= set(body)


def test_another_app_reads_by_object_id_but_not_by_external_ids(api, other_app):
    event = api.create_event()
    assert other_app.get(f"{V3}/{event['objectId']}").status_code == 200
    path = f"{V3}/events/{event['externalEventId']}"
    params = {"externalAccountId": event["externalAccountId"]}
    assert_error(other_app.get(path, params=params), 404, "OBJECT_NOT_FOUND")
    assert_error(other_app.patch(path, params=params, json={"eventName": "x"}), 404)
    assert_error(other_app.delete(path, params=params), 404)
    assert api.get(path, params=params).status_code == 200


@pytest.mark.parametrize("prefix", PREFIXES)
def test_get_details_by_external_ids_has_the_public_read_shape(api, prefix):
    event = api.create_event(prefix)
    response = api.get(f"{prefix}/events/{event['externalEventId']}", params={"externalAccountId": "acct-1"})
    body = response.json()
    assert body["id"] == body["objectId"] == event["objectId"]
    assert body["externalEventId"] == event["externalEventId"]
    assert body["registrants"] == body["attendees"] == body["cancellations"] == body["noShows"] == 0


def test_external_id_endpoints_require_the_account_id_query(api):
    event = api.create_event()
    assert_error(api.get(f"{V3}/events/{event['externalEventId']}"), 400, "VALIDATION_ERROR")


@pytest.mark.parametrize("prefix", PREFIXES)
def test_put_upserts_and_patch_updates_by_external_ids(api, prefix):
    external_id = unique()
    body = {
        "externalAccountId": "acct-1",
        "externalEventId": external_id,
        "eventName": "One",
        "eventOrganizer": "Acme",
        "customProperties": [],
    }
    created = api.put(f"{prefix}/events/{external_id}", json=body)
    assert created.status_code == 200
    assert created.json()["id"] == created.json()["objectId"]
    updated = api.put(f"{prefix}/events/{external_id}", json=body | {"eventName": "Two"}).json()
    assert updated["objectId"] == created.json()["objectId"]
    assert updated["eventName"] == "Two"
    patched = api.patch(
        f"{prefix}/events/{external_id}",
        params={"externalAccountId": "acct-1"},
        json={"eventDescription": "Now with a description", "customProperties": []},
    )
    assert patched.status_code == 200
    assert patched.json()["eventDescription"] == "Now with a description"
    assert patched.json()["eventName"] == "Two"


def test_put_refuses_a_body_external_id_that_differs_from_the_path(api):
    body = {
        "externalAccountId": "a",
        "externalEventId": "other",
        "eventName": "x",
        "eventOrganizer": "y",
        "customProperties": [],
    }
    assert_error(api.put(f"{V3}/events/{unique()}", json=body), 400, "VALIDATION_ERROR")


@pytest.mark.parametrize("prefix", PREFIXES)
def test_patch_by_object_id_returns_the_v2_default_shape(api, prefix):
    event = api.create_event(prefix)
    response = api.patch(
        f"{prefix}/{event['objectId']}",
        json={"eventName": "Renamed", "customProperties": [{"name": "hs_event_topic", "value": "AI"}]},
    )
    body = response.json()
    assert response.status_code == 200
    assert body["eventName"] == "Renamed"
    assert body["customProperties"] == [{"name": "hs_event_topic", "value": "AI"}]
    assert "registrants" not in body


@pytest.mark.parametrize("prefix", PREFIXES)
def test_delete_by_object_id_and_by_external_ids_answer_204(api, prefix):
    first, second = api.create_event(prefix), api.create_event(prefix)
    assert api.delete(f"{prefix}/{first['objectId']}").status_code == 204
    assert_error(api.get(f"{prefix}/{first['objectId']}"), 404)
    response = api.delete(
        f"{prefix}/events/{second['externalEventId']}", params={"externalAccountId": "acct-1"}
    )
    assert response.status_code == 204
    assert response.content == b""
    assert_error(api.get(f"{prefix}/{second['objectId']}"), 404)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_cancel_and_complete_set_the_flags(api, prefix):
    event = api.create_event(prefix)
    path = f"{prefix}/events/{event['externalEventId']}"
    cancelled = api.post(f"{path}/cancel", params={"externalAccountId": "acct-1"})
    assert cancelled.status_code == 200
    assert cancelled.json()["eventCancelled"] is True
    completed = api.post(
        f"{path}/complete",
        params={"externalAccountId": "acct-1"},
        json={"startDateTime": "2020-01-01T10:00:00Z", "endDateTime": "2020-01-01T12:00:00Z"},
    )
    assert completed.status_code == 200
    assert completed.json()["eventCompleted"] is True
    assert completed.json()["endDateTime"] == "2020-01-01T12:00:00.000Z"
    read = api.get(f"{prefix}/{event['objectId']}").json()
    assert read["eventStatus"] == "CANCELLED"


def test_complete_requires_both_times(api):
    event = api.create_event()
    response = api.post(
        f"{V3}/events/{event['externalEventId']}/complete",
        params={"externalAccountId": "acct-1"},
        json={"startDateTime": "2020-01-01T10:00:00Z"},
    )
    assert_error(response, 400, "VALIDATION_ERROR")


@pytest.mark.parametrize("prefix", PREFIXES)
def test_search_finds_only_the_calling_apps_events_and_identifiers_find_all(api, other_app, prefix):
    shared = unique()
    mine = api.create_event(prefix, externalEventId=shared)
    theirs = other_app.create_event(prefix, externalEventId=shared)
    found = api.get(f"{prefix}/events/search", params={"q": shared}).json()
    assert found == {
        "results": [
            {
                "appId": api.app_id,
                "externalAccountId": "acct-1",
                "externalEventId": shared,
                "objectId": mine["objectId"],
            }
        ]
    }
    ids = api.get(f"{prefix}/{shared}/identifiers").json()
    assert ids["total"] == 2
    assert {r["objectId"] for r in ids["results"]} == {mine["objectId"], theirs["objectId"]}
    assert {r["appInfo"]["id"] for r in ids["results"]} == {str(api.app_id), str(other_app.app_id)}


def test_search_requires_q(api):
    assert_error(api.get(f"{V3}/events/search"), 400, "VALIDATION_ERROR")


def test_list_all_pages_by_object_id_with_a_default_of_10_and_a_cap_of_100(sim, api):
    sim.control.reset()
    fresh = type(api)(sim, sim.hub_id, sim.app_id)
    created = [fresh.create_event()["objectId"] for _ in range(105)]
    first = fresh.get(f"{V3}/").json()
    assert [r["objectId"] for r in first["results"]] == created[:10]
    assert first["paging"]["next"]["after"] == created[9]
    assert "link" in first["paging"]["next"]
    capped = fresh.get(f"{V3}", params={"limit": 500}).json()
    assert len(capped["results"]) == 100
    last = fresh.get(f"{V3}", params={"limit": 100, "after": capped["paging"]["next"]["after"]}).json()
    assert [r["objectId"] for r in last["results"]] == created[100:]
    assert "paging" not in last
    assert fresh.get("/marketing/marketing-events/2026-03/").json()["results"][0]["objectId"] == created[0]
    assert_error(fresh.get(f"{V3}/", params={"limit": 0}), 400, "VALIDATION_ERROR")


def test_unknown_paths_and_methods_answer_with_the_standard_error_body(api):
    assert_error(api.get(f"{V3}/events/x/y/z/w"), 404, "OBJECT_NOT_FOUND")
    assert_error(api.put(f"{V3}/events"), 405)
