"""The retry policy (design §5), with a fake sleep: nothing here really waits."""

from __future__ import annotations

import httpx
import pytest

from hsadmin.hubspot_client import (
    EmailSubscriber,
    EventCreate,
    HubSpotClient,
    HubSpotTimeoutError,
    NotFoundError,
    RateLimitedError,
    RetryPolicy,
    ServerError,
    Subscriber,
    SubscriberState,
    TransportError,
    ValidationError,
)
from hsadmin.hubspot_client.times import from_epoch_ms

from .fakes import FakeHubSpot, FakeSleep, error_body, reply

EVENT = {"objectId": "501", "eventName": "x"}
TEN_SECONDLY = {
    "status": "error",
    "message": "You have reached your ten_secondly_rolling limit.",
    "errorType": "RATE_LIMIT",
    "correlationId": "c",
    "policyName": "TEN_SECONDLY_ROLLING",
}
NEW = EventCreate("acct", "ev-1", "Name", "Org")


def test_it_waits_for_the_rate_limit_window_after_a_429(fake: FakeHubSpot, sleeps: FakeSleep, client) -> None:
    fake.then(
        reply(
            429,
            TEN_SECONDLY,
            headers={
                "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
                "X-HubSpot-RateLimit-Max": "100",
                "X-HubSpot-RateLimit-Remaining": "0",
            },
        ),
        reply(200, EVENT),
    )
    assert client.get_event("501").object_id == "501"
    assert sleeps.calls == [10.0]
    assert len(fake.requests) == 2


def test_it_waits_for_retry_after_when_hubspot_sends_one(
    fake: FakeHubSpot, sleeps: FakeSleep, client
) -> None:
    fake.then(reply(429, TEN_SECONDLY, headers={"Retry-After": "2"}), reply(200, EVENT))
    client.get_event("501")
    assert sleeps.calls == [2.0]


def test_a_secondly_429_waits_one_second(fake: FakeHubSpot, sleeps: FakeSleep, client) -> None:
    secondly = {**TEN_SECONDLY, "policyName": "SECONDLY", "message": "You have reached your secondly limit."}
    fake.then(reply(429, secondly), reply(200, {"total": 0, "results": []}))
    client.search_contacts_page(query="x")
    assert sleeps.calls == [1.0]


def test_a_daily_429_is_not_retried(fake: FakeHubSpot, sleeps: FakeSleep, client) -> None:
    fake.then(reply(429, {**TEN_SECONDLY, "policyName": "DAILY"}), reply(200, EVENT))
    with pytest.raises(RateLimitedError):
        client.get_event("501")
    assert sleeps.calls == [] and len(fake.requests) == 1


def test_even_a_plain_create_is_retried_after_a_429_because_nothing_was_applied(
    fake: FakeHubSpot, sleeps: FakeSleep, client
) -> None:
    fake.then(reply(429, TEN_SECONDLY, headers={"Retry-After": "1"}), reply(200, EVENT))
    assert client.create_event(NEW).object_id == "501"
    assert len(fake.requests) == 2


@pytest.mark.parametrize("status", [500, 502, 503, 504, 423])
def test_server_errors_and_locks_back_off_with_growing_jitter_then_succeed(
    fake: FakeHubSpot, sleeps: FakeSleep, client, status
) -> None:
    fake.then(
        reply(status, error_body("X")),
        reply(status, error_body("X")),
        reply(status, error_body("X")),
        reply(200, EVENT),
    )
    assert client.get_event("501").object_id == "501"
    # full jitter with random() == 1.0: the ceilings 0.25, 0.5, 1.0
    assert sleeps.calls == [0.25, 0.5, 1.0]


def test_full_jitter_draws_below_the_ceiling() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0, random=lambda: 0.5)
    assert [policy.backoff(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 4.0, 4.0]


def test_it_gives_up_after_the_attempt_cap_with_the_typed_error(
    fake: FakeHubSpot, sleeps: FakeSleep, make_client
) -> None:
    client = make_client(retry=RetryPolicy(max_attempts=3, random=lambda: 0.0))
    fake.default = reply(503, error_body("DOWN", "down"))
    with pytest.raises(ServerError) as caught:
        client.get_event("501")
    assert len(fake.requests) == 3
    assert caught.value.attempts == 3
    assert len(sleeps.calls) == 2


@pytest.mark.parametrize(
    "exc", [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("dropped"), httpx.ConnectError("refused")]
)
def test_timeouts_and_dropped_connections_are_retried_for_safe_operations(
    fake: FakeHubSpot, sleeps: FakeSleep, client, exc
) -> None:
    fake.then(exc, reply(200, EVENT))
    assert client.get_event("501").object_id == "501"
    assert len(fake.requests) == 2 and len(sleeps.calls) == 1


def test_a_create_is_not_retried_after_a_timeout_because_it_may_have_been_applied(
    fake: FakeHubSpot, client
) -> None:
    fake.then(httpx.ReadTimeout("slow"), reply(200, EVENT))
    with pytest.raises(HubSpotTimeoutError):
        client.create_event(NEW)
    assert len(fake.requests) == 1


def test_a_create_is_retried_when_the_connection_was_never_made(fake: FakeHubSpot, client) -> None:
    fake.then(httpx.ConnectError("refused"), reply(200, EVENT))
    assert client.create_event(NEW).object_id == "501"
    assert len(fake.requests) == 2


def test_upserts_and_attendance_writes_are_retried_after_server_errors(fake: FakeHubSpot, client) -> None:
    envelope = {
        "status": "COMPLETE",
        "results": [{"vid": 1}],
        "startedAt": "2026-01-01T00:00:00Z",
        "completedAt": "2026-01-01T00:00:00Z",
    }
    fake.then(
        reply(500),
        reply(200, {**EVENT, "id": "501"}),
        httpx.ReadTimeout("t"),
        reply(200, envelope),
        reply(502),
        reply(200, {**envelope, "results": [{"vid": 1, "email": "a@x"}]}),
    )
    assert client.upsert_event(NEW).id == "501"
    at = from_epoch_ms(1_700_000_000_000)
    outcome = client.record_participation_by_contact_ids("501", SubscriberState.ATTEND, [Subscriber(1, at)])
    assert outcome.ok
    # the replayed attendance carries the very same interactionDateTime (what makes the replay idempotent)
    assert fake.body(2) == fake.body(3)
    outcome = client.record_participation_by_emails(
        "501", SubscriberState.ATTEND, [EmailSubscriber("a@x", at)]
    )
    assert outcome.ok
    assert len(fake.requests) == 6


@pytest.mark.parametrize("status", [400, 403, 404, 409])
def test_other_client_errors_are_never_retried(fake: FakeHubSpot, sleeps: FakeSleep, client, status) -> None:
    fake.default = reply(status, error_body("NOPE"))
    with pytest.raises((ValidationError, NotFoundError, Exception)):
        client.get_event("501")
    assert len(fake.requests) == 1 and sleeps.calls == []


def test_a_delete_that_meets_404_after_an_ambiguous_failure_counts_as_done(fake: FakeHubSpot, client) -> None:
    fake.then(httpx.ReadTimeout("slow"), reply(404, error_body("OBJECT_NOT_FOUND")))
    client.delete_event("501")  # the first attempt deleted it; the replay finds it gone
    assert len(fake.requests) == 2


def test_a_delete_of_a_missing_event_is_still_not_found_on_a_first_attempt(fake: FakeHubSpot, client) -> None:
    fake.then(reply(404, error_body("OBJECT_NOT_FOUND")))
    with pytest.raises(NotFoundError):
        client.delete_event("501")


def test_a_wait_longer_than_the_cap_raises_instead_of_sleeping(
    fake: FakeHubSpot, sleeps: FakeSleep, make_client
) -> None:
    client = make_client(retry=RetryPolicy(max_rate_limit_wait=5.0))
    fake.then(reply(429, TEN_SECONDLY, headers={"Retry-After": "30"}), reply(200, EVENT))
    with pytest.raises(RateLimitedError):
        client.get_event("501")
    assert sleeps.calls == []


def test_an_interactive_deadline_stops_retries_that_would_end_too_late(
    fake: FakeHubSpot, sleeps: FakeSleep, make_client
) -> None:
    client = make_client(retry=RetryPolicy(deadline=5.0), clock=lambda: 0.0)
    fake.then(reply(429, TEN_SECONDLY), reply(200, EVENT))  # a 10 s window does not fit a 5 s budget
    with pytest.raises(RateLimitedError):
        client.get_event("501")
    assert sleeps.calls == []


def test_with_options_changes_the_policy_for_one_view_only(fake: FakeHubSpot, client: HubSpotClient) -> None:
    strict = client.with_options(retry=RetryPolicy(max_attempts=1))
    fake.then(reply(503), reply(503), reply(200, EVENT))
    with pytest.raises(ServerError):
        strict.get_event("501")
    assert client.get_event("501").object_id == "501"
    assert strict.http is client.http


def test_transport_error_after_retries_keeps_the_attempt_count(fake: FakeHubSpot, make_client) -> None:
    client = make_client(retry=RetryPolicy(max_attempts=2, random=lambda: 0.0))
    fake.default = httpx.ConnectError("refused")
    fake.then(httpx.ConnectError("refused"))
    with pytest.raises(TransportError) as caught:
        client.get_event("501")
    assert caught.value.attempts == 2


def test_with_options_can_shorten_the_timeout_for_one_view(fake: FakeHubSpot, client: HubSpotClient) -> None:
    seen: list[dict] = []

    def capture(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return reply(200, EVENT)

    fake.then(capture, capture)
    client.with_options(timeout=httpx.Timeout(4.0)).get_event("1")
    client.get_event("1")
    assert seen[0] == {"connect": 4.0, "read": 4.0, "write": 4.0, "pool": 4.0}
    assert seen[1]["read"] == 30.0 and seen[1]["connect"] == 5.0
