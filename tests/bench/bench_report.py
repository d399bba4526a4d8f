"""The report page's SQL, query by query, at two mirror sizes side by side (default 1,000 and 100,000 events).

`python -m tests.bench.bench_report [--sizes 1000,100000] [--runs 15] [--explain]`, on SQLite in a temporary
folder, or on PostgreSQL with `DATABASE_URL` set (`scripts/with-services`). The mirror is filled as the scale curve
fills it (`bench_scale.grow_mirror`, one portal per size). The page (last 12 months) is requested once per size with
its queries captured; then each query is run again `runs` times on its own and its median and fastest times are
printed per size, so growth shows query by query without the noise of rendering. `--explain` prints each query's
plan at the largest size.
"""

from __future__ import annotations

import statistics
import time
from typing import Any


def _timed(cursor: Any, sql: str, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        cursor.execute(sql)
        cursor.fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times)


def _in_zone(zone: str, call: Any) -> Any:
    from django.utils import timezone

    with timezone.override(zone):
        return call()


def _label(sql: str) -> str:
    text = " ".join(sql.split())
    if "reports_eventdaysummary" in text:
        return "totals (summary days + edge hours)"
    if "UNION" in text:
        return "totals (over the events)"
    if "LIMIT 5" in text:
        return "ranking"
    if "LIMIT 25" in text or "LIMIT 26" in text:
        return "table page"
    return text[:48]


def main() -> None:
    import argparse
    import shutil

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    from tests.bench.bench_scale import grow_mirror, setup_portal, standalone_django

    work = standalone_django("hsadmin-report-")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    sizes = [int(s) for s in args.sizes.split(",")]
    captured_by_size: dict[int, list[str]] = {}
    page_ms: dict[int, list[float]] = {}
    for number, size in enumerate(sizes):
        portal, _person, manager = setup_portal(hub_id=991_001 + number, app_id=4_242)
        started = time.perf_counter()
        grow_mirror(portal, start=0, stop=size, app_id=4_242)
        print(f"  {size:,} events in {time.perf_counter() - started:.1f} s", flush=True)
        client = Client()
        client.force_login(manager)
        client.get("/reports/", {"period": "last_12_months"})  # warm
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/reports/", {"period": "last_12_months"}).status_code == 200
        captured_by_size[size] = [q["sql"] for q in captured.captured_queries]
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            client.get("/reports/", {"period": "last_12_months"})
            times.append((time.perf_counter() - started) * 1000)
        page_ms[size] = sorted(times)
    print(f"\n{connection.vendor}: the report page, last 12 months ({args.runs} runs each)")
    for size in sizes:
        ordered = page_ms[size]
        p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
        print(
            f"  page at {size:>7,}: p50 {statistics.median(ordered):6.1f} ms, p95 {p95:6.1f} ms, "
            f"{len(captured_by_size[size])} queries"
        )
    print(f"\n{'query':<50}" + "".join(f"{size:>18,}" for size in sizes) + "   (median / fastest, ms)")
    with connection.cursor() as cursor:
        rows = zip(*(captured_by_size[size] for size in sizes), strict=False)
        for queries in rows:
            if queries[0].startswith(("SAVEPOINT", "RELEASE")) or "django_session" in queries[0]:
                continue
            cells = []
            for sql in queries:
                median, fastest = _timed(cursor, sql, args.runs)
                cells.append(f"{median:8.1f} /{fastest:6.1f}")
            print(f"{_label(queries[0]):<50}" + "".join(f"{c:>18}" for c in cells))
    # The same figures read the way they were read before the summary and the rate indexes, in the same process.
    from hsadmin.portals.models import Portal
    from hsadmin.reports import selectors
    from hsadmin.reports.periods import period_for

    period = period_for("last_12_months")
    print(f"\n{'selector, now and before':<50}" + "".join(f"{size:>18,}" for size in sizes))
    portals = {size: [Portal.objects.get(hub_id=991_001 + number)] for number, size in enumerate(sizes)}
    ways: dict[str, Any] = {
        "totals, UTC": lambda p: selectors.totals(
            events=selectors.scoped_events(portals=p, filters={}),
            period=period,
            days=selectors.scoped_days(portals=p, filters={}),
        ),
        # Half an hour off UTC: every month has two partial UTC days, read from the events.
        "totals, Asia/Kolkata": lambda p: _in_zone(
            "Asia/Kolkata",
            lambda: selectors.totals(
                events=selectors.scoped_events(portals=p, filters={}),
                period=period_for("last_12_months"),
                days=selectors.scoped_days(portals=p, filters={}),
            ),
        ),
        "best, rate index (now at 2,000+ events)": lambda p: selectors.ranking(
            events=selectors.scoped_events(portals=p, filters={}),
            period=period,
            best=True,
            walk=[x.id for x in p],
        ),
        "best, the period sorted (before; now below 2,000)": lambda p: selectors.ranking(
            events=selectors.scoped_events(portals=p, filters={}), period=period, best=True
        ),
    }
    for name, way in ways.items():
        cells = []
        for size in sizes:
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                way(portals[size])
                times.append((time.perf_counter() - started) * 1000)
            cells.append(f"{statistics.median(times):8.1f} /{min(times):6.1f}")
        print(f"{name:<50}" + "".join(f"{c:>18}" for c in cells))
    with connection.cursor() as cursor:
        if args.explain:
            for sql in captured_by_size[sizes[-1]]:
                if "events_event" not in sql and "reports_eventdaysummary" not in sql:
                    continue
                print(f"\n-- {_label(sql)}")
                if connection.vendor == "postgresql":
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                else:
                    cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                for row in cursor.fetchall():
                    print("   ", " | ".join(str(c) for c in row))
    connection.close()
    shutil.rmtree(work, ignore_errors=True)  # the SQLite file of 100,000 events


if __name__ == "__main__":
    main()
