"""The limiter protocol, its in-process sliding window, priority, and how the client feeds it."""

from __future__ import annotations

import threading
import time

import pytest

from hsadmin.hubspot_client import (
    InProcessLimiter,
    NullLimiter,
    Priority,
    RateLimiter,
    RateLimitInfo,
)

from .fakes import FakeHubSpot, reply


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class RecordingLimiter:
    def __init__(self) -> None:
        self.acquired: list[tuple[str, Priority]] = []
        self.observed: list[tuple[str, RateLimitInfo]] = []

    def acquire(self, key: str, priority: Priority) -> None:
        self.acquired.append((key, priority))

    def observe(self, key: str, info: RateLimitInfo) -> None:
        self.observed.append((key, info))


def test_both_limiters_satisfy_the_protocol() -> None:
    assert isinstance(InProcessLimiter(), RateLimiter)
    assert isinstance(NullLimiter(), RateLimiter)
    assert isinstance(RecordingLimiter(), RateLimiter)


def test_the_window_grants_up_to_its_size_then_says_when_the_oldest_slot_frees() -> None:
    clock = Clock()
    limiter = InProcessLimiter(max_requests=3, interval=10.0, margin=0, clock=clock)
    assert [limiter.try_acquire("p") for _ in range(3)] == [0.0, 0.0, 0.0]
    for _ in range(3):
        limiter.observe("p", RateLimitInfo())  # the three answers arrive
    clock.now += 4
    assert limiter.try_acquire("p") == pytest.approx(6.0)
    clock.now += 6
    assert limiter.try_acquire("p") == 0.0


def test_a_request_counts_from_its_send_until_one_window_after_its_answer() -> None:
    clock = Clock()
    limiter = InProcessLimiter(max_requests=1, interval=10.0, margin=0, clock=clock)
    assert limiter.try_acquire("p") == 0.0
    clock.now += 20  # no answer yet: still counted (HubSpot may only now be counting it)
    assert limiter.try_acquire("p") == pytest.approx(0.05)
    limiter.observe("p", RateLimitInfo())
    clock.now += 9.5
    assert limiter.try_acquire("p") == pytest.approx(0.5)
    clock.now += 0.5
    assert limiter.try_acquire("p") == 0.0


def test_an_attempt_whose_answer_is_never_reported_stops_counting_eventually() -> None:
    clock = Clock()
    limiter = InProcessLimiter(max_requests=1, interval=10.0, margin=0, clock=clock)
    limiter.try_acquire("p")
    clock.now += 30.001
    assert limiter.try_acquire("p") == 0.0


def test_windows_are_per_portal() -> None:
    limiter = InProcessLimiter(max_requests=1, margin=0, clock=Clock())
    assert limiter.try_acquire("portal:1") == 0.0
    assert limiter.try_acquire("portal:2") == 0.0
    assert limiter.try_acquire("portal:1") > 0


def test_bulk_work_leaves_room_for_people() -> None:
    limiter = InProcessLimiter(max_requests=10, margin=0, bulk_share=0.5, clock=Clock())
    granted_bulk = sum(limiter.try_acquire("p", Priority.BULK) == 0.0 for _ in range(10))
    assert granted_bulk == 5
    granted_people = sum(limiter.try_acquire("p", Priority.INTERACTIVE) == 0.0 for _ in range(10))
    assert granted_people == 5


def test_a_waiting_person_goes_ahead_of_a_waiting_job() -> None:
    limiter = InProcessLimiter(max_requests=2, interval=0.3, margin=0, bulk_share=1.0)
    for _ in range(2):
        limiter.acquire("p")
        limiter.observe("p", RateLimitInfo())  # the window is full for 0.3 s
    order: list[str] = []

    def job() -> None:
        limiter.acquire("p", Priority.BULK)
        order.append("bulk")

    def person() -> None:
        limiter.acquire("p", Priority.INTERACTIVE)
        order.append("interactive")

    bulk_thread = threading.Thread(target=job)
    bulk_thread.start()
    time.sleep(0.05)  # the job is already waiting when the person arrives
    person_thread = threading.Thread(target=person)
    person_thread.start()
    bulk_thread.join(2)
    person_thread.join(2)
    assert order == ["interactive", "bulk"]


def test_it_learns_the_real_limit_and_window_from_the_headers() -> None:
    limiter = InProcessLimiter(max_requests=100, interval=10.0, margin=0, clock=Clock())
    headers = {
        "X-HubSpot-RateLimit-Max": "190",
        "X-HubSpot-RateLimit-Remaining": "189",
        "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
    }
    limiter.try_acquire("p")
    limiter.observe("p", RateLimitInfo.from_headers(headers))
    assert limiter.snapshot("p") == (1, 190, 10.0)


def test_requests_spent_elsewhere_on_the_same_portal_are_counted() -> None:
    limiter = InProcessLimiter(max_requests=10, margin=0, clock=Clock())
    limiter.try_acquire("p")
    limiter.observe("p", RateLimitInfo(max=10, remaining=2, interval_ms=10_000))  # 8 used, 1 by us
    assert limiter.snapshot("p")[0] == 8
    assert [limiter.try_acquire("p") for _ in range(3)][:2] == [0.0, 0.0]
    assert limiter.try_acquire("p") > 0


def test_a_429_stops_everyone_on_that_portal_until_the_window_passes() -> None:
    clock = Clock()
    limiter = InProcessLimiter(margin=0, clock=clock)
    limiter.observe("p", RateLimitInfo(rate_limited=True, retry_after=None, interval_ms=10_000))
    assert limiter.try_acquire("p") == pytest.approx(10.0)
    clock.now += 10
    assert limiter.try_acquire("p") == 0.0
    limiter.observe("p", RateLimitInfo(rate_limited=True, retry_after=2.5))
    assert limiter.try_acquire("p") == pytest.approx(2.5)


def test_the_older_secondly_headers_are_understood() -> None:
    info = RateLimitInfo.from_headers(
        {
            "X-HubSpot-RateLimit-Secondly": "10",
            "X-HubSpot-RateLimit-Secondly-Remaining": "4",
            "X-HubSpot-RateLimit-Daily": "250000",
            "X-HubSpot-RateLimit-Daily-Remaining": "1000",
        }
    )
    assert (info.max, info.remaining, info.interval_ms, info.daily, info.daily_remaining) == (
        10,
        4,
        1000,
        250000,
        1000,
    )


def test_the_client_takes_a_slot_per_attempt_and_reports_the_headers(fake: FakeHubSpot, make_client) -> None:
    limiter = RecordingLimiter()
    client = make_client(limiter=limiter, portal_key="portal:62515")
    headers = {
        "X-HubSpot-RateLimit-Max": "100",
        "X-HubSpot-RateLimit-Remaining": "42",
        "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
    }
    fake.then(reply(503), reply(200, {"objectId": "1"}, headers=headers))
    client.with_options(priority=Priority.BULK).get_event("1")
    assert limiter.acquired == [("portal:62515", Priority.BULK)] * 2
    assert limiter.observed[-1] == ("portal:62515", RateLimitInfo(max=100, remaining=42, interval_ms=10_000))


def test_the_client_tells_the_limiter_about_a_429(fake: FakeHubSpot, make_client) -> None:
    limiter = RecordingLimiter()
    client = make_client(limiter=limiter, portal_key="portal:1")
    fake.then(
        reply(429, {"policyName": "TEN_SECONDLY_ROLLING", "message": "limit"}, headers={"Retry-After": "1"}),
        reply(200, {"objectId": "1"}),
    )
    client.get_event("1")
    key, info = limiter.observed[0]
    assert key == "portal:1" and info.rate_limited and info.retry_after == 1.0
    assert info.policy_name == "TEN_SECONDLY_ROLLING"


def test_a_bulk_share_outside_the_unit_interval_is_refused() -> None:
    with pytest.raises(ValueError):
        InProcessLimiter(bulk_share=0)


def test_the_limiter_hears_about_every_attempt_even_one_without_an_answer(
    fake: FakeHubSpot, make_client
) -> None:
    import httpx

    limiter = RecordingLimiter()
    client = make_client(limiter=limiter, portal_key="portal:1")
    fake.then(httpx.ReadTimeout("slow"), reply(200, {"objectId": "1"}))
    client.get_event("1")
    assert len(limiter.acquired) == 2
    assert [info.empty for _, info in limiter.observed] == [True, True]  # no rate-limit headers in either
    assert limiter.observed[0][1] == RateLimitInfo()
