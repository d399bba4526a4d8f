"""List associations (operations 29-34): lists tied to an event, by external ids or by objectId.

HubSpot's quirk, reproduced: the two GET endpoints require the *write* scope. PUT of an unknown list is 404;
PUT twice and DELETE of a list that is not associated are both 204 (our decision: idempotent).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from hsadmin.simulator import clock
from hsadmin.simulator.auth import Caller
from hsadmin.simulator.errors import not_found
from hsadmin.simulator.models import ContactList, EventListAssociation, MarketingEvent
from hsadmin.simulator.views import lookup
from hsadmin.simulator.views.common import no_content, ok


def public_list(item: ContactList) -> dict[str, Any]:
    """``PublicList``."""
    return {
        "listId": str(item.pk),
        "listVersion": 1,
        "name": item.name,
        "objectTypeId": item.object_type_id,
        "processingStatus": "COMPLETE",
        "processingType": item.processing_type,
        "size": item.size,
        "createdAt": clock.iso(item.created_at),
        "updatedAt": clock.iso(item.updated_at),
        "filtersUpdatedAt": clock.iso(item.updated_at),
        "createdById": "1",
        "updatedById": "1",
    }


def _lists(event: MarketingEvent) -> HttpResponse:
    lists = ContactList.objects.filter(eventlistassociation__event=event).order_by("pk")
    results = [public_list(item) for item in lists]
    return ok({"total": len(results), "results": results})


def _list(caller: Caller, list_id: str) -> ContactList:
    item = (
        ContactList.objects.filter(portal=caller.portal, pk=int(list_id)).first()
        if list_id.isdigit()
        else None
    )
    if item is None:
        raise not_found(f"List {list_id} not found.")
    return item


def _associate(caller: Caller, event: MarketingEvent, list_id: str) -> HttpResponse:
    EventListAssociation.objects.get_or_create(event=event, contact_list=_list(caller, list_id))
    return no_content()


def _disassociate(caller: Caller, event: MarketingEvent, list_id: str) -> HttpResponse:
    EventListAssociation.objects.filter(event=event, contact_list=_list(caller, list_id)).delete()
    return no_content()


def lists_by_external(
    request: HttpRequest, caller: Caller, external_account_id: str, external_event_id: str
) -> HttpResponse:
    return _lists(lookup.by_external(caller, external_account_id, external_event_id))


def associate_by_external(
    request: HttpRequest, caller: Caller, external_account_id: str, external_event_id: str, list_id: str
) -> HttpResponse:
    return _associate(caller, lookup.by_external(caller, external_account_id, external_event_id), list_id)


def disassociate_by_external(
    request: HttpRequest, caller: Caller, external_account_id: str, external_event_id: str, list_id: str
) -> HttpResponse:
    return _disassociate(caller, lookup.by_external(caller, external_account_id, external_event_id), list_id)


def lists_by_id(request: HttpRequest, caller: Caller, marketing_event_id: str) -> HttpResponse:
    return _lists(lookup.by_object_id(caller, marketing_event_id))


def associate_by_id(
    request: HttpRequest, caller: Caller, marketing_event_id: str, list_id: str
) -> HttpResponse:
    return _associate(caller, lookup.by_object_id(caller, marketing_event_id), list_id)


def disassociate_by_id(
    request: HttpRequest, caller: Caller, marketing_event_id: str, list_id: str
) -> HttpResponse:
    return _disassociate(caller, lookup.by_object_id(caller, marketing_event_id), list_id)
