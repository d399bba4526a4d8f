"""The rankings' indexes: a portal's events in attendance-rate order, best first and worst first.

The report's best and worst lists (`selectors.ranking`) rank the events of the period with at least
`RANKING_MIN_REGISTRANTS` registrants by attendees / registrants, then most registrants, then id. Read from a
period's range of the events, that sorts every event of the period (about 68,000 in a year of a 100,000-event
portal); read from these indexes, it walks one portal's events in rank order and stops at the fifth that falls in
the period and matches the filters.

The key is the rate as an expression, exactly as `RATE` compiles in a query (a division of two casts, no
parameter, so the planner recognises it), then registrants descending and id: one index per direction, because
the ties run by registrants descending both ways. On PostgreSQL the index is partial (registrants > 0: the division
would fail on zero, and a ranked event has at least 5, which the planner proves implies it) and INCLUDEs the columns
the filters read, so the walk needs no table row; on SQLite the division by zero gives NULL, and the index carries
the period and state columns so the walk checks them from the index.

Raw SQL, outside Django's model state: an index on another app's table, and an INCLUDE index on PostgreSQL. A
migration that makes SQLite rebuild `events_event` drops them; `ensure_rate_indexes` creates them again after every
`migrate` (apps.py).
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, FloatField
from django.db.models.functions import Cast

# As the index's key holds it. Equal to the report's rate (`selectors.with_rate`) for every ranked event.
RATE = Cast(F("attendees"), FloatField()) / Cast(F("registrants"), FloatField())

_SQLITE_RATE = "(CAST(attendees AS real) / CAST(registrants AS real))"
_PG_RATE = "((attendees)::double precision / (registrants)::double precision)"
NAMES = {"best": "event_rate_best", "worst": "event_rate_worst"}


def _statements(vendor: str) -> list[str]:
    statements = []
    for which, name in NAMES.items():
        direction = " DESC" if which == "best" else ""
        if vendor == "sqlite":
            statements.append(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "events_event" '
                f"(portal_id, {_SQLITE_RATE}{direction}, registrants DESC, id, starts_at, cancelled, is_draft)"
            )
        elif vendor == "postgresql":
            statements.append(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "events_event" '
                f"(portal_id, {_PG_RATE}{direction}, registrants DESC, id) "
                "INCLUDE (attendees, starts_at, cancelled, is_draft, event_type, app_id) WHERE registrants > 0"
            )
    return statements


def ensure_rate_indexes(connection: BaseDatabaseWrapper) -> None:
    """Create the ranking indexes where missing (idempotent)."""
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor):
            cursor.execute(sql)


def drop_rate_indexes(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for name in NAMES.values():
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
