"""A pytest plugin: the HubSpot simulator, live over HTTP, for any test that needs HubSpot.

Load it with ``pytest_plugins = ["tests.live_simulator"]`` in the root ``tests/conftest.py`` (or ``pytest -p
tests.live_simulator``). It provides:

- ``live_simulator`` (session): starts ``python -m django simulator serve --addr 127.0.0.1:<free port>`` under
  ``hsadmin.simulator.settings`` with ``SIMULATOR_DATABASE_URL`` pointing at a fresh temporary SQLite file and
  the rate limit disabled, waits for ``/_simulator/health``, and stops the server when the session ends (also on
  failure; the server also exits by itself if the test process dies). It returns a :class:`LiveSimulator`.
- ``sim`` (function): the same server with faults off, the rate limit disabled and the clock back at real time,
  so tests do not leak settings into each other. State (events, contacts…) is *not* wiped; use
  ``sim.control.reset()`` when a test needs a blank portal.

Example::

    def test_it_lists_events(sim):
        token = sim.control.token(sim.hub_id, sim.app_id)["access_token"]
        r = httpx.get(f"{sim.base_url}/marketing/v3/marketing-events/", headers={"Authorization": f"Bearer {token}"})
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


class Control:
    """The simulator's control API (``/_simulator/``) over HTTP."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = httpx.Client(base_url=f"{base_url}/_simulator", timeout=30)

    def _ok(self, response: httpx.Response) -> Any:
        response.raise_for_status()
        return response.json()

    def health(self) -> dict[str, Any]:
        return self._ok(self.http.get("/health"))

    def info(self) -> dict[str, Any]:
        return self._ok(self.http.get("/info"))

    def reset(self) -> dict[str, Any]:
        """Wipe all state back to the fixed fixture; faults off, rate limit and clock back, counters zeroed."""
        return self._ok(self.http.post("/reset"))

    def seed(self, **options: int | bool) -> dict[str, Any]:
        """Demo data: ``events``, ``contacts``, ``lists``, ``random_seed``, ``hub_id`` (all on one portal),
        ``participations`` (False: none)."""
        return self._ok(self.http.post("/seed", json=options))

    def token(
        self, hub_id: int, app_id: int, scopes: list[str] | str | None = None, expires_in: int | None = None
    ) -> dict[str, Any]:
        """A token set (``access_token``, ``refresh_token``, ``expires_in``, ``hub_id``, ``app_id``, ``scopes``)."""
        body: dict[str, Any] = {"hub_id": hub_id, "app_id": app_id}
        if scopes is not None:
            body["scopes"] = scopes
        if expires_in is not None:
            body["expires_in"] = expires_in
        return self._ok(self.http.post("/tokens", json=body))

    def faults(self) -> dict[str, Any]:
        return self._ok(self.http.get("/faults"))

    def set_faults(self, replace: bool = True, **settings: Any) -> dict[str, Any]:
        """E.g. ``set_faults(rate_429=0.25, seed=1)``; ``replace=True`` turns every unnamed fault off."""
        return self._ok(self.http.put("/faults", json={**settings, "replace": replace}))

    def clear_faults(self) -> dict[str, Any]:
        return self.set_faults(replace=True)

    def rate_limit(self) -> dict[str, Any]:
        return self._ok(self.http.get("/rate-limit"))

    def set_rate_limit(
        self, max: int = 100, interval_ms: int = 10_000, enabled: bool = True, retry_after: bool = False
    ) -> dict[str, Any]:
        """The ten-secondly window; ``retry_after=True`` adds a Retry-After header to 429s (HubSpot sends none)."""
        body = {"max": max, "interval_ms": interval_ms, "enabled": enabled, "retry_after": retry_after}
        return self._ok(self.http.put("/rate-limit", json=body))

    def set_clock(self, offset_seconds: float) -> dict[str, Any]:
        """Move the simulator's clock ``offset_seconds`` ahead of real time (tokens expire, events end)."""
        return self._ok(self.http.put("/clock", json={"offset_seconds": offset_seconds}))

    def stats(self) -> dict[str, Any]:
        return self._ok(self.http.get("/stats"))

    def reset_stats(self) -> dict[str, Any]:
        return self._ok(self.http.post("/stats/reset"))

    def participations(
        self, hub_id: int | None = None, event_object_id: str | int | None = None
    ) -> list[dict]:
        """Every participation activity row (optionally for one portal or one event)."""
        params: dict[str, Any] = {}
        if hub_id is not None:
            params["hubId"] = hub_id
        if event_object_id is not None:
            params["eventObjectId"] = event_object_id
        return self._ok(self.http.get("/state/participations", params=params))["results"]

    def events(self, hub_id: int | None = None) -> list[dict]:
        return self._ok(self.http.get("/state/events", params={"hubId": hub_id} if hub_id else {}))["results"]

    def contacts(self, hub_id: int | None = None) -> list[dict]:
        return self._ok(self.http.get("/state/contacts", params={"hubId": hub_id} if hub_id else {}))[
            "results"
        ]


@dataclass
class LiveSimulator:
    """A running simulator: ``base_url``, ``info`` (portals and apps) and ``control``."""

    base_url: str
    control: Control
    info: dict[str, Any] = field(default_factory=dict)
    database: Path | None = None

    @property
    def hub_id(self) -> int:
        """The first portal (Acme Events)."""
        return self.info["portals"][0]["hub_id"]

    @property
    def other_hub_id(self) -> int:
        return self.info["portals"][1]["hub_id"]

    @property
    def app(self) -> dict[str, Any]:
        """The first app (hsadmin): ``app_id``, ``client_id``, ``client_secret``, ``developer_api_key``."""
        return self.info["apps"][0]

    @property
    def other_app(self) -> dict[str, Any]:
        return self.info["apps"][1]

    @property
    def app_id(self) -> int:
        return self.app["app_id"]

    @property
    def other_app_id(self) -> int:
        return self.other_app["app_id"]

    def access_token(self, hub_id: int | None = None, app_id: int | None = None, **kwargs: Any) -> str:
        return self.control.token(hub_id or self.hub_id, app_id or self.app_id, **kwargs)["access_token"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_simulator(database: Path, extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """Start a simulator process on a free loopback port; returns (process, base_url) once it is healthy."""
    port = _free_port()
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "hsadmin.simulator.settings",
            "SIMULATOR_DATABASE_URL": f"sqlite:///{database}",
            "SIMULATOR_RATE_LIMIT_ENABLED": "false",
            "SIMULATOR_EXIT_WITH_PARENT": str(os.getpid()),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH", "")])),
        }
    )
    env.update(extra_env or {})
    log = (database.parent / "simulator.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "django", "simulator", "serve", "--addr", f"127.0.0.1:{port}"],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the simulator exited early; see {database.parent / 'simulator.log'}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base_url}/_simulator/health", timeout=1).status_code == 200:
                return process, base_url
        time.sleep(0.1)
    stop_simulator(process)
    raise RuntimeError("the simulator did not become healthy within 60 s")


def stop_simulator(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def live_simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSimulator]:
    database = tmp_path_factory.mktemp("simulator") / "simulator.sqlite3"
    process, base_url = start_simulator(database)
    try:
        control = Control(base_url)
        control.reset()
        yield LiveSimulator(base_url=base_url, control=control, info=control.info(), database=database)
    finally:
        stop_simulator(process)


@pytest.fixture
def sim(live_simulator: LiveSimulator) -> LiveSimulator:
    """The live simulator with faults off, the rate limit disabled and the clock at real time."""
    control = live_simulator.control
    control.clear_faults()
    control.set_rate_limit(enabled=False)
    control.set_clock(0)
    return live_simulator
