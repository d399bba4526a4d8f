"""The ten-secondly rate limit and the request counters.

One simulator process serves every request, so both live in memory behind a lock. The limit is a sliding window
per credential (access token, developer key, or the client address when there is neither): by default 100
requests per 10,000 ms, HubSpot's published burst limit for OAuth apps. Every HubSpot-surface answer carries
``X-HubSpot-RateLimit-Max``, ``-Remaining`` and ``-Interval-Milliseconds``; a refused request gets 429 with
HubSpot's rate-limit body (``errorType: RATE_LIMIT``, ``policyName: TEN_SECONDLY_ROLLING``). While the limit is
disabled nothing is refused and ``Remaining`` stays at ``Max``. HubSpot documents no ``Retry-After``; the
``retry_after`` flag (or ``SIMULATOR_RETRY_AFTER=true``) adds one, in seconds, to every 429.
"""

from __future__ import annotations

import collections
import os
import threading
import time
from dataclasses import asdict, dataclass
from typing import Any

from hsadmin.simulator.errors import correlation_id


@dataclass
class RateLimitConfig:
    max: int = 100
    interval_ms: int = 10_000
    enabled: bool = True
    retry_after: bool = False  # HubSpot documents no Retry-After; this flag adds one to every 429


def config_from_env() -> RateLimitConfig:
    return RateLimitConfig(
        max=int(os.environ.get("SIMULATOR_RATE_LIMIT_MAX", "100")),
        interval_ms=int(os.environ.get("SIMULATOR_RATE_LIMIT_INTERVAL_MS", "10000")),
        enabled=os.environ.get("SIMULATOR_RATE_LIMIT_ENABLED", "true").lower()
        not in {"0", "false", "no", "off"},
    )


class RateLimiter:
    """Sliding-window counters per key."""

    def __init__(self, config: RateLimitConfig | None = None) -> None:
        self._lock = threading.Lock()
        self._hits: dict[str, collections.deque[float]] = collections.defaultdict(collections.deque)
        self.config = config or config_from_env()

    def get(self) -> dict[str, Any]:
        return asdict(self.config)

    def set(self, values: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            max_ = int(values.get("max", self.config.max))
            interval = int(values.get("interval_ms", self.config.interval_ms))
            if max_ < 1 or interval < 1:
                raise ValueError("max and interval_ms must be positive integers")
            self.config = RateLimitConfig(
                max=max_,
                interval_ms=interval,
                enabled=bool(values.get("enabled", True)),
                retry_after=bool(values.get("retry_after", self.config.retry_after)),
            )
            self._hits.clear()
        return self.get()

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()

    def hit(self, key: str, *, enabled: bool | None = None) -> tuple[bool, dict[str, str]]:
        """Count one request for ``key``. Returns (allowed, the rate-limit headers to send)."""
        config = self.config
        now = time.monotonic()
        with self._lock:
            if not (config.enabled if enabled is None else enabled):
                return True, self._headers(config, config.max)
            window = self._hits[key]
            horizon = now - config.interval_ms / 1000
            while window and window[0] <= horizon:
                window.popleft()
            if len(window) >= config.max:
                return False, self._headers(config, 0)
            window.append(now)
            return True, self._headers(config, config.max - len(window))

    @staticmethod
    def _headers(config: RateLimitConfig, remaining: int) -> dict[str, str]:
        return {
            "X-HubSpot-RateLimit-Max": str(config.max),
            "X-HubSpot-RateLimit-Remaining": str(remaining),
            "X-HubSpot-RateLimit-Interval-Milliseconds": str(config.interval_ms),
        }


def rate_limit_body(*, secondly: bool = False) -> dict[str, Any]:
    """HubSpot's 429 body: the ten-secondly policy, or the CRM search API's secondly one."""
    return {
        "status": "error",
        "message": "You have reached your secondly limit."
        if secondly
        else "You have reached your ten_secondly_rolling limit.",
        "errorType": "RATE_LIMIT",
        "correlationId": correlation_id(),
        "policyName": "SECONDLY" if secondly else "TEN_SECONDLY_ROLLING",
        "groupName": "publicapi:crm-search" if secondly else "publicapi:marketing-events",
        "category": "RATE_LIMITS",
    }


class Stats:
    """Request counters for tests and soak runs: total, by status, by path family, and faults injected."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with getattr(self, "_lock", threading.Lock()):
            self.total = 0
            self.by_status: collections.Counter[str] = collections.Counter()
            self.by_family: collections.Counter[str] = collections.Counter()
            self.faults: collections.Counter[str] = collections.Counter()
            self.rate_limited = 0

    def record(self, family: str, status: int | None) -> None:
        with self._lock:
            self.total += 1
            self.by_family[family] += 1
            self.by_status["dropped" if status is None else str(status)] += 1
            if status == 429:
                self.rate_limited += 1

    def fault(self, kind: str) -> None:
        with self._lock:
            self.faults[kind] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": self.total,
                "by_status": dict(self.by_status),
                "by_family": dict(self.by_family),
                "faults": dict(self.faults),
            }


rate_limiter = RateLimiter()
# CRM search has its own bucket (5 requests per second per token), exempt from the ten-secondly limit; it is
# enforced whenever the main limit is enabled.
search_limiter = RateLimiter(RateLimitConfig(max=5, interval_ms=1000, enabled=True))
SEARCH_PATHS = frozenset({"/crm/v3/objects/contacts/search"})
stats = Stats()
