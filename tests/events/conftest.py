from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from hsadmin.core.models import Job, User
from hsadmin.core.roles import Role
from hsadmin.jobs.runner import run_job
from hsadmin.jobs.services import job_start
from hsadmin.portals.models import Portal
from tests.live_simulator import LiveSimulator
from tests.portals.conftest import hubspot, make_portal  # noqa: F401 - fixtures shared with the portals tests


@pytest.fixture
def portal(make_portal: Callable[..., Portal], marketing_user: User, manager_user: User) -> Portal:  # noqa: F811
    return make_portal((marketing_user, Role.MARKETING), (manager_user, Role.MANAGER))


@pytest.fixture
def run(marketing_user: User) -> Callable[..., Job]:
    """Start a job and run it here, to the end, as the worker would."""

    def start(kind: str, portal: Portal, **params: Any) -> Job:
        job = job_start(kind=kind, portal=portal, user=marketing_user, params=params)
        run_job(job.pk)
        job.refresh_from_db()
        return job

    return start


class HubSpotApi:
    """Plain HTTP to the simulator as another app or person would use it (not hsadmin's client)."""

    def __init__(self, sim: LiveSimulator, hub_id: int, app_id: int) -> None:
        token = sim.control.token(hub_id, app_id)["access_token"]
        self.http = httpx.Client(
            base_url=f"{sim.base_url}/marketing/v3/marketing-events",
            headers={"Authorization": f"Bearer {token}"},
        )

    def create(self, external_id: str, name: str, **fields: Any) -> dict[str, Any]:
        body = {
            "externalAccountId": "acct",
            "externalEventId": external_id,
            "eventName": name,
            "eventOrganizer": "Someone",
            "customProperties": [],
            **fields,
        }
        response = self.http.post("/events", json=body)
        assert response.status_code == 200, response.text
        return response.json()

    def delete(self, object_id: str) -> None:
        assert self.http.delete(f"/{object_id}").status_code == 204

    def get(self, object_id: str) -> dict[str, Any]:
        response = self.http.get(f"/{object_id}")
        return response.json() if response.status_code == 200 else {"status": response.status_code}

    def count(self) -> int:
        total, after = 0, None
        while True:
            page = self.http.get("/", params={"limit": 100, **({"after": after} if after else {})}).json()
            total += len(page["results"])
            after = page.get("paging", {}).get("next", {}).get("after")
            if not after:
                return total


@pytest.fixture
def partner(hubspot: LiveSimulator) -> HubSpotApi:  # noqa: F811
    """Another app on the same portal (its events are not ours: HubSpot 404s our external-ID calls on them)."""
    return HubSpotApi(hubspot, hubspot.hub_id, hubspot.other_app_id)
