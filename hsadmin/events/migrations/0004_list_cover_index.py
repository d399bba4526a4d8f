"""A covering index for the event list on SQLite (design §7: partials p95 ≤ 50 ms at 10,000 events).

The list's search (LIKE over name, external ID and organizer), its status filters and its default sort all read
these columns only, so SQLite answers the count and the page's keys from this narrow index instead of the
table's wide rows (descriptions, custom properties). PostgreSQL gets no such index: its B-tree entries are capped
near 2.7 kB and these text columns together can exceed that, and its planner scans 10,000 rows quickly anyway.
"""

from django.db import migrations

NAME = "event_list_cover"
COLUMNS = (
    "portal_id, starts_at DESC, name, cancelled, completed, ends_at, is_draft, external_event_id, organizer, "
    "event_type, registrants, attendees, app_id"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "events_event" ({COLUMNS})')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("events", "0003_report_indexes")]
    operations = [migrations.RunPython(create, drop)]
