"""The rankings' indexes on the events table, in attendance-rate order (see hsadmin/reports/rate_index.py)."""

from django.db import migrations


def create(apps, schema_editor):
    from hsadmin.reports.rate_index import ensure_rate_indexes

    ensure_rate_indexes(schema_editor.connection)


def drop(apps, schema_editor):
    from hsadmin.reports.rate_index import drop_rate_indexes

    drop_rate_indexes(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_day_summary")]
    operations = [migrations.RunPython(create, drop)]
