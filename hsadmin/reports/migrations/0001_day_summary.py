"""The reports' per-day summary of the mirror, and the triggers on the events table that keep it exact; filled from
the events already mirrored (see hsadmin/reports/summary.py)."""

import django.db.models.deletion
from django.db import migrations, models


def create(apps, schema_editor):
    from hsadmin.reports.summary import ensure_summary

    ensure_summary(schema_editor.connection, rebuild=True)


def drop(apps, schema_editor):
    from hsadmin.reports.summary import drop_summary_triggers

    drop_summary_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("portals", "0001_initial"),
        ("events", "0010_postgresql_report_include"),
    ]

    operations = [
        migrations.CreateModel(
            name="EventDaySummary",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("event_type", models.CharField(blank=True, max_length=100, verbose_name="type")),
                ("app_id", models.BigIntegerField(default=0, verbose_name="owning app ID")),
                ("events", models.IntegerField(default=0, verbose_name="events")),
                ("registrants", models.IntegerField(default=0, verbose_name="registrants")),
                ("attendees", models.IntegerField(default=0, verbose_name="attendees")),
                ("no_shows", models.IntegerField(default=0, verbose_name="no-shows")),
                ("cancellations", models.IntegerField(default=0, verbose_name="cancellations")),
                (
                    "portal",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="portals.portal",
                        verbose_name="portal",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("portal", "day", "event_type", "app_id"), name="one_summary_row_per_day"
                    )
                ],
            },
        ),
        migrations.RunPython(create, drop),
    ]
