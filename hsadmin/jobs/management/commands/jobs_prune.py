"""Delete ended jobs older than some days, with their per-item results and files."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hsadmin.jobs.services import jobs_prune


class Command(BaseCommand):
    help = "Delete jobs that ended more than --days days ago (default 30), with their results and files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = jobs_prune(older_than=dt.timedelta(days=options["days"]))
        self.stdout.write(f"deleted {deleted} job(s)")
