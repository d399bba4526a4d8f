"""SQLite's indexes for the organizer sort and the live filter.

The organizer sort: organizer, then the tie-breaking name and key, in each direction.
A few organizers hold most of a portal's events (a team, a webinar tool's account), so sorting by organizer
with only (portal, organizer) sorts hundreds of tied events by name for every page. PostgreSQL keeps
(portal, organizer) alone: its B-tree entries are capped near 2.7 kB, which two 500-character texts can exceed.

The live filter counts the events that have not ended from `event_live_cover` (PostgreSQL's `event_live`, 0007):
the end first, with the start and the cancelled flag it checks.

Not in Django's state, like `event_list_cover` (0004): a migration that rebuilds the table on SQLite must create
them again.
"""

from django.db import migrations

INDEXES = {
    "event_sort_organizer_full": '"events_event" (portal_id, organizer, name, id)',
    "event_sort_organizer_full_desc": '"events_event" (portal_id, organizer DESC, name, id)',
    "event_live_cover": '"events_event" (portal_id, ends_at, cancelled, starts_at)',
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name, columns in INDEXES.items():
            schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON {columns}')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in INDEXES:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("events", "0008_search_by_portal")]
    operations = [migrations.RunPython(create, drop)]
