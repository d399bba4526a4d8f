"""Writes about lists: associate and disassociate a list and an event in HubSpot, each audited."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hsadmin.core.audit import audit_failure, audit_record
from hsadmin.core.hubspot_errors import describe
from hsadmin.core.models import User
from hsadmin.events.models import Event
from hsadmin.hubspot_client import HubSpotError
from hsadmin.lists import hubspot
from hsadmin.portals.hubspot import PortalNotConnected


class ListWriteError(Exception):
    """HubSpot refused or failed a list change; `message` is for people."""

    def __init__(self, message: str, *, correlation_id: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.correlation_id = correlation_id


def draft_refusal() -> str:
    return _(
        "This event is a draft: it exists only in hsadmin. Publish it to HubSpot before tying lists to it."
    )


def _target(event: Event, list_id: str, list_name: str) -> str:
    return f"{list_name or list_id} ({list_id}) ↔ {event.name} ({event.object_id})"


def _change(*, action: str, event: Event, user: User, list_id: str, list_name: str) -> None:
    if event.is_draft:
        raise ListWriteError(draft_refusal())
    target = _target(event, list_id, list_name)
    detail = {
        "list_id": list_id,
        "event": event.object_id,
        "by": "external" if event.owned_by_us else "objectId",
    }
    try:
        client = hubspot.interactive_client(event.portal)
        if action == "list.associate":
            hubspot.associate(client, event, list_id)
        else:
            hubspot.disassociate(client, event, list_id)
    except (HubSpotError, PortalNotConnected) as error:
        audit_failure(
            action=action, actor=user, portal=event.portal, target=target, error=error, detail=detail
        )
        correlation = getattr(error, "correlation_id", "") or ""
        raise ListWriteError(describe(error), correlation_id=correlation) from error
    audit_record(action=action, actor=user, portal=event.portal, target=target, detail=detail)


def list_associate(*, event: Event, user: User, list_id: str, list_name: str = "") -> None:
    """Tie a list to the event (PUT …/lists/{listId}, 204; idempotent)."""
    _change(action="list.associate", event=event, user=user, list_id=list_id, list_name=list_name)


def list_disassociate(*, event: Event, user: User, list_id: str, list_name: str = "") -> None:
    """Untie a list from the event (DELETE …/lists/{listId}, 204)."""
    _change(action="list.disassociate", event=event, user=user, list_id=list_id, list_name=list_name)
