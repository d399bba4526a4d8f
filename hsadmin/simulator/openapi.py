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
    ("Success status of events/delete, {state}/upsert and {state}/email-upsert", "204 with no body."),
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
    ("Duplicate POST /events for the same app and external ids", "409 CONFLICT; PUT is the upsert."),
    ("Unknown contact in the contact breakdown", "200 with total 0."),
    ("Access-token information for an unknown or expired token", "404."),
    ("token/revoke success", "200 with an empty body (RFC 7009), also for unknown tokens."),
    ("Attendance create partial failure", "207 with errors and numErrors; failed inputs are not applied."),
    ("Settings with a key that does not own appId", "403 FORBIDDEN."),
]


def _prefixed() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for version, prefix in PREFIXES.items():
        for suffix, methods in marketing_events().items():
            copy = {}
            for method, op in methods.items():
                op = dict(op)
                op["operationId"] = f"{op['operationId']}{'_' + version.replace('-', '_') if version else ''}"
                op["tags"] = [f"Marketing Events {version or 'v3'}"]
                copy[method] = op
            paths[prefix + suffix] = copy
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
                            },
                        }
                    },
                },
                "developer_hapikey": {"type": "apiKey", "in": "query", "name": "hapikey"},
            },
        },
    }
