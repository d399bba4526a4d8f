"""The rate limit and faults on demand: each fault at about the rate set, and never a half-applied write."""

from __future__ import annotations

import time
from collections import Counter

import httpx
import pytest

from tests.simulator.conftest import V3, Api, assert_error
from tests.simulator.openapi_check import http, validating_client

HEADERS = (
    "X-HubSpot-RateLimit-Max",
    "X-HubSpot-RateLimit-Remaining",
    "X-HubSpot-RateLimit-Interval-Milliseconds",
)


def test_every_answer_carries_the_rate_limit_headers(sim, api):
    for response in (api.get(f"{V3}/"), api.get(f"{V3}/999999999"), http.get(f"{sim.base_url}{V3}/")):
        for header in HEADERS:
            assert header in response.headers


def test_the_sliding_window_refuses_with_hubspots_429_body_and_recovers(sim, api):
    sim.control.set_rate_limit(max=5, interval_ms=1000)
    remaining = [int(api.get(f"{V3}/").headers["X-HubSpot-RateLimit-Remaining"]) for _ in range(5)]
    assert remaining == [4, 3, 2, 1, 0]
    refused = api.get(f"{V3}/")
    assert refused.status_code == 429
    body = refused.json()
    assert body["errorType"] == "RATE_LIMIT"
    assert body["policyName"] == "TEN_SECONDLY_ROLLING"
    assert body["status"] == "error"
    assert refused.headers["X-HubSpot-RateLimit-Max"] == "5"
    assert refused.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "1000"
    other = Api(sim, sim.hub_id, sim.other_app_id)
    assert other.get(f"{V3}/").status_code == 200, "the window is per token"
    time.sleep(1.05)
    assert api.get(f"{V3}/").status_code == 200


def test_crm_search_has_its_own_secondly_limit(sim, api):
    sim.control.set_rate_limit(max=100, interval_ms=10_000)
    statuses = [api.post("/crm/v3/objects/contacts/search", json={}).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    refused = api.post("/crm/v3/objects/contacts/search", json={}).json()
    assert refused["policyName"] == "SECONDLY"
    assert refused["message"] == "You have reached your secondly limit."
    assert api.get(f"{V3}/").status_code == 200


def test_the_rate_limit_is_read_and_set_through_the_control_api(sim):
    assert sim.control.set_rate_limit(max=7, interval_ms=2000) == {
        "max": 7,
        "interval_ms": 2000,
        "enabled": True,
        "retry_after": False,
    }
    assert sim.control.rate_limit()["max"] == 7


def test_a_retry_after_header_is_sent_only_behind_its_flag(sim, api):
    sim.control.set_rate_limit(max=1, interval_ms=3000)
    api.get(f"{V3}/")
    assert "Retry-After" not in api.get(f"{V3}/").headers
    sim.control.set_rate_limit(max=1, interval_ms=3000, retry_after=True)
    api.get(f"{V3}/")
    refused = api.get(f"{V3}/")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "3"


def fault_statuses(sim, api, count: int) -> Counter:
    seen: Counter = Counter()
    event = api.create_event()
    with validating_client(base_url=sim.base_url, headers=api.http.headers, timeout=10) as client:
        for _ in range(count):
            try:
                seen[client.get(f"{V3}/{event['objectId']}").status_code] += 1
            except httpx.RemoteProtocolError:
                seen["dropped"] += 1
    return seen


@pytest.mark.parametrize(
    ("kind", "outcome"),
    [
        ("429", 429),
        ("500", 500),
        ("502", 502),
        ("503", 503),
        ("423", 423),
        ("expired_token", 401),
        ("drop", "dropped"),
        ("timeout", "dropped"),
    ],
)
def test_each_fault_appears_at_about_its_rate(sim, api, kind, outcome):
    api.create_event()  # before the faults start
    sim.control.set_faults(**{f"rate_{kind}": 0.25}, seed=11, timeout_seconds=0.01)
    seen = fault_statuses(sim, api, 300)
    sim.control.clear_faults()
    assert 0.17 <= seen[outcome] / 300 <= 0.33, seen
    assert seen[outcome] + seen[200] == 300, seen


def test_fault_answers_use_hubspots_bodies(sim, api):
    event = api.create_event()
    sim.control.set_faults(rate_expired_token=1)
    assert_error(api.get(f"{V3}/{event['objectId']}"), 401, "EXPIRED_AUTHENTICATION")
    sim.control.set_faults(rate_429=1)
    assert api.get(f"{V3}/{event['objectId']}").json()["policyName"] == "TEN_SECONDLY_ROLLING"
    sim.control.set_faults(rate_423=1)
    assert_error(api.get(f"{V3}/{event['objectId']}"), 423)


def test_a_dropped_connection_sends_no_http_answer(sim, api):
    sim.control.set_faults(rate_drop=1)
    with pytest.raises(httpx.RemoteProtocolError):
        api.get(f"{V3}/")


def test_a_timeout_holds_the_answer_then_drops(sim, api):
    sim.control.set_faults(rate_timeout=1, timeout_seconds=0.5)
    with pytest.raises(httpx.ReadTimeout):
        api.get(f"{V3}/", timeout=0.2)
    started = time.monotonic()
    with pytest.raises(httpx.RemoteProtocolError):
        api.get(f"{V3}/", timeout=5)
    assert time.monotonic() - started >= 0.45


def test_slow_answers_arrive_late_but_complete(sim, api):
    sim.control.set_faults(rate_slow=1, slow_seconds=0.3)
    started = time.monotonic()
    assert api.get(f"{V3}/").status_code == 200
    assert time.monotonic() - started >= 0.3


def test_slow_answers_appear_at_about_their_rate(sim, api):
    sim.control.reset_stats()
    sim.control.set_faults(rate_slow=0.25, slow_seconds=0.01, seed=3)
    for _ in range(200):
        assert api.get(f"{V3}/").status_code == 200
    assert 30 <= sim.control.stats()["faults"]["slow"] <= 70


def test_a_refusing_fault_applies_nothing(sim, api):
    before = len(sim.control.events(sim.hub_id))
    sim.control.set_faults(rate_500=1)
    body = {
        "externalAccountId": "a",
        "externalEventId": "never",
        "eventName": "x",
        "eventOrganizer": "y",
        "customProperties": [],
    }
    for _ in range(5):
        assert_error(api.post(f"{V3}/events", json=body), 500)
    sim.control.clear_faults()
    assert len(sim.control.events(sim.hub_id)) == before


def test_a_partial_batch_failure_applies_exactly_the_reported_results(sim, api):
    event = api.create_event()
    sim.control.set_faults(rate_partial_batch=1, seed=4)
    inputs = [
        {
            "email": f"partial{i}@example.com",
            "interactionDateTime": 1,
            "properties": {},
            "contactProperties": {},
        }
        for i in range(10)
    ]
    response = api.post(f"{V3}/{event['objectId']}/attendance/register/email-create", json={"inputs": inputs})
    sim.control.clear_faults()
    assert response.status_code == 207
    body = response.json()
    succeeded = {r["email"] for r in body["results"]}
    failed = {e for error in body["errors"] for e in error["context"]["emails"]}
    assert body["numErrors"] == len(failed) > 0
    assert succeeded | failed == {i["email"] for i in inputs}
    assert not succeeded & failed
    recorded = {r["email"] for r in sim.control.participations(event_object_id=event["objectId"])}
    assert recorded == succeeded
    contacts = {c["email"] for c in sim.control.contacts(sim.hub_id)}
    assert not failed & contacts, "failed inputs create no contacts"


def test_partial_batch_failures_appear_at_about_their_rate(sim, api):
    event = api.create_event()
    sim.control.set_faults(rate_partial_batch=0.25, seed=8)
    statuses = Counter(
        api.post(
            f"{V3}/batch/update",
            json={
                "inputs": [
                    {"objectId": event["objectId"], "eventName": f"n{i}", "customProperties": []},
                    {"objectId": event["objectId"], "eventName": f"m{i}", "customProperties": []},
                ]
            },
        ).status_code
        for i in range(200)
    )
    assert 30 <= statuses[207] <= 70, statuses


def test_seeded_faults_are_reproducible(sim, api):
    runs = []
    for _ in range(2):
        sim.control.set_faults(rate_500=0.3, seed=99)
        runs.append([api.get(f"{V3}/").status_code for _ in range(40)])
    assert runs[0] == runs[1]


def test_faults_never_touch_the_control_api(sim):
    sim.control.set_faults(rate_500=1)
    assert sim.control.health() == {"status": "ok"}


def test_fault_settings_are_validated(sim):
    response = http.put(f"{sim.base_url}/_simulator/faults", json={"rate_500": 2})
    assert response.status_code == 400
    assert http.put(f"{sim.base_url}/_simulator/faults", json={"rate_bogus": 0.1}).status_code == 400
    settings = sim.control.set_faults(rate_429=0.05, rate_500=0.02)
    assert settings["rate_429"] == 0.05
    assert settings["rate_500"] == 0.02
    assert settings["rate_drop"] == 0


def test_stats_count_requests_by_status_and_family(sim, api):
    sim.control.reset_stats()
    api.get(f"{V3}/")
    api.get(f"{V3}/999999999")
    stats = sim.control.stats()
    assert stats["by_status"]["200"] >= 1
    assert stats["by_status"]["404"] == 1
    assert stats["by_family"]["marketing-events"] == 2
