"""The shared rate limiter: one HubSpot budget per portal, across every process of every machine.

It implements the client's `RateLimiter` protocol. The window lives in the database (a row per request in the
current window), so web processes and workers on any machine draw from the same budget. Interactive requests
may use the whole window; bulk requests (jobs) only `HUBSPOT_BULK_SHARE` of it, so a person's click finds room
while an import runs (at once, or within `HUBSPOT_RATE_LIMIT_MARGIN_SECONDS` when the job's share has just
renewed). The rest is the people's reserve: their calls are taken from it first, so a person browsing does not
slow an import down (bulk waits only when its own share is used, or the whole window is).

The reserve is lent to jobs while nobody uses it: when no person has asked for a slot for `LEND_AFTER_WINDOWS`
windows, a job may fill the whole window. The moment a person asks, their demand is noted before anything else,
so jobs fall back to their share at once and the next slot that frees goes to the person. After a 429 every
process waits out the window HubSpot named.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from hsadmin.core.models import RateLimitSlot, RateLimitState
from hsadmin.hubspot_client import Priority, RateLimitInfo

# Observations are written at most this often per key and process (a 429 is always written).
OBSERVE_EVERY_SECONDS = 1.0
# Jobs may borrow the people's reserve once no person has asked for a slot for this many windows.
LEND_AFTER_WINDOWS = 2


class DatabaseLimiter:
    def __init__(
        self,
        *,
        max_requests: int | None = None,
        interval: float | None = None,
        bulk_share: float | None = None,
        margin: float | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.max_requests = max_requests or settings.HUBSPOT_RATE_LIMIT_MAX
        self.interval = interval or settings.HUBSPOT_RATE_LIMIT_INTERVAL_SECONDS
        self.bulk_share = settings.HUBSPOT_BULK_SHARE if bulk_share is None else bulk_share
        self.margin = settings.HUBSPOT_RATE_LIMIT_MARGIN_SECONDS if margin is None else margin
        self._clock = clock
        self._sleep = sleep
        self._last_observed: dict[str, float] = {}

    def capacity(self, priority: Priority) -> int:
        if priority == Priority.BULK:
            return max(1, math.floor(self.max_requests * self.bulk_share))
        return self.max_requests

    @property
    def lend_after(self) -> float:
        """Seconds without a person's request after which jobs may use the people's reserve too."""
        return self.interval * LEND_AFTER_WINDOWS

    def try_acquire(self, key: str, priority: Priority = Priority.INTERACTIVE) -> float:
        """Take a slot now and return 0, or return how many seconds to wait before trying again."""
        now = self._clock()
        with transaction.atomic():
            state, _ = RateLimitState.objects.select_for_update().get_or_create(key=key)
            bulk = priority == Priority.BULK
            if not bulk:  # noted first, even when the person must wait: jobs hand the reserve back now
                state.people_at = now
                RateLimitState.objects.filter(key=key).update(people_at=now)
            if state.blocked_until > now:
                return state.blocked_until - now
            # The whole window counts a little longer (the margin): HubSpot counts arrivals, a moment later.
            window_start, whole_start = now - self.interval, now - self.interval - self.margin
            slots = RateLimitSlot.objects.filter(key=key, at__gt=whole_start)
            counted = slots.aggregate(
                used=Count("pk"), bulk=Count("pk", filter=Q(bulk=True, at__gt=window_start))
            )
            used, bulk_used = counted["used"], counted["bulk"]
            cap = self.capacity(priority)
            if bulk and now - state.people_at > self.lend_after:
                cap = self.max_requests  # nobody is about: the reserve is lent to the job
            if used < self.max_requests and (not bulk or bulk_used < cap):
                RateLimitSlot.objects.create(key=key, at=now, bulk=bulk)
                if random.random() < 0.02:  # noqa: S311 - housekeeping, not security
                    RateLimitSlot.objects.filter(key=key, at__lt=whole_start).delete()
                return 0.0
            # The slots that must age out before one is free for this priority.
            wait = 0.001
            if used >= self.max_requests:
                oldest = slots.order_by("at").values_list("at", flat=True)[used - self.max_requests]
                wait = max(wait, oldest + self.interval + self.margin - now)
            if bulk and bulk_used >= cap:
                in_share = slots.filter(bulk=True, at__gt=window_start).order_by("at")
                oldest = in_share.values_list("at", flat=True)[bulk_used - cap]
                wait = max(wait, oldest + self.interval - now)
            return wait

    def acquire(self, key: str, priority: Priority = Priority.INTERACTIVE) -> None:
        while (wait := self.try_acquire(key, priority)) > 0:
            self._sleep(min(wait, 1.0) + random.uniform(0, 0.01))  # noqa: S311

    def observe(self, key: str, info: RateLimitInfo) -> None:
        if info.empty:
            return
        now = self._clock()
        if not info.rate_limited and now - self._last_observed.get(key, 0.0) < OBSERVE_EVERY_SECONDS:
            return
        self._last_observed[key] = now
        values: dict[str, object] = {"observed_at": timezone.now()}
        if info.max is not None:
            values["max"] = info.max
        if info.remaining is not None:
            values["remaining"] = info.remaining
        if info.interval_ms is not None:
            values["interval_ms"] = info.interval_ms
        with transaction.atomic():
            state, _ = RateLimitState.objects.select_for_update().get_or_create(key=key)
            for name, value in values.items():
                setattr(state, name, value)
            if info.rate_limited:
                wait = info.retry_after or (info.interval_ms or self.interval * 1000) / 1000
                state.blocked_until = max(state.blocked_until, now + wait)
                state.rate_limited_count += 1
            state.save()


def rate_limit_state(key: str) -> RateLimitState | None:
    return RateLimitState.objects.filter(key=key).first()


# One Lua script, run atomically by Redis: trim the window, and either take a slot or say how long to wait.
# KEYS[3] holds the bulk (job) requests only: they may fill `cap` of the window, people all of `max`; the whole
# window (KEYS[1]) keeps each request `margin` seconds longer. KEYS[4] holds when a person last asked: after
# `lend_after` seconds without one, a job may fill the whole window.
_ACQUIRE = """
local key, blocked_key, bulk_key, people_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, interval, max, cap, member = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local is_bulk, margin, lend_after = ARGV[6] == '1', tonumber(ARGV[7]), tonumber(ARGV[8])
if is_bulk then
  local people_at = tonumber(redis.call('GET', people_key) or '0')
  if now - people_at > lend_after then cap = max end
else
  redis.call('SET', people_key, tostring(now), 'PX', math.ceil(lend_after * 2000))
end
local blocked = tonumber(redis.call('GET', blocked_key) or '0')
if blocked > now then return tostring(blocked - now) end
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - interval - margin)
redis.call('ZREMRANGEBYSCORE', bulk_key, '-inf', now - interval)
local used = redis.call('ZCARD', key)
local bulk_used = redis.call('ZCARD', bulk_key)
if used < max and (not is_bulk or bulk_used < cap) then
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, math.ceil((interval + margin) * 2000))
  if is_bulk then
    redis.call('ZADD', bulk_key, now, member)
    redis.call('PEXPIRE', bulk_key, math.ceil(interval * 2000))
  end
  return '0'
end
local wait = 0.001
if used >= max then
  local oldest = redis.call('ZRANGE', key, used - max, used - max, 'WITHSCORES')
  wait = math.max(wait, tonumber(oldest[2]) + interval + margin - now)
end
if is_bulk and bulk_used >= cap then
  local oldest = redis.call('ZRANGE', bulk_key, bulk_used - cap, bulk_used - cap, 'WITHSCORES')
  wait = math.max(wait, tonumber(oldest[2]) + interval - now)
end
return tostring(wait)
"""


class RedisLimiter(DatabaseLimiter):
    """The same budget kept in Redis (REDIS_URL): a sorted set of request times per key, trimmed atomically."""

    def __init__(self, url: str, **kwargs: Any) -> None:
        import redis

        super().__init__(**kwargs)
        self._redis = redis.Redis.from_url(url)
        self._script = self._redis.register_script(_ACQUIRE)

    def try_acquire(self, key: str, priority: Priority = Priority.INTERACTIVE) -> float:
        now = self._clock()
        member = f"{now:.6f}:{random.random()}"  # noqa: S311 - a unique member, not a secret
        bulk = priority == Priority.BULK
        answer = self._script(
            # One hash tag ({…}) keeps a key's three Redis keys in one slot, as Redis Cluster needs for a script.
            keys=[
                f"hsadmin:rl:{{{key}}}",
                f"hsadmin:rl:{{{key}}}:blocked",
                f"hsadmin:rl:{{{key}}}:bulk",
                f"hsadmin:rl:{{{key}}}:people",
            ],
            args=[
                now,
                self.interval,
                self.max_requests,
                self.capacity(priority),
                member,
                "1" if bulk else "0",
                self.margin,
                self.lend_after,
            ],
        )
        return float(answer)

    def observe(self, key: str, info: RateLimitInfo) -> None:
        if info.rate_limited:
            now = self._clock()
            wait = info.retry_after or (info.interval_ms or self.interval * 1000) / 1000
            self._redis.set(f"hsadmin:rl:{{{key}}}:blocked", str(now + wait), px=int(wait * 1000) + 1000)
        super().observe(key, info)  # the health page's figures stay in the database


def shared_limiter_for_settings() -> DatabaseLimiter:
    """Redis when REDIS_URL is set, else the database."""
    if settings.REDIS_URL:
        return RedisLimiter(settings.REDIS_URL)
    return DatabaseLimiter()
