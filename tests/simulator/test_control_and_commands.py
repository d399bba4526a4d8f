"""The control API, the OpenAPI document, the management command and the seed data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.simulator.conftest import Api

REPO = Path(__file__).resolve().parents[2]


def test_health_info_and_openapi_are_served(sim):
    assert httpx.get(f"{sim.base_url}/_simulator/health").json() == {"status": "ok"}
    info = sim.control.info()
    assert [p["hub_id"] for p in info["portals"]] == [10000001, 10000002]
    assert {"app_id", "name", "client_id", "client_secret", "developer_api_key"} <= set(info["apps"][0])
    document = httpx.get(f"{sim.base_url}/_simulator/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert len(document["x-simulator-decisions"]) >= 9
    for prefix in (
        "/marketing/v3/marketing-events",
        "/marketing/marketing-events/2026-03",
        "/marketing/marketing-events/2026-09",
    ):
        operations = [m for path, ops in document["paths"].items() if path.startswith(prefix) for m in ops]
        assert len(operations) == 36, prefix


@pytest.mark.parametrize(
    "path",
    [
        "/marketing/v3/marketing-events",
        "/marketing/marketing-events/2026-09/",
        "/marketing/marketing-events/2026-09",
        "/marketing/marketing-events/v3",
    ],
)
def test_list_all_answers_on_every_prefix_with_and_without_the_slash(api, path):
    assert api.get(path).status_code == 200


def test_the_date_versioned_2026_09_prefix_serves_the_same_operations(api):
    event = api.create_event("/marketing/marketing-events/2026-09")
    assert api.get(f"/marketing/marketing-events/2026-09/{event['objectId']}").status_code == 200
    assert api.get(f"/marketing/v3/marketing-events/{event['objectId']}").status_code == 200


def test_tokens_can_be_issued_already_expired_for_expiry_tests(sim):
    expired = Api(sim, sim.hub_id, sim.app_id)
    expired.http.headers["Authorization"] = (
        "Bearer " + sim.control.token(sim.hub_id, sim.app_id, expires_in=-5)["access_token"]
    )
    assert expired.get("/marketing/v3/marketing-events/").json()["category"] == "EXPIRED_AUTHENTICATION"


def test_the_clock_moves_and_comes_back(sim):
    moved = sim.control.set_clock(3600)
    assert moved["offset_seconds"] == 3600
    assert sim.control.set_clock(0)["offset_seconds"] == 0


def test_reset_wipes_state_back_to_the_fixture(sim, api):
    api.create_event()
    sim.control.set_faults(rate_500=0.5)
    sim.control.reset()
    assert sim.control.events() == []
    assert sim.control.faults()["rate_500"] == 0
    assert len(sim.control.contacts(sim.hub_id)) == 5
    limit = sim.control.rate_limit()
    assert (limit["max"], limit["interval_ms"]) == (100, 10_000), "HubSpot's default window"


def test_seeding_adds_realistic_deterministic_demo_data(sim):
    sim.control.reset()
    counts = sim.control.seed(events=60, contacts=200, lists=6, random_seed=3)
    assert counts["events"] == 60
    assert counts["participations"] > 100
    events = sim.control.events()
    assert any(e["eventCancelled"] for e in events)
    assert any(e["eventCompleted"] for e in events)
    assert any(e["appId"] is None for e in events), "some events come from HubSpot's UI"
    assert {e["hubId"] for e in events} == {10000001, 10000002}
    states = {p["state"] for p in sim.control.participations()}
    assert states == {"REGISTERED", "ATTENDED", "CANCELLED"}
    first = [(e["eventName"], e["startDateTime"]) for e in events]
    sim.control.reset()
    sim.control.seed(events=60, contacts=200, lists=6, random_seed=3)
    assert [(e["eventName"], e["startDateTime"]) for e in sim.control.events()] == first
    sim.control.reset()


def test_seeding_can_fill_one_portal_with_events_alone(sim):
    sim.control.reset()
    counts = sim.control.seed(events=50, contacts=0, lists=0, hub_id=10000002, participations=False)
    assert counts["events"] == 50
    assert counts["participations"] == 0
    assert {e["hubId"] for e in sim.control.events()} == {10000002}
    unknown = sim.control.http.post("/seed", json={"events": 1, "hub_id": 1})
    assert unknown.status_code == 400
    assert unknown.json() == {"error": "No portal has hub_id 1."}
    not_a_flag = sim.control.http.post("/seed", json={"events": 1, "participations": "no"})
    assert not_a_flag.status_code == 400
    sim.control.reset()


def run_command(tmp_path: Path, *args: str) -> str:
    env = dict(os.environ, SIMULATOR_DATABASE_URL=f"sqlite:///{tmp_path / 'cmd.sqlite3'}")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "simulator", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


def test_the_management_command_creates_its_database_and_prints_info_and_tokens(tmp_path):
    info = json.loads(run_command(tmp_path, "info", "--json"))
    assert set(info) == {"portals", "apps"}
    assert info["portals"][0] == {"hub_id": 10000001, "name": "Acme Events (demo)"}
    token = json.loads(
        run_command(
            tmp_path, "token", "--hub-id", "10000002", "--app-id", "3002", "--scopes", "oauth crm.lists.read"
        )
    )
    assert token["hub_id"] == 10000002
    assert token["app_id"] == 3002
    assert token["scopes"] == ["oauth", "crm.lists.read"]
    assert token["expires_in"] == 1800
    seeded = json.loads(run_command(tmp_path, "seed", "--events", "20", "--contacts", "50", "--lists", "2"))
    assert seeded["events"] == 20
    alone = json.loads(
        run_command(tmp_path, "seed", "--events", "5", "--hub-id", "10000002", "--no-participations")
    )
    assert alone["events"] > 20  # events whose external IDs an earlier seed took are left out
    assert alone["participations"] == seeded["participations"]
    assert "reset" in run_command(tmp_path, "reset")
    assert json.loads(run_command(tmp_path, "info", "--json")) == info
