"""Start an event sync for every connected portal whose last sync is older than the interval.

Run it as one long-lived process (`make run` does), or from cron with `--once`.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from hsadmin.core.models import Job
from hsadmin.events.services import events_due_for_sync
from hsadmin.jobs.services import job_start


def schedule_once(*, interval_minutes: int) -> int:
    started = 0
    cutoff = timezone.now() - timedelta(minutes=interval_minutes)
    busy = set(
        Job.objects.filter(kind="events.sync", state__in=["queued", "running", "paused"]).values_list(
            "portal_id", flat=True
        )
    )
    for portal in events_due_for_sync(older_than=cutoff):
        if portal.pk not in busy:
            job_start(kind="events.sync", portal=portal)
            started += 1
    return started


class Command(BaseCommand):
    help = "Sync each connected portal's events every HSADMIN_SYNC_INTERVAL_MINUTES."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Check once and exit (for cron).")

    def handle(self, *args: Any, **options: Any) -> None:
        interval = settings.HSADMIN_SYNC_INTERVAL_MINUTES
        if interval <= 0:
            self.stdout.write("Scheduled syncs are off (HSADMIN_SYNC_INTERVAL_MINUTES=0).")
            return
        while True:
            started = schedule_once(interval_minutes=interval)
            if started:
                self.stdout.write(f"Started {started} scheduled sync(s).")
            if options["once"]:
                return
            time.sleep(30)
