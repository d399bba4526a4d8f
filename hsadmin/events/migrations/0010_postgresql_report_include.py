"""PostgreSQL's index for the reports: a portal's events by start, with everything the report reads INCLUDEd.

`event_report_cover` (0003) holds the counters as key columns but not the primary key, which SQLite adds to every
index and PostgreSQL does not: the best/worst rankings (which return ids) could not answer from it and scanned the
whole table. This one carries `id` too, so both the report's totals and its rankings read a period's range of
index entries alone ("index-only", on the pages VACUUM has marked all-visible, see `refresh_planner_statistics`).
The INCLUDE columns are not part of the key, so the entries stay small. SQLite keeps `event_report_cover`, which
covers the same columns there. Not in Django's state (an INCLUDE index would be created without its INCLUDE
columns on SQLite).
"""

from django.db import migrations

INDEXES = {
    "event_report_include": (
        'CREATE INDEX IF NOT EXISTS "event_report_include" ON "events_event" (portal_id, starts_at) '
        "INCLUDE (cancelled, is_draft, registrants, attendees, no_shows, cancellations, event_type, id)"
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
    dependencies = [("events", "0009_sqlite_organizer_sort")]
    operations = [migrations.RunPython(create, drop)]
