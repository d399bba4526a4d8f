"""PostgreSQL's counterpart of SQLite's `event_list_cover` (0004): the list's default order with the state columns
its status filters read, as INCLUDE columns (they are not part of the key, so the entries stay small).

With it, "past", "completed" and "ended, not completed" skip the upcoming events at the top of the newest-first
order inside the index, without reading each skipped row from the table. `live` reads the events that have not
ended from `event_ends_state` and needs their start as well. Neither is in Django's state (an INCLUDE index would
be created without its INCLUDE columns on SQLite, which has `event_list_cover` already).
"""

from django.db import migrations

INDEXES = {
    "event_list_state": (
        'CREATE INDEX IF NOT EXISTS "event_list_state" ON "events_event" (portal_id, starts_at DESC, name) '
        "INCLUDE (ends_at, cancelled, completed, app_id, id)"
    ),
    "event_live": (
        'CREATE INDEX IF NOT EXISTS "event_live" ON "events_event" (portal_id, ends_at) INCLUDE (starts_at, cancelled, id)'
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in INDEXES.values():
            schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("events", "0006_list_indexes")]
    operations = [migrations.RunPython(create, drop)]
