"""``manage.py simulator serve|seed|reset|info|token``: run and drive the local HubSpot.

Every subcommand runs under the simulator's own settings module (``hsadmin.simulator.settings``): when called
under another one (``manage.py`` uses the dashboard's) the command re-executes itself as
``python -m django simulator …`` with ``DJANGO_SETTINGS_MODULE=hsadmin.simulator.settings``. The simulator's
database (``SIMULATOR_DATABASE_URL``) is created and migrated when missing, and the fixed fixture (two portals,
two apps) is created when it is empty.

``serve`` uses waitress, a multi-threaded production WSGI server, not Django's development server.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

SIMULATOR_SETTINGS = "hsadmin.simulator.settings"


def _reexec_under_simulator_settings() -> None:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=SIMULATOR_SETTINGS)
    base = str(Path(settings.BASE_DIR))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [base, env.get("PYTHONPATH", "")]))
    args = [sys.executable, "-m", "django", *sys.argv[sys.argv.index("simulator") :]]
    os.chdir(base)
    os.execve(sys.executable, args, env)  # noqa: S606 - replaces this process with the same command


def prepare_database() -> None:
    """Create and migrate the simulator's database, then the fixed fixture if it is empty."""
    from hsadmin.simulator import fixture
    from hsadmin.simulator.models import App

    name = settings.DATABASES["simulator"].get("NAME")
    if settings.DATABASES["simulator"]["ENGINE"].endswith("sqlite3") and name and name != ":memory:":
        Path(name).parent.mkdir(parents=True, exist_ok=True)
    call_command("migrate", "simulator", database="simulator", verbosity=0, interactive=False)
    if not App.objects.exists():
        fixture.create_base()


def _exit_with_parent() -> None:
    """With ``SIMULATOR_EXIT_WITH_PARENT=<pid>`` (set by the test plugin), exit when that process is gone."""
    parent = os.environ.get("SIMULATOR_EXIT_WITH_PARENT", "")
    if not parent.isdigit():
        return

    def watch() -> None:
        while True:
            time.sleep(1)
            try:
                os.kill(int(parent), 0)
            except OSError:
                os._exit(0)

    threading.Thread(target=watch, daemon=True, name="exit-with-parent").start()


class Command(BaseCommand):
    help = "Run and drive the HubSpot simulator: serve, seed, reset, info, token."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        serve = sub.add_parser("serve", help="Serve the simulator over HTTP with waitress.")
        serve.add_argument("--addr", default=None, help="host:port (default SIMULATOR_ADDR, 127.0.0.1:8001)")
        serve.add_argument("--threads", type=int, default=16)
        serve.add_argument(
            "--seed-if-empty", action="store_true", help="Seed demo data when there are no events."
        )
        serve.add_argument("--rate-limit-max", type=int, default=None)
        serve.add_argument("--rate-limit-interval-ms", type=int, default=None)
        serve.add_argument("--no-rate-limit", action="store_true")
        serve.add_argument("--faults", default=None, help="e.g. rate_429=0.05,rate_500=0.02,seed=7")
        seed = sub.add_parser("seed", help="Add deterministic demo data.")
        seed.add_argument("--events", type=int, default=600)
        seed.add_argument("--contacts", type=int, default=3000)
        seed.add_argument("--lists", type=int, default=40)
        seed.add_argument("--random-seed", type=int, default=1)
        seed.add_argument("--hub-id", type=int, default=None, help="all on this portal (default: split)")
        seed.add_argument("--no-participations", action="store_true", help="events without participations")
        sub.add_parser("reset", help="Wipe all state and recreate the fixed portals and apps.")
        info = sub.add_parser("info", help="Portals and apps.")
        info.add_argument("--json", action="store_true")
        token = sub.add_parser("token", help="Issue a token set for an app on a portal (installing it).")
        token.add_argument("--hub-id", type=int, required=True)
        token.add_argument("--app-id", type=int, required=True)
        token.add_argument("--scopes", default=None, help="space-separated (default: every scope)")
        token.add_argument("--expires-in", type=int, default=1800)

    def handle(self, *args: Any, **options: Any) -> None:
        if os.environ.get("DJANGO_SETTINGS_MODULE") != SIMULATOR_SETTINGS:
            _reexec_under_simulator_settings()
        prepare_database()
        getattr(self, "_" + options["action"])(options)

    def _serve(self, options: dict[str, Any]) -> None:
        import waitress

        from hsadmin.simulator.faults import faults
        from hsadmin.simulator.limits import rate_limiter
        from hsadmin.simulator.wsgi import application

        addr = options["addr"] or settings.SIMULATOR_ADDR
        host, _, port = addr.rpartition(":")
        if not host or not port.isdigit():
            raise CommandError(f"--addr must be host:port, not {addr!r}")
        limit = rate_limiter.get()
        if options["rate_limit_max"]:
            limit["max"] = options["rate_limit_max"]
        if options["rate_limit_interval_ms"]:
            limit["interval_ms"] = options["rate_limit_interval_ms"]
        if options["no_rate_limit"]:
            limit["enabled"] = False
        rate_limiter.set(limit)
        if options["faults"]:
            faults.set(dict(part.split("=", 1) for part in options["faults"].split(",") if part))
        if options["seed_if_empty"]:
            from hsadmin.simulator.models import MarketingEvent
            from hsadmin.simulator.seed import seed_demo

            if not MarketingEvent.objects.exists():
                seed_demo()
        _exit_with_parent()
        self.stdout.write(f"HubSpot simulator on http://{addr}/ (control API at /_simulator/)")
        self.stdout.flush()
        waitress.serve(
            application,
            host=host,
            port=int(port),
            threads=options["threads"],
            ident="hubspot-simulator",
            channel_timeout=120,
            connection_limit=1000,
            _quiet=True,
        )

    def _seed(self, options: dict[str, Any]) -> None:
        from hsadmin.simulator.models import Portal
        from hsadmin.simulator.seed import seed_demo

        if options["hub_id"] is not None and not Portal.objects.filter(hub_id=options["hub_id"]).exists():
            raise CommandError(f"No portal has hub ID {options['hub_id']}; `simulator info` lists them.")
        result = seed_demo(
            events=options["events"],
            contacts=options["contacts"],
            lists=options["lists"],
            random_seed=options["random_seed"],
            hub_id=options["hub_id"],
            participations=not options["no_participations"],
        )
        self.stdout.write(json.dumps(result))

    def _reset(self, options: dict[str, Any]) -> None:
        from hsadmin.simulator import fixture

        fixture.reset()
        self.stdout.write("Simulator state reset.")

    def _info(self, options: dict[str, Any]) -> None:
        from hsadmin.simulator import fixture

        data = fixture.info()
        if options["json"]:
            self.stdout.write(json.dumps(data))
            return
        for portal in data["portals"]:
            self.stdout.write(f"portal {portal['hub_id']}: {portal['name']}")
        for app in data["apps"]:
            self.stdout.write(f"app {app['app_id']}: {app['name']} client_id={app['client_id']}")

    def _token(self, options: dict[str, Any]) -> None:
        from hsadmin.simulator import auth, tokens
        from hsadmin.simulator.models import App, Portal

        portal = Portal.objects.filter(hub_id=options["hub_id"]).first()
        app = App.objects.filter(app_id=options["app_id"]).first()
        if portal is None or app is None:
            raise CommandError("Unknown --hub-id or --app-id (see `simulator info`).")
        scopes = options["scopes"].split() if options["scopes"] else auth.ALL_SCOPES
        self.stdout.write(json.dumps(tokens.issue(portal, app, scopes, options["expires_in"])))
