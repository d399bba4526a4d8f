from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _keep_search_index(sender: AppConfig, using: str, plan: Any = None, **kwargs: Any) -> None:
    """After every migrate: put the search index back if a migration rebuilt the events table without it."""
    from django.db import connections, router
    from django.db.migrations.recorder import MigrationRecorder

    from hsadmin.events.models import Event
    from hsadmin.events.search import ensure_search_index

    connection = connections[using]
    if not router.allow_migrate_model(using, Event):
        return
    if ("events", "0005_search_index") in MigrationRecorder(connection).applied_migrations():
        ensure_search_index(connection)


class EventsConfig(AppConfig):
    name = "hsadmin.events"
    label = "events"
    verbose_name = _("Marketing events")

    def ready(self) -> None:
        from hsadmin.events import signals  # noqa: F401 - starts the first sync when a portal is connected

        post_migrate.connect(_keep_search_index, sender=self, dispatch_uid="events.keep_search_index")
