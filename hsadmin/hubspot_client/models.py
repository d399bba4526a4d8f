"""Enums and the frozen dataclasses the client returns.

HubSpot's response shapes differ by endpoint (reference §2.12): create/cancel/complete return no `id`
or timestamps, the V2 shapes carry `appInfo`, only the read shapes carry counters. `MarketingEvent`
holds the union; a field the endpoint did not send is `None`. Times are aware datetimes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Self

from .times import parse_time


class SubscriberState(StrEnum):
    """The write verbs in the attendance paths (`{subscriberState}`), always sent lowercase."""

    REGISTER = "register"
    ATTEND = "attend"
    CANCEL = "cancel"


class ParticipationState(StrEnum):
    """The read states: the `state` filter and `attendanceState` in breakdowns (EMPTY only appears there)."""

    REGISTERED = "REGISTERED"
    ATTENDED = "ATTENDED"
    CANCELLED = "CANCELLED"
    NO_SHOW = "NO_SHOW"
    EMPTY = "EMPTY"


class BatchStatus(StrEnum):
    """The batch envelope's `status` (HubSpot spells CANCELED with one L)."""

    CANCELED = "CANCELED"
    COMPLETE = "COMPLETE"
    PENDING = "PENDING"
    PROCESSING = "PROCESSING"


def _enum[E: StrEnum](cls: type[E], value: object) -> E | str | None:
    """An enum member, or the raw string when HubSpot sends a value we do not know (never crash a read)."""
    if value is None:
        return None
    try:
        return cls(str(value))
    except ValueError:
        return str(value)


def _int(value: object) -> int | None:
    if value is None or value == "":
        return None
    if not isinstance(value, int | float | str):
        raise TypeError(f"not a number: {value!r}")
    return int(value)


def _str(value: object) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True, slots=True)
class PropertyValue:
    """A custom property: HubSpot's PropertyValue or CrmPropertyWrapper reduced to what clients use."""

    name: str
    value: str

    def to_api(self) -> dict[str, str]:
        return {"name": self.name, "value": self.value}

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            name=str(data.get("name", "")), value="" if data.get("value") is None else str(data["value"])
        )


@dataclass(frozen=True, slots=True)
class AppInfo:
    id: str
    name: str | None = None

    @classmethod
    def from_api(cls, data: object) -> Self | None:
        if not isinstance(data, Mapping):
            return None
        return cls(id=str(data.get("id", "")), name=_str(data.get("name")))


@dataclass(frozen=True, slots=True)
class MarketingEvent:
    """A marketing event as any endpoint returns it; fields the endpoint does not send are None."""

    object_id: str | None
    event_name: str | None
    event_organizer: str | None = None
    event_type: str | None = None
    start_date_time: datetime | None = None
    end_date_time: datetime | None = None
    event_description: str | None = None
    event_url: str | None = None
    event_cancelled: bool | None = None
    event_completed: bool | None = None
    custom_properties: tuple[PropertyValue, ...] = ()
    id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    external_event_id: str | None = None
    external_account_id: str | None = None
    app_info: AppInfo | None = None
    registrants: int | None = None
    attendees: int | None = None
    cancellations: int | None = None
    no_shows: int | None = None
    event_status: str | None = None
    event_status_v2: str | None = None

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        object_id = data.get("objectId", data.get("id"))
        return cls(
            object_id=_str(object_id),
            id=_str(data.get("id")),
            event_name=_str(data.get("eventName")),
            event_organizer=_str(data.get("eventOrganizer")),
            event_type=_str(data.get("eventType")),
            start_date_time=parse_time(data.get("startDateTime")),
            end_date_time=parse_time(data.get("endDateTime")),
            event_description=_str(data.get("eventDescription")),
            event_url=_str(data.get("eventUrl")),
            event_cancelled=data.get("eventCancelled"),
            event_completed=data.get("eventCompleted"),
            custom_properties=tuple(PropertyValue.from_api(p) for p in data.get("customProperties") or ()),
            created_at=parse_time(data.get("createdAt")),
            updated_at=parse_time(data.get("updatedAt")),
            external_event_id=_str(data.get("externalEventId")),
            external_account_id=_str(data.get("externalAccountId")),
            app_info=AppInfo.from_api(data.get("appInfo")),
            registrants=_int(data.get("registrants")),
            attendees=_int(data.get("attendees")),
            cancellations=_int(data.get("cancellations")),
            no_shows=_int(data.get("noShows")),
            event_status=_str(data.get("eventStatus")),
            event_status_v2=_str(data.get("eventStatusV2")),
        )

    def custom_property(self, name: str) -> str | None:
        return next((p.value for p in self.custom_properties if p.name == name), None)


@dataclass(frozen=True, slots=True)
class EventIdentifier:
    """One match of `events/search` (#16: appId set) or `{externalEventId}/identifiers` (#17: name, appInfo)."""

    object_id: str
    external_event_id: str
    external_account_id: str | None = None
    app_id: int | None = None
    marketing_event_name: str | None = None
    app_info: AppInfo | None = None

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            object_id=str(data.get("objectId", "")),
            external_event_id=str(data.get("externalEventId", "")),
            external_account_id=_str(data.get("externalAccountId")),
            app_id=_int(data.get("appId")),
            marketing_event_name=_str(data.get("marketingEventName")),
            app_info=AppInfo.from_api(data.get("appInfo")),
        )


@dataclass(frozen=True, slots=True)
class AttendanceCounters:
    """`AttendanceCounters`: each contact counted once, in its current state (keys differ from the event's)."""

    attended: int
    cancelled: int
    no_shows: int
    registered: int

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            attended=int(data.get("attended", 0)),
            cancelled=int(data.get("cancelled", 0)),
            no_shows=int(data.get("noShows", 0)),
            registered=int(data.get("registered", 0)),
        )


@dataclass(frozen=True, slots=True)
class Participation:
    """One row of a participation breakdown: a contact's state for one event."""

    id: str
    created_at: datetime | None
    state: ParticipationState | str | None
    occurred_at: datetime | None
    attendance_duration_seconds: int | None
    attendance_percentage: str | None
    contact_id: str | None
    email: str | None
    firstname: str | None
    lastname: str | None
    marketing_event_id: str | None
    event_name: str | None
    external_account_id: str | None
    external_event_id: str | None

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        props = data.get("properties") or {}
        assoc = data.get("associations") or {}
        contact = assoc.get("contact") or {}
        event = assoc.get("marketingEvent") or {}
        return cls(
            id=str(data.get("id", "")),
            created_at=parse_time(data.get("createdAt")),
            state=_enum(ParticipationState, props.get("attendanceState")),
            occurred_at=parse_time(props.get("occurredAt")),
            attendance_duration_seconds=_int(props.get("attendanceDurationSeconds")),
            attendance_percentage=_str(props.get("attendancePercentage")),
            contact_id=_str(contact.get("contactId")),
            email=_str(contact.get("email")),
            firstname=_str(contact.get("firstname")),
            lastname=_str(contact.get("lastname")),
            marketing_event_id=_str(event.get("marketingEventId")),
            event_name=_str(event.get("name")),
            external_account_id=_str(event.get("externalAccountId")),
            external_event_id=_str(event.get("externalEventId")),
        )


@dataclass(frozen=True, slots=True)
class HubSpotList:
    """A CRM list: `PublicList` (event associations) or a list search result / `ListFetchResponse.list`."""

    list_id: str
    name: str
    list_version: int | None = None
    object_type_id: str | None = None
    processing_status: str | None = None
    processing_type: str | None = None
    size: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    filters_updated_at: datetime | None = None
    deleted_at: datetime | None = None
    additional_properties: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        extra = {str(k): str(v) for k, v in (data.get("additionalProperties") or {}).items()}
        size = _int(data.get("size"))
        if size is None and extra.get("hs_list_size", "").isdigit():
            size = int(extra["hs_list_size"])
        return cls(
            list_id=str(data.get("listId", "")),
            name=str(data.get("name", "")),
            list_version=_int(data.get("listVersion")),
            object_type_id=_str(data.get("objectTypeId")),
            processing_status=_str(data.get("processingStatus")),
            processing_type=_str(data.get("processingType")),
            size=size,
            created_at=parse_time(data.get("createdAt")),
            updated_at=parse_time(data.get("updatedAt")),
            filters_updated_at=parse_time(data.get("filtersUpdatedAt")),
            deleted_at=parse_time(data.get("deletedAt")),
            additional_properties=extra,
        )


@dataclass(frozen=True, slots=True)
class Contact:
    """A CRM contact (`SimplePublicObject`): properties are strings or None, as HubSpot sends them."""

    id: str
    properties: Mapping[str, str | None]
    created_at: datetime | None = None
    updated_at: datetime | None = None
    archived: bool = False

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            id=str(data.get("id", "")),
            properties=dict(data.get("properties") or {}),
            created_at=parse_time(data.get("createdAt")),
            updated_at=parse_time(data.get("updatedAt")),
            archived=bool(data.get("archived", False)),
        )

    @property
    def email(self) -> str | None:
        return self.properties.get("email")


@dataclass(frozen=True, slots=True)
class EventDetailSettings:
    app_id: int
    event_details_url: str

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        return cls(app_id=int(data.get("appId", 0)), event_details_url=str(data.get("eventDetailsUrl", "")))


@dataclass(frozen=True, slots=True)
class Page[T]:
    """One page of a collection: its items, the cursor of the next page (None on the last) and `total`."""

    results: tuple[T, ...]
    next_after: str | None = None
    total: int | None = None
