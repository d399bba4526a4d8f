from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _keep_summary(sender: AppConfig, using: str, **kwargs: Any) -> None:
    """After every migrate: put the summary's triggers back if a migration rebuilt the events table without them,
    and then rebuild the summary from the events (`hsadmin.reports.summary`); the same for the rankings' indexes
    (`hsadmin.reports.rate_index`)."""
    from django.db import connections, router
    from django.db.migrations.recorder import MigrationRecorder

    from hsadmin.reports.models import EventDaySummary
    from hsadmin.reports.rate_index import ensure_rate_indexes
    from hsadmin.reports.summary import ensure_summary

    connection = connections[using]
    if not router.allow_migrate_model(using, EventDaySummary):
        return
    applied = MigrationRecorder(connection).applied_migrations()
    if ("reports", "0001_day_summary") in applied:
        ensure_summary(connection)
    if ("reports", "0002_rate_indexes") in applied:
        ensure_rate_indexes(connection)


class ReportsConfig(AppConfig):
    name = "hsadmin.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        post_migrate.connect(_keep_summary, sender=self, dispatch_uid="reports.keep_summary")
