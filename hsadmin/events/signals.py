"""What the events app does when something happens below it."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from hsadmin.jobs.services import job_start
from hsadmin.portals.models import Portal
from hsadmin.portals.signals import portal_connected


@receiver(portal_connected)
def _first_sync(sender: type, portal: Portal, **kwargs: Any) -> None:
    """A portal was connected or reconnected: mirror its events (a job started by hsadmin itself)."""
    job_start(kind="events.sync", portal=portal)
