import importlib
from typing import Any

from django.apps import AppConfig
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# Migrations that add, in raw SQL and per database, what Django's model state does not know (covering and INCLUDE
# indexes). A later migration that makes SQLite rebuild the events table drops them with the old table.
RAW_SQL_MIGRATIONS = (
    "0004_list_cover_index",
    "0007_postgresql_list_cover",
    "0009_sqlite_organizer_sort",
    "0010_postgresql_report_include",
    "0011_long_events",
)


def ensure_raw_indexes(connection: BaseDatabaseWrapper, applied: set[tuple[str, str]]) -> None:
    """Create again whatever those migrations made that is missing (each statement is IF NOT EXISTS)."""
    editor = _Statements(connection)
    for name in RAW_SQL_MIGRATIONS:
        if ("events", name) in applied:
            importlib.import_module(f"hsadmin.events.migrations.{name}").create(None, editor)


class _Statements:
    """The part of a schema editor those migrations use (`connection`, `execute`), on a plain cursor: a real
    SQLite schema editor refuses to open inside a transaction, and this runs in tests' transactions too."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    def execute(self, sql: str) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(sql)


def _keep_search_index(sender: AppConfig, using: str, plan: Any = None, **kwargs: Any) -> None:
    """After every migrate: put the search index and the raw-SQL indexes back if a migration rebuilt the events
    table without them."""
    from django.db import connections, router
    from django.db.migrations.recorder import MigrationRecorder

    from hsadmin.events.models import Event
    from hsadmin.events.search import ensure_search_index

    connection = connections[using]
    if not router.allow_migrate_model(using, Event):
        return
    applied = set(MigrationRecorder(connection).applied_migrations())
    if ("events", "0005_search_index") in applied:
        ensure_search_index(connection)
    ensure_raw_indexes(connection, applied)


class EventsConfig(AppConfig):
    name = "hsadmin.events"
    label = "events"
    verbose_name = _("Marketing events")

    def ready(self) -> None:
        from hsadmin.events import signals  # noqa: F401 - starts the first sync when a portal is connected

        post_migrate.connect(_keep_search_index, sender=self, dispatch_uid="events.keep_search_index")
