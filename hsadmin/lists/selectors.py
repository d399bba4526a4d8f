"""Reads about lists: live from HubSpot, one call per request (lists are not mirrored)."""

from __future__ import annotations

from hsadmin.events.models import Event
from hsadmin.hubspot.gateway import open_event, open_portal
from hsadmin.hubspot_client import HubSpotList, ListSearchPage, Page
from hsadmin.portals.models import Portal

SEARCH_PAGE_SIZE = 20
CONTACTS_OBJECT_TYPE = "0-1"  # HubSpot's objectTypeId for contacts: the lists an event can be tied to


def event_lists_page(*, event: Event, after: str | None = None) -> Page[HubSpotList]:
    """One page of the lists associated with the event (#29 by external IDs or #32 by objectId)."""
    return open_event(event).lists_page(after=after)


def list_search(*, portal: Portal, query: str, offset: int = 0) -> ListSearchPage:
    """One page of the portal's contact lists whose name matches `query` (offset paging)."""
    return open_portal(portal).search_lists(
        query, count=SEARCH_PAGE_SIZE, offset=max(offset, 0), object_type_id=CONTACTS_OBJECT_TYPE
    )
