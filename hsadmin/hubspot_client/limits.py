"""Rate limiting: the limiter interface the client calls, and an in-process implementation.

Before every request the client calls `limiter.acquire(key, priority)`, which blocks until a slot is free;
after every response it calls `limiter.observe(key, info)` with what the `X-HubSpot-RateLimit-*` headers (or a
429) said. The key is the portal (`"portal:123"`); CRM search has its own bucket under `"<key>:search"`.

`InProcessLimiter` is a sliding window per key (HubSpot's limit is a sliding window) for one process. The Django
side provides a shared implementation of the same protocol (database or Redis) so every process of every machine
shares one budget per portal.

Why not pyrate-limiter or limits: neither learns the window from response headers, counts in-flight requests,
nor lets people's requests go ahead of jobs; the sliding window itself is a deque.

Priority: interactive requests (a person clicked) may use the whole window; bulk requests (jobs) may use only
`bulk_share` of it and always yield to a waiting interactive request, so an import never makes the UI wait.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, Self, runtime_checkable

import httpx

SEARCH_SUFFIX = ":search"


class Priority(StrEnum):
    INTERACTIVE = "interactive"
    BULK = "bulk"


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    raw = headers.get(name)
    if raw is None:
        return None
    try:
        return int(raw.strip())
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class RateLimitInfo:
    """What one response said about the budget. `rate_limited` is True for a 429."""

    max: int | None = None
    remaining: int | None = None
    interval_ms: int | None = None
    daily: int | None = None
    daily_remaining: int | None = None
    rate_limited: bool = False
    retry_after: float | None = None
    policy_name: str | None = None

    @classmethod
    def from_headers(
        cls,
        headers: Mapping[str, str],
        *,
        rate_limited: bool = False,
        retry_after: float | None = None,
        policy_name: str | None = None,
    ) -> Self:
        if not isinstance(headers, httpx.Headers):
            headers = {k.lower(): v for k, v in headers.items()}
        secondly = _header_int(headers, "x-hubspot-ratelimit-secondly")
        max_ = _header_int(headers, "x-hubspot-ratelimit-max")
        remaining = _header_int(headers, "x-hubspot-ratelimit-remaining")
        interval = _header_int(headers, "x-hubspot-ratelimit-interval-milliseconds")
        if max_ is None and secondly is not None:  # the older per-second headers
            max_, interval = secondly, 1000
            remaining = _header_int(headers, "x-hubspot-ratelimit-secondly-remaining")
        return cls(
            max=max_,
            remaining=remaining,
            interval_ms=interval,
            daily=_header_int(headers, "x-hubspot-ratelimit-daily"),
            daily_remaining=_header_int(headers, "x-hubspot-ratelimit-daily-remaining"),
            rate_limited=rate_limited,
            retry_after=retry_after,
            policy_name=policy_name,
        )

    @property
    def empty(self) -> bool:
        return self.max is None and self.remaining is None and not self.rate_limited


@runtime_checkable
class RateLimiter(Protocol):
    """What the client needs from a limiter; implement it to share a budget across processes."""

    def acquire(self, key: str, priority: Priority) -> None:
        """Block until one request for `key` may be sent now, and count it."""
        ...

    def observe(self, key: str, info: RateLimitInfo) -> None:
        """Called once after every attempt that acquired a slot: with what the answer's headers (or a 429)
        said, or an empty RateLimitInfo when no answer came (a timeout or dropped connection)."""
        ...


class NullLimiter:
    """No client-side limiting (HubSpot's 429s and the retry policy still apply)."""

    def acquire(self, key: str, priority: Priority) -> None:
        return None

    def observe(self, key: str, info: RateLimitInfo) -> None:
        return None


class _Window:
    """One key's window. A request counts from the moment it is sent until `interval` after its answer came
    back: HubSpot counts it when it arrives, which is somewhere in between, so ours is never the lower count
    (counting from the send alone lets queueing at the server push a burst over the limit)."""

    __slots__ = ("blocked_until", "done", "inflight", "interval", "max")

    def __init__(self, max_requests: int, interval: float) -> None:
        self.max = max_requests
        self.interval = interval
        self.inflight: deque[float] = deque()  # send times of requests with no answer yet
        self.done: deque[float] = deque()  # answer times, kept for one interval
        self.blocked_until = 0.0

    def prune(self, now: float) -> None:
        horizon = now - self.interval
        while self.done and self.done[0] <= horizon:
            self.done.popleft()
        # an attempt whose answer was never reported (an exception escaped) stops counting eventually
        stale = now - 3 * self.interval
        while self.inflight and self.inflight[0] <= stale:
            self.inflight.popleft()

    def count(self) -> int:
        return len(self.inflight) + len(self.done)


class InProcessLimiter:
    """A thread-safe sliding-window limiter per key, with interactive-before-bulk priority.

    `max_requests`/`interval` are the starting guess (100 per 10 s); the window follows what HubSpot's headers
    say. `margin` requests are kept free as a safety net.
    """

    def __init__(
        self,
        *,
        max_requests: int = 100,
        interval: float = 10.0,
        search_max_requests: int = 4,
        search_interval: float = 1.0,
        bulk_share: float = 0.8,
        margin: int = 1,
        clock: Callable[[], float] = time.monotonic,
        learn_from_headers: bool = True,
    ) -> None:
        if not 0 < bulk_share <= 1:
            raise ValueError("bulk_share must be in (0, 1]")
        self._defaults = (max_requests, interval)
        self._search = (search_max_requests, search_interval)
        self._bulk_share = bulk_share
        self._margin = margin
        self._clock = clock
        self._learn = learn_from_headers
        self._windows: dict[str, _Window] = {}
        self._interactive_waiting: dict[str, int] = {}
        self._cond = threading.Condition()

    def _window(self, key: str) -> _Window:
        window = self._windows.get(key)
        if window is None:
            max_requests, interval = self._search if key.endswith(SEARCH_SUFFIX) else self._defaults
            window = self._windows[key] = _Window(max_requests, interval)
        return window

    def _capacity(self, window: _Window, priority: Priority) -> int:
        usable = max(1, window.max - self._margin)
        if priority is Priority.BULK:
            return max(1, int(usable * self._bulk_share))
        return usable

    def try_acquire(self, key: str, priority: Priority = Priority.INTERACTIVE) -> float:
        """Take a slot now and return 0, or return how many seconds to wait before asking again."""
        with self._cond:
            return self._try(key, priority)

    def _try(self, key: str, priority: Priority) -> float:
        now = self._clock()
        window = self._window(key)
        if window.blocked_until > now:
            return window.blocked_until - now
        window.prune(now)
        if priority is Priority.BULK and self._interactive_waiting.get(key, 0):
            return min(0.05, window.interval)
        capacity = self._capacity(window, priority)
        over = window.count() - capacity + 1  # how many counted requests must leave before we may go
        if over <= 0:
            window.inflight.append(now)
            return 0.0
        if over <= len(window.done):
            return max(0.001, window.done[over - 1] + window.interval - now)
        return min(0.05, window.interval)  # in-flight requests must answer first (observe() wakes us)

    def acquire(self, key: str, priority: Priority = Priority.INTERACTIVE) -> None:
        interactive = priority is Priority.INTERACTIVE
        with self._cond:
            if interactive:
                self._interactive_waiting[key] = self._interactive_waiting.get(key, 0) + 1
            try:
                while (wait := self._try(key, priority)) > 0:
                    self._cond.wait(timeout=wait)
            finally:
                if interactive:
                    self._interactive_waiting[key] -= 1
                self._cond.notify_all()

    def observe(self, key: str, info: RateLimitInfo) -> None:
        with self._cond:
            now = self._clock()
            window = self._window(key)
            window.prune(now)
            if window.inflight:  # this attempt's answer came back: it counts for one interval from now
                window.inflight.popleft()
                window.done.append(now)
            if self._learn and info.max and info.max > 0:
                window.max = info.max
            if self._learn and info.interval_ms and info.interval_ms > 0:
                window.interval = info.interval_ms / 1000
            if info.rate_limited:
                wait = info.retry_after if info.retry_after is not None else window.interval
                window.blocked_until = max(window.blocked_until, now + wait)
            elif info.remaining is not None and info.max:
                # Other processes or apps spend the same budget: count what HubSpot saw but we did not.
                used_elsewhere = (info.max - info.remaining) - window.count()
                window.done.extend([now] * max(0, used_elsewhere))
            self._cond.notify_all()

    def snapshot(self, key: str) -> tuple[int, int, float]:
        """(requests counted in the window, window max, interval seconds) for tests and dashboards."""
        with self._cond:
            window = self._window(key)
            window.prune(self._clock())
            return window.count(), window.max, window.interval
