"""The full sync at 100,000 events (design §7, issue 18): list calls, wall time against the rate limit, memory.

    python -m tests.bench.run --only sync [--sync-events 100000]

`measure()` starts a simulator of its own (a temporary database) and seeds one portal, the fixture's second, with
`events` events and no participations (bulk inserts, about ten seconds for 100,000; the events' counters read 0,
which the sync mirrors like any other value). It checks the simulator's list-all pages at a steady cost from the
first page to the last (HubSpot's `after` cursor is the last objectId seen, and the simulator seeks to it through
its `(portal, id)` index, so page 1,000 costs what page 1 does).

Then it connects that portal to the dashboard's database with a mirror as a long-connected portal would have it:
`stale` events HubSpot no longer has (the sync must remove them) and `drafts` drafts (hsadmin-only: kept). With
the simulator's limit at HubSpot's 100 requests / 10 s, it runs the real `events.sync` job in this process, as a
worker would (with DEBUG off, as in production: with DEBUG on, Django keeps the last 9,000 queries' SQL, which is
tens of megabytes at this size and not the product's), while a thread samples this process's resident memory
(`/proc/self/statm`) every 0.25 s. Everything is on loopback and stops by itself.
"""

from __future__ import annotations

import _sqlite3
import ctypes
import os
import statistics
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from tests.live_simulator import Control, start_simulator, stop_simulator

PAGE = 100  # HubSpot's largest page, and the sync's
SAMPLE_SECONDS = 0.25
STALE_NAME = "Deleted in HubSpot since the last sync"
PAGE_SIZE_BYTES = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    """This process's resident set (statm's second field, in pages)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_SIZE_BYTES / 2**20


def _sqlite_memory_used() -> Any:
    """SQLite's own `sqlite3_memory_used()` (every byte its allocator holds in this process, page caches
    included), from the library Python's sqlite3 module is linked to; None where it cannot be reached."""
    try:
        function = ctypes.CDLL(_sqlite3.__file__).sqlite3_memory_used
    except (OSError, AttributeError):
        return None
    function.restype = ctypes.c_int64
    return function


SQLITE_MEMORY_USED = _sqlite_memory_used()


def sqlite_mb() -> float:
    return SQLITE_MEMORY_USED() / 2**20 if SQLITE_MEMORY_USED else 0.0


Sample = tuple[float, float, float]  # wall clock, RSS MB, of which SQLite's MB


class RssSampler(threading.Thread):
    """Samples every `SAMPLE_SECONDS` until stopped."""

    def __init__(self) -> None:
        super().__init__(daemon=True, name="rss-sampler")
        self.halt = threading.Event()
        self.samples: list[Sample] = []

    def run(self) -> None:
        while not self.halt.is_set():
            self.samples.append((time.time(), rss_mb(), sqlite_mb()))
            self.halt.wait(SAMPLE_SECONDS)

    def stop(self) -> list[Sample]:
        self.halt.set()
        self.join(timeout=5)
        self.samples.append((time.time(), rss_mb(), sqlite_mb()))
        return self.samples

    @staticmethod
    def at(samples: list[Sample], moment: float) -> Sample:
        """The first sample taken at or after `moment` (the last one if none is)."""
        return next((sample for sample in samples if sample[0] >= moment), samples[-1])


def probe_paging(base_url: str, token: str, events: int, runs: int = 25) -> dict[str, Any]:
    """The simulator's list-all (limit off): median time of the first page and of a page near the end, asked
    in turn so that whatever else the machine does falls on both alike."""
    http = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    path = "/marketing/v3/marketing-events/"
    first = http.get(path, params={"limit": PAGE}).json()["results"]
    # The seed inserts the portal's events in one run, so their objectIds follow each other.
    deep_after = str(int(first[0]["objectId"]) + max(0, events - PAGE - 50))
    deep = http.get(path, params={"limit": PAGE, "after": deep_after}).json()["results"]
    times: dict[str, list[float]] = {"first": [], "deep": []}
    asks: dict[str, dict[str, str | int]] = {
        "first": {"limit": PAGE},
        "deep": {"limit": PAGE, "after": deep_after},
    }
    for _ in range(runs):
        for name, params in asks.items():
            started = time.perf_counter()
            http.get(path, params=params)
            times[name].append((time.perf_counter() - started) * 1000)
    http.close()
    first_ms, deep_ms = statistics.median(times["first"]), statistics.median(times["deep"])
    return {
        "first_page_ms": round(first_ms, 1),
        "deep_page_ms": round(deep_ms, 1),
        "deep_after": deep_after,
        "deep_page_results": len(deep),
        "ratio": round(deep_ms / max(first_ms, 0.1), 2),
    }


def _connect(control: Control, base_url: str, hub_id: int) -> tuple[Any, Any]:
    from django.conf import settings
    from django.utils import timezone

    from hsadmin.core.models import User
    from hsadmin.core.roles import Role
    from hsadmin.events.models import Event
    from hsadmin.portals.models import REQUIRED_SCOPES, Membership, Portal

    app = control.info()["apps"][0]
    settings.HUBSPOT_API_BASE = settings.HUBSPOT_AUTH_BASE = base_url
    settings.HUBSPOT_APP_ID = app["app_id"]
    settings.HUBSPOT_CLIENT_ID, settings.HUBSPOT_CLIENT_SECRET = app["client_id"], app["client_secret"]
    tokens = control.token(hub_id, app["app_id"], scopes=list(REQUIRED_SCOPES))
    portal, _ = Portal.objects.update_or_create(
        hub_id=hub_id,
        defaults={
            "name": "Bench sync portal",
            "app_id": app["app_id"],
            "scopes": tokens["scopes"],
            "status": "connected",
            "access_token": tokens["access_token"],
            "refresh_token": tokens["refresh_token"],
            "token_expires_at": timezone.now() + timedelta(seconds=tokens["expires_in"]),
        },
    )
    Event.objects.filter(portal=portal).delete()
    person, _ = User.objects.get_or_create(username="bench-sync")
    Membership.objects.update_or_create(user=person, portal=portal, defaults={"role": Role.MARKETING.value})
    return portal, person


def _old_mirror(portal: Any, *, stale: int, drafts: int) -> None:
    """What a portal synced before holds: events deleted in HubSpot since, and drafts that live only here."""
    from django.utils import timezone

    from hsadmin.events.models import DRAFT_PREFIX, Event

    earlier = timezone.now() - timedelta(days=1)
    rows = [
        Event(
            portal=portal,
            object_id=str(900_000_000 + i),
            name=f"{STALE_NAME} #{i}",
            starts_at=earlier,
            ends_at=earlier + timedelta(hours=1),
            synced_at=earlier,
            seen_by_job=None,
        )
        for i in range(stale)
    ]
    rows += [
        Event(
            portal=portal,
            object_id=f"{DRAFT_PREFIX}bench-{i}",
            name=f"Draft #{i}",
            is_draft=True,
            synced_at=earlier,
        )
        for i in range(drafts)
    ]
    Event.objects.bulk_create(rows, batch_size=1000)


def measure(*, work: Path, events: int, stale: int, drafts: int) -> dict[str, Any]:
    """Seed, connect and sync; returns the figures (see the module's docstring)."""
    from django.conf import settings

    from hsadmin.core.models import Job, JobChunk
    from hsadmin.events.models import Event
    from hsadmin.jobs.runner import run_job
    from hsadmin.jobs.services import job_start

    simulator, base_url = start_simulator(work / "sync-simulator.sqlite3")
    try:
        control = Control(base_url)
        info = control.info()
        hub_id = info["portals"][1]["hub_id"]
        started = time.perf_counter()
        seeded = control.http.post(
            "/seed",
            json={"events": events, "contacts": 0, "lists": 0, "hub_id": hub_id, "participations": False},
            timeout=900,
        ).json()
        seed_s = time.perf_counter() - started
        print(f"  seeded {events:,} events on portal {hub_id} in {seed_s:.1f} s", flush=True)
        token = control.token(hub_id, info["apps"][0]["app_id"])["access_token"]
        paging = probe_paging(base_url, token, events)

        portal, person = _connect(control, base_url, hub_id)
        _old_mirror(portal, stale=stale, drafts=drafts)

        control.set_rate_limit(max=100, interval_ms=10_000, enabled=True)
        control.reset_stats()
        debug, settings.DEBUG = settings.DEBUG, False
        sampler = RssSampler()
        rss_start = rss_mb()
        sampler.start()
        try:
            started = time.perf_counter()
            job = job_start(kind="events.sync", portal=portal, user=person)
            run_job(job.pk)
            wall = time.perf_counter() - started
        finally:
            samples = sampler.stop()
            settings.DEBUG = debug
            control.set_rate_limit(max=100, interval_ms=10_000, enabled=False)
        stats = control.stats()
    finally:
        stop_simulator(simulator)

    job = Job.objects.get(pk=job.pk)
    # Chunks are confirmed a few pages at a time, evenly: the chunk a tenth of the way is a tenth of the pages.
    chunks = list(JobChunk.objects.filter(job=job).order_by("seq").values_list("recorded_at", flat=True))
    moments = [chunks[max(0, len(chunks) * k // 10 - 1)].timestamp() for k in range(1, 11)] if chunks else []
    finish_s = (job.finished_at - chunks[-1]).total_seconds() if job.finished_at and chunks else None
    calls = stats["by_family"].get("marketing-events", 0)
    cap = max(1, int(settings.HUBSPOT_RATE_LIMIT_MAX * settings.HUBSPOT_BULK_SHARE))
    allowed = ((calls - 1) // cap) * settings.HUBSPOT_RATE_LIMIT_INTERVAL_SECONDS if calls else 0.0
    deciles = [RssSampler.at(samples, moment) for moment in moments] or [samples[-1]]
    tenth, end = deciles[0], samples[-1]
    return {
        "events": events,
        "seeded": seeded,
        "seed_s": round(seed_s, 1),
        "paging": paging,
        "calls": calls,
        "http_429": stats.get("by_status", {}).get("429", 0),
        "state": job.state,
        "message": job.message,
        "result": job.result,
        "mirrored": Event.objects.filter(portal=portal, is_draft=False).count(),
        "drafts_kept": Event.objects.filter(portal=portal, is_draft=True).count(),
        "stale_left": Event.objects.filter(portal=portal, name__startswith=STALE_NAME).count(),
        "stale": stale,
        "drafts": drafts,
        "wall_s": round(wall, 1),
        "allowed_s": allowed,
        "bulk_capacity_per_window": cap,
        "chunks": len(chunks),
        "end_of_sync_s": round(finish_s, 2) if finish_s is not None else None,
        "rss_start_mb": round(rss_start, 1),
        "rss_tenth_mb": round(tenth[1], 1),
        "rss_end_mb": round(end[1], 1),
        "rss_peak_mb": round(max(sample[1] for sample in samples), 1),
        "rss_growth_mb": round(end[1] - tenth[1], 1),
        # SQLite's allocator apart (its page cache: `cache_size`, 64 MB a connection, fills as the mirror grows).
        "sqlite_tenth_mb": round(tenth[2], 1),
        "sqlite_end_mb": round(end[2], 1),
        "sqlite_peak_mb": round(max(sample[2] for sample in samples), 1),
        "rss_less_sqlite_growth_mb": round((end[1] - end[2]) - (tenth[1] - tenth[2]), 1),
        "rss_by_tenth_of_pages_mb": [round(sample[1], 1) for sample in deciles],
        "sqlite_by_tenth_of_pages_mb": [round(sample[2], 1) for sample in deciles],
    }
