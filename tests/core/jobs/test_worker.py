"""A real worker: `manage.py db_worker` in a subprocess, killed with SIGKILL mid-job, then a new one resumes.

The in-memory test database cannot be shared with another process, so this test runs against a temporary
SQLite file that the subprocesses migrate themselves; the test reads it with sqlite3 directly.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.live_simulator import REPO_ROOT

pytestmark = pytest.mark.slow

MANAGE = [sys.executable, str(REPO_ROOT / "manage.py")]

CREATE_JOB = """
from hsadmin.jobs.services import job_start
from hsadmin.core.models import User
from hsadmin.portals.models import Portal
user = User.objects.create_user("worker-test", is_superuser=True)
portal = Portal.objects.create(hub_id=4242, name="Worker test", refresh_token="r")
job = job_start(kind="tests.count", portal=portal, user=user, params={params!r})
print(job.pk)
"""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.core.jobs.worker_settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'hsadmin.sqlite3'}",
        "SIMULATOR_DATABASE_URL": f"sqlite:///{tmp_path / 'simulator.sqlite3'}",
        "HSADMIN_DATA_DIR": str(tmp_path),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [*MANAGE, *args], env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def job_row(db: Path, job_id: int) -> dict[str, object]:
    with sqlite3.connect(db, timeout=10) as conn:
        conn.row_factory = sqlite3.Row
        return dict(conn.execute("SELECT * FROM core_job WHERE id = ?", (job_id,)).fetchone())


def wait_for(predicate: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_job_survives_a_killed_worker_and_a_new_worker_finishes_it_without_repeating_confirmed_chunks(
    env: dict[str, str], workers: Callable[[str], subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    db = tmp_path / "hsadmin.sqlite3"
    log = tmp_path / "sent.log"
    manage(env, "migrate", "--no-input", "-v0")
    params = {"n": 30, "size": 3, "delay": 0.15, "log": str(log)}
    job_id = int(manage(env, "shell", "-c", CREATE_JOB.format(params=params)).split()[-1])

    first = workers("first")
    wait_for(
        lambda: int(job_row(db, job_id)["done"]) >= 9, timeout=30, what="the first worker to confirm 3 chunks"
    )
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)

    killed = job_row(db, job_id)
    assert killed["state"] == "running"  # nobody told the row: the worker just vanished
    confirmed_before_kill = {seq * 3 for seq in range(int(killed["chunks"]))}
    assert "requeued 1 job(s)" in manage(env, "jobs_watchdog", "--once")  # its process is gone: at once

    second = workers("second")
    wait_for(
        lambda: job_row(db, job_id)["state"] == "succeeded", timeout=40, what="the second worker to finish"
    )
    second.terminate()

    row = job_row(db, job_id)
    assert (row["done"], row["failed"], row["chunks"], row["attempts"]) == (30, 0, 10, 2)
    sends = Counter(int(line) for line in log.read_text().split())
    assert set(sends) == set(range(0, 30, 3))
    resent = {start for start, count in sends.items() if count > 1}
    assert len(resent) <= 1 and not (resent & confirmed_before_kill)  # only the chunk in flight went twice
    with sqlite3.connect(db) as conn:
        seqs = [
            r[0]
            for r in conn.execute("SELECT seq FROM core_jobchunk WHERE job_id = ? ORDER BY seq", (job_id,))
        ]
        refs = [r[0] for r in conn.execute("SELECT ref FROM core_jobitem WHERE job_id = ?", (job_id,))]
    assert seqs == list(range(1, 11))
    assert sorted(refs) == sorted(f"number {i}" for i in range(30))  # every item done exactly once
