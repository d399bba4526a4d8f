"""A bounded schemathesis run against the live simulator, with its own OpenAPI document.

Every operation under ``/marketing/v3/marketing-events`` plus the CRM subset and OAuth token information gets
a handful of generated requests (valid and fuzzed), authenticated with a full-scope token; each answer must not
be a server error, must use a documented status and content type, and must match the documented schema.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
COVERED = (
    "/marketing/v3/marketing-events",
    "/crm/v3/",
    "/oauth/v1/access-tokens",
    "/oauth/v1/refresh-tokens",
)
EXAMPLES_PER_OPERATION = 4


def test_the_live_simulator_conforms_to_its_own_openapi_document_under_schemathesis(sim):
    schema = schemathesis.openapi.from_url(f"{sim.base_url}/_simulator/openapi.json")
    headers = {"Authorization": f"Bearer {sim.access_token()}"}
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith(COVERED):
            continue
        operations += 1

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],
        )
        @given(case=operation.as_strategy())
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(base_url=sim.base_url, headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as error:
            failures.append(f"{operation.label}: {str(error)[:600]}")
    assert operations == 44
    assert not failures, "\n\n".join(failures)
