"""Finding events the way HubSpot does: by objectId for any app on the portal, by external ids only for the
app that created the event (another app, even with the same ids, gets 404)."""

from __future__ import annotations

from django.http import HttpRequest

from hsadmin.simulator.auth import Caller
from hsadmin.simulator.errors import not_found
from hsadmin.simulator.models import MarketingEvent
from hsadmin.simulator.views.common import query_required


def by_object_id(caller: Caller, object_id: str) -> MarketingEvent:
    event = None
    if object_id.isdigit():
        event = (
            MarketingEvent.objects.select_related("app")
            .filter(portal=caller.portal, pk=int(object_id))
            .first()
        )
    if event is None:
        raise not_found(f"Marketing event {object_id} not found.")
    return event


def find_external(caller: Caller, account_id: str | None, event_id: str) -> MarketingEvent | None:
    events = MarketingEvent.objects.select_related("app").filter(
        portal=caller.portal, app=caller.app, external_event_id=event_id
    )
    if account_id is not None:
        events = events.filter(external_account_id=account_id)
    return events.order_by("pk").first()


def by_external(caller: Caller, account_id: str | None, event_id: str) -> MarketingEvent:
    event = find_external(caller, account_id, event_id)
    if event is None:
        raise not_found(
            f"No marketing event with externalEventId {event_id} and externalAccountId {account_id} "
            "exists for this app."
        )
    return event


def by_external_query(request: HttpRequest, caller: Caller, event_id: str) -> MarketingEvent:
    """For endpoints where ``externalAccountId`` is a required query parameter."""
    return by_external(caller, query_required(request, "externalAccountId"), event_id)
