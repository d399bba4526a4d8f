"""`make soak`: hsadmin under a bounded, faulty load, with every part real and on loopback.

    python -m tests.soak.run [--duration 300] [--rows 50000] [--events 2000] [--browsers 4] [--max-minutes 15]

It starts a HubSpot simulator (a temporary database, seeded, HubSpot's rate limit on) that injects 429s, 5xx,
423s, timeouts, dropped connections, expired tokens and partial batch failures; a dashboard under gunicorn on a
free loopback port over a temporary SQLite file; two `db_worker`s and the `jobs_watchdog`. It connects a portal
with a real (short-lived) token set, then runs at once: a full sync job, a CSV attendance import of --rows rows
(through the participation app's own services and jobs: upload, preview, confirm) and --browsers people signed
in through the sign-in page, browsing the event list, its HTMX partial, event pages, reports and the jobs'
progress. Half-way the simulator's clock jumps past every token's expiry.

At the end (faults off) it checks: every CSV row is in the simulator exactly once and nothing else is (rows the
job reported as failed excepted), both jobs succeeded, the mirror holds every event, no response was a 5xx,
and the event list page's p95 during the import is within budget (100 ms of server time, as design §7 counts it:
gunicorn's own request time from its access log; the client-side figure, with loopback, is printed beside it). It prints a summary, saves it as JSON, and exits non-zero on any failure. Every process it
started is stopped, whatever happens. Sizes and time are flags: `--rows 2000 --duration 45` is the smoke run the
test suite uses.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.live_simulator import Control, start_simulator, stop_simulator  # noqa: E402

# About 2 % of HubSpot calls refused, 1 % of batches partly failed. Each fault costs the run real waiting (a 429
# waits out HubSpot's ten-second window, 5xx back off), so these rates let 50,000 rows finish in about 5 minutes.
FAULTS: dict[str, Any] = {
    "rate_429": 0.004,
    "rate_500": 0.003,
    "rate_502": 0.002,
    "rate_503": 0.002,
    "rate_423": 0.001,
    "rate_timeout": 0.001,
    "timeout_seconds": 2.0,
    "rate_drop": 0.002,
    "rate_expired_token": 0.003,
    "rate_partial_batch": 0.01,
}
LIST_P95_BUDGET_MS = 100.0
SERVER_ERROR = 500


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Processes ---------------------------------------------------------------------------------------------


class Processes:
    """Every child process, each in its own process group, stopped (group and all) by `stop_all`."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.children: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = (self.work / f"{name}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and modules
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.children.append((name, process))
        return process

    def check_alive(self) -> list[str]:
        return [f"{name} exited with {p.returncode}" for name, p in self.children if p.poll() is not None]

    def stop_all(self) -> None:
        for _name, process in reversed(self.children):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for _name, process in self.children:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


# Browsing ----------------------------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    status: int
    ms: float
    at: float


@dataclass
class Shared:
    hub_id: int
    object_ids: list[str] = field(default_factory=list)
    job_ids: list[int] = field(default_factory=list)
    # The jobs a Manager may follow too (the sync); imports are Marketing's, and a manager's poll of one is a 404.
    sync_job_ids: list[int] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    importing: threading.Event = field(default_factory=threading.Event)
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def sign_in(http: httpx.Client, username: str, password: str) -> None:
    page = http.get("/sign-in/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the sign-in page"
    answer = http.post(
        "/sign-in/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": str(http.base_url) + "/sign-in/"},
    )
    if answer.status_code != 302:
        raise RuntimeError(f"signing in {username} answered {answer.status_code}")


def browse(base_url: str, username: str, password: str, shared: Shared, seed: int, manager: bool) -> None:
    rng = random.Random(seed)
    hx = {"HX-Request": "true", "HX-Target": "events-table"}
    with httpx.Client(base_url=base_url, timeout=30, follow_redirects=False) as http:
        try:
            sign_in(http, username, password)
        except Exception as error:
            with shared.lock:
                shared.errors.append(f"{username}: {error}")
            return
        events = f"/p/{shared.hub_id}/events/"
        while not shared.stop.is_set():
            choice = rng.random()
            headers: dict[str, str] = {}
            params: dict[str, str] = {}
            if choice < 0.35:
                kind, path = "event list", events
            elif choice < 0.6:
                kind, path, headers = "event list partial", events, hx
                params = rng.choice(
                    [{"q": "webinar"}, {"sort": "-registrants"}, {"page": "3"}, {"status": "past", "q": "a"}]
                )
            elif choice < 0.8 and shared.object_ids:
                kind, path = "event detail", f"{events}{rng.choice(shared.object_ids)}/"
            elif choice < 0.9 and (jobs := shared.sync_job_ids if manager else shared.job_ids):
                kind, path = "job progress", f"/jobs/{rng.choice(jobs)}/progress/"
                headers = {"HX-Request": "true"}
            elif manager:
                kind, path = "reports", "/reports/"
            else:
                kind, path = "event list", events
            started = time.perf_counter()
            try:
                phase = "import" if shared.importing.is_set() else "other"
                tags = {"X-Soak-Kind": kind.replace(" ", "-"), "X-Soak-Phase": phase}
                response = http.get(path, params=params, headers={**headers, **tags})
                status = response.status_code
            except httpx.HTTPError as error:
                status = 0
                with shared.lock:
                    shared.errors.append(f"{kind}: {type(error).__name__}: {error}")
            ms = (time.perf_counter() - started) * 1000
            with shared.lock:
                shared.samples.append(Sample(kind, status, ms, time.monotonic()))
            time.sleep(rng.uniform(0.05, 0.3))


# The run -----------------------------------------------------------------------------------------------


def write_csv(path: Path, rows: int, existing: list[str], seed: int) -> dict[tuple[str, str, int], int]:
    """The CSV the import sends, and what it asks for: (email, state, interaction ms) → row count (1 each)."""
    rng = random.Random(seed)
    words = {"register": "registered", "attend": "attended", "cancel": "cancelled"}
    base_ms = int(time.time() * 1000) - 30 * 24 * 3600 * 1000
    expected: dict[tuple[str, str, int], int] = Counter()
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["email", "state", "interaction time", "first name"])
        for number in range(rows):
            if existing and rng.random() < 0.6:
                email = existing[number % len(existing)]
            else:
                email = f"soak-{number}@example.com"
            state = rng.choice(list(words))
            at_ms = base_ms + number * 1000
            out.writerow([email, words[state], str(at_ms), f"Soak {number}"])
            expected[(email.lower(), state, at_ms)] += 1
    return expected


def state_key(value: str) -> str:
    return {"reg": "register", "att": "attend", "can": "cancel"}.get(value.lower()[:3], value.lower())


def wait_for(condition: Any, timeout: float, what: str, poll: float = 0.5) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(poll)
    raise TimeoutError(f"{what} did not happen within {timeout:.0f} s")


def _stop_on_signal(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=300, help="seconds of browsing (default 300)")
    parser.add_argument("--rows", type=int, default=50_000, help="CSV rows to import (default 50,000)")
    parser.add_argument("--events", type=int, default=2_000, help="events seeded in the simulator")
    parser.add_argument("--contacts", type=int, default=5_000, help="contacts seeded in the simulator")
    parser.add_argument("--browsers", type=int, default=4, help="people browsing at once")
    parser.add_argument("--max-minutes", type=float, default=15, help="hard cap on the whole run (≤ 15)")
    parser.add_argument("--no-faults", action="store_true", help="a clean run, for comparison")
    parser.add_argument(
        "--list-budget-ms",
        type=float,
        default=LIST_P95_BUDGET_MS,
        help="event list p95 budget during the import, client-side (0: report only)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default=str(ROOT / "bench-results" / "soak.json"))
    args = parser.parse_args(argv)
    cap = min(args.max_minutes, 15) * 60
    # Stopped from outside (SIGTERM, or SIGINT where a shell ignores it): still stop every child process.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _stop_on_signal)
    t_start = time.monotonic()

    work = Path(tempfile.mkdtemp(prefix="hsadmin-soak-"))
    procs = Processes(work)
    simulator = None
    shared: Shared | None = None
    threads: list[threading.Thread] = []
    summary: dict[str, Any] = {"args": vars(args), "work": str(work)}
    failures: list[str] = []
    try:
        print(f"Soak: work directory {work}", flush=True)
        simulator, sim_url = start_simulator(work / "simulator.sqlite3")
        control = Control(sim_url)
        control.reset()
        seeded = control.http.post(
            "/seed", json={"events": args.events, "contacts": args.contacts, "lists": 5}, timeout=600
        ).json()
        info = control.info()
        app = info["apps"][0]
        hub_id = info["portals"][0]["hub_id"]
        print(f"Simulator at {sim_url}, seeded {seeded}", flush=True)

        from cryptography.fernet import Fernet

        env = dict(os.environ)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "tests.soak.settings",
                # Production settings (DEBUG off), over plain HTTP on loopback.
                "DEBUG": "false",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "SECURE_SSL_REDIRECT": "false",
                "SESSION_COOKIE_SECURE": "false",
                "CSRF_COOKIE_SECURE": "false",
                "SECURE_HSTS_SECONDS": "0",
                "DATABASE_URL": f"sqlite:///{work / 'dashboard.sqlite3'}",
                "HSADMIN_DATA_DIR": str(work),
                "SECRET_KEY": secrets.token_urlsafe(50),
                "HSADMIN_TOKEN_KEYS": Fernet.generate_key().decode(),
                "HUBSPOT_API_BASE": sim_url,
                "HUBSPOT_AUTH_BASE": sim_url,
                "HUBSPOT_APP_ID": str(app["app_id"]),
                "HUBSPOT_CLIENT_ID": app["client_id"],
                "HUBSPOT_CLIENT_SECRET": app["client_secret"],
                "HUBSPOT_DEVELOPER_API_KEY": app.get("developer_api_key", ""),
                "HSADMIN_SYNC_INTERVAL_MINUTES": "0",
                "LOG_LEVEL": "WARNING",
                "REDIS_URL": "",
                "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
            }
        )
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        os.environ.update(env)

        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import timezone

        call_command("migrate", verbosity=0)
        call_command("collectstatic", verbosity=0, interactive=False)
        from hsadmin.core.models import ENDED_STATES, Job, User
        from hsadmin.core.roles import Role
        from hsadmin.events.models import Event
        from hsadmin.events.services import EventData, event_create
        from hsadmin.hubspot_client import SubscriberState
        from hsadmin.jobs.services import job_start
        from hsadmin.participation import services as participation
        from hsadmin.participation.models import ImportStatus
        from hsadmin.portals.models import REQUIRED_SCOPES, Membership, Portal

        # A real token set from the simulator's OAuth, short-lived so the run refreshes it.
        tokens = control.token(hub_id, app["app_id"], scopes=list(REQUIRED_SCOPES), expires_in=120)
        portal = Portal.objects.create(
            hub_id=hub_id,
            name="Soak portal",
            app_id=app["app_id"],
            scopes=tokens["scopes"],
            status="connected",
            access_token=tokens["access_token"],
            refresh_token=tokens["refresh_token"],
            token_expires_at=timezone.now() + timezone.timedelta(seconds=tokens["expires_in"]),
        )
        password = secrets.token_urlsafe(16)
        marketer = User.objects.create_user("soak-marketing", password=password)
        Membership.objects.create(user=marketer, portal=portal, role=Role.MARKETING.value)
        people: list[tuple[str, bool]] = []
        for number in range(args.browsers):
            person = User.objects.create_user(f"soak-{number}", password=password)
            role = Role.MANAGER if number % 2 else Role.MARKETING
            Membership.objects.create(user=person, portal=portal, role=role.value)
            people.append((person.username, role == Role.MANAGER))

        # The event the CSV goes to: created through hsadmin before the faults start, so it is new and empty.
        target = event_create(
            portal=portal,
            user=marketer,
            data=EventData(name="Soak import target", organizer="Soak", event_type="WEBINAR"),
        )
        existing = [c["email"] for c in control.contacts(hub_id) if c.get("email")]
        csv_path = work / "attendance.csv"
        expected = write_csv(csv_path, args.rows, existing, args.seed)
        print(f"CSV: {args.rows} rows for event {target.object_id} ({csv_path})", flush=True)

        # The dashboard: gunicorn, two workers, the watchdog.
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        procs.start(
            "gunicorn",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "hsadmin.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(max(2, os.cpu_count() or 2)),
                "--threads",
                "2",
                "--access-logfile",
                str(work / "access.log"),
                # Server time per request (µs), and which browsing request it was, for server-side figures.
                "--access-logformat",
                "%(m)s %(U)s %(s)s %(D)s %({x-soak-kind}i)s %({x-soak-phase}i)s",
            ],
            env,
        )
        for number in range(2):
            procs.start(
                f"db_worker-{number}",
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--interval",
                    "0.2",
                    "--worker-id",
                    f"soak-{number}",
                ],
                env,
            )
        procs.start("jobs_watchdog", [sys.executable, "manage.py", "jobs_watchdog", "--interval", "5"], env)

        def healthy() -> bool:
            with contextlib.suppress(httpx.HTTPError):
                return httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200
            return False

        wait_for(healthy, 60, "the dashboard answering")
        print(f"Dashboard at {base_url}; workers and watchdog up", flush=True)

        # Faults on, rate limit on (HubSpot's: 100 requests per 10 s), and go.
        control.set_rate_limit(max=100, interval_ms=10_000, enabled=True)
        control.reset_stats()
        if not args.no_faults:
            control.set_faults(**FAULTS, seed=args.seed)
        shared = Shared(hub_id=hub_id, object_ids=[target.object_id])
        for number, (username, manager) in enumerate(people):
            thread = threading.Thread(
                target=browse,
                args=(base_url, username, password, shared, args.seed + number, manager),
                daemon=True,
            )
            thread.start()
            threads.append(thread)

        t0 = time.monotonic()
        sync = job_start(kind="events.sync", portal=portal, user=marketer)
        with open(csv_path, "rb") as handle:
            imp = participation.import_create(
                event=target, user=marketer, name="soak.csv", chunks=iter(lambda: handle.read(65536), b"")
            )
        preview = participation.import_preview_start(
            imp=imp,
            user=marketer,
            mapping=imp.mapping,
            default_state=SubscriberState.ATTEND.value,
            default_interaction_at=imp.default_interaction_at,
            never_create=False,
        )
        with shared.lock:
            shared.job_ids += [sync.pk, preview.pk]
            shared.sync_job_ids.append(sync.pk)
        print(
            f"Started: sync job {sync.pk}, import preview job {preview.pk}; mapping {imp.mapping}", flush=True
        )

        def ended(job_id: int) -> bool:
            return Job.objects.filter(pk=job_id, state__in=ENDED_STATES).exists()

        def remaining() -> float:
            return max(1.0, cap - (time.monotonic() - t_start) - 30)

        clock_jumped = False

        def tick() -> None:
            nonlocal clock_jumped
            dead = procs.check_alive()
            if dead:
                raise RuntimeError("; ".join(dead))
            if not clock_jumped and time.monotonic() - t0 > args.duration / 2:
                control.set_clock(2 * 3600)  # every access token the dashboard holds is now expired
                clock_jumped = True
            with shared.lock:
                if len(shared.object_ids) < 50:
                    shared.object_ids += list(
                        Event.objects.filter(portal=portal).values_list("object_id", flat=True)[:50]
                    )

        wait_for(lambda: (tick(), ended(preview.pk))[1], remaining(), "the import preview")
        imp.refresh_from_db()
        if imp.status != ImportStatus.PREVIEWED:
            raise RuntimeError(f"the preview ended as {imp.status}: {imp.message}")
        import_started = time.monotonic()
        shared.importing.set()
        job = participation.import_confirm(imp=imp, user=marketer, never_create=False)
        with shared.lock:
            shared.job_ids.append(job.pk)
        print(f"Preview done ({imp.counts}); import job {job.pk} started", flush=True)
        wait_for(lambda: (tick(), ended(job.pk))[1], remaining(), "the import")
        import_ended = time.monotonic()
        shared.importing.clear()
        wait_for(lambda: (tick(), ended(sync.pk))[1], remaining(), "the sync")
        # Browse on until the duration is up (the jobs may finish first).
        while time.monotonic() - t0 < args.duration and time.monotonic() - t_start < cap - 30:
            tick()
            time.sleep(1)
        shared.stop.set()
        for thread in threads:
            thread.join(timeout=35)
        wall = time.monotonic() - t0

        # Verify, with faults off.
        control.clear_faults()
        control.set_clock(0)
        stats = control.stats()
        sync.refresh_from_db()
        job.refresh_from_db()
        imp.refresh_from_db()
        applied = Counter(
            (str(p["email"]).lower(), state_key(p["state"]), int(p["interactionDateTime"]))
            for p in control.participations(hub_id, target.object_id)
        )
        missing = sum(1 for key in expected if key not in applied)
        duplicated = sum(count - 1 for count in applied.values() if count > 1)
        extra = sum(1 for key in applied if key not in expected)
        mirrored = Event.objects.filter(portal=portal).count()
        in_hubspot = len(control.events(hub_id))

        samples = list(shared.samples)
        by_kind: dict[str, dict[str, Any]] = {}
        for kind in sorted({s.kind for s in samples}):
            ms = [s.ms for s in samples if s.kind == kind]
            by_kind[kind] = {
                "requests": len(ms),
                "p50_ms": round(statistics.median(ms), 1),
                "p95_ms": round(percentile(ms, 95), 1),
                "statuses": dict(Counter(s.status for s in samples if s.kind == kind)),
            }
        during = [s.ms for s in samples if s.kind == "event list" and import_started <= s.at <= import_ended]
        client_p95_during = percentile(during, 95)
        server = server_times(work / "access.log")
        server_during = server.get(("event-list", "import"), [])
        list_p95_during = percentile(server_during, 95)
        server_errors = [s for s in samples if s.status >= SERVER_ERROR or s.status == 0]
        # Every persona asks only for what its role may see: a 4xx is a mistake of the product or of the soak.
        refused = [s for s in samples if 400 <= s.status < SERVER_ERROR]
        all_ms = [s.ms for s in samples]
        summary.update(
            {
                "wall_seconds": round(wall, 1),
                "rows": args.rows,
                "faults": {} if args.no_faults else FAULTS,
                "simulator_stats": stats,
                "sync": {
                    "state": sync.state,
                    "done": sync.done,
                    "failed": sync.failed,
                    "mirrored": mirrored,
                    "in_hubspot": in_hubspot,
                },
                "import": {
                    "state": job.state,
                    "status": imp.status,
                    "counts": imp.counts,
                    "done": job.done,
                    "failed": job.failed,
                    "seconds": round(import_ended - import_started, 1),
                },
                "participations": {
                    "expected": len(expected),
                    "applied": sum(applied.values()),
                    "missing": missing,
                    "duplicated": duplicated,
                    "extra": extra,
                },
                "browsing": {
                    "requests": len(samples),
                    "p50_ms": round(statistics.median(all_ms), 1) if all_ms else None,
                    "p95_ms": round(percentile(all_ms, 95), 1),
                    "by_kind": by_kind,
                    "event_list_p95_during_import_ms": round(list_p95_during, 1),
                    "event_list_p50_during_import_ms": round(statistics.median(server_during), 1)
                    if server_during
                    else None,
                    "event_list_client_p95_during_import_ms": round(client_p95_during, 1),
                    "event_list_requests_during_import": len(server_during),
                    "server_side": {
                        f"{kind} ({phase})": {
                            "requests": len(ms),
                            "p50_ms": round(statistics.median(ms), 1),
                            "p95_ms": round(percentile(ms, 95), 1),
                        }
                        for (kind, phase), ms in sorted(server.items())
                    },
                    "server_errors": len(server_errors),
                    "errors": shared.errors[:20],
                },
            }
        )
        if sync.state != "succeeded":
            failures.append(f"the sync job ended {sync.state}")
        if job.state != "succeeded":
            failures.append(f"the import job ended {job.state}")
        if mirrored < in_hubspot:
            failures.append(f"the mirror holds {mirrored} of {in_hubspot} events")
        if missing > job.failed:
            failures.append(f"{missing - job.failed} rows lost (missing and not reported failed)")
        if duplicated or extra:
            failures.append(f"{duplicated} rows applied twice, {extra} rows no one asked for")
        if server_errors:
            failures.append(f"{len(server_errors)} responses were 5xx or no answer")
        if refused:
            failures.append(
                f"{len(refused)} responses were refused (4xx), e.g. {refused[0].kind} {refused[0].status}"
            )
        if shared.errors:
            failures.append(f"{len(shared.errors)} browsing errors, e.g. {shared.errors[0]}")
        if not server_during:
            failures.append("no event list page was fetched during the import")
        elif args.list_budget_ms and list_p95_during > args.list_budget_ms:
            failures.append(
                f"event list p95 during the import {list_p95_during:.0f} ms > {args.list_budget_ms:.0f} ms"
            )
    except (Exception, KeyboardInterrupt) as error:
        failures.append(f"the run stopped: {type(error).__name__}: {error}")
    finally:
        if shared is not None:
            shared.stop.set()
        for thread in threads:
            thread.join(timeout=5)
        procs.stop_all()
        if simulator is not None:
            stop_simulator(simulator)

    summary["failures"] = failures
    report(summary)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=2, default=str))
    print(f"Saved to {out}; logs in {work}")
    return 1 if failures else 0


def server_times(access_log: Path) -> dict[tuple[str, str], list[float]]:
    """(kind, phase) → server times in ms, from gunicorn's access log (see its --access-logformat above)."""
    times: dict[tuple[str, str], list[float]] = {}
    with contextlib.suppress(FileNotFoundError), access_log.open() as lines:
        for line in lines:
            fields = line.split()
            if len(fields) != 6 or fields[4] == "-" or not fields[3].isdigit():
                continue
            times.setdefault((fields[4], fields[5]), []).append(int(fields[3]) / 1000)
    return times


def report(summary: dict[str, Any]) -> None:
    print("\n=== Soak summary ===")
    if "wall_seconds" in summary:
        part = summary["participations"]
        browsing = summary["browsing"]
        stats = summary["simulator_stats"]
        print(f"duration        {summary['wall_seconds']} s, {summary['rows']} CSV rows")
        print(f"faults          {summary['faults'] or 'none'}")
        print(
            f"simulator       {json.dumps({k: stats[k] for k in stats if k in ('by_status', 'faults', 'total')})}"
        )
        print(f"sync            {summary['sync']}")
        print(f"import          {summary['import']}")
        print(f"participations  {part}")
        print(
            f"browsing        {browsing['requests']} requests, p50 {browsing['p50_ms']} ms, p95 {browsing['p95_ms']} ms "
            f"(client-side), 5xx/no answer: {browsing['server_errors']}"
        )
        for kind, figures in browsing["by_kind"].items():
            print(f"  {kind:<20} {figures}")
        print("server-side (gunicorn's request time):")
        for name, figures in browsing["server_side"].items():
            print(f"  {name:<32} {figures}")
        print(
            f"event list during the import, server-side: p50 {browsing['event_list_p50_during_import_ms']} ms, "
            f"p95 {browsing['event_list_p95_during_import_ms']} ms over "
            f"{browsing['event_list_requests_during_import']} requests (budget p95 {LIST_P95_BUDGET_MS:.0f} ms); "
            f"client-side p95 {browsing['event_list_client_p95_during_import_ms']} ms"
        )
    for failure in summary["failures"]:
        print(f"FAIL: {failure}")
    print("PASS" if not summary["failures"] else "FAILED")


if __name__ == "__main__":
    sys.exit(main())
