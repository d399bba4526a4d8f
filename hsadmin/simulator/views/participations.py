"""Reading participation: counters and breakdowns (operations 24-28).

Counters (``AttendanceCounters``: ``attended``, ``cancelled``, ``noShows``, ``registered``) and breakdowns
report each contact's current state (see ``participation.py``). Breakdowns are one row per contact and event,
filtered by ``contactIdentifier`` (email or contact id) and ``state`` (REGISTERED, CANCELLED, ATTENDED,
NO_SHOW), paged with an offset ``after`` cursor, ``limit`` default 10 and at most 100, and carry ``total``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.http import HttpRequest, HttpResponse

from hsadmin.simulator.auth import Caller
from hsadmin.simulator.errors import validation
from hsadmin.simulator.models import Contact, MarketingEvent, Participation
from hsadmin.simulator.participation import (
    NO_SHOW,
    REGISTERED,
    has_ended,
    latest_states,
    numbers_for,
    summarize,
)
from hsadmin.simulator.views import lookup
from hsadmin.simulator.views.common import limit_param, offset_cursor, ok, paging_next

STATES = {"REGISTERED", "CANCELLED", "ATTENDED", "NO_SHOW"}
_FIELDS = ("id", "event_id", "contact_id", "state", "interaction_at", "properties", "created_at")


def _state_filter(request: HttpRequest) -> str | None:
    state = request.GET.get("state")
    if state in (None, ""):
        return None
    if state.upper() not in STATES:
        raise validation("'state' may be REGISTERED, CANCELLED, ATTENDED or NO_SHOW.", {"state": [state]})
    return state.upper()


def _contact(caller: Caller, identifier: str) -> Contact | None:
    contacts = Contact.objects.filter(portal=caller.portal)
    if identifier.isdigit():
        return contacts.filter(pk=int(identifier)).first()
    return contacts.filter(email=identifier.strip().lower()).first()


def _item(summary: dict[str, Any], contact: Contact, event: MarketingEvent) -> dict[str, Any]:
    properties: dict[str, Any] = {"attendanceState": summary["state"], "occurredAt": summary["occurredAt"]}
    for key in ("attendanceDurationSeconds", "attendancePercentage"):
        if key in summary:
            properties[key] = summary[key]
    marketing_event: dict[str, Any] = {"marketingEventId": str(event.pk), "name": event.name}
    if event.external_event_id:
        marketing_event["externalAccountId"] = event.external_account_id
        marketing_event["externalEventId"] = event.external_event_id
    return {
        "id": summary["id"],
        "createdAt": summary["createdAt"],
        "properties": properties,
        "associations": {
            "contact": {
                "contactId": str(contact.pk),
                "email": contact.email,
                "firstname": contact.firstname,
                "lastname": contact.lastname,
            },
            "marketingEvent": marketing_event,
        },
    }


def _page(
    request: HttpRequest, summaries: list[tuple[dict[str, Any], int, int]], events: dict[int, MarketingEvent]
) -> HttpResponse:
    """``summaries`` holds (summary, contact id, event id); filter by state, then page and serialize."""
    state = _state_filter(request)
    if state:
        summaries = [s for s in summaries if s[0]["state"] == state]
    limit, offset = limit_param(request), offset_cursor(request)
    page = summaries[offset : offset + limit]
    contacts = Contact.objects.in_bulk({contact_id for _, contact_id, _ in page})
    data: dict[str, Any] = {
        "total": len(summaries),
        "results": [_item(s, contacts[c], events[e]) for s, c, e in page],
    }
    if offset + limit < len(summaries):
        data["paging"] = paging_next(request, str(offset + limit))
    return ok(data)


def _grouped(rows: Any, key: str) -> dict[int, list[dict[str, Any]]]:
    groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


def _event_breakdown(request: HttpRequest, caller: Caller, event: MarketingEvent) -> HttpResponse:
    """One page of an event's contacts by their current state. The state filter, the total and the page's
    contacts come from one SQL pass over the event's latest activities; only the page's contacts are then read
    in full and summarized, so a page costs the same on an event of 100 or of 100,000 people."""
    state = _state_filter(request)
    limit, offset = limit_param(request), offset_cursor(request)
    contact: Contact | None = None
    identifier = request.GET.get("contactIdentifier")
    if identifier:
        contact = _contact(caller, identifier)
        if contact is None:
            return ok({"total": 0, "results": []})
    ended = has_ended(event)
    latest = [
        contact_id
        for contact_id, current in latest_states(event.pk, contact_id=contact.pk if contact else None)
        if state is None or (NO_SHOW if current == REGISTERED and ended else current) == state
    ]
    page = latest[offset : offset + limit]
    rows = (
        Participation.objects.filter(event=event, contact_id__in=page)
        .order_by("contact_id", "interaction_at", "id")
        .values(*_FIELDS)
    )
    contacts = Contact.objects.in_bulk(page)
    groups = _grouped(rows, "contact_id")
    data: dict[str, Any] = {
        "total": len(latest),
        # A contact whose rows went between the two reads (the event deleted meanwhile) is left out.
        "results": [
            _item(summarize(event, groups[c]), contacts[c], event)
            for c in page
            if groups.get(c) and c in contacts
        ],
    }
    if offset + limit < len(latest):
        data["paging"] = paging_next(request, str(offset + limit))
    return ok(data)


def counters_by_external(
    request: HttpRequest, caller: Caller, external_account_id: str, external_event_id: str
) -> HttpResponse:
    event = lookup.by_external(caller, external_account_id, external_event_id)
    return ok(numbers_for([event])[event.pk].counters())


def breakdown_by_external(
    request: HttpRequest, caller: Caller, external_account_id: str, external_event_id: str
) -> HttpResponse:
    return _event_breakdown(
        request, caller, lookup.by_external(caller, external_account_id, external_event_id)
    )


def counters_by_id(request: HttpRequest, caller: Caller, marketing_event_id: str) -> HttpResponse:
    event = lookup.by_object_id(caller, marketing_event_id)
    return ok(numbers_for([event])[event.pk].counters())


def breakdown_by_id(request: HttpRequest, caller: Caller, marketing_event_id: str) -> HttpResponse:
    return _event_breakdown(request, caller, lookup.by_object_id(caller, marketing_event_id))


def breakdown_by_contact(request: HttpRequest, caller: Caller, contact_identifier: str) -> HttpResponse:
    """Every event of one contact; an unknown contact has an empty breakdown (our decision)."""
    contact = _contact(caller, contact_identifier)
    if contact is None:
        _state_filter(request)
        return ok({"total": 0, "results": []})
    rows = (
        Participation.objects.filter(contact=contact, event__portal=caller.portal)
        .order_by("event_id", "interaction_at", "id")
        .values(*_FIELDS)
    )
    groups = _grouped(rows, "event_id")
    events = MarketingEvent.objects.in_bulk(groups.keys())
    summaries = [
        (summarize(events[event_id], group), contact.pk, event_id) for event_id, group in groups.items()
    ]
    return _page(request, summaries, events)
