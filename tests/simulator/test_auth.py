"""Authentication and scopes on HubSpot's surface."""

from __future__ import annotations

from tests.simulator.conftest import V3, Api, assert_error
from tests.simulator.openapi_check import http


def test_a_missing_or_unknown_token_is_401_invalid_authentication(sim):
    assert_error(http.get(f"{sim.base_url}{V3}/"), 401, "INVALID_AUTHENTICATION")
    response = http.get(f"{sim.base_url}{V3}/", headers={"Authorization": "Bearer nope"})
    assert_error(response, 401, "INVALID_AUTHENTICATION")


def test_a_token_without_the_scope_is_403_missing_scopes(sim):
    reader = Api(sim, sim.hub_id, sim.app_id, scopes=["crm.objects.marketing_events.read"])
    assert reader.get(f"{V3}/").status_code == 200
    body = assert_error(reader.post(f"{V3}/events", json={}), 403, "MISSING_SCOPES")
    assert body["context"]["requiredGranularScopes"] == ["crm.objects.marketing_events.write"]
    writer = Api(sim, sim.hub_id, sim.app_id, scopes=["crm.objects.marketing_events.write"])
    assert_error(writer.get(f"{V3}/"), 403, "MISSING_SCOPES")


def test_every_error_carries_a_fresh_correlation_id(sim):
    first = http.get(f"{sim.base_url}{V3}/").json()["correlationId"]
    second = http.get(f"{sim.base_url}{V3}/").json()["correlationId"]
    assert first != second


def test_a_token_works_only_on_its_own_portal(sim):
    api = Api(sim, sim.hub_id, sim.app_id)
    other_portal = Api(sim, sim.other_hub_id, sim.app_id)
    event = api.create_event()
    assert_error(other_portal.get(f"{V3}/{event['objectId']}"), 404)
