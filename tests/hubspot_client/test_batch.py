"""Chunking and per-input outcomes of batches: no failure is raised away or lost."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from hsadmin.hubspot_client import (
    HubSpotClient,
    InputStatus,
    RetryPolicy,
    Subscriber,
    SubscriberState,
)
from hsadmin.hubspot_client.batch import chunked

from .fakes import FakeHubSpot, error_body, reply

AT = datetime(2026, 5, 1, tzinfo=UTC)


def ok_for(request: httpx.Request) -> httpx.Response:
    import json

    inputs = json.loads(request.content)["inputs"]
    return reply(
        200,
        {
            "status": "COMPLETE",
            "results": [{"vid": i["vid"]} for i in inputs],
            "startedAt": "2026-05-01T00:00:00Z",
            "completedAt": "2026-05-01T00:00:00Z",
        },
    )


def subs(n: int) -> list[Subscriber]:
    return [Subscriber(i, AT) for i in range(1, n + 1)]


def test_inputs_are_sent_in_chunks_of_one_hundred_by_default(
    fake: FakeHubSpot, client: HubSpotClient
) -> None:
    fake.default = ok_for
    outcome = client.record_participation_by_contact_ids("501", SubscriberState.REGISTER, subs(250))
    assert [len(fake.body(n)["inputs"]) for n in range(3)] == [100, 100, 50]
    assert len(outcome.results) == 250 and outcome.ok


def test_the_chunk_size_is_configurable_per_client_and_per_call(fake: FakeHubSpot, make_client) -> None:
    fake.default = ok_for
    client = make_client(batch_size=40)
    client.record_participation_by_contact_ids("501", SubscriberState.REGISTER, subs(90))
    assert [len(fake.body(n)["inputs"]) for n in range(3)] == [40, 40, 10]
    client.record_participation_by_contact_ids("501", SubscriberState.REGISTER, subs(90), batch_size=90)
    assert len(fake.body()["inputs"]) == 90


def test_chunks_are_cut_lazily_so_a_huge_input_stays_in_constant_memory(fake: FakeHubSpot, client) -> None:
    pulled = 0

    def generate():
        nonlocal pulled
        for sub in subs(300):
            pulled += 1
            yield sub

    seen: list[int] = []
    fake.default = ok_for
    client.record_participation_by_contact_ids(
        "501", SubscriberState.ATTEND, generate(), on_chunk=lambda chunk: seen.append(pulled)
    )
    assert seen == [100, 200, 300]  # each chunk was sent before the next was read
    assert list(chunked(iter(range(5)), 2)) == [[0, 1], [2, 3], [4]]


def test_an_invalid_chunk_fails_alone_and_the_others_still_go(
    fake: FakeHubSpot, client: HubSpotClient
) -> None:
    fake.then(ok_for, reply(400, error_body("VALIDATION_ERROR", "bad input")), ok_for)
    outcome = client.record_participation_by_contact_ids("501", SubscriberState.ATTEND, subs(250))
    assert len(fake.requests) == 3
    assert [c.error is None for c in outcome.chunks] == [True, False, True]
    statuses = [o.status for o in outcome.per_input()]
    assert statuses.count(InputStatus.OK) == 150 and statuses.count(InputStatus.FAILED) == 100
    assert outcome.chunks[1].error.message == "bad input"


def test_a_server_failure_marks_its_chunk_unknown_and_later_ones_unsent(
    fake: FakeHubSpot, make_client
) -> None:
    client = make_client(retry=RetryPolicy(max_attempts=2, random=lambda: 0.0))
    fake.then(ok_for, reply(503), reply(503))
    outcome = client.record_participation_by_contact_ids("501", SubscriberState.ATTEND, subs(250))
    assert len(fake.requests) == 3
    assert [c.sent for c in outcome.chunks] == [True, True, False]
    per_input = outcome.per_input()
    assert {o.status for o in per_input[:100]} == {InputStatus.OK}
    assert {o.status for o in per_input[100:200]} == {InputStatus.UNKNOWN}
    assert {o.status for o in per_input[200:]} == {InputStatus.NOT_SENT}
    assert len(outcome.failed_inputs()) == 150


def test_errors_that_name_no_input_make_the_chunks_successes_unknown(fake: FakeHubSpot, client) -> None:
    fake.then(
        reply(
            207,
            {
                "status": "COMPLETE",
                "results": [],
                "numErrors": 1,
                "errors": [{"status": "error", "category": "X", "message": "?", "context": {}}],
                "startedAt": "2026-05-01T00:00:00Z",
                "completedAt": "2026-05-01T00:00:00Z",
            },
        )
    )
    outcome = client.record_participation_by_contact_ids("501", SubscriberState.ATTEND, subs(2))
    assert {o.status for o in outcome.per_input()} == {InputStatus.UNKNOWN}
    assert outcome.num_errors == 1 and not outcome.ok


def test_an_empty_input_sends_nothing(fake: FakeHubSpot, client: HubSpotClient) -> None:
    outcome = client.record_participation_by_contact_ids("501", SubscriberState.ATTEND, [])
    assert fake.requests == [] and outcome.ok and outcome.results == []


def test_a_replayed_batch_delete_counts_not_found_inputs_as_already_deleted(
    fake: FakeHubSpot, client
) -> None:
    gone = {
        "status": "error",
        "category": "OBJECT_NOT_FOUND",
        "message": "not found",
        "context": {"ids": ["1"]},
    }
    envelope = {
        "status": "COMPLETE",
        "results": [],
        "errors": [gone],
        "numErrors": 1,
        "startedAt": "2026-05-01T00:00:00Z",
        "completedAt": "2026-05-01T00:00:00Z",
    }
    fake.then(httpx.ReadTimeout("the first attempt deleted 1, but its answer was lost"), reply(207, envelope))
    outcome = client.delete_events(["1", "2"])
    assert outcome.ok and outcome.chunks[0].result.replayed
    assert {o.status for o in outcome.per_input()} == {InputStatus.OK}


def test_a_first_attempt_batch_delete_still_reports_unknown_ids(fake: FakeHubSpot, client) -> None:
    gone = {
        "status": "error",
        "category": "OBJECT_NOT_FOUND",
        "message": "not found",
        "context": {"ids": ["1"]},
    }
    fake.then(
        reply(
            207,
            {
                "status": "COMPLETE",
                "results": [],
                "errors": [gone],
                "numErrors": 1,
                "startedAt": "2026-05-01T00:00:00Z",
                "completedAt": "2026-05-01T00:00:00Z",
            },
        )
    )
    outcome = client.delete_events(["1", "2"])
    assert [o.status for o in outcome.per_input()] == [InputStatus.FAILED, InputStatus.OK]
