"""Where HubSpot documents nothing, every plausible answer still gives each input its right outcome.

The simulator picks one behaviour for each open question (its OpenAPI document marks them); HubSpot may answer
otherwise. These scripted answers are the alternatives the simulator does not send.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from hsadmin.hubspot_client import (
    BearerAuth,
    EventUpdate,
    ExternalEventRef,
    HubSpotClient,
    InputStatus,
    ObjectIdUpdate,
    Subscriber,
    SubscriberState,
)
from hsadmin.hubspot_client.batch import MISSING_FROM_RESULTS

from .fakes import FakeHubSpot, error_body, reply

AT = datetime(2026, 5, 1, tzinfo=UTC)
ENVELOPE = {"status": "COMPLETE", "startedAt": "2026-05-01T00:00:00Z", "completedAt": "2026-05-01T00:00:01Z"}
UNKNOWN_CONTACT = {
    "status": "error",
    "category": "OBJECT_NOT_FOUND",
    "message": "Contact 2 does not exist.",
    "context": {"vids": ["2"]},
    "errors": [],
    "links": {},
}


def subs(*vids: int) -> list[Subscriber]:
    return [Subscriber(vid, AT) for vid in vids]


def statuses(outcome) -> dict[int, InputStatus]:
    return {item.input.vid: item.status for item in outcome.per_input()}


@pytest.mark.parametrize("status", [200, 207])
def test_a_partial_attendance_failure_reads_the_same_as_200_or_207(
    fake: FakeHubSpot, client: HubSpotClient, status: int
) -> None:
    body = {**ENVELOPE, "results": [{"vid": 1}, {"vid": 3}], "numErrors": 1, "errors": [UNKNOWN_CONTACT]}
    fake.then(reply(status, body))
    outcome = client.record_participation_by_contact_ids("501", SubscriberState.ATTEND, subs(1, 2, 3))
    assert statuses(outcome) == {1: InputStatus.OK, 2: InputStatus.FAILED, 3: InputStatus.OK}


def test_a_400_for_the_whole_batch_fails_the_named_rows_and_sends_the_others_again(
    fake: FakeHubSpot, client: HubSpotClient
) -> None:
    refused = error_body("VALIDATION_ERROR", "Contact 2 does not exist.", context={"vids": ["2"]})

    def accept(request: httpx.Request) -> httpx.Response:
        inputs = json.loads(request.content)["inputs"]
        return reply(200, {**ENVELOPE, "results": [{"vid": i["vid"]} for i in inputs]})

    fake.then(reply(400, refused), accept)
    outcome = client.record_participation_by_contact_ids("501", SubscriberState.ATTEND, subs(1, 2, 3))
    assert [[i["vid"] for i in fake.body(n)["inputs"]] for n in range(2)] == [[1, 2, 3], [1, 3]]
    assert statuses(outcome) == {1: InputStatus.OK, 2: InputStatus.FAILED, 3: InputStatus.OK}
    failed = next(item for item in outcome.per_input() if item.input.vid == 2)
    assert failed.error is not None and "does not exist" in failed.error.message


def test_a_400_for_the_whole_batch_that_names_no_row_fails_every_row_once(
    fake: FakeHubSpot, client: HubSpotClient
) -> None:
    fake.then(reply(400, error_body("VALIDATION_ERROR", "Invalid input")))
    outcome = client.record_participation_by_contact_ids("501", SubscriberState.ATTEND, subs(1, 2))
    assert len(fake.requests) == 1
    assert set(statuses(outcome).values()) == {InputStatus.FAILED}


def test_a_200_that_leaves_a_row_out_of_its_results_fails_that_row(
    fake: FakeHubSpot, client: HubSpotClient
) -> None:
    fake.then(reply(200, {**ENVELOPE, "results": [{"vid": 1}]}))
    outcome = client.record_participation_by_contact_ids("501", SubscriberState.ATTEND, subs(1, 2))
    assert statuses(outcome) == {1: InputStatus.OK, 2: InputStatus.FAILED}


def test_a_2026_09_batch_update_answering_200_without_errors_fails_the_events_it_left_out(
    fake: FakeHubSpot, make_client
) -> None:
    client = make_client(api_version="2026-09")
    updated = {
        "objectId": "11",
        "eventName": "A",
        "createdAt": "2026-01-01T00:00:00Z",
        "customProperties": [],
    }
    fake.then(reply(200, {**ENVELOPE, "results": [updated]}))
    updates = [ObjectIdUpdate(i, EventUpdate(event_cancelled=True)) for i in ("11", "12")]
    outcome = client.update_events(updates)
    assert fake.last.url.path == "/marketing/marketing-events/2026-09/batch/update"
    result = {item.input.object_id: item for item in outcome.per_input()}
    assert result["11"].status is InputStatus.OK
    assert result["12"].status is InputStatus.FAILED and result["12"].error.category == MISSING_FROM_RESULTS


@pytest.mark.parametrize(
    "answer",
    [reply(204), reply(200, {**ENVELOPE, "results": []}), reply(200, {})],
    ids=["204", "200 with an envelope", "200 with an empty object"],
)
def test_events_delete_accepts_any_success_answer(
    fake: FakeHubSpot, client: HubSpotClient, answer: httpx.Response
) -> None:
    fake.then(answer)
    outcome = client.delete_events_by_external_id([ExternalEventRef(3001, "acct", "ev-1")])
    assert {item.status for item in outcome.per_input()} == {InputStatus.OK}


def test_2026_03_settings_use_the_oauth_token_and_not_the_developer_key(
    fake: FakeHubSpot, make_client
) -> None:
    client = make_client(
        api_version="2026-03", auth=BearerAuth("tok"), developer_api_key="dev-key", app_id=77
    )
    fake.then(reply(200, {"appId": 77, "eventDetailsUrl": "https://x/%s"}))
    client.get_event_settings()
    assert fake.last.url.path == "/marketing/marketing-events/2026-03/77/settings"
    assert fake.last.headers["authorization"] == "Bearer tok" and "hapikey" not in fake.last.url.params


@pytest.mark.parametrize("version", ["v3", "2026-09"])
def test_v3_and_2026_09_settings_use_the_developer_key(fake: FakeHubSpot, make_client, version: str) -> None:
    client = make_client(api_version=version, auth=BearerAuth("tok"), developer_api_key="dev-key", app_id=77)
    fake.then(reply(200, {"appId": 77, "eventDetailsUrl": "https://x/%s"}))
    client.get_event_settings()
    assert fake.last.url.params["hapikey"] == "dev-key" and "authorization" not in fake.last.headers
