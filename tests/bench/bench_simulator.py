"""Benchmark the HubSpot simulator against its budgets (not a pytest test).

    python tests/bench/bench_simulator.py [--base-url http://127.0.0.1:8001] [--reads 300] [--batches 30]

Without ``--base-url`` it starts its own simulator on a temporary database (seeded with demo data) and stops it
afterwards. It prints the median and p95 of single-object reads (by objectId and by external ids) and of
100-input attendance batches (by contact id and by email), each beside its budget: reads under 10 ms at the
median, a 100-input attendance batch under 100 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.live_simulator import Control, start_simulator, stop_simulator

READ_BUDGET_MS = 10
BATCH_BUDGET_MS = 100


def _timed(call: object, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()  # type: ignore[operator]
        times.append((time.perf_counter() - started) * 1000)
    return times


def _line(name: str, times: list[float], budget: float) -> str:
    median = statistics.median(times)
    p95 = sorted(times)[int(len(times) * 0.95) - 1]
    verdict = "OK" if median < budget else "OVER BUDGET"
    return f"{name:<44} median {median:7.2f} ms   p95 {p95:7.2f} ms   budget {budget} ms (median)  {verdict}"


def run(base_url: str, reads: int, batches: int) -> list[str]:
    control = Control(base_url)
    info = control.info()
    hub, app = info["portals"][0]["hub_id"], info["apps"][0]["app_id"]
    token = control.token(hub, app)["access_token"]
    client = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    prefix = "/marketing/v3/marketing-events"
    external_id = f"bench-{time.time_ns()}"
    event = client.post(
        f"{prefix}/events",
        json={
            "externalAccountId": "bench",
            "externalEventId": external_id,
            "eventName": "Benchmark",
            "eventOrganizer": "b",
            "startDateTime": "2030-01-01T10:00:00Z",
            "endDateTime": "2030-01-01T11:00:00Z",
            "customProperties": [],
        },
    ).json()
    object_id = event["objectId"]
    emails = [f"bench{i}@bench.example" for i in range(100)]
    stamp = iter(range(10**12, 10**13))

    def email_batch() -> None:
        at = next(stamp)
        inputs = [
            {"email": e, "interactionDateTime": at, "properties": {}, "contactProperties": {}} for e in emails
        ]
        response = client.post(
            f"{prefix}/{object_id}/attendance/register/email-create", json={"inputs": inputs}
        )
        assert response.status_code == 200, response.text

    email_batch()  # creates the contacts
    vids = [
        r["vid"]
        for r in client.post(
            f"{prefix}/{object_id}/attendance/attend/email-create",
            json={
                "inputs": [
                    {"email": e, "interactionDateTime": 1, "properties": {}, "contactProperties": {}}
                    for e in emails
                ]
            },
        ).json()["results"]
    ]

    def vid_batch() -> None:
        at = next(stamp)
        inputs = [{"vid": v, "interactionDateTime": at, "properties": {}} for v in vids]
        response = client.post(f"{prefix}/{object_id}/attendance/attend/create", json={"inputs": inputs})
        assert response.status_code == 200, response.text

    _timed(lambda: client.get(f"{prefix}/{object_id}"), 20)  # warm up
    return [
        _line("GET /{objectId}", _timed(lambda: client.get(f"{prefix}/{object_id}"), reads), READ_BUDGET_MS),
        _line(
            "GET /events/{externalEventId}",
            _timed(
                lambda: client.get(f"{prefix}/events/{external_id}", params={"externalAccountId": "bench"}),
                reads,
            ),
            READ_BUDGET_MS,
        ),
        _line(
            "GET /participations/{id} (counters)",
            _timed(lambda: client.get(f"{prefix}/participations/{object_id}"), reads),
            READ_BUDGET_MS,
        ),
        _line("100-input attendance batch (contact ids)", _timed(vid_batch, batches), BATCH_BUDGET_MS),
        _line("100-input attendance batch (email-create)", _timed(email_batch, batches), BATCH_BUDGET_MS),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default=None)
    parser.add_argument("--reads", type=int, default=300)
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--seed-events", type=int, default=2000)
    args = parser.parse_args()
    if args.base_url:
        lines = run(args.base_url, args.reads, args.batches)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            process, base_url = start_simulator(Path(tmp) / "bench.sqlite3")
            try:
                Control(base_url).seed(events=args.seed_events, contacts=args.seed_events * 2)
                lines = run(base_url, args.reads, args.batches)
            finally:
                stop_simulator(process)
    print("HubSpot simulator benchmark")
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
