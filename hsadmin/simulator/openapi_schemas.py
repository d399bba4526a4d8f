"""The component schemas of the simulator's OpenAPI document, written by us from the reference's facts.

Response schemas are strict (``additionalProperties: false``) where the reference pins the shape, so the tests
that validate every answer against them catch a stray or missing field.
"""

from __future__ import annotations

from typing import Any

STR: dict[str, Any] = {"type": "string"}
INT: dict[str, Any] = {"type": "integer"}
BOOL: dict[str, Any] = {"type": "boolean"}
DT: dict[str, Any] = {"type": "string", "format": "date-time"}
STR_MAP: dict[str, Any] = {"type": "object", "additionalProperties": {"type": "string"}}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required: list[str], props: dict[str, Any], *, strict: bool = True) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "required": required, "properties": props}
    if strict:
        schema["additionalProperties"] = False
    return schema


def array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


EVENT_FIELDS: dict[str, Any] = {
    "objectId": STR,
    "eventName": STR,
    "eventType": STR,
    "eventOrganizer": STR,
    "eventDescription": STR,
    "eventUrl": STR,
    "startDateTime": DT,
    "endDateTime": DT,
    "eventCancelled": BOOL,
    "eventCompleted": BOOL,
    "customProperties": array(ref("PropertyValue")),
}
TIMES = {"id": STR, "createdAt": DT, "updatedAt": DT}
COUNTS = {"registrants": INT, "attendees": INT, "cancellations": INT, "noShows": INT}
V2_FIELDS = {
    **EVENT_FIELDS,
    "createdAt": DT,
    "updatedAt": DT,
    "customProperties": array(ref("CrmPropertyWrapper")),
    "appInfo": ref("AppInfo"),
}
STATUS = {
    "type": "string",
    "enum": ["UPCOMING", "ONGOING", "PAST", "CANCELLED"],
    "description": "UNDOCUMENTED by HubSpot (no vocabulary is published); the simulator's decision: CANCELLED "
    "wins, then PAST (after the end, or once completed), ONGOING after the start, else UPCOMING. Clients must "
    "accept any string.",
    "x-undocumented": True,
}
REQUEST_FIELDS = {
    "externalAccountId": STR,
    "externalEventId": STR,
    "eventName": STR,
    "eventOrganizer": STR,
    "eventType": STR,
    "startDateTime": DT,
    "endDateTime": DT,
    "eventDescription": STR,
    "eventUrl": STR,
    "eventCancelled": BOOL,
    "eventCompleted": BOOL,
    "customProperties": array(ref("PropertyValueInput")),
}
BATCH_STATUS = {"type": "string", "enum": ["CANCELED", "COMPLETE", "PENDING", "PROCESSING"]}


def batch(result: str) -> dict[str, Any]:
    return obj(
        ["status", "results", "startedAt", "completedAt"],
        {
            "status": BATCH_STATUS,
            "results": array(ref(result)),
            "requestedAt": DT,
            "startedAt": DT,
            "completedAt": DT,
            "numErrors": INT,
            "errors": array(ref("StandardError")),
            "links": STR_MAP,
        },
    )


def with_total(item: str, *, paging: bool = True) -> dict[str, Any]:
    props: dict[str, Any] = {"total": INT, "results": array(ref(item))}
    if paging:
        props["paging"] = ref("Paging")
    return obj(["total", "results"], props)


SUBSCRIBER_PROPS = {
    **STR_MAP,
    "description": "For attend: joinedAt and leftAt, epoch milliseconds as strings "
    "(ISO-8601 also accepted; simulator decision).",
}

SCHEMAS: dict[str, Any] = {
    "Error": obj(
        ["category", "correlationId", "message"],
        {
            "status": STR,
            "message": STR,
            "correlationId": {"type": "string", "format": "uuid"},
            "category": STR,
            "subCategory": STR,
            "context": {"type": "object", "additionalProperties": array(STR)},
            "errors": array({"type": "object"}),
            "links": STR_MAP,
        },
    ),
    "RateLimitError": obj(
        ["status", "message", "errorType", "correlationId", "policyName"],
        {
            "status": {"const": "error"},
            "message": STR,
            "errorType": {"const": "RATE_LIMIT"},
            "correlationId": {"type": "string", "format": "uuid"},
            "policyName": {"enum": ["TEN_SECONDLY_ROLLING", "SECONDLY", "DAILY"]},
            "groupName": STR,
            "category": STR,
        },
    ),
    "StandardError": obj(
        ["status", "category", "message", "context", "errors", "links"],
        {
            "status": STR,
            "category": STR,
            "message": STR,
            "context": {"type": "object", "additionalProperties": array(STR)},
            "errors": array({"type": "object"}),
            "links": STR_MAP,
            "id": STR,
            "subCategory": {"type": "object"},
        },
    ),
    "PropertyValue": obj(
        [
            "name",
            "value",
            "timestamp",
            "source",
            "sourceId",
            "sourceLabel",
            "sourceMetadata",
            "sourceVid",
            "requestId",
            "selectedByUser",
            "selectedByUserTimestamp",
            "persistenceTimestamp",
            "updatedByUserId",
            "useTimestampAsPersistenceTimestamp",
            "isEncrypted",
            "isLargeValue",
            "dataSensitivity",
            "unit",
        ],
        {
            "name": STR,
            "value": STR,
            "timestamp": INT,
            "source": STR,
            "sourceId": STR,
            "sourceLabel": STR,
            "sourceMetadata": STR,
            "sourceVid": array(INT),
            "requestId": STR,
            "selectedByUser": BOOL,
            "selectedByUserTimestamp": INT,
            "persistenceTimestamp": INT,
            "updatedByUserId": INT,
            "useTimestampAsPersistenceTimestamp": BOOL,
            "isEncrypted": BOOL,
            "isLargeValue": BOOL,
            "dataSensitivity": {"enum": ["high", "none", "standard"]},
            "unit": STR,
            "sourceUpstreamDeployable": {
                "type": "string",
                "description": "2026-03 and 2026-09 only (not in v3's SDK models).",
            },
            "maskedSubstrings": {
                "type": "object",
                "required": ["substrings"],
                "properties": {"substrings": array(obj(["start", "end"], {"start": INT, "end": INT}))},
                "description": "2026-03 only (2026-09 drops it; v3's SDK models never had it).",
            },
        },
    ),
    "PropertyValueInput": {
        "type": "object",
        "required": ["name", "value"],
        "properties": {"name": STR, "value": STR},
        "description": "Clients send {name, value}. Names the account does not define are dropped silently.",
    },
    "CrmPropertyWrapper": obj(["name", "value"], {"name": STR, "value": STR}),
    "AppInfo": obj(["id", "name"], {"id": STR, "name": STR}),
    "MarketingEventDefaultResponse": obj(["eventName", "eventOrganizer", "customProperties"], EVENT_FIELDS),
    "MarketingEventPublicDefaultResponse": obj(
        ["id", "createdAt", "updatedAt", "eventName", "eventOrganizer", "customProperties"],
        {**EVENT_FIELDS, **TIMES},
    ),
    "MarketingEventPublicReadResponse": obj(
        [
            "id",
            "createdAt",
            "updatedAt",
            "eventName",
            "eventOrganizer",
            "customProperties",
            "externalEventId",
            "registrants",
            "attendees",
            "cancellations",
            "noShows",
        ],
        {**EVENT_FIELDS, **TIMES, **COUNTS, "externalEventId": STR},
    ),
    "MarketingEventPublicDefaultResponseV2": obj(
        ["objectId", "createdAt", "updatedAt", "eventName", "customProperties"], V2_FIELDS
    ),
    "MarketingEventPublicReadResponseV2": obj(
        [
            "objectId",
            "createdAt",
            "updatedAt",
            "eventName",
            "customProperties",
            "registrants",
            "attendees",
            "cancellations",
            "noShows",
            "eventStatus",
        ],
        {**V2_FIELDS, **COUNTS, "externalEventId": STR, "eventStatus": STATUS},
    ),
    "ForwardPaging": obj([], {"next": ref("NextPage")}),
    "Paging": obj([], {"next": ref("NextPage"), "prev": obj(["before"], {"before": STR, "link": STR})}),
    "NextPage": obj(["after"], {"after": STR, "link": STR}),
    "CollectionResponseMarketingEventPublicReadResponseV2ForwardPaging": obj(
        ["results"],
        {"results": array(ref("MarketingEventPublicReadResponseV2")), "paging": ref("ForwardPaging")},
    ),
    "MarketingEventCreateRequestParams": {
        "type": "object",
        "required": [
            "externalAccountId",
            "externalEventId",
            "eventName",
            "eventOrganizer",
            "customProperties",
        ],
        "properties": REQUEST_FIELDS,
    },
    "MarketingEventUpdateRequestParams": {
        "type": "object",
        "required": ["customProperties"],
        "properties": {k: v for k, v in REQUEST_FIELDS.items() if not k.startswith("external")},
    },
    "MarketingEventPublicUpdateRequestV2": {
        "type": "object",
        "required": ["customProperties"],
        "properties": {
            k: v for k, v in REQUEST_FIELDS.items() if not k.startswith("external") and k != "eventCompleted"
        },
    },
    "MarketingEventPublicUpdateRequestFullV2": {
        "type": "object",
        "required": ["objectId", "customProperties"],
        "properties": {
            "objectId": STR,
            **{
                k: v
                for k, v in REQUEST_FIELDS.items()
                if not k.startswith("external") and k != "eventCompleted"
            },
        },
    },
    "MarketingEventCompleteRequestParams": {
        "type": "object",
        "required": ["startDateTime", "endDateTime"],
        "properties": {"startDateTime": DT, "endDateTime": DT},
    },
    "BatchInputMarketingEventCreateRequestParams": {
        "type": "object",
        "required": ["inputs"],
        "properties": {"inputs": array(ref("MarketingEventCreateRequestParams"))},
    },
    "BatchInputMarketingEventExternalUniqueIdentifier": {
        "type": "object",
        "required": ["inputs"],
        "properties": {
            "inputs": array(
                {
                    "type": "object",
                    "required": ["appId", "externalAccountId", "externalEventId"],
                    "properties": {"appId": INT, "externalAccountId": STR, "externalEventId": STR},
                }
            )
        },
    },
    "BatchInputMarketingEventPublicObjectIdDeleteRequest": {
        "type": "object",
        "required": ["inputs"],
        "properties": {
            "inputs": array({"type": "object", "required": ["objectId"], "properties": {"objectId": STR}})
        },
    },
    "BatchInputMarketingEventPublicUpdateRequestFullV2": {
        "type": "object",
        "required": ["inputs"],
        "properties": {"inputs": array(ref("MarketingEventPublicUpdateRequestFullV2"))},
    },
    "BatchResponseMarketingEventPublicDefaultResponse": batch("MarketingEventPublicDefaultResponse"),
    "BatchResponseMarketingEventPublicDefaultResponseV2": batch("MarketingEventPublicDefaultResponseV2"),
    "SearchPublicResponseWrapper": obj(
        ["appId", "externalAccountId", "externalEventId", "objectId"],
        {"appId": INT, "externalAccountId": STR, "externalEventId": STR, "objectId": STR},
    ),
    "CollectionResponseSearchPublicResponseWrapperNoPaging": obj(
        ["results"], {"results": array(ref("SearchPublicResponseWrapper"))}
    ),
    "MarketingEventIdentifiersResponse": obj(
        ["objectId", "externalEventId", "marketingEventName"],
        {
            "objectId": STR,
            "externalEventId": STR,
            "marketingEventName": STR,
            "externalAccountId": STR,
            "appInfo": ref("AppInfo"),
        },
    ),
    "CollectionResponseWithTotalMarketingEventIdentifiersResponse": with_total(
        "MarketingEventIdentifiersResponse"
    ),
    "MarketingEventSubscriber": {
        "type": "object",
        "required": ["vid", "interactionDateTime"],
        "properties": {
            "vid": {"type": "integer", "minimum": 1},
            "interactionDateTime": INT,
            "properties": SUBSCRIBER_PROPS,
        },
    },
    "MarketingEventEmailSubscriber": {
        "type": "object",
        "required": ["email", "interactionDateTime"],
        "properties": {
            "email": {"type": "string", "format": "email"},
            "interactionDateTime": INT,
            "properties": SUBSCRIBER_PROPS,
            "contactProperties": STR_MAP,
        },
    },
    "BatchInputMarketingEventSubscriber": {
        "type": "object",
        "required": ["inputs"],
        "properties": {"inputs": array(ref("MarketingEventSubscriber"))},
    },
    "BatchInputMarketingEventEmailSubscriber": {
        "type": "object",
        "required": ["inputs"],
        "properties": {"inputs": array(ref("MarketingEventEmailSubscriber"))},
    },
    "SubscriberVidResponse": obj(["vid"], {"vid": INT}),
    "SubscriberEmailResponse": obj(["vid", "email"], {"vid": INT, "email": STR}),
    "BatchResponseSubscriberVidResponse": batch("SubscriberVidResponse"),
    "BatchResponseSubscriberEmailResponse": batch("SubscriberEmailResponse"),
    "AttendanceCounters": obj(
        ["attended", "cancelled", "noShows", "registered"],
        {"attended": INT, "cancelled": INT, "noShows": INT, "registered": INT},
    ),
    "ParticipationBreakdown": obj(
        ["id", "createdAt", "properties", "associations"],
        {
            "id": STR,
            "createdAt": DT,
            "properties": obj(
                ["attendanceState", "occurredAt"],
                {
                    "attendanceState": {"enum": ["ATTENDED", "CANCELLED", "EMPTY", "NO_SHOW", "REGISTERED"]},
                    "occurredAt": INT,
                    "attendanceDurationSeconds": INT,
                    "attendancePercentage": STR,
                },
            ),
            "associations": obj(
                ["contact", "marketingEvent"],
                {
                    "contact": obj(
                        ["contactId", "email"],
                        {"contactId": STR, "email": STR, "firstname": STR, "lastname": STR},
                    ),
                    "marketingEvent": obj(
                        ["marketingEventId", "name"],
                        {
                            "marketingEventId": STR,
                            "name": STR,
                            "externalAccountId": STR,
                            "externalEventId": STR,
                        },
                    ),
                },
            ),
        },
    ),
    "CollectionResponseWithTotalParticipationBreakdown": with_total("ParticipationBreakdown"),
    "PublicList": obj(
        ["listId", "listVersion", "name", "objectTypeId", "processingStatus", "processingType"],
        {
            "listId": STR,
            "listVersion": INT,
            "name": STR,
            "objectTypeId": STR,
            "processingStatus": STR,
            "processingType": STR,
            "size": INT,
            "createdAt": DT,
            "updatedAt": DT,
            "filtersUpdatedAt": DT,
            "deletedAt": DT,
            "createdById": STR,
            "updatedById": STR,
        },
    ),
    "CollectionResponseWithTotalPublicList": with_total("PublicList"),
    "EventDetailSettings": obj(["appId", "eventDetailsUrl"], {"appId": INT, "eventDetailsUrl": STR}),
    "EventDetailSettingsUrl": {
        "type": "object",
        "required": ["eventDetailsUrl"],
        "properties": {"eventDetailsUrl": {"type": "string", "pattern": "%s"}},
    },
}
