"""The shared HubSpot rate limiter: database by default, Redis when REDIS_URL is set (the scaled-out run)."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.conf import settings

from hsadmin.core.ratelimit import DatabaseLimiter, RedisLimiter
from hsadmin.hubspot_client import Priority, RateLimitInfo


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def _limiters(clock: Clock) -> list[DatabaseLimiter]:
    from django.db import connection

    found: list[DatabaseLimiter] = []
    # SQLite's in-memory test database cannot take concurrent writers; a file database can (WAL), and the
    # multi-process refresh test covers it. PostgreSQL runs this in the scaled-out run.
    if connection.vendor != "sqlite":
        found.append(DatabaseLimiter(max_requests=10, interval=10, bulk_share=0.8, margin=0.0, clock=clock))
    if settings.REDIS_URL:
        found.append(
            RedisLimiter(
                settings.REDIS_URL, max_requests=10, interval=10, bulk_share=0.8, margin=0.0, clock=clock
            )
        )
    return found


@pytest.fixture(params=["database", "redis"])
def limiter(request: pytest.FixtureRequest, db: None) -> tuple[DatabaseLimiter, Clock]:
    clock = Clock()
    if request.param == "redis":
        if not settings.REDIS_URL:
            pytest.skip("runs in the scaled-out test run (REDIS_URL set by scripts/with-services)")
        return RedisLimiter(
            settings.REDIS_URL, max_requests=10, interval=10, bulk_share=0.8, margin=0.0, clock=clock
        ), clock
    return DatabaseLimiter(max_requests=10, interval=10, bulk_share=0.8, margin=0.0, clock=clock), clock


def test_while_people_are_about_bulk_uses_only_its_share_and_they_the_whole_window(limiter: tuple) -> None:
    rl, clock = limiter
    key = f"portal:{uuid.uuid4().hex}"
    assert rl.try_acquire(key, Priority.INTERACTIVE) == 0.0  # a person is browsing
    assert [rl.try_acquire(key, Priority.BULK) for _ in range(8)] == [0.0] * 8
    assert rl.try_acquire(key, Priority.BULK) > 0  # bulk stops at 80 %
    assert rl.try_acquire(key, Priority.INTERACTIVE) == 0.0  # people still get through
    wait = rl.try_acquire(key, Priority.INTERACTIVE)
    assert 0 < wait <= 10
    clock.now += 10.001  # the window slides on
    assert rl.try_acquire(key, Priority.BULK) == 0.0


def test_people_use_their_reserve_first_so_browsing_does_not_slow_a_job(limiter: tuple) -> None:
    rl, clock = limiter
    key = f"portal:{uuid.uuid4().hex}"
    assert rl.try_acquire(key, Priority.INTERACTIVE) == 0.0  # a person's call, before the job starts
    assert rl.try_acquire(key, Priority.INTERACTIVE) == 0.0
    clock.now += 1
    assert [rl.try_acquire(key, Priority.BULK) for _ in range(8)] == [0.0] * 8  # the job's whole share
    bulk_wait = rl.try_acquire(key, Priority.BULK)
    assert bulk_wait == pytest.approx(10.0)  # until its own first slot ages out, not the person's
    assert rl.try_acquire(key, Priority.INTERACTIVE) > 0  # the window (10) is full now
    clock.now += 9.001  # the person's two slots age out: room for people, none yet for the job
    assert rl.try_acquire(key, Priority.BULK) > 0
    assert rl.try_acquire(key, Priority.INTERACTIVE) == 0.0


def test_a_job_borrows_the_peoples_reserve_while_nobody_is_about(limiter: tuple) -> None:
    rl, _clock = limiter
    key = f"portal:{uuid.uuid4().hex}"
    assert [rl.try_acquire(key, Priority.BULK) for _ in range(10)] == [0.0] * 10  # the whole window
    assert rl.try_acquire(key, Priority.BULK) == pytest.approx(10.0)


def test_a_persons_request_takes_the_lent_reserve_back_at_once(limiter: tuple) -> None:
    rl, clock = limiter
    key = f"portal:{uuid.uuid4().hex}"
    for _ in range(10):  # the job fills the window, one call every 0.1 s
        assert rl.try_acquire(key, Priority.BULK) == 0.0
        clock.now += 0.1
    assert rl.try_acquire(key, Priority.INTERACTIVE) == pytest.approx(9.0)  # the person's demand is noted
    clock.now += 9.001  # the job's first call ages out
    assert rl.try_acquire(key, Priority.BULK) > 0  # the job is back to its share: that slot is not for it
    assert rl.try_acquire(key, Priority.INTERACTIVE) == 0.0  # it is the person's


def test_the_reserve_is_lent_again_only_after_two_windows_without_a_person(limiter: tuple) -> None:
    rl, clock = limiter
    key = f"portal:{uuid.uuid4().hex}"
    assert rl.try_acquire(key, Priority.INTERACTIVE) == 0.0
    clock.now += 10.001  # one quiet window: the person may be reading the page
    assert [rl.try_acquire(key, Priority.BULK) for _ in range(8)] == [0.0] * 8
    assert rl.try_acquire(key, Priority.BULK) > 0
    clock.now += 10.0  # two quiet windows: nobody is about
    assert [rl.try_acquire(key, Priority.BULK) for _ in range(10)] == [0.0] * 10


def test_a_full_window_frees_a_margin_later_for_the_jitter_before_hubspot_counts(limiter: tuple) -> None:
    rl, clock = limiter
    rl.margin = 0.5
    key = f"portal:{uuid.uuid4().hex}"
    assert [rl.try_acquire(key, Priority.INTERACTIVE) for _ in range(10)] == [0.0] * 10
    assert rl.try_acquire(key, Priority.INTERACTIVE) == pytest.approx(10.5)
    clock.now += 10.2  # HubSpot's window has moved on, but a request sent now might still arrive inside it
    assert rl.try_acquire(key, Priority.INTERACTIVE) == pytest.approx(0.3)
    clock.now += 0.301
    assert rl.try_acquire(key, Priority.INTERACTIVE) == 0.0


def test_after_a_429_every_caller_waits_for_the_window_hubspot_named(limiter: tuple) -> None:
    rl, clock = limiter
    key = f"portal:{uuid.uuid4().hex}"
    rl.observe(key, RateLimitInfo(max=100, remaining=0, interval_ms=2000, rate_limited=True))
    assert rl.try_acquire(key, Priority.INTERACTIVE) == pytest.approx(2.0)
    clock.now += 2.01
    assert rl.try_acquire(key, Priority.INTERACTIVE) == 0.0


def test_keys_are_separate_budgets(limiter: tuple) -> None:
    rl, _clock = limiter
    a, b = f"portal:{uuid.uuid4().hex}", f"portal:{uuid.uuid4().hex}"
    for _ in range(10):
        rl.try_acquire(a)
    assert rl.try_acquire(a) > 0
    assert rl.try_acquire(b) == 0.0


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_never_exceed_the_window() -> None:
    """Eight threads race for one budget: exactly `max` of them get a slot in the window."""
    clock = Clock()
    limiters = _limiters(clock)
    if not limiters:
        pytest.skip("needs PostgreSQL or Redis: runs in the scaled-out test run")
    for rl in limiters:
        key = f"portal:{uuid.uuid4().hex}"
        granted: list[float] = []
        lock = threading.Lock()

        def worker(
            rl: DatabaseLimiter = rl,
            key: str = key,
            lock: threading.Lock = lock,
            granted: list[float] = granted,
        ) -> None:
            from django.db import connection

            for _ in range(5):
                if rl.try_acquire(key) == 0.0:
                    with lock:
                        granted.append(1)
            connection.close()

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(granted) == 10, type(rl).__name__
