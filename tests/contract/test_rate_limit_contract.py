"""The in-process limiter against the simulator's real sliding window: a burst is paced, not refused."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from hsadmin.hubspot_client import InProcessLimiter, NullLimiter, RetryPolicy

pytestmark = [pytest.mark.slow, pytest.mark.parametrize("api_version", ["v3"])]


def test_a_burst_is_paced_under_the_portals_limit_learned_from_the_headers(live, make_client) -> None:
    live.control.set_rate_limit(max=20, interval_ms=1000, enabled=True)
    try:
        limiter = InProcessLimiter()  # starts at 100 / 10 s and learns 20 / 1 s from the first answers
        client = make_client(limiter=limiter, retry=RetryPolicy(max_attempts=1))
        live.control.reset_stats()
        started = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            names = list(pool.map(lambda _: client.search_lists(count=1).total, range(60)))
        elapsed = time.monotonic() - started
        stats = live.control.stats()
    finally:
        live.control.set_rate_limit(enabled=False)
    assert len(names) == 60  # no call failed: with max_attempts=1 a 429 would have raised
    assert stats["by_status"].get("429", 0) == 0
    assert limiter.snapshot(f"portal:{live.hub_id}")[1:] == (20, 1.0)
    assert elapsed >= 1.5  # 60 calls at 19 per second need about three windows


def test_without_a_limiter_the_same_burst_meets_429s_that_the_retry_policy_absorbs(live, make_client) -> None:
    live.control.set_rate_limit(max=20, interval_ms=1000, enabled=True)
    try:
        client = make_client(limiter=NullLimiter())
        live.control.reset_stats()
        with ThreadPoolExecutor(8) as pool:
            totals = list(pool.map(lambda _: client.search_lists(count=1).total, range(60)))
        stats = live.control.stats()
    finally:
        live.control.set_rate_limit(enabled=False)
    assert len(totals) == 60
    assert stats["by_status"].get("429", 0) > 0
