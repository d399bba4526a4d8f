"""The live filter's index for the events that last more than six days, per database in raw SQL.

An event is live when it has started and not ended: two ranges (start before now, end after now) that no one
index answers, so finding the few live events meant walking either every past event or every upcoming one. The
list now reads the live events in three ranges (`selectors.live_parts`): those that started in the last seven
days (a week of the start index), those with no end, and those that started earlier and have not ended yet,
which last more than seven days and so are in this partial index: on most portals a handful of events.

The condition is written here exactly as `selectors.LastsLonger` writes it in a query, so that each database sees
the index answers it. PostgreSQL also gets statistics on the events' length: without them it guesses that a third
of the events last that long and prefers walking the start index. Not in Django's state, like the other raw-SQL
indexes: a migration that rebuilds the table on SQLite must create it again (apps.py, after every migrate).
"""

from django.db import migrations

SQLITE = (
    'CREATE INDEX IF NOT EXISTS "event_long" ON "events_event" (portal_id, ends_at, cancelled, starts_at) '
    "WHERE julianday(ends_at) - julianday(starts_at) > 6",
)
POSTGRESQL = (
    'CREATE INDEX IF NOT EXISTS "event_long" ON "events_event" (portal_id, ends_at) '
    "INCLUDE (starts_at, cancelled, id) WHERE ends_at - starts_at > interval '6 days'",
    'CREATE STATISTICS IF NOT EXISTS "event_length" ON (ends_at - starts_at) FROM "events_event"',
)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in SQLITE if vendor == "sqlite" else POSTGRESQL if vendor == "postgresql" else ():
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor in ("sqlite", "postgresql"):
        schema_editor.execute('DROP INDEX IF EXISTS "event_long"')
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP STATISTICS IF EXISTS "event_length"')


class Migration(migrations.Migration):
    dependencies = [("events", "0010_postgresql_report_include")]
    operations = [migrations.RunPython(create, drop)]
