"""List associations, the app settings (developer key), and the CRM subset."""

from __future__ import annotations

import pytest

from tests.simulator.conftest import PREFIXES, V3, Api, assert_error
from tests.simulator.openapi_check import http


def list_ids(api) -> list[str]:
    lists = api.post("/crm/v3/lists/search", json={}).json()["lists"]
    return [item["listId"] for item in lists]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_lists_are_associated_and_disassociated_by_object_id(api, prefix):
    event = api.create_event(prefix)
    first, second = list_ids(api)[:2]
    base = f"{prefix}/associations/{event['objectId']}/lists"
    assert api.put(f"{base}/{first}").status_code == 204
    assert api.put(f"{base}/{first}").status_code == 204
    assert api.put(f"{base}/{second}").status_code == 204
    body = api.get(base).json()
    assert body["total"] == 2
    assert [r["listId"] for r in body["results"]] == [first, second]
    assert {"listVersion", "name", "objectTypeId", "processingStatus", "processingType"} <= set(
        body["results"][0]
    )
    assert api.delete(f"{base}/{first}").status_code == 204
    assert [r["listId"] for r in api.get(base).json()["results"]] == [second]
    assert_error(api.put(f"{base}/99999999"), 404)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_lists_are_associated_by_external_ids_only_for_the_creating_app(api, other_app, prefix):
    event = api.create_event(prefix)
    list_id = list_ids(api)[0]
    base = f"{prefix}/associations/acct-1/{event['externalEventId']}/lists"
    assert api.put(f"{base}/{list_id}").status_code == 204
    assert [r["listId"] for r in api.get(base).json()["results"]] == [list_id]
    assert_error(other_app.get(base), 404)
    assert api.delete(f"{base}/{list_id}").status_code == 204
    assert api.get(base).json() == {"total": 0, "results": []}


def test_reading_list_associations_takes_the_write_scope(sim, api):
    event = api.create_event()
    reader = Api(sim, sim.hub_id, sim.app_id, scopes=["crm.objects.marketing_events.read"])
    body = assert_error(reader.get(f"{V3}/associations/{event['objectId']}/lists"), 403, "MISSING_SCOPES")
    assert body["context"]["requiredGranularScopes"] == ["crm.objects.marketing_events.write"]


@pytest.mark.parametrize("prefix", [*PREFIXES, "/marketing/marketing-events/2026-09"])
def test_settings_take_each_version_s_credentials_and_require_percent_s(sim, prefix):
    app = sim.app
    url = f"{sim.base_url}{prefix}/{app['app_id']}/settings"
    if "2026-03" in prefix:  # an OAuth bearer with developers-read / developers-write
        key: dict = {"headers": {"Authorization": f"Bearer {sim.access_token()}"}}
    else:  # the developer API key
        key = {"params": {"hapikey": app["developer_api_key"]}}
    good = "https://example.com/events/%s"
    saved = http.post(url, **key, json={"eventDetailsUrl": good})
    assert saved.status_code == 200
    assert saved.json() == {"appId": app["app_id"], "eventDetailsUrl": good}
    assert http.get(url, **key).json() == {"appId": app["app_id"], "eventDetailsUrl": good}
    body = assert_error(
        http.post(url, **key, json={"eventDetailsUrl": "https://example.com/events"}),
        400,
        "VALIDATION_ERROR",
    )
    assert body["context"] == {"eventDetailsUrl": ["must contain %s"]}
    insecure = http.post(url, **key, json={"eventDetailsUrl": "http://example.com/%s"})
    assert_error(insecure, 400, "VALIDATION_ERROR")
    assert http.post(url, **key, json={"eventDetailsUrl": "http://127.0.0.1:9/%s"}).status_code == 200


def test_settings_refuse_bearer_tokens_unknown_keys_and_other_apps(sim, api):
    url = f"{sim.base_url}{V3}/{sim.app_id}/settings"
    assert_error(api.get(f"{V3}/{sim.app_id}/settings"), 401, "INVALID_AUTHENTICATION")
    assert_error(http.get(url, params={"hapikey": "nope"}), 401)
    assert_error(http.get(url, params={"hapikey": sim.other_app["developer_api_key"]}), 403)


def test_lists_search_pages_by_offset(api):
    body = api.post("/crm/v3/lists/search", json={"count": 1}).json()
    assert body["total"] >= 2
    assert body["offset"] == 1
    assert body["hasMore"] is True
    first = body["lists"][0]
    assert first["additionalProperties"]["hs_list_size"].isdigit()
    named = api.post("/crm/v3/lists/search", json={"query": "newsletter"}).json()
    assert [item["name"] for item in named["lists"]] == ["Newsletter subscribers"]
    read = api.get(f"/crm/v3/lists/{first['listId']}").json()
    assert read["list"]["listId"] == first["listId"]
    assert_error(api.get("/crm/v3/lists/99999999"), 404)


def test_contacts_are_read_by_id_or_email(api):
    by_email = api.get("/crm/v3/objects/contacts/alice@example.com", params={"idProperty": "email"})
    assert by_email.status_code == 200
    contact = by_email.json()
    assert contact["properties"]["firstname"] == "Alice"
    by_id = api.get(
        f"/crm/v3/objects/contacts/{contact['id']}", params={"properties": "email,lastname,nothing"}
    )
    assert by_id.json()["properties"] == {"email": "alice@example.com", "lastname": "Archer", "nothing": None}
    assert_error(api.get("/crm/v3/objects/contacts/999999999"), 404, "OBJECT_NOT_FOUND")


def test_contacts_are_searched_and_batch_read(api):
    found = api.post(
        "/crm/v3/objects/contacts/search",
        json={
            "filterGroups": [
                {
                    "filters": [
                        {
                            "propertyName": "email",
                            "operator": "IN",
                            "values": ["alice@example.com", "bob@example.com"],
                        }
                    ]
                }
            ],
            "properties": ["email"],
            "limit": 1,
        },
    ).json()
    assert found["total"] == 2
    assert found["results"][0]["properties"] == {"email": "alice@example.com"}
    assert found["paging"]["next"]["after"] == "1"
    batch = api.post(
        "/crm/v3/objects/contacts/batch/read",
        json={
            "idProperty": "email",
            "properties": ["email"],
            "inputs": [{"id": "bob@example.com"}, {"id": "nobody@example.com"}],
        },
    )
    assert batch.status_code == 207
    assert [r["properties"]["email"] for r in batch.json()["results"]] == ["bob@example.com"]
    assert batch.json()["errors"][0]["context"] == {"ids": ["nobody@example.com"]}


def test_crm_endpoints_enforce_their_scopes(sim):
    narrow = Api(sim, sim.hub_id, sim.app_id, scopes=["crm.objects.marketing_events.read"])
    assert_error(narrow.post("/crm/v3/lists/search", json={}), 403, "MISSING_SCOPES")
    assert_error(narrow.get("/crm/v3/objects/contacts/1"), 403, "MISSING_SCOPES")
