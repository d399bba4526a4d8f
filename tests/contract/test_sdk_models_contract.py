"""Every Marketing Events operation, in every API version the simulator serves, against HubSpot's own SDK models.

The oracle (`sdk_oracle.py`) reads the models and operations from `hubspot-api-client`, HubSpot's official
Python SDK, generated from HubSpot's v3 OpenAPI file. The SDK has no models for `2026-03` and `2026-09`: for
those, the oracle applies the differences HubSpot's date-versioned specs publish (see `VERSION_DELTAS`).
The requests here are plain HTTP, so neither hsadmin's client nor the simulator's own OpenAPI document is
involved in deciding what is right.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from . import sdk_oracle as oracle

pytestmark = pytest.mark.parametrize("version", oracle.VERSIONS)

DEVELOPER_SCOPES = ["developers-read", "developers-write"]
SCOPES = [
    "crm.objects.marketing_events.read",
    "crm.objects.marketing_events.write",
    "crm.lists.read",
    "crm.objects.contacts.read",
    "oauth",
    *DEVELOPER_SCOPES,
]


def prefix(version: str) -> str:
    return oracle.V3_PREFIX if version == "v3" else f"/marketing/marketing-events/{version}"


class Walk:
    """Calls operations over HTTP and checks each answer against the SDK's model for that operation."""

    def __init__(self, live: Any, version: str) -> None:
        self.live = live
        self.version = version
        self.p = prefix(version)
        token = live.control.token(live.hub_id, live.app_id, scopes=SCOPES)["access_token"]
        self.http = httpx.Client(
            base_url=live.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        self.covered: set[str] = set()

    def call(self, method: str, path: str, *, status: int | tuple[int, ...] = 200, **kwargs: Any) -> Any:
        response = self.http.request(method, path, **kwargs)
        op = oracle.operation_for(method, path, self.version)
        self.covered.add(op.name)
        expected = status if isinstance(status, tuple) else (status,)
        assert response.status_code in expected, f"{op.name}: {response.status_code} {response.text}"
        model = oracle.response_model(op, response.status_code, self.version)
        if model is None:
            assert not response.content, f"{op.name} answered a body where the SDK expects none"
            return None
        body = response.json()
        problems = oracle.check(body, model, self.version)
        assert not problems, f"{op.name} ({self.version}) against {model}:\n" + "\n".join(problems)
        return body

    def settings_auth(self) -> dict[str, Any]:
        """The credentials each version's settings endpoints take (reference, "Versions")."""
        if self.version == "2026-03":
            return {}  # the OAuth bearer already on the client, with developers-read/-write
        return {"params": {"hapikey": self.live.app["developer_api_key"]}, "headers": {"Authorization": ""}}


def new_event_body(external_event_id: str) -> dict[str, Any]:
    return {
        "externalAccountId": "acct-oracle",
        "externalEventId": external_event_id,
        "eventName": "Oracle webinar",
        "eventOrganizer": "hsadmin",
        "eventType": "WEBINAR",
        "startDateTime": "2030-01-01T10:00:00Z",
        "endDateTime": "2030-01-01T11:00:00Z",
        "eventDescription": "Checked against HubSpot's SDK models",
        "eventUrl": "https://example.com/webinar",
        "customProperties": [{"name": "hs_event_topic", "value": "oracles"}],
    }


def test_every_operation_answers_with_exactly_the_sdk_model_of_its_version(sim: Any, version: str) -> None:
    walk = Walk(sim, version)
    p, account = walk.p, "acct-oracle"
    ext = f"oracle-{uuid.uuid4().hex[:10]}"
    created = walk.call("POST", f"{p}/events", json=new_event_body(ext))
    object_id = created["objectId"]
    walk.call("PUT", f"{p}/events/{ext}", json=new_event_body(ext) | {"eventName": "Oracle webinar 2"})
    read = walk.call("GET", f"{p}/events/{ext}", params={"externalAccountId": account})
    assert read["externalEventId"] == ext
    walk.call(
        "PATCH", f"{p}/events/{ext}", params={"externalAccountId": account}, json={"customProperties": []}
    )

    walk.call("GET", f"{p}/" if version == "v3" else p, params={"limit": 2})
    walk.call("GET", f"{p}/{object_id}")
    walk.call("PATCH", f"{p}/{object_id}", json={"eventName": "Renamed", "customProperties": []})
    walk.call("GET", f"{p}/events/search", params={"q": ext})
    walk.call("GET", f"{p}/{ext}/identifiers")

    other = f"oracle-{uuid.uuid4().hex[:10]}"
    upserted = walk.call("POST", f"{p}/events/upsert", json={"inputs": [new_event_body(other)]})
    other_id = upserted["results"][0]["objectId"]
    walk.call(
        "POST",
        f"{p}/batch/update",
        json={"inputs": [{"objectId": other_id, "eventType": "CONFERENCE", "customProperties": []}]},
    )
    # An unknown objectId: 207 with errors where v3/2026-03 document it; 2026-09 documents only 200.
    walk.call(
        "POST",
        f"{p}/batch/update",
        status=200 if version == "2026-09" else 207,
        json={"inputs": [{"objectId": "999999999", "eventType": "X", "customProperties": []}]},
    )

    contacts = sim.control.contacts(sim.hub_id)
    vid, email = int(contacts[0]["id"]), contacts[1]["email"]
    at = 1_900_000_000_000
    subscriber = {"inputs": [{"vid": vid, "interactionDateTime": at, "properties": {}}]}
    by_email = {
        "inputs": [{"email": email, "interactionDateTime": at, "properties": {}, "contactProperties": {}}]
    }
    q = {"externalAccountId": account}
    walk.call("POST", f"{p}/attendance/{ext}/register/create", params=q, json=subscriber)
    walk.call("POST", f"{p}/attendance/{ext}/register/email-create", params=q, json=by_email)
    walk.call("POST", f"{p}/{object_id}/attendance/attend/create", json=subscriber)
    walk.call("POST", f"{p}/{object_id}/attendance/attend/email-create", json=by_email)
    unknown = {
        "inputs": [subscriber["inputs"][0], {"vid": 99_999_999, "interactionDateTime": at, "properties": {}}]
    }
    walk.call("POST", f"{p}/{object_id}/attendance/cancel/create", json=unknown, status=207)
    walk.call("POST", f"{p}/events/{ext}/register/upsert", params=q, json=subscriber, status=204)
    walk.call("POST", f"{p}/events/{ext}/register/email-upsert", params=q, json=by_email, status=204)

    walk.call("GET", f"{p}/participations/{account}/{ext}")
    walk.call("GET", f"{p}/participations/{account}/{ext}/breakdown", params={"limit": 1})
    walk.call("GET", f"{p}/participations/{object_id}")
    walk.call("GET", f"{p}/participations/{object_id}/breakdown")
    walk.call("GET", f"{p}/participations/contacts/{email}/breakdown")

    list_id = walk.http.post("/crm/v3/lists/search", json={"count": 1}).json()["lists"][0]["listId"]
    walk.call("PUT", f"{p}/associations/{object_id}/lists/{list_id}", status=204)
    walk.call("GET", f"{p}/associations/{object_id}/lists")
    walk.call("DELETE", f"{p}/associations/{object_id}/lists/{list_id}", status=204)
    walk.call("PUT", f"{p}/associations/{account}/{ext}/lists/{list_id}", status=204)
    walk.call("GET", f"{p}/associations/{account}/{ext}/lists")
    walk.call("DELETE", f"{p}/associations/{account}/{ext}/lists/{list_id}", status=204)

    settings_path = f"{p}/{sim.app_id}/settings"
    url = {"eventDetailsUrl": "https://dash.example/details/%s"}
    walk.call("POST", settings_path, json=url, **walk.settings_auth())
    walk.call("GET", settings_path, **walk.settings_auth())

    walk.call("POST", f"{p}/events/{ext}/cancel", params=q)
    window = {"startDateTime": "2030-01-01T10:00:00Z", "endDateTime": "2030-01-01T11:00:00Z"}
    walk.call("POST", f"{p}/events/{ext}/complete", params=q, json=window)

    walk.call(
        "POST",
        f"{p}/events/delete",
        status=204,
        json={"inputs": [{"appId": sim.app_id, "externalAccountId": account, "externalEventId": other}]},
    )
    third = walk.call("POST", f"{p}/events", json=new_event_body(f"oracle-{uuid.uuid4().hex[:10]}"))
    walk.call("POST", f"{p}/batch/archive", status=204, json={"inputs": [{"objectId": third["objectId"]}]})
    fourth = f"oracle-{uuid.uuid4().hex[:10]}"
    fourth_id = walk.call("POST", f"{p}/events", json=new_event_body(fourth))["objectId"]
    walk.call("DELETE", f"{p}/events/{fourth}", params=q, status=204)
    walk.call("DELETE", f"{p}/{object_id}", status=204)
    assert walk.http.get(f"{p}/{fourth_id}").status_code == 404

    missing = {op.name for op in oracle.operations()} - walk.covered
    assert not missing, f"operations not exercised: {sorted(missing)}"


def test_an_error_answer_is_hubspots_error_model(sim: Any, version: str) -> None:
    walk = Walk(sim, version)
    response = walk.http.get(f"{walk.p}/987654321")
    assert response.status_code == 404
    assert not oracle.check(response.json(), "Error", version)


def test_reads_by_object_id_carry_no_external_account_id_but_search_and_identifiers_do(
    sim: Any, version: str
) -> None:
    walk = Walk(sim, version)
    ext = f"oracle-{uuid.uuid4().hex[:10]}"
    object_id = walk.http.post(f"{walk.p}/events", json=new_event_body(ext)).json()["objectId"]
    assert "externalAccountId" not in walk.http.get(f"{walk.p}/{object_id}").json()
    everything = walk.http.get(f"{walk.p}/" if version == "v3" else walk.p, params={"limit": 100}).json()
    assert all("externalAccountId" not in event for event in everything["results"])
    (found,) = walk.http.get(f"{walk.p}/events/search", params={"q": ext}).json()["results"]
    assert found["externalAccountId"] == "acct-oracle" and found["objectId"] == object_id
    (named,) = walk.http.get(f"{walk.p}/{ext}/identifiers").json()["results"]
    assert named["externalAccountId"] == "acct-oracle"


def test_the_settings_take_the_credentials_each_version_documents(sim: Any, version: str) -> None:
    walk = Walk(sim, version)
    path = f"{walk.p}/{sim.app_id}/settings"
    with_key = walk.http.get(
        path, params={"hapikey": sim.app["developer_api_key"]}, headers={"Authorization": ""}
    )
    with_bearer = walk.http.get(path)
    if version == "2026-03":
        assert (with_key.status_code, with_bearer.status_code) == (401, 200)
        no_scope = sim.control.token(sim.hub_id, sim.app_id, scopes=SCOPES[:2])["access_token"]
        refused = walk.http.get(path, headers={"Authorization": f"Bearer {no_scope}"})
        assert refused.status_code == 403 and refused.json()["category"] == "MISSING_SCOPES"
    else:
        assert (with_key.status_code, with_bearer.status_code) == (200, 401)


def test_an_unknown_version_is_hubspots_404(sim: Any, version: str) -> None:
    token = sim.access_token()
    for path in ("/marketing/marketing-events/2025-09/events/search?q=x", "/marketing/v4/marketing-events/"):
        response = httpx.get(f"{sim.base_url}{path}", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 404
        assert not oracle.check(response.json(), "Error", version)


def test_the_oauth_routes_of_the_date_versions_exist(sim: Any, version: str) -> None:
    oauth = "v3" if version == "v3" else version
    form = {"client_id": sim.app["client_id"], "client_secret": sim.app["client_secret"]}
    tokens = sim.control.token(sim.hub_id, sim.app_id)
    refreshed = httpx.post(
        f"{sim.base_url}/oauth/{oauth}/token",
        data={**form, "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
    )
    assert refreshed.status_code == 200 and refreshed.json()["access_token"]
    seen = httpx.post(
        f"{sim.base_url}/oauth/{oauth}/token/introspect", data={**form, "token": tokens["access_token"]}
    )
    assert seen.status_code == 200 and seen.json()["active"] is True
    revoked = httpx.post(
        f"{sim.base_url}/oauth/{oauth}/token/revoke", data={**form, "token": tokens["refresh_token"]}
    )
    assert revoked.status_code == 200


def test_the_sdk_models_only_v3_so_each_date_version_adds_its_published_differences(version: str) -> None:
    ops = oracle.operations()
    assert len(ops) == 36 and all(op.path.startswith(oracle.V3_PREFIX) for op in ops)
    differences = set(oracle.VERSION_DELTAS[version]) - {"Error"}
    assert bool(differences) == (version != "v3")  # no SDK models for 2026-03/2026-09: the specs' facts apply
