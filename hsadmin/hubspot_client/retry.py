"""The retry policy (design §5): what to retry, and how long to wait.

- 429: wait for the window (`Retry-After` when sent, else `X-HubSpot-RateLimit-Interval-Milliseconds`, else
  10 s for TEN_SECONDLY_ROLLING and 1 s for SECONDLY); a DAILY 429 is not retried. Safe for any request: a 429
  is refused before anything is applied.
- 5xx, 423, timeouts and dropped connections: exponential backoff with full jitter, but only for operations
  that are safe to repeat (reads, upserts, updates, deletes, attendance with a fixed interactionDateTime).
  A plain create is retried only when the request certainly never left (connect errors, pool timeouts).
- 401 EXPIRED_AUTHENTICATION is handled by the auth (refresh once, replay); if the replay meets another
  expired-token 401, one more round is allowed (`max_token_replays`); other 4xx never retry.
- At most `max_attempts` attempts, and never a wait that would end past `deadline` seconds after the first
  attempt: then the typed error is raised.

Why not tenacity or httpx-retries: the decision needs HubSpot's specifics (policyName, the advertised window,
which operations are safe to replay, whether the request left) and the limiter has to hear about every attempt;
the loop itself is a dozen lines in client.py.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import HubSpotError, RateLimitedError, ServerError, TransportError

POLICY_WAITS = {"TEN_SECONDLY_ROLLING": 10.0, "SECONDLY": 1.0}


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 5
    base_delay: float = 0.25
    max_delay: float = 8.0
    #: the longest single wait for a rate-limit window we accept before giving up
    max_rate_limit_wait: float = 30.0
    #: seconds from the first attempt after which no further attempt starts (None: unbounded)
    deadline: float | None = None
    #: extra rounds after the auth's own refresh-and-replay still met 401 EXPIRED_AUTHENTICATION
    max_token_replays: int = 1
    random: Callable[[], float] = field(default=random.random, repr=False, compare=False)

    def backoff(self, attempt: int) -> float:
        """Full jitter: a uniform wait in [0, min(max_delay, base * 2^(attempt-1)))."""
        ceiling = min(self.max_delay, self.base_delay * (2.0 ** (attempt - 1)))
        return ceiling * self.random()

    def rate_limit_wait(self, error: RateLimitedError, interval_ms: int | None) -> float | None:
        """How long to wait after a 429, or None when waiting cannot help (daily limit, too long)."""
        if error.policy_name == "DAILY":
            return None
        if error.retry_after is not None:
            wait = error.retry_after
        elif interval_ms:
            wait = interval_ms / 1000
        else:
            wait = POLICY_WAITS.get(error.policy_name or "", 10.0)
        if wait > self.max_rate_limit_wait:
            return None
        return wait

    def delay_for(
        self, error: HubSpotError, *, attempt: int, idempotent: bool, interval_ms: int | None = None
    ) -> float | None:
        """The wait before attempt `attempt + 1`, or None when `error` must be raised now."""
        if attempt >= self.max_attempts:
            return None
        if isinstance(error, RateLimitedError):
            return self.rate_limit_wait(error, interval_ms)
        if isinstance(error, TransportError):
            if error.sent and not idempotent:
                return None
            return self.backoff(attempt)
        if isinstance(error, ServerError):  # includes 423 Locked
            return self.backoff(attempt) if idempotent else None
        return None


NO_RETRIES = RetryPolicy(max_attempts=1)
