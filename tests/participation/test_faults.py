"""The import under fire: the simulator injects 429s, 5xx, timeouts, expired tokens and partial batch failures,
and the real worker (`manage.py db_worker`) is killed mid-import and a new one started. At the end HubSpot's
participation state is exactly what the CSV asked for: no row lost, none applied twice.

Like tests/core/jobs/test_worker.py, the dashboard runs on a temporary SQLite file the subprocesses share.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from hsadmin.portals.models import REQUIRED_SCOPES
from tests.core.jobs.test_worker import job_row, manage, wait_for
from tests.events.conftest import HubSpotApi
from tests.live_simulator import LiveSimulator
from tests.participation.conftest import unique

pytestmark = pytest.mark.slow

DEFAULT_MS = 1_767_261_600_000  # 2026-01-01 10:00 UTC: the import's time for rows without one
SETUP = """
import datetime as dt, json
from pathlib import Path
from django.utils import timezone
from hsadmin.jobs.runner import run_job
from hsadmin.core.models import User
from hsadmin.events import services as event_services
from hsadmin.participation import services
from hsadmin.portals.hubspot import hubspot_client_for
from hsadmin.portals.models import Portal
p = json.loads(Path({params!r}).read_text())
user = User.objects.create_user("importer", is_superuser=True)
portal = Portal.objects.create(
    hub_id=p["hub_id"], name="Simulated", app_id=p["app_id"], status="connected", scopes=p["scopes"],
    access_token=p["access_token"], refresh_token=p["refresh_token"],
    token_expires_at=timezone.now() + dt.timedelta(seconds=60),  # expiring: refreshed on the first call
)
event_services.mirror_upsert_many(portal=portal, events=[hubspot_client_for(portal).get_event(p["object_id"])])
event = portal.events.get(object_id=p["object_id"])
imp = services.import_create(event=event, user=user, name="faults.csv", chunks=iter([Path(p["csv"]).read_bytes()]))
default = dt.datetime.fromtimestamp(p["default_ms"] / 1000, dt.UTC)
preview = services.import_preview_start(
    imp=imp, user=user, mapping=imp.mapping, default_state="", default_interaction_at=default, never_create=False
)
assert run_job(preview.pk) == "succeeded"
imp.refresh_from_db()
print(json.dumps(imp.counts))
job = services.import_confirm(imp=imp, user=user, never_create=False)
print(job.pk)
"""


@pytest.fixture
def env(tmp_path: Path, sim: LiveSimulator) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hsadmin.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'hsadmin.sqlite3'}",
        "SIMULATOR_DATABASE_URL": f"sqlite:///{tmp_path / 'simulator.sqlite3'}",
        "HSADMIN_DATA_DIR": str(tmp_path),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "HUBSPOT_API_BASE": sim.base_url,
        "HUBSPOT_AUTH_BASE": sim.base_url,
        "HUBSPOT_APP_ID": str(sim.app_id),
        "HUBSPOT_CLIENT_ID": sim.app["client_id"],
        "HUBSPOT_CLIENT_SECRET": sim.app["client_secret"],
        "HUBSPOT_DEVELOPER_API_KEY": sim.app["developer_api_key"],
        "JOBS_HEARTBEAT_TIMEOUT": "90",
    }


def _csv(existing: list[tuple[str, int]]) -> tuple[str, list[dict[str, str]]]:
    """About 760 rows: emails of existing contacts in three states, new emails, contact IDs with joined/left
    times, rows with and without a time, 20 invalid rows and 20 repeats."""
    rows: list[dict[str, str]] = []
    states = ["registered", "attended", "cancelled"]
    for i, (email, _) in enumerate(existing):
        rows.append(
            {
                "email": email,
                "id": "",
                "state": states[i % 3],
                "time": "" if i % 2 else str(1_767_000_000_000 + i),
            }
        )
    for i, (email, _) in enumerate(existing[:100]):
        rows.append({"email": email, "id": "", "state": "registered", "time": str(1_766_000_000_000 + i)})
    tag = unique("new")
    for i in range(200):
        rows.append({"email": f"{tag}.{i}@example.com", "id": "", "state": "registered", "time": ""})
    for i, (_, vid) in enumerate(existing[:200]):
        rows.append(
            {
                "email": "",
                "id": str(vid),
                "state": "attended",
                "time": str(1_768_000_000_000 + i),
                "joined": str(1_768_000_000_000 + i),
                "left": str(1_768_000_600_000 + i),
            }
        )
    rows += [{"email": f"broken-{i}", "id": "", "state": "registered", "time": ""} for i in range(20)]
    rows += [dict(rows[i]) for i in range(0, 200, 10)]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, ["email", "id", "state", "time", "joined", "left"], delimiter=";")
    writer.writeheader()
    for row in rows:
        writer.writerow({"joined": "", "left": "", **row})
    return buffer.getvalue(), rows


def _expected(rows: list[dict[str, str]], vids: dict[str, int]) -> set[tuple[str, str, int]]:
    states = {"registered": "REGISTERED", "attended": "ATTENDED", "cancelled": "CANCELLED"}
    wanted = set()
    for row in rows:
        if row["email"].startswith("broken-"):
            continue
        vid = row["id"] or str(vids[row["email"]])
        wanted.add((vid, states[row["state"]], int(row["time"]) if row["time"] else DEFAULT_MS))
    return wanted


def test_a_killed_worker_and_a_faulty_hubspot_lose_no_row_and_apply_none_twice(
    sim: LiveSimulator, env: dict[str, str], workers: Callable[[str], subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    partner = HubSpotApi(sim, sim.hub_id, sim.other_app_id)
    event = partner.create(unique("faults-"), "Under fire")
    scratch = partner.create(unique("scratch-"), "Scratch")
    emails = [f"{unique('old')}.{i}@example.com" for i in range(200)]
    made = partner.http.post(
        f"/{scratch['objectId']}/attendance/register/email-create",
        json={
            "inputs": [
                {"email": e, "interactionDateTime": 1, "properties": {}, "contactProperties": {}}
                for e in emails
            ]
        },
    ).json()
    existing = [(r["email"], int(r["vid"])) for r in made["results"]]
    content, rows = _csv(existing)
    (tmp_path / "faults.csv").write_text(content, encoding="utf-8")
    tokens = sim.control.token(sim.hub_id, sim.app_id, scopes=list(REQUIRED_SCOPES), expires_in=60)
    params = {
        "hub_id": sim.hub_id,
        "app_id": sim.app_id,
        "scopes": tokens["scopes"],
        "access_token": tokens["access_token"],
        "refresh_token": tokens["refresh_token"],
        "object_id": str(event["objectId"]),
        "csv": str(tmp_path / "faults.csv"),
        "default_ms": DEFAULT_MS,
    }
    (tmp_path / "params.json").write_text(json.dumps(params))
    manage(env, "migrate", "--no-input", "-v0")
    out = manage(env, "shell", "-c", SETUP.format(params=str(tmp_path / "params.json"))).strip().splitlines()
    counts, job_id = json.loads(out[-2]), int(out[-1])
    assert counts == {"existing": 500, "new": 200, "invalid": 20, "duplicate": 20, "rows": 740, "future": 0}

    # HubSpot misbehaves from now on; a 429 asks for a 1-second wait (the header's interval).
    sim.control.set_rate_limit(max=1000, interval_ms=1000, enabled=False)
    sim.control.set_faults(
        rate_429=0.1,
        rate_500=0.05,
        rate_503=0.05,
        rate_timeout=0.03,
        rate_drop=0.03,
        rate_expired_token=0.05,
        rate_slow=0.5,
        rate_partial_batch=0.15,
        timeout_seconds=1.0,
        slow_seconds=0.4,
        seed=11,
    )
    sim.control.reset_stats()
    db = tmp_path / "hsadmin.sqlite3"
    first = workers("first")
    wait_for(lambda: int(job_row(db, job_id)["chunks"]) >= 2, timeout=60, what="two confirmed batches")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    killed = job_row(db, job_id)
    assert killed["state"] == "running" and int(killed["done"]) < 740
    assert "requeued 1 job(s)" in manage(env, "jobs_watchdog", "--once")

    second = workers("second")
    wait_for(
        lambda: job_row(db, job_id)["state"] in ("succeeded", "failed"), timeout=120, what="the import to end"
    )
    second.terminate()
    injected = sim.control.stats()["faults"]
    sim.control.clear_faults()
    assert sum(n for kind, n in injected.items() if kind != "slow") >= 3, injected  # HubSpot did misbehave
    row = job_row(db, job_id)
    assert row["state"] == "succeeded", row["message"]
    # The 20 invalid rows failed; the 20 repeated rows were left out on purpose (sent once), not failed.
    assert (row["done"], row["failed"], row["skipped"], row["attempts"]) == (740, 20, 20, 2)

    vids = {c["email"]: int(c["id"]) for c in sim.control.contacts(sim.hub_id)}
    got = [
        (r["contactId"], r["state"], r["interactionDateTime"])
        for r in sim.control.participations(event_object_id=event["objectId"])
    ]
    assert len(got) == len(set(got))  # nothing applied twice
    assert set(got) == _expected(rows, vids)  # nothing lost, nothing extra
    assert (
        sum(1 for e in vids if e.startswith(rows[300]["email"].split(".")[0] + ".")) == 200
    )  # each created once
    with sqlite3.connect(db) as conn:
        refs = [r[0] for r in conn.execute("SELECT ref FROM core_jobitem WHERE job_id = ?", (job_id,))]
    assert sorted(refs) == sorted(f"row {n}" for n in range(1, 741))  # every row's result recorded once
    assert not (tmp_path / "uploads").exists() or not any((tmp_path / "uploads").iterdir())
