"""Events to HubSpot's wire shapes, and request bodies to event fields.

The response shapes differ by endpoint (see the reference's §2.12): V1 "default" (create, cancel, complete: no
``id``, times or external ids), V1 "public default" (upserts and external-id patches: ``id`` equal to
``objectId``, ``createdAt``, ``updatedAt``), V1 "public read" (adds the external event id and the activity
counts), and the V2 shapes used by the objectId endpoints (``customProperties`` as ``{name, value}``,
``appInfo``, ``eventStatus``). Date-times are ISO-8601 strings; absent optional fields are omitted.

Per version (``versions.py``): the V1 shapes' ``customProperties`` are full ``PropertyValue`` objects whose
fields depend on the version; the V2 read shape never carries ``externalAccountId`` (HubSpot's model has none:
search and identifiers do) nor ``eventStatusV2`` (absent from HubSpot's SDK models; the dashboard must not
need it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hsadmin.simulator import clock
from hsadmin.simulator.errors import validation
from hsadmin.simulator.models import MarketingEvent
from hsadmin.simulator.participation import EventNumbers
from hsadmin.simulator.versions import V3, V2026_03

# The MarketingEvent properties this simulated account defines; any other custom property name is dropped
# silently, as HubSpot filters out properties the account does not define.
KNOWN_CUSTOM_PROPERTIES = frozenset(
    {
        "hs_event_language",
        "hs_event_location",
        "hs_event_capacity",
        "hs_event_topic",
        "hs_event_format",
        "hs_event_region",
        "hs_campaign",
    }
)

_STRING_FIELDS = {
    "eventName": "name",
    "eventType": "event_type",
    "eventOrganizer": "organizer",
    "eventDescription": "description",
    "eventUrl": "url",
}


def _base(event: MarketingEvent) -> dict[str, Any]:
    data: dict[str, Any] = {"objectId": str(event.pk), "eventName": event.name}
    for wire, attr in _STRING_FIELDS.items():
        value = getattr(event, attr)
        if value and wire != "eventName":
            data[wire] = value
    if event.start:
        data["startDateTime"] = clock.iso(event.start)
    if event.end:
        data["endDateTime"] = clock.iso(event.end)
    data["eventCancelled"] = event.cancelled
    data["eventCompleted"] = event.completed
    return data


def property_value(event: MarketingEvent, name: str, value: str, version: str) -> dict[str, Any]:
    """A ``PropertyValue`` with every field HubSpot's model for ``version`` requires (the values are what an
    app-written property plausibly carries; hsadmin's client reads only ``name`` and ``value``)."""
    written = clock.to_ms(event.updated_at)
    data: dict[str, Any] = {
        "name": name,
        "value": value,
        "timestamp": written,
        "source": "INTEGRATION",
        "sourceId": str(event.app_id or ""),
        "sourceLabel": event.app.name if event.app_id is not None else "",
        "sourceMetadata": "",
        "sourceVid": [],
        "requestId": "",
        "selectedByUser": False,
        "selectedByUserTimestamp": 0,
        "persistenceTimestamp": written,
        "updatedByUserId": 0,
        "useTimestampAsPersistenceTimestamp": False,
        "isEncrypted": False,
        "isLargeValue": False,
        "dataSensitivity": "none",
        "unit": "",
    }
    if version != V3:
        data["sourceUpstreamDeployable"] = ""
    if version == V2026_03:
        data["maskedSubstrings"] = {"substrings": []}
    return data


def _property_values(event: MarketingEvent, version: str) -> list[dict[str, Any]]:
    return [
        property_value(event, name, value, version) for name, value in sorted(event.custom_properties.items())
    ]


def _crm_properties(event: MarketingEvent) -> list[dict[str, Any]]:
    """``CrmPropertyWrapper`` items (the V2 shapes): just ``name`` and ``value``."""
    return [{"name": name, "value": value} for name, value in sorted(event.custom_properties.items())]


def v1_default(event: MarketingEvent, version: str) -> dict[str, Any]:
    """``MarketingEventDefaultResponse``."""
    data = _base(event)
    data.setdefault("eventOrganizer", event.organizer)
    data["customProperties"] = _property_values(event, version)
    return data


def v1_public_default(event: MarketingEvent, version: str) -> dict[str, Any]:
    """``MarketingEventPublicDefaultResponse``."""
    data = v1_default(event, version)
    data["id"] = str(event.pk)
    data["createdAt"] = clock.iso(event.created_at)
    data["updatedAt"] = clock.iso(event.updated_at)
    return data


def v1_public_read(event: MarketingEvent, numbers: EventNumbers, version: str) -> dict[str, Any]:
    """``MarketingEventPublicReadResponse``."""
    data = v1_public_default(event, version)
    data["externalEventId"] = event.external_event_id
    data.update(numbers.payload())
    return data


def event_status(event: MarketingEvent) -> str:
    """Our vocabulary (HubSpot documents none): CANCELLED, PAST (also once completed), ONGOING, UPCOMING."""
    if event.cancelled:
        return "CANCELLED"
    if event.completed:
        return "PAST"
    current = clock.now()
    if event.end is not None and event.end <= current:
        return "PAST"
    if event.start is not None and event.start <= current:
        return "ONGOING"
    return "UPCOMING"


def v2_default(event: MarketingEvent) -> dict[str, Any]:
    """``MarketingEventPublicDefaultResponseV2``."""
    data = _base(event)
    data["createdAt"] = clock.iso(event.created_at)
    data["updatedAt"] = clock.iso(event.updated_at)
    data["customProperties"] = _crm_properties(event)
    if event.app_id is not None:
        data["appInfo"] = {"id": str(event.app_id), "name": event.app.name}
    return data


def v2_read(event: MarketingEvent, numbers: EventNumbers) -> dict[str, Any]:
    """``MarketingEventPublicReadResponseV2``: no ``externalAccountId`` and no ``eventStatusV2``."""
    data = v2_default(event)
    if event.external_event_id:
        data["externalEventId"] = event.external_event_id
    data.update(numbers.payload())
    data["eventStatus"] = event_status(event)
    return data


def _string(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise validation(f"'{key}' must be a string.", {key: [repr(value)]})
    return value


def _datetime(body: dict[str, Any], key: str) -> datetime | None:
    value = body.get(key)
    if value is None:
        return None
    try:
        return clock.parse_iso(value)
    except ValueError as error:
        raise validation(f"'{key}' must be an ISO-8601 date-time.", {key: [str(value)]}) from error


def _bool(body: dict[str, Any], key: str) -> bool | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise validation(f"'{key}' must be a boolean.", {key: [repr(value)]})
    return value


def custom_properties(body: dict[str, Any]) -> dict[str, str] | None:
    """``customProperties`` (``[{name, value}, …]``) to a dict of known names; unknown names are dropped."""
    raw = body.get("customProperties")
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise validation("'customProperties' must be an array.", {"customProperties": ["not an array"]})
    result: dict[str, str] = {}
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise validation("Each custom property needs a 'name'.", {"customProperties": ["name required"]})
        if item["name"] in KNOWN_CUSTOM_PROPERTIES:
            value = item.get("value")
            result[item["name"]] = "" if value is None else str(value)
    return result


def event_fields(
    body: dict[str, Any], *, required: tuple[str, ...] = (), allow_completed: bool = True
) -> dict:
    """Validated model fields from a create/update body (only the keys present)."""
    missing = [key for key in required if body.get(key) in (None, "")]
    if missing:
        raise validation(
            f"Missing required fields: {', '.join(missing)}", {key: ["required"] for key in missing}
        )
    fields: dict[str, Any] = {}
    for wire, attr in _STRING_FIELDS.items():
        value = _string(body, wire)
        if value is not None:
            fields[attr] = value
    for wire, attr in (("startDateTime", "start"), ("endDateTime", "end")):
        value = _datetime(body, wire)
        if value is not None:
            fields[attr] = value
    cancelled = _bool(body, "eventCancelled")
    if cancelled is not None:
        fields["cancelled"] = cancelled
    completed = _bool(body, "eventCompleted")
    if completed is not None and allow_completed:
        fields["completed"] = completed
    props = custom_properties(body)
    if props is not None:
        fields["custom_properties"] = props
    return fields
