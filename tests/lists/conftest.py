from __future__ import annotations

from collections.abc import Callable

import pytest

from hsadmin.core.models import User
from hsadmin.events.models import Event
from hsadmin.events.services import EventData, event_create
from hsadmin.hubspot_client import HubSpotClient
from hsadmin.portals.hubspot import hubspot_client_for
from hsadmin.portals.models import Portal
from tests.events.conftest import HubSpotApi, partner, portal, run  # noqa: F401 - shared fixtures
from tests.portals.conftest import hubspot, make_portal  # noqa: F401 - shared fixtures


@pytest.fixture
def ours(portal: Portal, marketing_user: User) -> Callable[[str], Event]:  # noqa: F811
    """An event hsadmin's app creates in HubSpot (external-ID endpoints)."""

    def make(name: str = "Spring webinar") -> Event:
        return event_create(portal=portal, user=marketing_user, data=EventData(name=name, organizer="Acme"))

    return make


@pytest.fixture
def theirs(portal: Portal, partner: HubSpotApi) -> Callable[[str], Event]:  # noqa: F811
    """An event another app created, mirrored in hsadmin (objectId endpoints)."""

    def make(external_id: str) -> Event:
        data = partner.create(external_id, f"Partner event {external_id}")
        return Event.objects.create(
            portal=portal,
            object_id=str(data["objectId"]),
            name=data["eventName"],
            external_event_id=external_id,
        )

    return make


@pytest.fixture
def client_for(portal: Portal) -> HubSpotClient:  # noqa: F811
    return hubspot_client_for(portal)


@pytest.fixture
def list_ids(client_for: HubSpotClient) -> dict[str, str]:
    """The simulator's fixed lists on the portal, by name."""
    return {item.name: item.list_id for item in client_for.iter_lists()}


def tied(client: HubSpotClient, event: Event) -> set[str]:
    """The names of the lists HubSpot has tied to the event (read by objectId: works for any app)."""
    return {item.name for item in client.iter_event_lists(event.object_id)}
