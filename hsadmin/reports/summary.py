"""The reports' per-day summary (`EventDaySummary`), kept exact by triggers on the events table.

One row per portal, UTC day of the start, event type and owning app (0 for none), with how many events it holds
and their counters summed, for exactly the events the reports count (not cancelled, not a draft, with a start).
The report reads a period's whole UTC days from here and only its partial days at the edges from the events, so
its cost follows the number of days in the period, not the number of events.

Triggers rather than code in the services, because the mirror is written from many places (the sync's bulk
`INSERT … ON CONFLICT DO UPDATE`, write-through after edits, `queryset.update()` of counters, drafts, deletes, a
portal's cascade): a trigger sees every one of them, in the same transaction. An insert adds the event to its
row (an upsert); a delete takes it away (and deletes the row once it holds no event); an update that changes a
column the summary depends on does both. An update that changes none of them (most of a sync's upserts) changes
nothing.

- **SQLite**: row triggers (one writer at a time, so no lock order to mind); the UPDATE trigger's WHEN skips the
  updates that change no watched column.
- **PostgreSQL**: statement triggers with transition tables: each statement's changes are summed per summary row
  and applied once per row, in key order, at the statement's end (see below for why).

A migration that makes SQLite rebuild `events_event` drops its triggers with the old table, so `ensure_summary`
runs after every `migrate` (apps.py): when a trigger was missing it creates the triggers again and rebuilds the
summary from the events, so what was written meanwhile is counted.
"""

from __future__ import annotations

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "reports_eventdaysummary"
COUNTERS = ("registrants", "attendees", "no_shows", "cancellations")
# Every column whose change moves an event to another row of the summary, in or out of it, or changes its sums.
WATCHED = ("starts_at", "portal_id", "event_type", "app_id", "cancelled", "is_draft", *COUNTERS)
_KEY = "portal_id, day, event_type, app_id"
_COLUMNS = f"{_KEY}, events, {', '.join(COUNTERS)}"
_ADDED = ", ".join(f"{c} = {TABLE}.{c} + excluded.{c}" for c in ("events", *COUNTERS))
_TAKEN = ", ".join(["events = events - 1", *(f"{c} = {c} - old.{c}" for c in COUNTERS)])


def _day(vendor: str, row: str) -> str:
    """The UTC date of a row's start: SQLite stores UTC text, PostgreSQL a timestamptz."""
    return f"date({row}.starts_at)" if vendor == "sqlite" else f"(({row}.starts_at AT TIME ZONE 'UTC')::date)"


def _counted(row: str) -> str:
    return f"NOT {row}.cancelled AND NOT {row}.is_draft AND {row}.starts_at IS NOT NULL"


def _add(vendor: str) -> str:
    """Add the new row to its summary row (created at zero if missing)."""
    values = ", ".join(
        [f"new.portal_id, {_day(vendor, 'new')}, new.event_type, COALESCE(new.app_id, 0), 1"]
        + [f"new.{c}" for c in COUNTERS]
    )
    # The WHERE also tells SQLite's parser that ON CONFLICT belongs to the INSERT, not to a join.
    return (
        f"INSERT INTO {TABLE} ({_COLUMNS}) SELECT {values} WHERE {_counted('new')} "
        f"ON CONFLICT ({_KEY}) DO UPDATE SET {_ADDED};"
    )


def _take(vendor: str) -> str:
    """Take the old row away from its summary row, and delete that row once it holds no event."""
    where = (
        f"portal_id = old.portal_id AND day = {_day(vendor, 'old')} AND event_type = old.event_type "
        "AND app_id = COALESCE(old.app_id, 0)"
    )
    return (
        f"UPDATE {TABLE} SET {_TAKEN} WHERE {where} AND {_counted('old')}; "  # noqa: S608 - our names only
        f"DELETE FROM {TABLE} WHERE {where} AND events = 0;"
    )


def _changed() -> str:
    return " OR ".join(f"old.{c} IS DISTINCT FROM new.{c}" for c in WATCHED)


_SQLITE_TRIGGERS = {
    "reports_summary_ai": f"""
        CREATE TRIGGER IF NOT EXISTS reports_summary_ai AFTER INSERT ON events_event BEGIN
          {_add("sqlite")}
        END""",
    "reports_summary_ad": f"""
        CREATE TRIGGER IF NOT EXISTS reports_summary_ad AFTER DELETE ON events_event BEGIN
          {_take("sqlite")}
        END""",
    "reports_summary_au": f"""
        CREATE TRIGGER IF NOT EXISTS reports_summary_au AFTER UPDATE OF {", ".join(WATCHED)} ON events_event
        WHEN {_changed().replace("IS DISTINCT FROM", "IS NOT")} BEGIN
          {_take("sqlite")}
          {_add("sqlite")}
        END""",
}

# PostgreSQL: statement-level triggers with transition tables. A statement's changes are summed per summary row
# first and applied once per row, in key order, at the statement's end: a sync's bulk upsert of a page writes each
# of its days once, and two statements take the summary's rows in one order (row triggers also fire at the end of
# their statement, but in the order of its rows, one write per event). Transition tables cannot name columns, so
# the UPDATE trigger fires for every UPDATE statement and keeps only the rows whose watched columns changed.


def _pg_contribution(row: str, sign: str) -> str:
    counters = ", ".join(f"{sign}{row}.{c}" for c in COUNTERS)
    return (
        f"SELECT {row}.portal_id, {_day('postgresql', row)} AS day, {row}.event_type, "
        f"COALESCE({row}.app_id, 0) AS app_id, {sign}1 AS events, {counters}"
    )


def _pg_apply(changes: str) -> str:
    """Sum `changes` per summary row and add them (in key order); delete the rows left with no event."""
    sums = ", ".join(f"SUM({c}) AS {c}" for c in ("events", *COUNTERS))
    nonzero = " OR ".join(f"{c} <> 0" for c in ("events", *COUNTERS))
    return f"""
  WITH changes ({_COLUMNS}) AS ({changes}),
  summed AS (SELECT {_KEY}, {sums} FROM changes GROUP BY {_KEY}),
  written AS (
    INSERT INTO {TABLE} ({_COLUMNS}) SELECT {_COLUMNS} FROM summed WHERE {nonzero} ORDER BY {_KEY}
    ON CONFLICT ({_KEY}) DO UPDATE SET {_ADDED}
    RETURNING id, events
  )
  SELECT COALESCE(array_agg(id) FILTER (WHERE events = 0), '{{}}') INTO emptied FROM written;
  DELETE FROM {TABLE} WHERE id = ANY(emptied);"""  # noqa: S608 - our names only


def _pg_function(name: str, changes: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  emptied bigint[];
BEGIN
{_pg_apply(changes)}
  RETURN NULL;
END
$$"""


_PG_CHANGED = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in WATCHED)
_PG_FUNCTIONS = {
    "reports_summary_inserted": _pg_function(
        "reports_summary_inserted", f"{_pg_contribution('n', '')} FROM new_rows n WHERE {_counted('n')}"
    ),
    "reports_summary_deleted": _pg_function(
        "reports_summary_deleted", f"{_pg_contribution('o', '-')} FROM old_rows o WHERE {_counted('o')}"
    ),
    "reports_summary_updated": _pg_function(
        "reports_summary_updated",
        f"{_pg_contribution('o', '-')} FROM old_rows o JOIN new_rows n ON n.id = o.id "
        f"WHERE {_counted('o')} AND ({_PG_CHANGED}) "
        f"UNION ALL {_pg_contribution('n', '')} FROM old_rows o JOIN new_rows n ON n.id = o.id "
        f"WHERE {_counted('n')} AND ({_PG_CHANGED})",
    ),
}
_PG_TRIGGERS = {
    "reports_summary_insert": (
        "CREATE OR REPLACE TRIGGER reports_summary_insert AFTER INSERT ON events_event "
        "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_summary_inserted()"
    ),
    "reports_summary_delete": (
        "CREATE OR REPLACE TRIGGER reports_summary_delete AFTER DELETE ON events_event "
        "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_summary_deleted()"
    ),
    "reports_summary_update": (
        "CREATE OR REPLACE TRIGGER reports_summary_update AFTER UPDATE ON events_event "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
        "EXECUTE FUNCTION reports_summary_updated()"
    ),
}
# The first version's row triggers (and their function), replaced by the above.
_PG_LEGACY = ("reports_summary_insert_delete", "reports_summary_update")


def _rebuild(vendor: str) -> list[str]:
    sums = ", ".join(f"SUM({c})" for c in COUNTERS)
    return [
        f"DELETE FROM {TABLE}",  # noqa: S608 - our names only, as everywhere in this module
        f"INSERT INTO {TABLE} ({_COLUMNS}) "  # noqa: S608
        f"SELECT portal_id, {_day(vendor, 'events_event')}, event_type, COALESCE(app_id, 0), COUNT(*), {sums} "
        f"FROM events_event WHERE {_counted('events_event')} "
        f"GROUP BY portal_id, {_day(vendor, 'events_event')}, event_type, COALESCE(app_id, 0)",
    ]


def _present(connection: BaseDatabaseWrapper) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events_event'"
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'events_event'::regclass AND NOT tgisinternal"
            )
        return {row[0] for row in cursor.fetchall()}


def _triggers(vendor: str) -> dict[str, str]:
    return _SQLITE_TRIGGERS if vendor == "sqlite" else _PG_TRIGGERS


def ensure_summary(connection: BaseDatabaseWrapper, *, rebuild: bool = False) -> bool:
    """Create the triggers where missing (idempotent); if one was missing (or `rebuild`), rebuild the summary from
    the events, all in one transaction. Says whether it rebuilt.

    One transaction, because `post_migrate` runs outside any: a writer between the rebuild's DELETE and its
    INSERT would otherwise add a row the INSERT then collides with, and a migrate stopped half-way would leave the
    triggers in place over an emptied summary, which the next migrate (seeing no trigger missing) would keep. On
    PostgreSQL, creating the triggers locks the events table against writers until the rebuild commits; on SQLite
    the write lock is held from the first write on."""
    with transaction.atomic(using=connection.alias):
        return _ensure_summary(connection, rebuild=rebuild)


def _ensure_summary(connection: BaseDatabaseWrapper, *, rebuild: bool) -> bool:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return False
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_proc WHERE proname = 'reports_summary_follow'")
            if cursor.fetchone()[0]:  # the first version's row triggers: replaced, and the summary rebuilt
                for name in _PG_LEGACY:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON events_event")
                cursor.execute("DROP FUNCTION reports_summary_follow()")
    missing = not set(_triggers(vendor)) <= _present(connection)
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            for sql in _PG_FUNCTIONS.values():
                cursor.execute(sql)
        for sql in _triggers(vendor).values():
            cursor.execute(sql)
        if missing or rebuild:
            for sql in _rebuild(vendor):
                cursor.execute(sql)
    return missing or rebuild


def drop_summary_triggers(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for name in _triggers(connection.vendor):
            on = "" if connection.vendor == "sqlite" else " ON events_event"
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}{on}")
        if connection.vendor == "postgresql":
            for function in _PG_FUNCTIONS:
                cursor.execute(f"DROP FUNCTION IF EXISTS {function}()")
