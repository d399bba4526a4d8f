"""The Marketing Events operations of the simulator's OpenAPI document (one prefix; ``openapi.py`` repeats
them under each version prefix)."""

from __future__ import annotations

from typing import Any

from hsadmin.simulator.openapi_schemas import INT, STR, ref

READ, WRITE = "crm.objects.marketing_events.read", "crm.objects.marketing_events.write"

ERROR = {
    "description": "HubSpot's standard error body",
    "content": {"application/json": {"schema": ref("Error")}},
}
RATE_LIMITED = {
    "description": "Rate limited",
    "content": {"application/json": {"schema": ref("RateLimitError")}},
}


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _param(
    name: str, where: str = "path", required: bool = True, schema: dict | None = None
) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "schema": schema or STR}


EAID_Q = _param("externalAccountId", "query")
EAID_Q_OPT = _param("externalAccountId", "query", required=False)
PAGING = [_param("after", "query", False), _param("limit", "query", False, {"type": "integer", "minimum": 1})]
STATE = _param("subscriberState", schema={"type": "string", "enum": ["register", "attend", "cancel"]})


def _op(
    op_id: str,
    summary: str,
    *,
    scope: str | None,
    ok: dict[str, Any] | None,
    status: str = "200",
    params: list | None = None,
    body: str | None = None,
    extra: dict | None = None,
) -> dict[str, Any]:
    responses: dict[str, Any] = {status: ok if ok else {"description": "No content"}}
    responses.update(extra or {})
    responses.update({"429": RATE_LIMITED, "default": ERROR})
    op: dict[str, Any] = {
        "operationId": op_id,
        "summary": summary,
        "parameters": params or [],
        "responses": responses,
    }
    if scope:
        op["security"] = [{"oauth2": [scope]}, {"bearer": []}]
        op["x-required-scopes"] = [scope]
    elif any(param["name"] == "hapikey" for param in op["parameters"]):
        op["security"] = [{"developer_hapikey": []}]
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": ref(body)}}}
    return op


def marketing_events() -> dict[str, dict[str, Any]]:
    j = _json
    e, oid = _param("externalEventId"), _param("objectId")
    batch_207 = {"207": j(ref("BatchResponseMarketingEventPublicDefaultResponseV2"), "Some inputs failed")}
    return {
        "/": {
            "get": _op(
                "getAll",
                "Every event on the portal, sorted by objectId",
                scope=READ,
                params=PAGING,
                ok=j(ref("CollectionResponseMarketingEventPublicReadResponseV2ForwardPaging")),
            )
        },
        "/events": {
            "post": _op(
                "create",
                "Create an event (200, not 201)",
                scope=WRITE,
                body="MarketingEventCreateRequestParams",
                ok=j(ref("MarketingEventDefaultResponse")),
            )
        },
        "/events/search": {
            "get": _op(
                "doSearch",
                "The calling app's events with this externalEventId",
                scope=READ,
                params=[_param("q", "query")],
                ok=j(ref("CollectionResponseSearchPublicResponseWrapperNoPaging")),
            )
        },
        "/events/upsert": {
            "post": _op(
                "batchUpsert",
                "Upsert many of the calling app's events",
                scope=WRITE,
                body="BatchInputMarketingEventCreateRequestParams",
                ok=j(ref("BatchResponseMarketingEventPublicDefaultResponse")),
                extra={"207": j(ref("BatchResponseMarketingEventPublicDefaultResponse"))},
            )
        },
        "/events/delete": {
            "post": _op(
                "batchArchive",
                "Delete the calling app's events by external ids",
                scope=WRITE,
                body="BatchInputMarketingEventExternalUniqueIdentifier",
                ok=None,
                status="204",
            )
        },
        "/events/{externalEventId}": {
            "get": _op(
                "getDetails",
                "Read by external ids (creating app only)",
                scope=READ,
                params=[e, EAID_Q],
                ok=j(ref("MarketingEventPublicReadResponse")),
            ),
            "put": _op(
                "upsert",
                "Create or update by external ids",
                scope=WRITE,
                params=[e],
                body="MarketingEventCreateRequestParams",
                ok=j(ref("MarketingEventPublicDefaultResponse")),
            ),
            "patch": _op(
                "update",
                "Update by external ids",
                scope=WRITE,
                params=[e, EAID_Q],
                body="MarketingEventUpdateRequestParams",
                ok=j(ref("MarketingEventPublicDefaultResponse")),
            ),
            "delete": _op(
                "archive", "Delete by external ids", scope=WRITE, params=[e, EAID_Q], ok=None, status="204"
            ),
        },
        "/events/{externalEventId}/cancel": {
            "post": _op(
                "cancel",
                "Mark cancelled",
                scope=WRITE,
                params=[e, EAID_Q],
                ok=j(ref("MarketingEventDefaultResponse")),
            )
        },
        "/events/{externalEventId}/complete": {
            "post": _op(
                "complete",
                "Mark completed",
                scope=WRITE,
                params=[e, EAID_Q],
                body="MarketingEventCompleteRequestParams",
                ok=j(ref("MarketingEventDefaultResponse")),
            )
        },
        "/events/{externalEventId}/{subscriberState}/upsert": {
            "post": _op(
                "upsertByContactId",
                "Legacy: record by contact id; never creates contacts",
                scope=WRITE,
                params=[e, STATE, EAID_Q],
                body="BatchInputMarketingEventSubscriber",
                ok=None,
                status="204",
            )
        },
        "/events/{externalEventId}/{subscriberState}/email-upsert": {
            "post": _op(
                "upsertByContactEmail",
                "Legacy: record by email; never creates contacts",
                scope=WRITE,
                params=[e, STATE, EAID_Q],
                body="BatchInputMarketingEventEmailSubscriber",
                ok=None,
                status="204",
            )
        },
        "/batch/archive": {
            "post": _op(
                "archiveByObjectId",
                "Delete by objectIds",
                scope=WRITE,
                body="BatchInputMarketingEventPublicObjectIdDeleteRequest",
                ok=None,
                status="204",
                extra=batch_207,
            )
        },
        "/batch/update": {
            "post": _op(
                "updateByObjectId",
                "Update by objectIds",
                scope=WRITE,
                body="BatchInputMarketingEventPublicUpdateRequestFullV2",
                ok=j(ref("BatchResponseMarketingEventPublicDefaultResponseV2")),
                extra=batch_207,
            )
        },
        "/{externalEventId}/identifiers": {
            "get": _op(
                "searchPortalEvents",
                "Every event with this externalEventId, any app",
                scope=READ,
                params=[e],
                ok=j(ref("CollectionResponseWithTotalMarketingEventIdentifiersResponse")),
            )
        },
        **_attendance(e, oid),
        **_participations(),
        **_associations(),
        "/{appId}/settings": {
            "get": _op(
                "getSettings",
                "The app's settings (developer key)",
                scope=None,
                params=[_param("appId", schema=INT), _param("hapikey", "query")],
                ok=j(ref("EventDetailSettings")),
            ),
            "post": _op(
                "updateSettings",
                "Set eventDetailsUrl (must contain %s)",
                scope=None,
                params=[_param("appId", schema=INT), _param("hapikey", "query")],
                body="EventDetailSettingsUrl",
                ok=j(ref("EventDetailSettings")),
            ),
        },
        "/{objectId}": {
            "get": _op(
                "getByObjectId",
                "Read by objectId (any app)",
                scope=READ,
                params=[oid],
                ok=j(ref("MarketingEventPublicReadResponseV2")),
            ),
            "patch": _op(
                "updateByObjectId",
                "Update by objectId",
                scope=WRITE,
                params=[oid],
                body="MarketingEventPublicUpdateRequestV2",
                ok=j(ref("MarketingEventPublicDefaultResponseV2")),
            ),
            "delete": _op(
                "archiveByObjectId", "Delete by objectId", scope=WRITE, params=[oid], ok=None, status="204"
            ),
        },
    }


def _attendance(e: dict, oid: dict) -> dict[str, Any]:
    vid, email = "BatchResponseSubscriberVidResponse", "BatchResponseSubscriberEmailResponse"

    def rec(op_id: str, params: list, body: str, result: str) -> dict[str, Any]:
        return {
            "post": _op(
                op_id,
                "Record participation (207 on partial failure)",
                scope=WRITE,
                params=params,
                body=body,
                ok=_json(ref(result)),
                extra={"207": _json(ref(result))},
            )
        }

    return {
        "/attendance/{externalEventId}/{subscriberState}/create": rec(
            "recordByContactIds", [e, STATE, EAID_Q_OPT], "BatchInputMarketingEventSubscriber", vid
        ),
        "/attendance/{externalEventId}/{subscriberState}/email-create": rec(
            "recordByContactEmails", [e, STATE, EAID_Q_OPT], "BatchInputMarketingEventEmailSubscriber", email
        ),
        "/{objectId}/attendance/{subscriberState}/create": rec(
            "recordByContactId", [oid, STATE], "BatchInputMarketingEventSubscriber", vid
        ),
        "/{objectId}/attendance/{subscriberState}/email-create": rec(
            "recordByEmail", [oid, STATE], "BatchInputMarketingEventEmailSubscriber", email
        ),
    }


def _participations() -> dict[str, Any]:
    state = _param(
        "state",
        "query",
        False,
        {"type": "string", "enum": ["REGISTERED", "CANCELLED", "ATTENDED", "NO_SHOW"]},
    )
    ident = _param("contactIdentifier", "query", False)
    ea, ee, me = _param("externalAccountId"), _param("externalEventId"), _param("marketingEventId")
    counters = _json(ref("AttendanceCounters"))
    breakdown = _json(ref("CollectionResponseWithTotalParticipationBreakdown"))
    return {
        "/participations/{externalAccountId}/{externalEventId}": {
            "get": _op(
                "getParticipationsCountersByEventExternalId",
                "Counters: contacts by current state",
                scope=READ,
                params=[ea, ee],
                ok=counters,
            )
        },
        "/participations/{externalAccountId}/{externalEventId}/breakdown": {
            "get": _op(
                "getParticipationsBreakdownByExternalEventId",
                "One row per contact",
                scope=READ,
                params=[ea, ee, ident, state, *PAGING],
                ok=breakdown,
            )
        },
        "/participations/{marketingEventId}": {
            "get": _op(
                "getParticipationsCountersByMarketingEventId",
                "Counters by objectId",
                scope=READ,
                params=[me],
                ok=counters,
            )
        },
        "/participations/{marketingEventId}/breakdown": {
            "get": _op(
                "getParticipationsBreakdownByMarketingEventId",
                "Breakdown by objectId",
                scope=READ,
                params=[me, ident, state, *PAGING],
                ok=breakdown,
            )
        },
        "/participations/contacts/{contactIdentifier}/breakdown": {
            "get": _op(
                "getParticipationsBreakdownByContactId",
                "Every event of one contact",
                scope=READ,
                params=[_param("contactIdentifier"), state, *PAGING],
                ok=breakdown,
            )
        },
    }


def _associations() -> dict[str, Any]:
    ea, ee, me, li = (
        _param("externalAccountId"),
        _param("externalEventId"),
        _param("marketingEventId"),
        _param("listId"),
    )
    lists = _json(ref("CollectionResponseWithTotalPublicList"))
    note = "GET takes the write scope (HubSpot's quirk)."
    return {
        "/associations/{externalAccountId}/{externalEventId}/lists": {
            "get": _op("getAllByExternalAccountAndEventIds", note, scope=WRITE, params=[ea, ee], ok=lists)
        },
        "/associations/{externalAccountId}/{externalEventId}/lists/{listId}": {
            "put": _op(
                "associateByExternalAccountAndEventIds",
                "Associate",
                scope=WRITE,
                params=[ea, ee, li],
                ok=None,
                status="204",
            ),
            "delete": _op(
                "disassociateByExternalAccountAndEventIds",
                "Disassociate",
                scope=WRITE,
                params=[ea, ee, li],
                ok=None,
                status="204",
            ),
        },
        "/associations/{marketingEventId}/lists": {
            "get": _op("getAllByMarketingEventId", note, scope=WRITE, params=[me], ok=lists)
        },
        "/associations/{marketingEventId}/lists/{listId}": {
            "put": _op(
                "associateByMarketingEventId",
                "Associate",
                scope=WRITE,
                params=[me, li],
                ok=None,
                status="204",
            ),
            "delete": _op(
                "disassociateByMarketingEventId",
                "Disassociate",
                scope=WRITE,
                params=[me, li],
                ok=None,
                status="204",
            ),
        },
    }
