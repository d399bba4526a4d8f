"""The event list's search index (see hsadmin/events/search.py): SQLite's FTS5 trigram table with its triggers,
or PostgreSQL's pg_trgm extension and GIN indexes. Neither is in Django's model state: each database gets its own."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def create(apps, schema_editor):
    from hsadmin.events.search import ensure_search_index

    ensure_search_index(schema_editor.connection)


def drop(apps, schema_editor):
    from hsadmin.events.search import drop_search_index

    drop_search_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("events", "0004_list_cover_index")]
    # TrigramExtension does nothing on databases other than PostgreSQL.
    operations = [TrigramExtension(), migrations.RunPython(create, drop)]
