"""The simulator's own OpenAPI 3.1 document, served at ``/_simulator/openapi.json``.

Written by us from the reference's facts (never copied from HubSpot's files). The 36 Marketing Events operations
appear under ``/marketing/v3/marketing-events`` and the date-versioned prefixes; OAuth and the CRM subset follow.
Where HubSpot's behaviour is undocumented, ``x-simulator-decisions`` records what the simulator does; the tests
check each one.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from hsadmin.simulator.openapi_events import READ, WRITE, marketing_events
from hsadmin.simulator.openapi_schemas import SCHEMAS

PREFIXES = {
    "": "/marketing/v3/marketing-events",
    "2026-03": "/marketing/marketing-events/2026-03",
    "2026-09": "/marketing/marketing-events/2026-09",
}

DECISIONS = [
    (
        "Success status of events/delete, {state}/upsert and {state}/email-upsert",
        "204 with no body (the client accepts any 2xx, with or without a batch envelope).",
    ),
    (
        "The 207 body of batch/archive",
        "The batch envelope with results [] and errors naming the missing objectIds "
        "in context.ids; 204 when every objectId existed.",
    ),
    ("Case of {subscriberState}", "register, attend and cancel, in any letter case; anything else is 400."),
    ("Format of joinedAt and leftAt", "Epoch milliseconds as strings (numbers and ISO-8601 also accepted)."),
    (
        "eventStatus / eventStatusV2 vocabulary",
        "UPCOMING, ONGOING, PAST, CANCELLED; eventStatusV2 adds COMPLETED.",
    ),
    ("limit > 100", "Clamped to 100; limit < 1 or not a number is 400 VALIDATION_ERROR."),
    ("Maximum inputs per batch", "No cap is enforced (clients should chunk at 100)."),
    ("PUT externalEventId in the path differs from the body", "400 VALIDATION_ERROR."),
    (
        "Duplicate POST /events for the same app and external ids",
        "409 CONFLICT; PUT is the upsert (hsadmin creates with fresh external IDs and reads any error as a refusal).",
    ),
    ("Unknown contact in the contact breakdown", "200 with total 0."),
    ("Access-token information for an unknown or expired token", "404."),
    ("token/revoke success", "200 with an empty body (RFC 7009), also for unknown tokens."),
    (
        "Attendance create partial failure (only 200 is documented)",
        "207 with errors and numErrors; failed inputs are not applied. hsadmin's client also reads 200 with errors "
        "in the body, and a 400 for the whole batch (the inputs it names failed, the others are sent again).",
    ),
    (
        "2026-09 batch/update with objectIds that cannot be updated (only 200 is documented)",
        "200 with the updated events only, no errors/numErrors; the client marks inputs missing from results failed.",
    ),
    ("Settings with a key that does not own appId", "403 FORBIDDEN."),
]


# Operations whose success answer HubSpot does not document (reference, open questions): the document marks
# them, so a reader knows the status or body is the simulator's choice.
UNDOCUMENTED = {
    ("/events/delete", "post"): "No 2xx is documented; the simulator answers 204.",
    ("/events/{externalEventId}/{subscriberState}/upsert", "post"): "No 2xx is documented; 204 here.",
    ("/events/{externalEventId}/{subscriberState}/email-upsert", "post"): "No 2xx is documented; 204 here.",
    ("/events", "post"): "A duplicate create is undocumented; the simulator answers 409 CONFLICT.",
    (
        "/attendance/{externalEventId}/{subscriberState}/create",
        "post",
    ): "207 on partial failure is undocumented.",
    ("/attendance/{externalEventId}/{subscriberState}/email-create", "post"): "207 is undocumented here.",
    ("/{objectId}/attendance/{subscriberState}/create", "post"): "207 on partial failure is undocumented.",
    ("/{objectId}/attendance/{subscriberState}/email-create", "post"): "207 is undocumented here.",
    (
        "/batch/archive",
        "post",
    ): "The 207 body is undocumented; the simulator sends a batch envelope with errors.",
}


def _for_version(version: str, suffix: str, method: str, op: dict[str, Any]) -> dict[str, Any]:
    """What differs by version: settings credentials (2026-03: OAuth with developers-*) and 2026-09's 200-only
    batch/update."""
    op = dict(op)
    op["operationId"] = f"{op['operationId']}{'_' + version.replace('-', '_') if version else ''}"
    op["tags"] = [f"Marketing Events {version or 'v3'}"]
    if suffix == "/{appId}/settings" and version == "2026-03":
        scope = "developers-read" if method == "get" else "developers-write"
        op["security"] = [{"oauth2": [scope]}, {"bearer": []}]
        op["x-required-scopes"] = [scope]
        op["parameters"] = [param for param in op["parameters"] if param["name"] != "hapikey"]
    if suffix == "/batch/update" and version == "2026-09":
        op["responses"] = {k: v for k, v in op["responses"].items() if k != "207"}
        op["x-undocumented"] = UNDOCUMENTED_BATCH_UPDATE_2026_09
    if (suffix, method) in UNDOCUMENTED:
        op["x-undocumented"] = UNDOCUMENTED[(suffix, method)]
    return op


UNDOCUMENTED_BATCH_UPDATE_2026_09 = (
    "2026-09 documents only 200. objectIds that cannot be updated are left out of results, with no "
    "errors/numErrors (the simulator's choice; the 2026-09 envelope lists both as optional)."
)


def _prefixed() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for version, prefix in PREFIXES.items():
        for suffix, methods in marketing_events().items():
            paths[prefix + suffix] = {
                method: _for_version(version, suffix, method, op) for method, op in methods.items()
            }
    return paths


@cache
def document() -> dict[str, Any]:
    from hsadmin.simulator.openapi_extra import EXTRA_PATHS, EXTRA_SCHEMAS

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "hsadmin HubSpot simulator",
            "version": "1.0.0",
            "description": "A local HubSpot: Marketing Events v3 (and the 2026-03/2026-09 prefixes), OAuth and a "
            "CRM subset. Written by the hsadmin project from its API reference; not HubSpot's document.",
        },
        "x-simulator-decisions": [{"question": q, "decision": d} for q, d in DECISIONS],
        "paths": {**_prefixed(), **EXTRA_PATHS},
        "components": {
            "schemas": {**SCHEMAS, **EXTRA_SCHEMAS},
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "oauth2": {
                    "type": "oauth2",
                    "flows": {
                        "authorizationCode": {
                            "authorizationUrl": "/oauth/authorize",
                            "tokenUrl": "/oauth/v1/token",
                            "scopes": {
                                READ: "read events",
                                WRITE: "write events",
                                "crm.lists.read": "read lists",
                                "crm.objects.contacts.read": "read contacts",
                                "oauth": "OAuth",
                                "developers-read": "read app settings (2026-03)",
                                "developers-write": "write app settings (2026-03)",
                            },
                        }
                    },
                },
                "developer_hapikey": {"type": "apiKey", "in": "query", "name": "hapikey"},
            },
        },
    }
