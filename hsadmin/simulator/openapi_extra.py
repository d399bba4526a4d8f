"""OAuth and CRM-subset parts of the simulator's OpenAPI document."""

from __future__ import annotations

from typing import Any

from hsadmin.simulator.openapi_schemas import BOOL, DT, INT, STR, STR_MAP, array, batch, obj, ref

ERROR = {"description": "Error", "content": {"application/json": {"schema": ref("Error")}}}
RATE_LIMITED = {
    "description": "Rate limited",
    "content": {"application/json": {"schema": ref("RateLimitError")}},
}


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _form(required: list[str], fields: list[str]) -> dict[str, Any]:
    return {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": required,
                    "properties": {name: STR for name in fields},
                }
            }
        },
    }


TOKEN_FIELDS = [
    "grant_type",
    "client_id",
    "client_secret",
    "redirect_uri",
    "code",
    "code_verifier",
    "refresh_token",
    "scope",
]
INTROSPECT_FIELDS = ["token", "client_id", "client_secret", "token_type_hint"]


def _token_op(op_id: str) -> dict[str, Any]:
    return {
        "post": {
            "operationId": op_id,
            "summary": "authorization_code and refresh_token grants. Errors: 400 with status BAD_CLIENT_ID, "
            "BAD_CLIENT_SECRET, BAD_GRANT_TYPE, BAD_AUTH_CODE, EXPIRED_AUTH_CODE, BAD_REDIRECT_URI or BAD_REFRESH_TOKEN.",
            "requestBody": _form(["grant_type", "client_id", "client_secret"], TOKEN_FIELDS),
            "responses": {"200": _json(ref("AccessTokenResponse")), "default": ERROR},
        }
    }


def _introspect(op_id: str) -> dict[str, Any]:
    return {
        "post": {
            "operationId": op_id,
            "requestBody": _form(["token", "client_id", "client_secret"], INTROSPECT_FIELDS),
            "responses": {"200": _json(ref("IntrospectResponse")), "default": ERROR},
        }
    }


def _revoke(op_id: str) -> dict[str, Any]:
    return {
        "post": {
            "operationId": op_id,
            "requestBody": _form(["token", "client_id", "client_secret"], INTROSPECT_FIELDS),
            "responses": {"200": {"description": "Revoked (empty body)"}, "default": ERROR},
        }
    }


def _crm(
    op_id: str,
    scope: str,
    ok: dict[str, Any],
    *,
    params: list | None = None,
    body: str | None = None,
    extra: dict | None = None,
) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": op_id,
        "parameters": params or [],
        "security": [{"bearer": []}],
        "x-required-scopes": [scope],
        "responses": {"200": ok, **(extra or {}), "429": RATE_LIMITED, "default": ERROR},
    }
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": ref(body)}}}
    return op


def _p(name: str, where: str = "path", required: bool = True) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "schema": STR}


EXTRA_PATHS: dict[str, Any] = {
    "/oauth/authorize": {
        "get": {
            "operationId": "authorize",
            "summary": "The consent page (HTML). POSTing decision=allow|deny and hub_id redirects to redirect_uri with "
            "code and state, or error=access_denied.",
            "parameters": [
                _p("client_id", "query"),
                _p("redirect_uri", "query"),
                _p("scope", "query", False),
                _p("optional_scope", "query", False),
                _p("state", "query", False),
            ],
            "responses": {
                "200": {"description": "HTML consent page", "content": {"text/html": {"schema": STR}}},
                "400": {"description": "Unknown client", "content": {"text/html": {"schema": STR}}},
            },
        },
        "post": {
            "operationId": "authorizeDecision",
            "requestBody": _form(
                ["client_id", "redirect_uri", "decision"],
                [
                    "client_id",
                    "redirect_uri",
                    "scope",
                    "optional_scope",
                    "state",
                    "hub_id",
                    "decision",
                    "code_challenge",
                    "code_challenge_method",
                ],
            ),
            "responses": {
                "302": {"description": "Back to redirect_uri with code and state, or error=access_denied"},
                "400": {"description": "Unknown client or portal", "content": {"text/html": {"schema": STR}}},
            },
        },
    },
    "/oauth/v1/token": _token_op("tokenV1"),
    "/oauth/v3/token": _token_op("tokenV3"),
    "/oauth/2026-03/token": _token_op("token202603"),
    "/oauth/2026-09/token": _token_op("token202609"),
    "/oauth/v1/access-tokens/{token}": {
        "get": {
            "operationId": "getAccessToken",
            "parameters": [_p("token")],
            "responses": {"200": _json(ref("AccessTokenInfoResponse")), "default": ERROR},
        }
    },
    "/oauth/v1/refresh-tokens/{token}": {
        "get": {
            "operationId": "getRefreshToken",
            "parameters": [_p("token")],
            "responses": {"200": _json(ref("RefreshTokenInfoResponse")), "default": ERROR},
        },
        "delete": {
            "operationId": "archiveRefreshToken",
            "parameters": [_p("token")],
            "responses": {"204": {"description": "Deleted; access tokens stay valid"}, "default": ERROR},
        },
    },
    "/oauth/v3/token/introspect": _introspect("introspectV3"),
    "/oauth/2026-03/token/introspect": _introspect("introspect202603"),
    "/oauth/2026-09/token/introspect": _introspect("introspect202609"),
    "/oauth/v3/token/revoke": _revoke("revokeV3"),
    "/oauth/2026-03/token/revoke": _revoke("revoke202603"),
    "/oauth/2026-09/token/revoke": _revoke("revoke202609"),
    "/crm/v3/lists/search": {
        "post": _crm(
            "listsSearch", "crm.lists.read", _json(ref("ListSearchResponse")), body="ListSearchRequest"
        )
    },
    "/crm/v3/lists/{listId}": {
        "get": _crm(
            "listRead",
            "crm.lists.read",
            _json(ref("ListFetchResponse")),
            params=[_p("listId"), _p("includeFilters", "query", False)],
        )
    },
    "/crm/v3/objects/contacts/search": {
        "post": _crm(
            "contactSearch",
            "crm.objects.contacts.read",
            _json(ref("CollectionResponseWithTotalSimplePublicObject")),
            body="PublicObjectSearchRequest",
        )
    },
    "/crm/v3/objects/contacts/batch/read": {
        "post": _crm(
            "contactBatchRead",
            "crm.objects.contacts.read",
            _json(ref("BatchResponseSimplePublicObject")),
            body="BatchReadInputSimplePublicObjectId",
            extra={"207": _json(ref("BatchResponseSimplePublicObject"))},
        )
    },
    "/crm/v3/objects/contacts/{contactId}": {
        "get": _crm(
            "contactRead",
            "crm.objects.contacts.read",
            _json(ref("SimplePublicObject")),
            params=[_p("contactId"), _p("idProperty", "query", False), _p("properties", "query", False)],
        )
    },
}

ACCESS_INFO = {
    "token": STR,
    "user": STR,
    "hub_domain": STR,
    "scopes": array(STR),
    "hub_id": INT,
    "app_id": INT,
    "expires_in": INT,
    "user_id": INT,
    "token_type": STR,
    "is_private_distribution": BOOL,
}
REFRESH_INFO = {
    "token": STR,
    "user": STR,
    "hub_domain": STR,
    "scopes": array(STR),
    "hub_id": INT,
    "client_id": STR,
    "user_id": INT,
    "token_type": STR,
}
LIST_FIELDS = {
    "listId": STR,
    "listVersion": INT,
    "name": STR,
    "objectTypeId": STR,
    "processingStatus": STR,
    "processingType": STR,
    "createdAt": DT,
    "updatedAt": DT,
    "filtersUpdatedAt": DT,
    "deletedAt": DT,
    "createdById": STR,
    "updatedById": STR,
}
NULLABLE_STR = {"type": ["string", "null"]}

EXTRA_SCHEMAS: dict[str, Any] = {
    "AccessTokenResponse": obj(
        ["access_token", "refresh_token", "expires_in", "token_type", "token_use"],
        {
            "access_token": {"type": "string", "maxLength": 300},
            "refresh_token": STR,
            "expires_in": INT,
            "token_type": {"const": "bearer"},
            "token_use": STR,
            "hub_id": INT,
            "user_id": INT,
            "scopes": array(STR),
            "id_token": STR,
        },
    ),
    "AccessTokenInfoResponse": obj(
        ["token", "hub_id", "app_id", "user_id", "scopes", "token_type", "expires_in"], ACCESS_INFO
    ),
    "RefreshTokenInfoResponse": obj(
        ["token", "client_id", "hub_id", "user_id", "scopes", "token_type"], REFRESH_INFO
    ),
    "IntrospectResponse": obj(
        ["active"], {"active": BOOL, "client_id": STR, "token_use": STR, **ACCESS_INFO, **REFRESH_INFO}
    ),
    "ListSearchRequest": {
        "type": "object",
        "properties": {
            "query": STR,
            "count": {"type": "integer", "minimum": 0},
            "offset": {"type": "integer", "minimum": 0},
            "listIds": array(STR),
            "processingTypes": array({"enum": ["MANUAL", "DYNAMIC", "SNAPSHOT"]}),
            "objectTypeId": STR,
            "additionalProperties": array(STR),
            "sort": STR,
        },
    },
    "PublicObjectListSearchResult": obj(
        [
            "listId",
            "listVersion",
            "name",
            "objectTypeId",
            "processingStatus",
            "processingType",
            "additionalProperties",
        ],
        {**LIST_FIELDS, "additionalProperties": STR_MAP},
    ),
    "ListSearchResponse": obj(
        ["lists", "total", "offset", "hasMore"],
        {"lists": array(ref("PublicObjectListSearchResult")), "total": INT, "offset": INT, "hasMore": BOOL},
    ),
    "PublicObjectList": obj(
        ["listId", "listVersion", "name", "objectTypeId", "processingStatus", "processingType"],
        {**LIST_FIELDS, "size": INT},
    ),
    "ListFetchResponse": obj(["list"], {"list": ref("PublicObjectList")}),
    "SimplePublicObject": obj(
        ["id", "properties", "createdAt", "updatedAt"],
        {
            "id": STR,
            "properties": {"type": "object", "additionalProperties": NULLABLE_STR},
            "createdAt": DT,
            "updatedAt": DT,
            "archived": BOOL,
        },
    ),
    "CollectionResponseWithTotalSimplePublicObject": obj(
        ["total", "results"],
        {"total": INT, "results": array(ref("SimplePublicObject")), "paging": ref("ForwardPaging")},
    ),
    "BatchResponseSimplePublicObject": batch("SimplePublicObject"),
    "PublicObjectSearchRequest": {
        "type": "object",
        "properties": {
            "filterGroups": array(
                {
                    "type": "object",
                    "properties": {
                        "filters": array(
                            {
                                "type": "object",
                                "required": ["propertyName", "operator"],
                                "properties": {
                                    "propertyName": STR,
                                    "operator": {
                                        "enum": [
                                            "EQ",
                                            "NEQ",
                                            "IN",
                                            "NOT_IN",
                                            "CONTAINS_TOKEN",
                                            "HAS_PROPERTY",
                                            "NOT_HAS_PROPERTY",
                                        ]
                                    },
                                    "value": STR,
                                    "values": array(STR),
                                },
                            }
                        )
                    },
                }
            ),
            "query": STR,
            "properties": array(STR),
            "limit": {"type": "integer", "minimum": 0, "maximum": 200},
            "after": {"type": "string", "pattern": "^[0-9]*$"},
            "sorts": array(STR),
        },
    },
    "BatchReadInputSimplePublicObjectId": {
        "type": "object",
        "required": ["inputs"],
        "properties": {
            "inputs": array({"type": "object", "required": ["id"], "properties": {"id": STR}}),
            "idProperty": STR,
            "properties": array(STR),
        },
    },
}


def _account_specific(methods: dict[str, Any]) -> dict[str, Any]:
    """``/oauth/{hubId}/authorize``: the same consent page, offering only that portal."""
    copy: dict[str, Any] = {}
    for method, op in methods.items():
        op = dict(op)
        op["operationId"] = op["operationId"] + "ForAccount"
        op["parameters"] = [
            {"name": "hubId", "in": "path", "required": True, "schema": INT},
            *op.get("parameters", []),
        ]
        copy[method] = op
    return copy


EXTRA_PATHS["/oauth/{hubId}/authorize"] = _account_specific(EXTRA_PATHS["/oauth/authorize"])
