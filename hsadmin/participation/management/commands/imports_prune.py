"""Delete the files of CSV imports that ended, or were never confirmed, longer ago than the retention."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from hsadmin.participation.imports import imports_prune


class Command(BaseCommand):
    help = (
        "Delete uploaded CSVs (and their preview files) of imports older than --hours "
        "(default HSADMIN_IMPORT_RETENTION_HOURS); imports being previewed or imported are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options["hours"]
        if hours is None:
            hours = int(getattr(settings, "HSADMIN_IMPORT_RETENTION_HOURS", 72))
        pruned = imports_prune(older_than=dt.timedelta(hours=hours))
        self.stdout.write(f"deleted the files of {pruned} import(s)")
