"""Participation fixtures: events in the live simulator (ours and another app's), mirrored; contacts; CSVs."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from hsadmin.events import services as event_services
from hsadmin.events.models import Event
from hsadmin.portals.hubspot import hubspot_client_for
from hsadmin.portals.models import Portal
from tests.events.conftest import HubSpotApi, partner, portal, run  # noqa: F401 - fixtures
from tests.live_simulator import LiveSimulator
from tests.portals.conftest import hubspot, make_portal  # noqa: F401 - fixtures


def unique(prefix: str = "p") -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


@pytest.fixture(autouse=True)
def _one_batch_at_a_time(settings: pytest.FixtureRequest) -> None:
    """In-process tests run inside a transaction other threads cannot see: the import sends one batch at a time
    here. The pipelined path runs in test_faults.py, in a real worker on a file database."""
    settings.HSADMIN_IMPORT_CONCURRENCY = 1


@pytest.fixture
def ours(hubspot: LiveSimulator, portal: Portal) -> HubSpotApi:  # noqa: F811
    """hsadmin's own app on the portal, over plain HTTP (to set up HubSpot's side of a test)."""
    return HubSpotApi(hubspot, portal.hub_id, hubspot.app_id)


@pytest.fixture
def make_event(
    hubspot: LiveSimulator,  # noqa: F811
    portal: Portal,  # noqa: F811
    ours: HubSpotApi,
    partner: HubSpotApi,  # noqa: F811
) -> Callable[..., Event]:
    """An event in HubSpot (created by hsadmin's app, or by another app), mirrored."""

    def make(
        *, owned: bool = False, ended: bool = False, name: str = "Participation webinar", **fields: Any
    ) -> Event:
        api = ours if owned else partner
        start = timezone.now() - timedelta(days=2 if ended else -2)
        body = {
            "startDateTime": start.isoformat(),
            "endDateTime": (start + timedelta(hours=2)).isoformat(),
            **fields,
        }
        if owned:
            body["externalAccountId"] = "hsadmin"
        created = api.create(unique("ev-"), name, **body)
        client = hubspot_client_for(portal)
        remote = client.get_event(str(created["objectId"]))
        event_services.mirror_upsert_many(portal=portal, events=[remote])
        event = Event.objects.get(portal=portal, object_id=str(created["objectId"]))
        if owned:  # reads by objectId carry no externalAccountId: HubSpot's search gives it, as after a sync
            event_services.mirror_external_account_recover(event=event, client=client)
            event.refresh_from_db()
        assert event.owned_by_us == owned
        return event

    return make


@pytest.fixture
def make_contacts(
    hubspot: LiveSimulator,  # noqa: F811
    portal: Portal,  # noqa: F811
    partner: HubSpotApi,  # noqa: F811
) -> Callable[[int], list[tuple[str, int]]]:
    """n contacts that exist in HubSpot: (email, contact ID)."""

    def make(n: int) -> list[tuple[str, int]]:
        tag = unique("c")
        scratch = partner.create(unique("scratch-"), "Scratch")
        emails = [f"{tag}.{i}@example.com" for i in range(n)]
        response = partner.http.post(
            f"/{scratch['objectId']}/attendance/register/email-create",
            json={
                "inputs": [
                    {
                        "email": e,
                        "interactionDateTime": 1,
                        "properties": {},
                        "contactProperties": {"firstname": f"Person{i}"},
                    }
                    for i, e in enumerate(emails)
                ]
            },
        )
        assert response.status_code == 200, response.text
        vids = {r["email"]: int(r["vid"]) for r in response.json()["results"]}
        return [(e, vids[e]) for e in emails]

    return make


def rows_of(sim: LiveSimulator, event: Event) -> set[tuple[str, str, int]]:
    """The simulator's participation activities for the event: (contact ID, state, interaction ms)."""
    return {
        (r["contactId"], r["state"], r["interactionDateTime"])
        for r in sim.control.participations(event_object_id=event.object_id)
    }
