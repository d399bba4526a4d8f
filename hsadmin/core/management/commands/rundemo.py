"""`make run`'s last step: the whole product on one machine.

Starts the local HubSpot simulator (seeded on first run) when the dashboard is pointed at it, the job worker,
the jobs watchdog and the sync scheduler, then serves the dashboard on http://127.0.0.1:8000. Ctrl-C stops
everything it started.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

import httpx
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]


class Command(BaseCommand):
    help = "Serve the dashboard with the HubSpot simulator, worker and scheduler beside it (what `make run` does)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Where the dashboard listens.")

    def handle(self, *args: Any, **options: Any) -> None:
        children: list[subprocess.Popen[bytes]] = []
        env = os.environ.copy()
        # A plain `kill` (or a supervisor stopping us) stops the children too, like Ctrl-C does.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            if self._uses_simulator():
                children.append(self._start_simulator(env))
            for command in (["db_worker"], ["jobs_watchdog"], ["schedule_syncs"]):
                children.append(subprocess.Popen([*MANAGE, *command], env=env))  # noqa: S603 - our manage.py
            self.stdout.write(
                self.style.SUCCESS(f"hsadmin is at http://{options['addr']}/  (Ctrl-C stops it)")
            )
            web = subprocess.Popen([*MANAGE, "runserver", options["addr"]], env=env)  # noqa: S603
            children.append(web)
            web.wait()
        except KeyboardInterrupt:
            self.stdout.write("Stopping…")
        finally:
            for child in reversed(children):
                if child.poll() is None:
                    child.send_signal(signal.SIGINT)
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()

    def _uses_simulator(self) -> bool:
        return settings.HUBSPOT_API_BASE.rstrip("/") == f"http://{settings.SIMULATOR_ADDR}"

    def _start_simulator(self, env: dict[str, str]) -> subprocess.Popen[bytes]:
        addr = settings.SIMULATOR_ADDR
        base = f"http://{addr}"
        self.stdout.write(f"Starting the HubSpot simulator on {base} …")
        proc = subprocess.Popen([*MANAGE, "simulator", "serve", "--addr", addr], env=env)  # noqa: S603
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise CommandError(
                    f"The simulator stopped at start-up (exit code {proc.returncode}); see above."
                )
            try:
                if httpx.get(f"{base}/_simulator/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        else:
            proc.kill()
            raise CommandError(f"The simulator did not answer on {base} within 60 seconds.")
        info = httpx.get(f"{base}/_simulator/info", timeout=5).json()
        if self._needs_seed(base):
            self.stdout.write(
                "Seeding the simulator with demo portals, events and contacts (first run only) …"
            )
            subprocess.run([*MANAGE, "simulator", "seed"], check=True, env=env)  # noqa: S603
            info = httpx.get(f"{base}/_simulator/info", timeout=5).json()
        # The dashboard acts as the simulator's demo app unless told otherwise.
        app = info["apps"][0]
        defaults = {
            "HUBSPOT_APP_ID": str(app["app_id"]),
            "HUBSPOT_CLIENT_ID": app["client_id"],
            "HUBSPOT_CLIENT_SECRET": app["client_secret"],
            "HUBSPOT_DEVELOPER_API_KEY": app["developer_api_key"],
        }
        for name, value in defaults.items():
            env.setdefault(name, value)
        return proc

    def _needs_seed(self, base: str) -> bool:
        token = httpx.post(f"{base}/_simulator/tokens", json=self._first_install(base), timeout=5).json()
        page = httpx.get(
            f"{base}/marketing/v3/marketing-events/",
            params={"limit": 1},
            headers={"Authorization": f"Bearer {token['access_token']}"},
            timeout=5,
        ).json()
        return not page.get("results")

    def _first_install(self, base: str) -> dict[str, int]:
        info = httpx.get(f"{base}/_simulator/info", timeout=5).json()
        return {"hub_id": info["portals"][0]["hub_id"], "app_id": info["apps"][0]["app_id"]}
