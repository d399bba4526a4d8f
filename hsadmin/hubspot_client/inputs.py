"""Typed request inputs; each knows its exact wire form (`to_api`).

Times are aware datetimes: event times go out as ISO-8601, `interactionDateTime` as epoch milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .models import PropertyValue
from .times import to_epoch_ms, to_iso

type CustomProperties = Sequence[PropertyValue] | Mapping[str, str]


def _properties(values: CustomProperties) -> list[dict[str, str]]:
    if isinstance(values, Mapping):
        return [{"name": str(k), "value": str(v)} for k, v in values.items()]
    return [p.to_api() for p in values]


def _optional(body: dict[str, Any], key: str, value: object) -> None:
    if value is None:
        return
    body[key] = to_iso(value) if isinstance(value, datetime) else value


_EVENT_FIELDS = (
    ("eventType", "event_type"),
    ("startDateTime", "start_date_time"),
    ("endDateTime", "end_date_time"),
    ("eventDescription", "event_description"),
    ("eventUrl", "event_url"),
    ("eventCancelled", "event_cancelled"),
    ("eventCompleted", "event_completed"),
)


def _with_event_fields(body: dict[str, Any], event: EventCreate | EventUpdate) -> dict[str, Any]:
    """The optional event fields both create and update bodies carry, when set."""
    for key, attr in _EVENT_FIELDS:
        _optional(body, key, getattr(event, attr))
    return body


@dataclass(frozen=True, slots=True)
class EventCreate:
    """`MarketingEventCreateRequestParams`: the body of create, upsert and batch upsert."""

    external_account_id: str
    external_event_id: str
    event_name: str
    event_organizer: str
    custom_properties: CustomProperties = ()
    event_type: str | None = None
    start_date_time: datetime | None = None
    end_date_time: datetime | None = None
    event_description: str | None = None
    event_url: str | None = None
    event_cancelled: bool | None = None
    event_completed: bool | None = None

    def to_api(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "externalAccountId": self.external_account_id,
            "externalEventId": self.external_event_id,
            "eventName": self.event_name,
            "eventOrganizer": self.event_organizer,
            "customProperties": _properties(self.custom_properties),
        }
        return _with_event_fields(body, self)


@dataclass(frozen=True, slots=True)
class EventUpdate:
    """A partial update: only the fields that are not None are sent (`customProperties` always is).

    By external ID this is `MarketingEventUpdateRequestParams`; by objectId it is the V2 request, which has
    no `eventCompleted` (use `complete_event` instead), so setting it there raises ValueError.
    """

    event_name: str | None = None
    event_organizer: str | None = None
    event_type: str | None = None
    start_date_time: datetime | None = None
    end_date_time: datetime | None = None
    event_description: str | None = None
    event_url: str | None = None
    event_cancelled: bool | None = None
    event_completed: bool | None = None
    custom_properties: CustomProperties = ()

    def to_api(self, *, by_object_id: bool = False) -> dict[str, Any]:
        if by_object_id and self.event_completed is not None:
            raise ValueError("updates by objectId cannot set eventCompleted; use complete_event()")
        body: dict[str, Any] = {"customProperties": _properties(self.custom_properties)}
        _optional(body, "eventName", self.event_name)
        _optional(body, "eventOrganizer", self.event_organizer)
        return _with_event_fields(body, self)


@dataclass(frozen=True, slots=True)
class ObjectIdUpdate:
    """One input of `batch/update`: an update for the event with this objectId."""

    object_id: str
    update: EventUpdate

    def to_api(self) -> dict[str, Any]:
        return {"objectId": self.object_id, **self.update.to_api(by_object_id=True)}


@dataclass(frozen=True, slots=True)
class ExternalEventRef:
    """One input of `events/delete`: an event named by the app that created it and its external IDs."""

    app_id: int
    external_account_id: str
    external_event_id: str

    def to_api(self) -> dict[str, Any]:
        return {
            "appId": self.app_id,
            "externalAccountId": self.external_account_id,
            "externalEventId": self.external_event_id,
        }


def attendance_properties(
    *, joined_at: datetime | None = None, left_at: datetime | None = None
) -> dict[str, str]:
    """The `properties` of an `attend` input: joinedAt/leftAt as epoch-ms strings (reference §2.12)."""
    props: dict[str, str] = {}
    if joined_at is not None:
        props["joinedAt"] = str(to_epoch_ms(joined_at))
    if left_at is not None:
        props["leftAt"] = str(to_epoch_ms(left_at))
    return props


@dataclass(frozen=True, slots=True)
class Subscriber:
    """`MarketingEventSubscriber`: a contact by id. A fixed interaction time makes the write idempotent."""

    vid: int
    interaction_date_time: datetime
    properties: Mapping[str, str] = field(default_factory=dict)

    def to_api(self) -> dict[str, Any]:
        return {
            "vid": self.vid,
            "interactionDateTime": to_epoch_ms(self.interaction_date_time),
            "properties": dict(self.properties),
        }

    @property
    def key(self) -> str:
        return str(self.vid)


@dataclass(frozen=True, slots=True)
class EmailSubscriber:
    """`MarketingEventEmailSubscriber`: a contact by email; contact_properties only apply to new contacts."""

    email: str
    interaction_date_time: datetime
    properties: Mapping[str, str] = field(default_factory=dict)
    contact_properties: Mapping[str, str] = field(default_factory=dict)

    def to_api(self) -> dict[str, Any]:
        return {
            "email": self.email,
            "interactionDateTime": to_epoch_ms(self.interaction_date_time),
            "properties": dict(self.properties),
            "contactProperties": dict(self.contact_properties),
        }

    @property
    def key(self) -> str:
        return self.email.lower()


@dataclass(frozen=True, slots=True)
class ContactFilter:
    """One CRM search filter (operators: EQ, NEQ, IN, CONTAINS_TOKEN, HAS_PROPERTY, …)."""

    property_name: str
    operator: str = "EQ"
    value: str | None = None
    values: Sequence[str] | None = None

    def to_api(self) -> dict[str, Any]:
        body: dict[str, Any] = {"propertyName": self.property_name, "operator": self.operator}
        if self.value is not None:
            body["value"] = self.value
        if self.values is not None:
            body["values"] = list(self.values)
        return body
