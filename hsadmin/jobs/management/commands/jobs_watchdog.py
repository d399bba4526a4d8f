"""Requeue jobs whose worker died, and resume jobs paused for a portal that is connected again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hsadmin.jobs import watchdog


class Command(BaseCommand):
    help = "Watch running jobs: requeue those whose worker died; resume those whose portal is reconnected."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=10.0, help="Seconds between checks (default 10)."
        )
        parser.add_argument("--once", action="store_true", help="Check once and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            report = watchdog.sweep()
            self.stdout.write(f"requeued {len(report.requeued)} job(s), resumed {report.resumed}")
            return
        watchdog.run_forever(interval=options["interval"])
