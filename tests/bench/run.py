"""`make bench`: hsadmin's figures against the budgets of design §7, printed as one table and saved as JSON.

    python -m tests.bench.run [--events 10000] [--contacts 20000] [--import-rows 100000] [--out bench-results]
                              [--scale 1000,10000,100000] [--scale-runs 30] [--sync-events 100000]
                              [--only scale|sync]

It starts its own simulator (a temporary database seeded with --events events and their participations) and
its own dashboard database (a temporary SQLite file, or DATABASE_URL when set), connects a portal, then measures:
the full sync against the rate limit, the event list page and its HTMX partial, the report page and the job
progress poll (server time p50/p95 and SQL queries, through Django's test client, so no network noise), the
HubSpot client's overhead and throughput, the simulator's own latency and, when its module is present, the
100,000-row CSV import. Last, the scale curve (tests/bench/bench_scale.py): every event list view and the report
page at 1,000, 10,000 and 100,000 mirrored events, with each view's growth. Then the full sync of --sync-events
events (tests/bench/bench_sync.py: a simulator of its own with that many events on one portal, the real sync job
under HubSpot's 100 requests / 10 s; list calls, wall time against the limit, 429s, resident memory along the way;
0 skips it). Everything runs on loopback and stops by itself. With DATABASE_URL pointing at PostgreSQL
(`make bench-scaled`), the dashboard's side runs there.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


@dataclass
class Row:
    name: str
    value: str
    budget: str
    ok: bool | None  # None: reported, no budget
    detail: dict[str, Any]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def timed_requests(call: Callable[[], Any], runs: int) -> tuple[list[float], int]:
    """Server time in ms for `runs` calls, and the SQL queries the last call made."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm caches (templates, session)
    times = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = call()
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(captured.captured_queries)
    return times, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--events", type=int, default=20_000, help="seeded across the simulator's two portals"
    )
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--out", default=str(ROOT / "bench-results"))
    parser.add_argument(
        "--scale", default="1000,10000,100000", help="mirror sizes of the scale curve (empty: no curve)"
    )
    parser.add_argument("--scale-runs", type=int, default=30, help="requests per view and size")
    parser.add_argument(
        "--sync-events",
        type=int,
        default=100_000,
        help="events of the full-sync phase, on one portal of a simulator of its own (0: no sync phase)",
    )
    parser.add_argument(
        "--only",
        choices=["scale", "sync"],
        help="run one part alone: the scale curve (no simulator needed) or the full-sync phase",
    )
    args = parser.parse_args()
    if args.sync_events < 0:
        parser.error("--sync-events must be 0 (no sync phase) or more")

    work = Path(tempfile.mkdtemp(prefix="hsadmin-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / 'dashboard.sqlite3'}")
    os.environ["HSADMIN_DATA_DIR"] = str(work)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hsadmin.settings")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    if args.only == "scale":
        report(bench_scale_curve(args), Path(args.out), args)
        return
    if args.only == "sync":
        report(bench_full_sync(args, work), Path(args.out), args)
        return

    from tests.live_simulator import Control, start_simulator, stop_simulator

    print(f"Starting a simulator and seeding {args.events} events …", flush=True)
    simulator, base_url = start_simulator(work / "simulator.sqlite3")
    rows: list[Row] = []
    try:
        control = Control(base_url)
        seeded = control.http.post(
            "/seed", json={"events": args.events, "contacts": args.contacts, "lists": 40}, timeout=600
        ).json()
        print(f"Seeded: {seeded}", flush=True)
        rows += bench_dashboard(args, control, base_url, seeded)
        rows += bench_client(base_url, control)
        rows += bench_simulator(base_url)
        rows += bench_import(args, control, base_url)
    finally:
        stop_simulator(simulator)
    rows += bench_scale_curve(args)
    rows += bench_full_sync(args, work)

    report(rows, Path(args.out), args)


def bench_dashboard(args: argparse.Namespace, control: Any, base_url: str, seeded: dict) -> list[Row]:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    info = control.info()
    app = info["apps"][0]
    settings.HUBSPOT_API_BASE = settings.HUBSPOT_AUTH_BASE = base_url
    settings.HUBSPOT_APP_ID = app["app_id"]
    settings.HUBSPOT_CLIENT_ID, settings.HUBSPOT_CLIENT_SECRET = app["client_id"], app["client_secret"]
    settings.ALLOWED_HOSTS = ["testserver"]

    from hsadmin.core.models import Job, User
    from hsadmin.core.roles import Role
    from hsadmin.events.models import Event
    from hsadmin.jobs.runner import run_job
    from hsadmin.jobs.services import job_start
    from hsadmin.portals.models import REQUIRED_SCOPES, Membership, Portal

    # The seed shares events between its portals; the first is connected with a real token.
    hub_id = info["portals"][0]["hub_id"]
    tokens = control.token(hub_id, app["app_id"], scopes=list(REQUIRED_SCOPES))
    portal = Portal.objects.create(
        hub_id=hub_id,
        name="Bench portal",
        app_id=app["app_id"],
        scopes=tokens["scopes"],
        status="connected",
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
        token_expires_at=timezone.now() + timezone.timedelta(seconds=tokens["expires_in"]),
    )
    person = User.objects.create_user("bench", password="bench-password-123")
    Membership.objects.create(user=person, portal=portal, role=Role.MARKETING.value)
    manager = User.objects.create_user("bench-manager", password="bench-password-123")
    Membership.objects.create(user=manager, portal=portal, role=Role.MANAGER.value)

    # Full sync with HubSpot's real limit (100 requests / 10 s) switched on at the simulator.
    control.set_rate_limit(max=100, interval_ms=10_000, enabled=True)
    control.http.post("/stats/reset")
    started = time.perf_counter()
    job = job_start(kind="events.sync", portal=portal, user=person)
    run_job(job.pk)
    wall = time.perf_counter() - started
    job.refresh_from_db()
    stats = control.stats()
    calls = stats["by_family"].get("marketing-events", 0)
    mirrored = Event.objects.filter(portal=portal).count()
    cap = max(1, int(settings.HUBSPOT_RATE_LIMIT_MAX * settings.HUBSPOT_BULK_SHARE))
    allowed = ((calls - 1) // cap) * settings.HUBSPOT_RATE_LIMIT_INTERVAL_SECONDS if calls else 0.0
    control.set_rate_limit(max=100, interval_ms=10_000, enabled=False)
    rows = [
        Row(
            "full sync: list calls",
            f"{calls} for {mirrored} events",
            "≤ 101",
            calls <= 101 and job.state == "succeeded",
            {
                "calls": calls,
                "events": mirrored,
                "state": job.state,
                "429s": stats.get("by_status", {}).get("429", 0),
            },
        ),
        Row(
            "full sync: wall time",
            f"{wall:.1f} s (limit allows {allowed:.0f} s)",
            "≤ allowed + 10 %",
            wall <= max(allowed * 1.1, allowed + 2.0),
            {"wall_s": wall, "allowed_s": allowed, "bulk_capacity_per_window": cap},
        ),
    ]

    client = Client()
    client.force_login(person)
    list_url = f"/p/{hub_id}/events/"
    control.http.post("/stats/reset")
    page_times, page_queries = timed_requests(lambda: client.get(list_url), args.runs)
    families = control.stats()["by_family"]
    page_calls = sum(count for family, count in families.items() if family != "control")
    hx = {"HX-Request": "true", "HX-Target": "events-table"}
    partial_times, partial_queries = timed_requests(
        lambda: client.get(list_url, {"q": "webinar", "sort": "-registrants"}, headers=hx), args.runs
    )
    page2_times, page2_queries = timed_requests(
        lambda: client.get(list_url, {"page": "200", "status": "past"}, headers=hx), args.runs // 2
    )
    full_times, full_queries = timed_requests(
        lambda: client.get(list_url, {"per_page": "100", "sort": "name"}, headers=hx), args.runs // 2
    )
    rows += [
        Row(
            "event list page",
            f"p50 {statistics.median(page_times):.1f} ms, p95 {percentile(page_times, 95):.1f} ms, "
            f"{page_queries} queries, {page_calls} HubSpot calls",
            "p95 ≤ 100 ms, ≤ 8 queries, 0 calls",
            percentile(page_times, 95) <= 100 and page_queries <= 8 and page_calls == 0,
            {
                "p50_ms": statistics.median(page_times),
                "p95_ms": percentile(page_times, 95),
                "queries": page_queries,
                "events": mirrored,
                "hubspot_calls": page_calls,
            },
        ),
        Row(
            "event list partial (search, sort)",
            f"p50 {statistics.median(partial_times):.1f} ms, p95 {percentile(partial_times, 95):.1f} ms, {partial_queries} queries",
            "p95 ≤ 50 ms",
            percentile(partial_times, 95) <= 50,
            {
                "p50_ms": statistics.median(partial_times),
                "p95_ms": percentile(partial_times, 95),
                "queries": partial_queries,
            },
        ),
        Row(
            "event list partial (filter, page 200)",
            f"p50 {statistics.median(page2_times):.1f} ms, p95 {percentile(page2_times, 95):.1f} ms, {page2_queries} queries",
            "p95 ≤ 50 ms, same queries",
            percentile(page2_times, 95) <= 50 and page2_queries == partial_queries,
            {
                "p50_ms": statistics.median(page2_times),
                "p95_ms": percentile(page2_times, 95),
                "queries": page2_queries,
            },
        ),
        Row(
            "event list partial (100 per page)",
            f"p50 {statistics.median(full_times):.1f} ms, p95 {percentile(full_times, 95):.1f} ms, {full_queries} queries",
            "p95 ≤ 50 ms, same queries",
            percentile(full_times, 95) <= 50 and full_queries == partial_queries,
            {
                "p50_ms": statistics.median(full_times),
                "p95_ms": percentile(full_times, 95),
                "queries": full_queries,
            },
        ),
    ]

    reporter = Client()
    reporter.force_login(manager)
    report_times, report_queries = timed_requests(
        lambda: reporter.get("/reports/", {"period": "last_12_months"}), max(20, args.runs // 4)
    )
    rows.append(
        Row(
            "report page",
            f"p50 {statistics.median(report_times):.1f} ms, p95 {percentile(report_times, 95):.1f} ms, {report_queries} queries",
            "p95 ≤ 150 ms",
            percentile(report_times, 95) <= 150,
            {
                "p50_ms": statistics.median(report_times),
                "p95_ms": percentile(report_times, 95),
                "queries": report_queries,
            },
        )
    )

    running = Job.objects.create(
        kind="events.sync", portal=portal, started_by=person, state="running", total=100, done=40
    )
    poll_times, poll_queries = timed_requests(
        lambda: client.get(f"/jobs/{running.pk}/progress/", headers={"HX-Request": "true"}), args.runs
    )
    rows.append(
        Row(
            "job progress poll",
            f"p50 {statistics.median(poll_times):.1f} ms, p95 {percentile(poll_times, 95):.1f} ms, {poll_queries} queries",
            "≤ 20 ms, ≤ 2 queries",
            percentile(poll_times, 95) <= 20 and poll_queries <= 2,
            {
                "p50_ms": statistics.median(poll_times),
                "p95_ms": percentile(poll_times, 95),
                "queries": poll_queries,
            },
        )
    )
    return rows


# Views whose growth is reported but not budgeted: a URL naming only a deep page number (links carry the row to
# seek from, so only a typed or very old URL takes this path) still counts rows off to reach it.
UNBUDGETED_VIEWS = {"deep page by its number alone"}


def bench_scale_curve(args: argparse.Namespace) -> list[Row]:
    """Design §7 at scale: every list view p95 ≤ 50 ms at the largest size and ≤ 2× its p95 at the smallest,
    with the same SQL queries at every size; the report page p95 ≤ 150 ms."""
    sizes = tuple(int(size) for size in args.scale.split(",") if size.strip())
    if not sizes:
        return []
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from tests.bench import bench_scale

    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = ["testserver"]
    app_id = int(settings.HUBSPOT_APP_ID or 4_242)
    settings.HUBSPOT_APP_ID = app_id
    print(f"Scale curve on {connection.vendor}: {', '.join(f'{s:,}' for s in sizes)} events …", flush=True)
    started = time.perf_counter()
    curve = bench_scale.measure(app_id=app_id, runs=args.scale_runs, sizes=sizes)
    print(f"  scale curve took {time.perf_counter() - started:.0f} s", flush=True)
    first, last = sizes[0], sizes[-1]
    rows = []
    for name, by_size in curve.items():
        small, large = by_size[first], by_size[last]
        ratio = large["p95"] / max(small["p95"], 0.1)
        queries = sorted({figures["queries"] for figures in by_size.values()})
        steps = " → ".join(f"{by_size[size]['p95']:.1f}" for size in sizes)
        if name.startswith("report"):
            budget, ok = "p95 ≤ 150 ms", large["p95"] <= 150
        elif name in UNBUDGETED_VIEWS:
            budget, ok = "reported", None
        else:
            budget, ok = (
                "p95 ≤ 50 ms, ≤ 2×, same queries",
                large["p95"] <= 50 and ratio <= 2 and len(queries) == 1,
            )
        rows.append(
            Row(
                f"scale ({connection.vendor}): {name}",
                f"p95 {steps} ms (×{ratio:.2f}), {'/'.join(str(q) for q in queries)} queries",
                budget,
                ok,
                {"by_size": by_size, "ratio": ratio, "vendor": connection.vendor},
            )
        )
    return rows


# "Memory flat" for the full sync: from the first tenth of its pages to its end, this process's resident memory
# outside SQLite's own allocator may grow at most this much. SQLite's share is measured apart
# (`sqlite3_memory_used()`): it is a cache with a ceiling of its own, `cache_size` (64 MB a connection), which
# fills with the mirror's pages as the mirror grows (PostgreSQL's lives in its server). The rest is Python's heap:
# each write of five pages (500 events' models and their 12,500 SQL parameters) comes and goes, and the
# allocator's high-water mark settles within about 15 MB of where it stood after the first tenth, then stays
# there. Keeping each event synced after the first tenth would not settle: 90,000 models (~1 KB each) add ~90 MB,
# so 24 MB tells flat from growing. (A set of 90,000 object IDs, ~10 MB, would slip under it; the sync keeps none:
# it stamps the rows it saw.) The JSON keeps the figures at every tenth of the pages, to see the shape.
SYNC_RSS_GROWTH_MB = 24.0


def bench_full_sync(args: argparse.Namespace, work: Path) -> list[Row]:
    """Design §7 at 100,000 events: ≤ events/100 + 1 list calls, within 5 % of what the rate limit allows
    (computed from the jobs' share, as the 10,000-event row is), no 429, memory flat."""
    events = args.sync_events
    if events <= 0:
        return []
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hsadmin.events.jobs import SYNC_PAGES_PER_WRITE
    from tests.bench import bench_sync

    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    print(f"Full sync of {events:,} events ({vendor}) …", flush=True)
    figures = bench_sync.measure(work=work, events=events, stale=events // 10, drafts=100)
    calls, allowed, wall = figures["calls"], figures["allowed_s"], figures["wall_s"]
    most_calls = -(-events // bench_sync.PAGE) + 1
    complete = (
        figures["state"] == "succeeded"
        and figures["mirrored"] == events
        and figures["stale_left"] == 0
        and figures["drafts_kept"] == figures["drafts"]
    )
    paging = figures["paging"]
    result = figures["result"] or {}
    finish = result.get("finish_seconds", {})
    writes = result.get("writes", {})
    write_ms = 100_000 * writes.get("seconds", 0) / max(1, writes.get("events", 0))
    return [
        Row(
            f"full sync ({vendor}): list calls",
            f"{calls:,} for {figures['mirrored']:,} events",
            f"≤ {most_calls:,}",
            calls <= most_calls and complete,
            figures,
        ),
        Row(
            f"full sync ({vendor}): wall time",
            f"{wall:.1f} s (limit allows {allowed:.0f} s, ×{wall / max(allowed, 0.1):.3f})",
            "≤ allowed + 5 %",
            wall <= max(allowed * 1.05, allowed + 2.0),
            {
                "wall_s": wall,
                "allowed_s": allowed,
                "bulk_capacity_per_window": figures["bulk_capacity_per_window"],
            },
        ),
        Row(
            f"full sync ({vendor}): mirror writes",
            f"{write_ms:.0f} ms per 100 events (upsert and checkpoint, {SYNC_PAGES_PER_WRITE} pages a "
            "transaction)",
            "≤ 70 ms (a call every ~100 ms)",
            write_ms <= 70,
            writes,
        ),
        Row(
            f"full sync ({vendor}): 429s",
            str(figures["http_429"]),
            "0",
            figures["http_429"] == 0,
            {},
        ),
        Row(
            f"full sync ({vendor}): memory",
            f"RSS {figures['rss_tenth_mb']:.0f} MB after 10 % of pages, {figures['rss_end_mb']:.0f} MB at the end, "
            f"peak {figures['rss_peak_mb']:.0f} MB; "
            + (
                f"SQLite's cache {figures['sqlite_tenth_mb']:.0f} → {figures['sqlite_end_mb']:.0f} MB; the rest "
                if vendor == "sqlite"
                else "growth "
            )
            + f"{round(figures['rss_less_sqlite_growth_mb'], 1) or 0.0:+.1f} MB",  # no "-0.0"
            f"flat: {'the rest ' if vendor == 'sqlite' else ''}+≤ {SYNC_RSS_GROWTH_MB:.0f} MB",
            figures["rss_less_sqlite_growth_mb"] <= SYNC_RSS_GROWTH_MB,
            {key: value for key, value in figures.items() if key.startswith(("rss", "sqlite"))},
        ),
        Row(
            f"full sync ({vendor}): end of sync",
            f"{figures['end_of_sync_s']} s after the last page: {figures['stale'] - figures['stale_left']:,} of "
            f"{figures['stale']:,} vanished events removed ({finish.get('remove_unseen', '?')} s), statistics "
            f"({finish.get('statistics', '?')} s), {figures['drafts_kept']} of {figures['drafts']} drafts kept",
            "reported",
            None if complete else False,
            {"end_of_sync_s": figures["end_of_sync_s"], "finish_seconds": finish},
        ),
        Row(
            "simulator: list-all page, first vs last",
            f"{paging['first_page_ms']} ms vs {paging['deep_page_ms']} ms after {events:,} events "
            f"(×{paging['ratio']})",
            "steady (≤ 1.5×)",
            paging["ratio"] <= 1.5 and paging["deep_page_results"] > 0,
            paging,
        ),
    ]


def bench_client(base_url: str, control: Any) -> list[Row]:
    """The client's own CPU per call (mock transport) and its calls per second against the simulator."""
    from tests.bench import bench_client

    own = bench_client.overhead(2000)
    info = control.info()
    token = control.token(info["portals"][0]["hub_id"], info["apps"][0]["app_id"])["access_token"]
    live = bench_client.live(base_url, token, calls=500, threads=4)
    return [
        Row(
            "client: our overhead per call (CPU)",
            f"{own['ours_ms']:.3f} ms (whole client {own['client_ms']:.3f} ms)",
            "< 1 ms",
            own["ours_ms"] < 1,
            own,
        ),
        Row(
            "client: calls per second (limit off)",
            f"{live['calls_per_second_1_threads']:.0f}/s (1 thread), {live.get('calls_per_second_4_threads', 0):.0f}/s (4)",
            "",
            None,
            live,
        ),
    ]


def bench_simulator(base_url: str) -> list[Row]:
    from tests.bench import bench_simulator

    rows = []
    for line in bench_simulator.run(base_url, reads=200, batches=20):
        name, _, rest = line.partition(" median ")
        rows.append(
            Row(
                f"simulator: {name.strip()}",
                "median " + rest.split("budget")[0].strip(),
                "median < " + rest.split("budget")[1].split("(")[0].strip(),
                "OVER BUDGET" not in line,
                {},
            )
        )
    return rows


def bench_import(args: argparse.Namespace, control: Any, base_url: str) -> list[Row]:
    try:
        from tests.bench import bench_import
    except ImportError:
        return [
            Row(
                "CSV import",
                "not measured (tests/bench/bench_import.py missing)",
                "≥ 90 % of the ceiling",
                None,
                {},
            )
        ]
    measure = getattr(bench_import, "measure", None)
    if measure is None or args.import_rows <= 0:
        return [Row("CSV import", "not measured", "≥ 90 % of the ceiling", None, {})]
    figures = measure(base_url=base_url, rows=args.import_rows)
    share = figures["rows_per_second"] / figures["ceiling_rows_per_second"]
    return [
        Row(
            "CSV import: rows per second",
            f"{figures['rows_per_second']:.0f}/s of {figures['ceiling_rows_per_second']:.0f}/s ceiling ({share:.0%})",
            "≥ 90 % of the ceiling",
            share >= 0.9 and figures.get("lost", 0) == 0,
            figures,
        ),
        Row("CSV import: peak RSS", f"{figures['peak_rss_mb']:.0f} MB", "flat (streamed)", None, {}),
        *pages_during_import(figures.get("pages_during_import_ms", {})),
        *import_with_nobody_about(measure, base_url, rows=args.import_rows),
    ]


def import_with_nobody_about(measure: Any, base_url: str, *, rows: int) -> list[Row]:
    """The same import with nobody browsing: the people's reserve is lent to it (budget ≥ 97 % of the ceiling)."""
    figures = measure(base_url=base_url, rows=rows, browse=False)
    share = figures["rows_per_second"] / figures["ceiling_rows_per_second"]
    return [
        Row(
            f"CSV import, nobody about ({rows:,} rows)",
            f"{figures['rows_per_second']:.0f}/s of {figures['ceiling_rows_per_second']:.0f}/s ceiling ({share:.0%})",
            "≥ 97 % of the ceiling",
            share >= 0.97 and figures.get("lost", 0) == 0 and figures.get("http_429", 0) == 0,
            figures,
        )
    ]


# The mirror's pages keep the event list page's budget while an import runs; the participation page's breakdown
# reads HubSpot live (one call from the people's share of the rate limit), so its time is reported, not budgeted.
DURING_IMPORT_BUDGET_MS = {"event list": 100.0, "event detail": 100.0, "participation page": 100.0}


def pages_during_import(timings: dict[str, dict[str, Any]]) -> list[Row]:
    rows = []
    for name, figures in timings.items():
        budget = DURING_IMPORT_BUDGET_MS.get(name)
        rows.append(
            Row(
                f"during the import: {name}",
                f"p50 {figures['p50']} ms, p95 {figures['p95']} ms ({figures['n']} requests)",
                f"p95 ≤ {budget:.0f} ms" if budget else "reads HubSpot live",
                None if budget is None or not figures["n"] else figures["p95"] <= budget,
                figures,
            )
        )
    return rows


def _database() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return "PostgreSQL" if url.startswith(("postgres", "pgsql")) else "SQLite"


def report(rows: list[Row], out: Path, args: argparse.Namespace) -> None:
    machine = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "database": _database(),
        "processor": platform.processor() or platform.machine(),
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
    width = max(len(r.name) for r in rows) + 2
    print()
    print(f"{'measure':<{width}} {'result':<60} {'budget':<28} verdict")
    print("-" * (width + 100))
    for row in rows:
        verdict = "n/a" if row.ok is None else ("PASS" if row.ok else "FAIL")
        print(f"{row.name:<{width}} {row.value:<60} {row.budget:<28} {verdict}")
    print(f"\nMachine: {machine}")
    out.mkdir(parents=True, exist_ok=True)
    path = out / "latest.json"
    path.write_text(
        json.dumps(
            {"machine": machine, "args": vars(args), "rows": [asdict(r) for r in rows]}, indent=2, default=str
        )
    )
    print(f"Saved to {path}")
    failed = [r.name for r in rows if r.ok is False]
    if failed:
        print(f"Over budget: {', '.join(failed)}")


if __name__ == "__main__":
    main()
