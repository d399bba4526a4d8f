"""Benchmark of the HubSpot client (not a pytest test): `python -m tests.bench.bench_client` from the repo root.

Reports, against the budget in issue 4 (the client's own overhead under 1 ms per call, reusing connections):

1. Client overhead, isolated: CPU time per call with an httpx.MockTransport returning a canned answer, split into
   what bare httpx costs for the same request and what our layer adds (limiter, retry loop, auth, error mapping,
   parsing into frozen dataclasses).
2. Against the live simulator with its rate limit off: calls per second (one thread, and several), and the
   client process's CPU time per call over real HTTP with pooled keep-alive connections.

Without --base-url it starts a simulator of its own (tests/live_simulator.py) on a temporary database.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from hsadmin.hubspot_client import (  # noqa: E402
    BearerAuth,
    EventCreate,
    HubSpotClient,
    InProcessLimiter,
    RetryPolicy,
)
from hsadmin.hubspot_client.client import new_http_client  # noqa: E402

BUDGET_MS = 1.0
EVENT = {
    "objectId": "501",
    "eventName": "Spring webinar",
    "eventOrganizer": "Acme",
    "eventType": "WEBINAR",
    "startDateTime": "2026-05-01T15:00:00.000Z",
    "endDateTime": "2026-05-01T16:30:00Z",
    "customProperties": [{"name": "room", "value": "A"}],
    "createdAt": "2026-04-01T09:00:00Z",
    "updatedAt": "2026-04-02T09:00:00Z",
    "appInfo": {"id": "77", "name": "hsadmin"},
    "externalEventId": "ev-1",
    "registrants": 3,
    "attendees": 2,
    "cancellations": 1,
    "noShows": 0,
}
BODY = json.dumps(EVENT).encode()
HEADERS = {
    "Content-Type": "application/json",
    "X-HubSpot-RateLimit-Max": "100",
    "X-HubSpot-RateLimit-Remaining": "99",
    "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
}


def canned(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=BODY, headers=HEADERS)


def cpu_per_call(fn: Callable[[], object], calls: int, rounds: int = 5) -> float:
    """Median CPU seconds per call over `rounds` runs of `calls` calls (after a warm-up)."""
    for _ in range(min(200, calls)):
        fn()
    samples = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(calls):
            fn()
        samples.append((time.process_time() - start) / calls)
    return statistics.median(samples)


def overhead(calls: int) -> dict[str, float]:
    bare = httpx.Client(base_url="https://api.test", transport=httpx.MockTransport(canned))
    bare_ms = cpu_per_call(lambda: bare.get("/marketing/v3/marketing-events/501").json(), calls) * 1000
    client = HubSpotClient(
        base_url="https://api.test",
        transport=httpx.MockTransport(canned),
        auth=BearerAuth("pat-bench"),
        limiter=InProcessLimiter(max_requests=10**9, interval=10.0, learn_from_headers=False),
        portal_key="portal:bench",
    )
    full_ms = cpu_per_call(lambda: client.get_event("501"), calls) * 1000
    return {"httpx_ms": bare_ms, "client_ms": full_ms, "ours_ms": full_ms - bare_ms}


def live(base_url: str, token: str, calls: int, threads: int) -> dict[str, float]:
    http = new_http_client(base_url)  # one pooled, keep-alive client, as in production
    client = HubSpotClient(
        base_url=base_url, auth=BearerAuth(token), http_client=http, retry=RetryPolicy(max_attempts=2)
    )
    spec = EventCreate("acct-bench", f"bench-{time.time_ns()}", "Bench event", "bench")
    object_id = client.create_event(spec).object_id
    assert object_id is not None
    for _ in range(50):
        client.get_event(object_id)  # warm the connection pool
    results: dict[str, float] = {}
    bare = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"})
    path = f"/marketing/v3/marketing-events/{object_id}"
    for _ in range(50):
        bare.get(path)
    cpu = time.process_time()
    for _ in range(calls):
        bare.get(path).json()
    results["bare_httpx_cpu_ms_per_call_1_threads"] = (time.process_time() - cpu) / calls * 1000
    bare.close()
    for n in sorted({1, threads}):
        wall = time.perf_counter()
        cpu = time.process_time()
        if n == 1:
            for _ in range(calls):
                client.get_event(object_id)
        else:
            with ThreadPoolExecutor(n) as pool:
                list(pool.map(lambda _: client.get_event(object_id), range(calls)))
        wall = time.perf_counter() - wall
        cpu = time.process_time() - cpu
        results[f"calls_per_second_{n}_threads"] = calls / wall
        results[f"client_cpu_ms_per_call_{n}_threads"] = cpu / calls * 1000
    http.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", help="a running simulator (default: start one)")
    parser.add_argument(
        "--token", help="an access token for --base-url (default: issue one via the control API)"
    )
    parser.add_argument("--calls", type=int, default=2000, help="calls per measurement (default 2000)")
    parser.add_argument(
        "--threads", type=int, default=8, help="threads for the concurrent live run (default 8)"
    )
    parser.add_argument("--skip-live", action="store_true", help="only the isolated overhead")
    args = parser.parse_args()

    figures = overhead(args.calls)
    print("Client overhead, isolated (httpx.MockTransport, canned 200 event, CPU time per call):")
    print(f"  bare httpx request + json       {figures['httpx_ms']:.3f} ms")
    print(f"  HubSpotClient.get_event()       {figures['client_ms']:.3f} ms")
    ok = "within" if figures["client_ms"] < BUDGET_MS else "OVER"
    print(f"  our layer on top of httpx       {figures['ours_ms']:.3f} ms")
    print(
        f"  budget: client overhead < {BUDGET_MS:.1f} ms per call -> {ok} budget (whole client incl. httpx)"
    )

    if args.skip_live:
        return
    process = None
    base_url, token = args.base_url, args.token
    if base_url is None:
        from tests.live_simulator import Control, start_simulator, stop_simulator

        database = Path(tempfile.mkdtemp(prefix="bench-sim-")) / "simulator.sqlite3"
        process, base_url = start_simulator(database)
        control = Control(base_url)
        control.reset()
        info = control.info()
        token = control.token(info["portals"][0]["hub_id"], info["apps"][0]["app_id"])["access_token"]
    elif token is None:
        parser.error("--token is required with --base-url")
    try:
        results = live(base_url, token, args.calls, args.threads)
    finally:
        if process is not None:
            stop_simulator(process)
    print(f"Against the live simulator at {base_url} (rate limit off, GET one event, keep-alive pool):")
    for key, value in results.items():
        unit = "calls/s" if key.startswith("calls") else "ms CPU per call (client process, user+system)"
        print(f"  {key:40s} {value:9.3f} {unit}")
    ours = results["client_cpu_ms_per_call_1_threads"] - results["bare_httpx_cpu_ms_per_call_1_threads"]
    print(
        f"  our layer over real HTTP (client - bare httpx): {ours:.3f} ms per call; the rest is httpx, httpcore"
    )
    print("  and h11 themselves (mostly user CPU in their pure-Python URL and HTTP/1.1 handling).")


if __name__ == "__main__":
    main()
