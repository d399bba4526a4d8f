"""Benchmark of the CSV attendance import (not a pytest test).

    python -m tests.bench.bench_import [--rows 100000] [--base-url http://127.0.0.1:8001] [--bulk-share 0.95]

`measure(base_url=…, rows=…)` is what `make bench` (tests/bench/run.py) calls; run alone, this module starts its
own simulator and dashboard database (temporary files) first.

It writes a CSV of `rows` new contacts (one registration each, with a time), uploads it, runs the preview with the
simulator's rate limit off (the preview is not what is measured: it is a separate job, one CRM batch read per
100 rows), then switches the simulator to HubSpot's limit (100 requests per 10 s) and runs the import job in this
process, as the worker would. It reports:

- rows per second against the ceiling (100 calls per 10 s × 100 rows per call = 1,000 rows/s);
- the process's resident memory (RSS) before the import and its peak during it, sampled every 0.25 s, and the
  peak RSS of the process (`ru_maxrss`);
- the event list, event detail and participation pages' server time (p50/p95) for the same portal *during* the
  import, from a forked process (as a separate web process would serve them), and the participation page's
  breakdown fragment, which reads HubSpot live (one call, from the people's share of the rate limit);
- rows lost: what HubSpot's counters say against the file.

The dashboard's limiter lets bulk jobs use only HUBSPOT_BULK_SHARE of the window (0.95 by default, so people's
clicks always find room): the import can reach at most that share of the ceiling. `--bulk-share` (default 0.95)
sets it for the run, and the report says which share was used.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

CEILING_CALLS, INTERVAL_MS, ROWS_PER_CALL = 100, 10_000, 100


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _write_csv(path: Path, rows: int) -> None:
    tag = int(time.time())
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("email,state,time\n")
        for i in range(rows):
            out.write(f"bench{tag}.{i}@bench.example,registered,{1_767_261_600_000 + i}\n")


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(64 * 1024):
            yield chunk


def _setup_django(base_url: str, work: Path) -> None:
    """Standalone: a dashboard database of our own, pointed at the simulator."""
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / 'dashboard.sqlite3'}")
    os.environ.setdefault("HSADMIN_DATA_DIR", str(work))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hsadmin.settings")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _portal(control: Any, base_url: str) -> Any:
    from django.conf import settings
    from django.utils import timezone

    from hsadmin.core.models import User
    from hsadmin.core.roles import Role
    from hsadmin.portals.models import REQUIRED_SCOPES, Membership, Portal

    info = control.info()
    app = info["apps"][0]
    settings.HUBSPOT_API_BASE = settings.HUBSPOT_AUTH_BASE = base_url
    settings.HUBSPOT_APP_ID = app["app_id"]
    settings.HUBSPOT_CLIENT_ID, settings.HUBSPOT_CLIENT_SECRET = app["client_id"], app["client_secret"]
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    hub_id = info["portals"][0]["hub_id"]
    tokens = control.token(hub_id, app["app_id"], scopes=list(REQUIRED_SCOPES))
    portal, _ = Portal.objects.update_or_create(
        hub_id=hub_id,
        defaults={
            "name": "Bench portal",
            "app_id": app["app_id"],
            "scopes": tokens["scopes"],
            "status": "connected",
            "access_token": tokens["access_token"],
            "refresh_token": tokens["refresh_token"],
            "token_expires_at": timezone.now() + timezone.timedelta(seconds=tokens["expires_in"]),
        },
    )
    person, _ = User.objects.get_or_create(username="bench-importer")
    Membership.objects.update_or_create(user=person, portal=portal, defaults={"role": Role.MARKETING.value})
    return portal, person, app


def _event(portal: Any, app: dict[str, Any], base_url: str, control: Any) -> Any:
    import httpx

    from hsadmin.events import services as event_services
    from hsadmin.events.models import Event
    from hsadmin.portals.hubspot import hubspot_client_for

    token = control.token(portal.hub_id, app["app_id"])["access_token"]
    created = httpx.post(
        f"{base_url}/marketing/v3/marketing-events/events",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "externalAccountId": "bench",
            "externalEventId": f"bench-import-{int(time.time())}",
            "eventName": "Bench import",
            "eventOrganizer": "Bench",
            "customProperties": [],
        },
        timeout=30,
    ).json()
    client = hubspot_client_for(portal)
    event_services.mirror_upsert_many(portal=portal, events=[client.get_event(str(created["objectId"]))])
    event = Event.objects.get(portal=portal, object_id=str(created["objectId"]))
    # Reads by objectId carry no externalAccountId; HubSpot's search gives it (as the sync's recovery job does).
    event_services.mirror_external_account_recover(event=event, client=client)
    event.refresh_from_db()
    return event


class _Sampler(threading.Thread):
    """Samples this process's RSS while the import runs."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.rss: list[float] = []

    def run(self) -> None:
        while not self.stop.is_set():
            self.rss.append(_rss_mb())
            self.stop.wait(0.25)


def _time_pages(hub_id: int, object_id: str, username: str, stop: Any, out: Any) -> None:
    """In a forked process, as a separate web process would: the event pages' server time every 2 s."""
    from django.db import connections
    from django.test import Client
    from django.urls import reverse

    from hsadmin.core.models import User

    connections.close_all()
    client = Client()
    client.force_login(User.objects.get(username=username))
    participation = reverse("participation:event", args=[hub_id, object_id])
    urls: dict[str, tuple[str, dict[str, str]]] = {
        "event list": (reverse("events:list", args=[hub_id]), {}),
        "event detail": (reverse("events:detail", args=[hub_id, object_id]), {}),
        "participation page": (participation, {}),
        # What the participation page then asks for by HTMX: one HubSpot call, from the people's share.
        "participation breakdown": (participation, {"HX-Request": "true", "HX-Target": "breakdown"}),
    }
    timings: dict[str, list[float]] = {name: [] for name in urls}
    while not stop.is_set():
        for name, (url, headers) in urls.items():
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            if response.status_code == 200:
                timings[name].append((time.perf_counter() - started) * 1000)
        stop.wait(2.0)
    out.put(timings)


def _p(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))]


def measure(
    *, base_url: str, rows: int = 100_000, bulk_share: float = 0.95, browse: bool = True
) -> dict[str, Any]:
    """Run one import of `rows` rows against the simulator at `base_url`; return the figures.

    `browse`: time the event pages from another process during the import (the breakdown fragment then asks
    HubSpot as a person would, so the people's reserve is in use). Without it nobody is about, and the limiter
    lends the reserve to the import once nobody has asked for `LEND_AFTER_WINDOWS` windows.
    """
    from tests.live_simulator import Control

    control = Control(base_url)
    work = Path(tempfile.mkdtemp(prefix="hsadmin-bench-import-"))
    import django.conf

    if not django.conf.settings.configured or "DJANGO_SETTINGS_MODULE" not in os.environ:
        _setup_django(base_url, work)
    else:
        import django

        django.setup()
    from django.conf import settings
    from django.db import connections

    from hsadmin.core.models import Job
    from hsadmin.core.ratelimit import LEND_AFTER_WINDOWS
    from hsadmin.jobs.runner import run_job
    from hsadmin.participation import services
    from hsadmin.participation.imports import concurrency
    from hsadmin.participation.models import Import
    from hsadmin.portals import hubspot as portal_hubspot
    from hsadmin.portals.hubspot import hubspot_client_for

    settings.HUBSPOT_BULK_SHARE = bulk_share
    if os.environ.get("BENCH_NO_ITEMS"):  # diagnosis only: what the per-row result rows cost
        from hsadmin.core.models import JobItem

        JobItem.objects.bulk_create = lambda objs, *a, **k: list(objs)  # type: ignore[method-assign]
    if os.environ.get("HSADMIN_IMPORT_CONCURRENCY"):
        settings.HSADMIN_IMPORT_CONCURRENCY = int(os.environ["HSADMIN_IMPORT_CONCURRENCY"])
    settings.HUBSPOT_RATE_LIMIT_MAX = CEILING_CALLS
    settings.HUBSPOT_RATE_LIMIT_INTERVAL_SECONDS = INTERVAL_MS / 1000
    portal_hubspot.shared_limiter.cache_clear()
    portal, person, app = _portal(control, base_url)
    control.set_rate_limit(max=CEILING_CALLS, interval_ms=INTERVAL_MS, enabled=False)
    event = _event(portal, app, base_url, control)

    csv_path = work / "bench.csv"
    print(f"Writing a {rows:,}-row CSV …", flush=True)
    _write_csv(csv_path, rows)
    started = time.perf_counter()
    imp = services.import_create(event=event, user=person, name="bench.csv", chunks=_chunks(csv_path))
    preview = services.import_preview_start(
        imp=imp,
        user=person,
        mapping=imp.mapping,
        default_state="",
        default_interaction_at=imp.default_interaction_at,
        never_create=False,
    )
    print("Preview (rate limit off) …", flush=True)
    run_job(preview.pk)
    preview_seconds = time.perf_counter() - started
    imp = Import.objects.get(pk=imp.pk)
    assert imp.counts.get("rows") == rows, (imp.status, imp.message, imp.counts)

    print(
        f"Import at HubSpot's limit ({CEILING_CALLS} per {INTERVAL_MS // 1000} s), bulk share {bulk_share} …",
        flush=True,
    )
    control.set_rate_limit(max=CEILING_CALLS, interval_ms=INTERVAL_MS, enabled=True)
    control.http.post("/stats/reset")
    # An empty window to start from, as HubSpot's would be; with nobody browsing, long enough that the set-up's
    # own calls (made as a person) no longer hold the people's reserve back.
    time.sleep(INTERVAL_MS / 1000 * (1 if browse else LEND_AFTER_WINDOWS))
    job = services.import_confirm(imp=imp, user=person, never_create=False)
    fork = multiprocessing.get_context("fork")
    stop, out = fork.Event(), fork.Queue()
    connections.close_all()
    pages = fork.Process(
        target=_time_pages, args=(portal.hub_id, event.object_id, person.username, stop, out)
    )
    if browse:
        pages.start()
    sampler = _Sampler()
    rss_before = _rss_mb()
    sampler.start()
    started = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        with cProfile.Profile() as profile:
            run_job(job.pk)
        pstats.Stats(profile).sort_stats(os.environ.get("BENCH_PROFILE", "tottime")).print_stats(45)
    else:
        run_job(job.pk)
    seconds = time.perf_counter() - started
    sampler.stop.set()
    stop.set()
    timings: dict[str, list[float]] = {}
    if browse:
        timings = out.get(timeout=60)
        pages.join(timeout=30)
    job = Job.objects.get(pk=job.pk)
    stats = control.stats()
    control.set_rate_limit(enabled=False)
    counters = hubspot_client_for(portal).get_participation_counters(event.object_id)
    rps = rows / seconds
    ceiling = CEILING_CALLS * ROWS_PER_CALL / (INTERVAL_MS / 1000)
    figures = {
        "rows": rows,
        "seconds": round(seconds, 1),
        "rows_per_second": rps,
        "ceiling_rows_per_second": ceiling,
        "share_of_ceiling": round(rps / ceiling, 3),
        "bulk_share": bulk_share,
        "people_browsing": browse,
        "job_state": job.state,
        "rows_failed": job.failed,
        "lost": rows - counters.registered,
        "calls": stats.get("total"),
        "http_429": stats.get("by_status", {}).get("429", 0),
        "preview_seconds_rate_limit_off": round(preview_seconds, 1),
        "rss_before_mb": round(rss_before, 1),
        "rss_peak_during_mb": round(max(sampler.rss or [rss_before]), 1),
        "concurrency": concurrency(),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "pages_during_import_ms": {
            name: {
                "n": len(t),
                "p50": round(statistics.median(t), 1) if t else None,
                "p95": round(_p(t, 95), 1),
            }
            for name, t in timings.items()
        },
    }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--base-url", default="", help="a running simulator; default: start one")
    parser.add_argument("--bulk-share", type=float, default=0.95)
    args = parser.parse_args()
    from tests.live_simulator import start_simulator, stop_simulator

    work = Path(tempfile.mkdtemp(prefix="hsadmin-bench-import-"))
    _setup_django(args.base_url, work)
    process = None
    base_url = args.base_url
    if not base_url:
        process, base_url = start_simulator(work / "simulator.sqlite3")
    try:
        figures = measure(base_url=base_url, rows=args.rows, bulk_share=args.bulk_share)
    finally:
        if process is not None:
            stop_simulator(process)
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
