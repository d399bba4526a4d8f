"""The search index asks for the portal too (see hsadmin/events/search.py): on PostgreSQL the trigram indexes lead
with `portal_id` (through btree_gin), on SQLite the FTS table holds each event's portal as a token. A small
portal's search then reads its own matches only, however large the other portals sharing the database."""

from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations


def create(apps, schema_editor):
    from hsadmin.events.search import ensure_search_index

    ensure_search_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("events", "0007_postgresql_list_cover")]
    # BtreeGinExtension does nothing on databases other than PostgreSQL.
    operations = [BtreeGinExtension(), migrations.RunPython(create, migrations.RunPython.noop)]
