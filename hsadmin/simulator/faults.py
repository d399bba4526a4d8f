"""Faults on demand, each at a configurable rate (0..1), for tests and soak runs.

Kinds: ``drop`` (the connection closes with no HTTP answer), ``timeout`` (no answer for ``timeout_seconds``,
then the connection closes), ``429`` (HubSpot's rate-limit body), ``500``/``502``/``503`` (server errors),
``423`` (locked), ``expired_token`` (401 ``EXPIRED_AUTHENTICATION`` for a bearer request), ``slow`` (the request
is answered normally after ``slow_seconds``) and ``partial_batch`` (a batch write fails some of its inputs and
answers 207 with ``errors``).

Every fault except ``slow`` and ``partial_batch`` is decided and answered **before** the request is processed,
so nothing was applied. A ``partial_batch`` fault applies exactly the inputs it reports as results and none of
those it reports in ``errors``. One uniform draw picks among the refusing kinds, so each kind's observed rate
matches its setting (while the rates sum to at most 1). ``seed`` makes the draws reproducible.
"""

from __future__ import annotations

import os
import random
import threading
from typing import Any

REFUSING_KINDS = ("drop", "timeout", "429", "500", "502", "503", "423", "expired_token")
RATE_KEYS = tuple(f"rate_{kind}" for kind in (*REFUSING_KINDS, "slow", "partial_batch"))
DEFAULTS: dict[str, Any] = {key: 0.0 for key in RATE_KEYS} | {
    "timeout_seconds": 5.0,
    "slow_seconds": 0.5,
    "seed": None,
}


class FaultInjector:
    """The fault settings and the random source that applies them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.settings: dict[str, Any] = dict(DEFAULTS)
        self._random = random.Random()  # noqa: S311 - fault draws, not security
        self.set(_settings_from_env())

    def get(self) -> dict[str, Any]:
        return dict(self.settings)

    def set(self, values: dict[str, Any], *, replace: bool = False) -> dict[str, Any]:
        unknown = set(values) - set(DEFAULTS)
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
        new = dict(DEFAULTS) if replace else dict(self.settings)
        for key, value in values.items():
            if key == "seed":
                new[key] = None if value is None else int(value)
                continue
            number = float(value)
            if key.startswith("rate_") and not 0 <= number <= 1:
                raise ValueError(f"{key} must be between 0 and 1")
            if number < 0:
                raise ValueError(f"{key} must not be negative")
            new[key] = number
        if sum(new[f"rate_{kind}"] for kind in REFUSING_KINDS) > 1:
            raise ValueError("the refusing fault rates must sum to at most 1")
        with self._lock:
            self.settings = new
            self._random = random.Random(new["seed"])  # noqa: S311
        return self.get()

    def reset(self) -> dict[str, Any]:
        return self.set({}, replace=True)

    def _draw(self) -> float:
        with self._lock:
            return self._random.random()

    def pick_refusal(self, *, has_bearer: bool) -> str | None:
        """The refusing fault for this request, or None."""
        settings = self.settings
        if not any(settings[f"rate_{kind}"] for kind in REFUSING_KINDS):
            return None
        draw = self._draw()
        edge = 0.0
        for kind in REFUSING_KINDS:
            edge += settings[f"rate_{kind}"]
            if draw < edge:
                if kind == "expired_token" and not has_bearer:
                    return None
                return kind
        return None

    def chance(self, kind: str) -> bool:
        rate = self.settings[f"rate_{kind}"]
        return bool(rate) and self._draw() < rate

    def random_subset(self, count: int) -> set[int]:
        """Indices that fail in a partial batch: each with probability 1/2, at least one, never all of many."""
        with self._lock:
            failed = {i for i in range(count) if self._random.random() < 0.5}
            if not failed and count:
                failed = {self._random.randrange(count)}
            if count > 1 and len(failed) == count:
                failed.discard(self._random.randrange(count))
        return failed


def _settings_from_env() -> dict[str, Any]:
    """``SIMULATOR_FAULTS`` holds ``key=value`` pairs separated by commas, e.g. ``rate_429=0.05,seed=7``."""
    raw = os.environ.get("SIMULATOR_FAULTS", "").strip()
    values: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in raw.split(","))):
        key, _, value = part.partition("=")
        values[key.strip()] = value.strip()
    return values


faults = FaultInjector()
