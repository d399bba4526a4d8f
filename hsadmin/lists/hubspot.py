"""The endpoint family for an event's list associations, chosen once (reference §2.8, §1).

Events hsadmin's own app created are addressed by their external IDs (HubSpot answers 404 to any other app
there); every other event by its objectId (any app with the scopes may use it). Drafts exist only in hsadmin.
"""

from __future__ import annotations

import httpx

from hsadmin.events.models import Event
from hsadmin.hubspot_client import HubSpotClient, Priority
from hsadmin.hubspot_client.retry import RetryPolicy
from hsadmin.portals.hubspot import hubspot_client_for
from hsadmin.portals.models import Portal

# One call inside a web request, with a short budget (design §3, rule 7).
INTERACTIVE_RETRY = RetryPolicy(max_attempts=3, deadline=5.0)
INTERACTIVE_TIMEOUT = httpx.Timeout(5.0)


def interactive_client(portal: Portal) -> HubSpotClient:
    return hubspot_client_for(portal).with_options(retry=INTERACTIVE_RETRY, timeout=INTERACTIVE_TIMEOUT)


def bulk_client(portal: Portal) -> HubSpotClient:
    return hubspot_client_for(portal, priority=Priority.BULK)


def associate(client: HubSpotClient, event: Event, list_id: str) -> None:
    if event.owned_by_us:
        client.associate_list_by_external_id(event.external_account_id, event.external_event_id, list_id)
    else:
        client.associate_list(event.object_id, list_id)


def disassociate(client: HubSpotClient, event: Event, list_id: str) -> None:
    if event.owned_by_us:
        client.disassociate_list_by_external_id(event.external_account_id, event.external_event_id, list_id)
    else:
        client.disassociate_list(event.object_id, list_id)
