"""The event list's search index: substring search over name, external ID and organizer without a scan.

- **SQLite**: an FTS5 table with the trigram tokenizer (`events_event_search`), an external-content index over
  `events_event`, kept current by triggers on insert, update and delete. Triggers rather than code in the
  upsert, because the mirror is written from several places (the sync's `INSERT … ON CONFLICT DO UPDATE`,
  write-through after edits, drafts, deletes, a portal's cascade); a trigger sees every one of them, in the same
  transaction.
- **PostgreSQL**: `pg_trgm` GIN indexes on `UPPER(column)`, the expression Django's `icontains` compares, so the
  same lookup as before is answered from the index. PostgreSQL keeps them current itself.

A trigram index cannot answer a search shorter than three characters (it has no trigram to look up). Those
searches keep the plain substring match (see `SHORT_SEARCH`): the list walks its sort order and stops once it has
a page, and the count stops at the list's cap, so one or two letters cost little when they match often; a one-
or two-letter string that matches few events is the one search that still reads the whole portal's list.

A migration that makes SQLite rebuild `events_event` (Django copies the table to alter it) drops the triggers
with the old table, so `ensure_search_index` runs after every `migrate` too and rebuilds the index if a trigger was
missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from hsadmin.core.pagination import Count

if TYPE_CHECKING:
    from hsadmin.events.models import Event

FTS_TABLE = "events_event_search"
SEARCHED = ("name", "external_event_id", "organizer")
# Below this many characters a trigram index has nothing to look up.
SHORT_SEARCH = 3
TRIGRAM_INDEXES = {field: f"event_{field}_trgm" for field in SEARCHED}

# Plain SQL with the names spelled out: the identifiers are ours, nothing here comes from input.
_CREATE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS events_event_search USING fts5("
    "name, external_event_id, organizer, content='events_event', content_rowid='id', tokenize='trigram')"
)
_REBUILD = "INSERT INTO events_event_search(events_event_search) VALUES ('rebuild')"
_SQLITE_TRIGGERS = {
    "events_event_search_ai": """
        CREATE TRIGGER IF NOT EXISTS events_event_search_ai AFTER INSERT ON events_event BEGIN
          INSERT INTO events_event_search(rowid, name, external_event_id, organizer)
          VALUES (new.id, new.name, new.external_event_id, new.organizer);
        END""",
    "events_event_search_ad": """
        CREATE TRIGGER IF NOT EXISTS events_event_search_ad AFTER DELETE ON events_event BEGIN
          INSERT INTO events_event_search(events_event_search, rowid, name, external_event_id, organizer)
          VALUES ('delete', old.id, old.name, old.external_event_id, old.organizer);
        END""",
    "events_event_search_au": """
        CREATE TRIGGER IF NOT EXISTS events_event_search_au
        AFTER UPDATE OF name, external_event_id, organizer ON events_event BEGIN
          INSERT INTO events_event_search(events_event_search, rowid, name, external_event_id, organizer)
          VALUES ('delete', old.id, old.name, old.external_event_id, old.organizer);
          INSERT INTO events_event_search(rowid, name, external_event_id, organizer)
          VALUES (new.id, new.name, new.external_event_id, new.organizer);
        END""",
}
_MATCHING_IDS = "SELECT rowid FROM events_event_search WHERE events_event_search MATCH %s"


def ensure_search_index(connection: BaseDatabaseWrapper) -> None:
    """Create the search index where it is missing (idempotent); on SQLite, rebuild it if a trigger was gone."""
    if connection.vendor == "sqlite":
        _ensure_sqlite(connection)
    elif connection.vendor == "postgresql":
        _ensure_postgresql(connection)


def drop_search_index(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for trigger in _SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif connection.vendor == "postgresql":
            for index in TRIGRAM_INDEXES.values():
                cursor.execute(f'DROP INDEX IF EXISTS "{index}"')


def _ensure_sqlite(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events_event'")
        present = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE])
        had_table = cursor.fetchone() is not None
        cursor.execute(_CREATE_TABLE)
        for sql in _SQLITE_TRIGGERS.values():
            cursor.execute(sql)
        if not had_table or not set(_SQLITE_TRIGGERS) <= present:
            # Rebuilt from the table itself: whatever was written while a trigger was missing is indexed again.
            cursor.execute(_REBUILD)


def _ensure_postgresql(connection: BaseDatabaseWrapper) -> None:
    from django.contrib.postgres.indexes import GinIndex, OpClass
    from django.db.models.functions import Upper

    from hsadmin.events.models import Event

    editor = connection.schema_editor()  # only to write the statements; they run on the cursor below
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            return  # the migration creates the extension (TrigramExtension); nothing to index without it
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'events_event' AND indexname = ANY(%s)",
            [list(TRIGRAM_INDEXES.values())],
        )
        present = {row[0] for row in cursor.fetchall()}
        for field, name in TRIGRAM_INDEXES.items():
            if name not in present:
                index = GinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=name)
                cursor.execute(str(index.create_sql(Event, editor)))


def _contains(text: str) -> Q:
    return Q(name__icontains=text) | Q(external_event_id__icontains=text) | Q(organizer__icontains=text)


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'  # one FTS5 string: every character in it is literal


def matching(connection: BaseDatabaseWrapper, text: str) -> Q:
    """The events whose name, external ID or organizer contains `text`, in any case (like `icontains`)."""
    if connection.vendor != "sqlite" or len(text) < SHORT_SEARCH:
        return _contains(text)  # PostgreSQL's trigram indexes serve `icontains` as it is; short text has none
    return Q(pk__in=RawSQL(_MATCHING_IDS, [_phrase(text)]))  # noqa: S611 - constant SQL, the text is a parameter


def search_count(events: QuerySet[Event], text: str, *, cap: int) -> Count:
    """How many of `events` match `text`, counted up to `cap`.

    On SQLite the search index leads: it hands over its matches one by one and the count stops at the cap, so a
    common word costs no more than a rare one.
    """
    connection = connections[events.db]
    if connection.vendor != "sqlite" or len(text) < SHORT_SEARCH:
        return Count.of(events.filter(matching(connection, text)), cap)
    led = events.extra(  # noqa: S610 - constant SQL, the text is a parameter
        tables=[FTS_TABLE],
        where=[f'"{FTS_TABLE}".rowid = "events_event"."id"', f'"{FTS_TABLE}" MATCH %s'],
        params=[_phrase(text)],
    )
    return Count.of(led, cap)


def search_filter(events: QuerySet[Event], text: str, count: Count) -> QuerySet[Event]:
    """`events` narrowed to those matching `text`, in the form that finds a page fastest given how many match.

    On SQLite, when the matches are few, the search index lists them and only they are sorted. When they are
    more than the count's cap (a common word), the list walks its sort order and checks each row, stopping at
    the page's end: a few hundred rows at most instead of sorting every match. For text in ASCII the row check is
    SQLite's LIKE, which agrees with the index's case folding; other text keeps the index.
    """
    connection = connections[events.db]
    if connection.vendor == "sqlite" and len(text) >= SHORT_SEARCH and count.capped and text.isascii():
        return events.filter(_contains(text))
    return events.filter(matching(connection, text))
