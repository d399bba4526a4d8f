"""Events by objectId and by external ids, cancel and complete, search and identifiers (operations 1-11, 16, 17)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse

from hsadmin.simulator import clock
from hsadmin.simulator import serializers as ser
from hsadmin.simulator.auth import Caller
from hsadmin.simulator.errors import ApiError, validation
from hsadmin.simulator.models import MarketingEvent
from hsadmin.simulator.participation import numbers_for
from hsadmin.simulator.versions import request_version
from hsadmin.simulator.views import lookup
from hsadmin.simulator.views.common import (
    json_object,
    limit_param,
    no_content,
    ok,
    paging_next,
    query_required,
)

CREATE_REQUIRED = ("externalAccountId", "externalEventId", "eventName", "eventOrganizer")


def list_all(request: HttpRequest, caller: Caller) -> HttpResponse:
    """Every event on the portal (any app, or none), sorted by objectId; ``after`` is the last objectId seen."""
    limit = limit_param(request)
    after = request.GET.get("after") or "0"
    if not after.isdigit():
        raise validation("'after' is not a valid paging cursor.", {"after": [after]})
    events = list(
        MarketingEvent.objects.select_related("app")
        .filter(portal=caller.portal, pk__gt=int(after))
        .order_by("pk")[: limit + 1]
    )
    page = events[:limit]
    numbers = numbers_for(page)
    data: dict[str, Any] = {"results": [ser.v2_read(event, numbers[event.pk]) for event in page]}
    if len(events) > limit:
        data["paging"] = paging_next(request, str(page[-1].pk))
    return ok(data)


def get_by_object_id(request: HttpRequest, caller: Caller, object_id: str) -> HttpResponse:
    event = lookup.by_object_id(caller, object_id)
    return ok(ser.v2_read(event, numbers_for([event])[event.pk]))


def apply_fields(event: MarketingEvent, fields: dict[str, Any]) -> None:
    """Set validated fields on an event (custom properties merge into the existing ones); the caller saves."""
    props = fields.pop("custom_properties", None)
    for attr, value in fields.items():
        setattr(event, attr, value)
    if props is not None:
        event.custom_properties = {**event.custom_properties, **props}
    event.updated_at = clock.now()


def patch_by_object_id(request: HttpRequest, caller: Caller, object_id: str) -> HttpResponse:
    fields = ser.event_fields(json_object(request), allow_completed=False)
    with transaction.atomic(using="simulator"):
        event = lookup.by_object_id(caller, object_id)
        apply_fields(event, fields)
        event.save()
    return ok(ser.v2_default(event))


def delete_by_object_id(request: HttpRequest, caller: Caller, object_id: str) -> HttpResponse:
    lookup.by_object_id(caller, object_id).delete()
    return no_content()


def new_event(caller: Caller, body: dict[str, Any], fields: dict[str, Any]) -> MarketingEvent:
    current = clock.now()
    props = fields.pop("custom_properties", {})
    return MarketingEvent(
        portal=caller.portal,
        app=caller.app,
        external_account_id=body["externalAccountId"],
        external_event_id=body["externalEventId"],
        custom_properties=props,
        created_at=current,
        updated_at=current,
        **fields,
    )


def create(request: HttpRequest, caller: Caller) -> HttpResponse:
    """200 (not 201). A second create with the same external ids for the same app is 409 (our decision)."""
    body = json_object(request)
    fields = ser.event_fields(body, required=CREATE_REQUIRED)
    for key in ("externalAccountId", "externalEventId"):
        if not isinstance(body[key], str):
            raise validation(f"'{key}' must be a string.", {key: ["not a string"]})
    event = new_event(caller, body, fields)
    try:
        with transaction.atomic(using="simulator"):
            event.save()
    except IntegrityError as error:
        raise ApiError(
            409,
            "CONFLICT",
            f"A marketing event with externalEventId {body['externalEventId']} and externalAccountId "
            f"{body['externalAccountId']} already exists for this app. Use PUT to upsert.",
        ) from error
    return ok(ser.v1_default(event, request_version(request)))


def get_details(request: HttpRequest, caller: Caller, external_event_id: str) -> HttpResponse:
    event = lookup.by_external_query(request, caller, external_event_id)
    return ok(ser.v1_public_read(event, numbers_for([event])[event.pk], request_version(request)))


def upsert_one(caller: Caller, body: dict[str, Any]) -> MarketingEvent:
    """Create or replace the fields of the calling app's event with these external ids."""
    fields = ser.event_fields(body, required=CREATE_REQUIRED)
    event = lookup.find_external(caller, body["externalAccountId"], body["externalEventId"])
    if event is None:
        event = new_event(caller, body, fields)
    else:
        apply_fields(event, fields)
    event.save()
    return event


def upsert(request: HttpRequest, caller: Caller, external_event_id: str) -> HttpResponse:
    """PUT: ``externalAccountId`` in the body; a body ``externalEventId`` differing from the path is 400."""
    body = json_object(request)
    body_id = body.setdefault("externalEventId", external_event_id)
    if body_id != external_event_id:
        raise validation(
            "The externalEventId in the body does not match the one in the path.",
            {"externalEventId": [str(body_id), external_event_id]},
        )
    try:
        with transaction.atomic(using="simulator"):
            event = upsert_one(caller, body)
    except IntegrityError:  # a concurrent upsert created it first (possible on PostgreSQL): update it instead
        with transaction.atomic(using="simulator"):
            event = upsert_one(caller, body)
    return ok(ser.v1_public_default(event, request_version(request)))


def update(request: HttpRequest, caller: Caller, external_event_id: str) -> HttpResponse:
    fields = ser.event_fields(json_object(request))
    with transaction.atomic(using="simulator"):
        event = lookup.by_external_query(request, caller, external_event_id)
        apply_fields(event, fields)
        event.save()
    return ok(ser.v1_public_default(event, request_version(request)))


def archive(request: HttpRequest, caller: Caller, external_event_id: str) -> HttpResponse:
    lookup.by_external_query(request, caller, external_event_id).delete()
    return no_content()


def cancel(request: HttpRequest, caller: Caller, external_event_id: str) -> HttpResponse:
    with transaction.atomic(using="simulator"):
        event = lookup.by_external_query(request, caller, external_event_id)
        apply_fields(event, {"cancelled": True})
        event.save()
    return ok(ser.v1_default(event, request_version(request)))


def complete(request: HttpRequest, caller: Caller, external_event_id: str) -> HttpResponse:
    body = json_object(request)
    fields = ser.event_fields(body, required=("startDateTime", "endDateTime"))
    with transaction.atomic(using="simulator"):
        event = lookup.by_external_query(request, caller, external_event_id)
        apply_fields(event, {"start": fields["start"], "end": fields["end"], "completed": True})
        event.save()
    return ok(ser.v1_default(event, request_version(request)))


def search(request: HttpRequest, caller: Caller) -> HttpResponse:
    """``q`` is an externalEventId; only the calling app's events. No paging."""
    q = query_required(request, "q")
    events = MarketingEvent.objects.filter(
        portal=caller.portal, app=caller.app, external_event_id=q
    ).order_by("pk")
    results = [
        {
            "appId": event.app_id,
            "externalAccountId": event.external_account_id,
            "externalEventId": event.external_event_id,
            "objectId": str(event.pk),
        }
        for event in events
    ]
    return ok({"results": results})


def identifiers(request: HttpRequest, caller: Caller, external_event_id: str) -> HttpResponse:
    """Every event on the portal with this externalEventId, from any app."""
    events = (
        MarketingEvent.objects.select_related("app")
        .filter(portal=caller.portal, external_event_id=external_event_id)
        .order_by("pk")
    )
    results = []
    for event in events:
        item: dict[str, Any] = {
            "objectId": str(event.pk),
            "externalEventId": event.external_event_id,
            "marketingEventName": event.name,
            "externalAccountId": event.external_account_id,
        }
        if event.app_id is not None:
            item["appInfo"] = {"id": str(event.app_id), "name": event.app.name}
        results.append(item)
    return ok({"total": len(results), "results": results})
