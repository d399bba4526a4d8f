"""The soak run, small: 2,000 rows and 30 s of browsing under faults, every part real (see run.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.live_simulator import REPO_ROOT


@pytest.mark.slow
def test_a_short_soak_under_faults_loses_nothing_and_serves_no_server_error(tmp_path) -> None:
    command = [
        sys.executable,
        "-m",
        "tests.soak.run",
        *("--rows", "2000", "--duration", "30", "--events", "200", "--contacts", "400", "--browsers", "2"),
        # Latency is reported, not judged, here: the suite's machine is busy with other tests.
        *("--list-budget-ms", "0", "--max-minutes", "2", "--out", str(tmp_path / "soak.json")),
    ]
    run = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=150, check=False)  # noqa: S603
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "PASS" in run.stdout
