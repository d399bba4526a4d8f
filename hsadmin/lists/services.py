"""Writes about lists: associate and disassociate a list and an event in HubSpot, each audited by the gateway."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hsadmin.core.exceptions import ActionFailed
from hsadmin.core.models import User
from hsadmin.events.models import Event
from hsadmin.hubspot.gateway import EventGateway, open_event


def draft_refusal() -> str:
    return _(
        "This event is a draft: it exists only in hsadmin. Publish it to HubSpot before tying lists to it."
    )


def _open(*, action: str, event: Event, user: User, list_id: str, list_name: str) -> EventGateway:
    if event.is_draft:
        raise ActionFailed(draft_refusal())
    return open_event(
        event,
        user=user,
        action=action,
        target=f"{list_name or list_id} ({list_id}) ↔ {event.name} ({event.object_id})",
        detail={"list_id": list_id, "event": event.object_id},
    )


def list_associate(*, event: Event, user: User, list_id: str, list_name: str = "") -> None:
    """Tie a list to the event (PUT …/lists/{listId}, 204; idempotent)."""
    _open(
        action="list.associate", event=event, user=user, list_id=list_id, list_name=list_name
    ).associate_list(list_id)


def list_disassociate(*, event: Event, user: User, list_id: str, list_name: str = "") -> None:
    """Untie a list from the event (DELETE …/lists/{listId}, 204)."""
    _open(
        action="list.disassociate", event=event, user=user, list_id=list_id, list_name=list_name
    ).disassociate_list(list_id)
