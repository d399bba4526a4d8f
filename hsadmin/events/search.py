"""The event list's search index: substring search over name, external ID and organizer without a scan.

- **SQLite**: an FTS5 table with the trigram tokenizer (`events_event_search`) holding each event's name,
  external ID and organizer, and its portal as a token (`<42>`): a search asks for the text *and* the portal,
  so a small portal's search does not wade through a large portal's matches. Kept current by triggers on
  insert, update and delete. Triggers rather than code in the upsert, because the mirror is written from
  several places (the sync's `INSERT … ON CONFLICT DO UPDATE`, write-through after edits, drafts, deletes, a
  portal's cascade); a trigger sees every one of them, in the same transaction.
- **PostgreSQL**: `pg_trgm` GIN indexes on `(portal_id, UPPER(column))` (the portal through `btree_gin`), the
  expression Django's `icontains` compares, so the same lookup as before is answered from the index, for the
  portal's events only. PostgreSQL keeps them current itself.

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

from django.db import connections, transaction
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
TRIGRAM_INDEXES = {field: f"event_search_{field}" for field in SEARCHED}
_LEGACY_TRIGRAM_INDEXES = [
    f"event_{field}_trgm" for field in SEARCHED
]  # the first version, without the portal

# Plain SQL with the names spelled out: the identifiers are ours, nothing here comes from input.
_CREATE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS events_event_search USING fts5("
    "name, external_event_id, organizer, portal, tokenize='trigram')"
)
_REBUILD = (
    "DELETE FROM events_event_search",
    "INSERT INTO events_event_search(rowid, name, external_event_id, organizer, portal) "
    "SELECT id, name, external_event_id, organizer, '<' || portal_id || '>' FROM events_event",
)
_SQLITE_TRIGGERS = {
    "events_event_search_ai": """
        CREATE TRIGGER IF NOT EXISTS events_event_search_ai AFTER INSERT ON events_event BEGIN
          INSERT INTO events_event_search(rowid, name, external_event_id, organizer, portal)
          VALUES (new.id, new.name, new.external_event_id, new.organizer, '<' || new.portal_id || '>');
        END""",
    "events_event_search_ad": """
        CREATE TRIGGER IF NOT EXISTS events_event_search_ad AFTER DELETE ON events_event BEGIN
          DELETE FROM events_event_search WHERE rowid = old.id;
        END""",
    "events_event_search_au": """
        CREATE TRIGGER IF NOT EXISTS events_event_search_au
        AFTER UPDATE OF name, external_event_id, organizer, portal_id ON events_event BEGIN
          DELETE FROM events_event_search WHERE rowid = old.id;
          INSERT INTO events_event_search(rowid, name, external_event_id, organizer, portal)
          VALUES (new.id, new.name, new.external_event_id, new.organizer, '<' || new.portal_id || '>');
        END""",
}
_MATCHING_IDS = "SELECT rowid FROM events_event_search WHERE events_event_search MATCH %s"


def ensure_search_index(connection: BaseDatabaseWrapper) -> None:
    """Create the search index where it is missing (idempotent); on SQLite, rebuild it if a trigger was gone.

    In one transaction (`post_migrate` runs outside any): a migrate stopped between putting the triggers back and
    the rebuild must not leave triggers over a half-built index that the next migrate would then keep."""
    with transaction.atomic(using=connection.alias):
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
            for index in [*TRIGRAM_INDEXES.values(), *_LEGACY_TRIGRAM_INDEXES]:
                cursor.execute(f'DROP INDEX IF EXISTS "{index}"')


def _ensure_sqlite(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE])
        found = cursor.fetchone()
        if found is not None and "portal" not in found[0]:
            drop_search_index(connection)  # the first version (no portal column): made again below
            found = None
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events_event'")
        present = {row[0] for row in cursor.fetchall()}
        cursor.execute(_CREATE_TABLE)
        for sql in _SQLITE_TRIGGERS.values():
            cursor.execute(sql)
        if found is None or not set(_SQLITE_TRIGGERS) <= present:
            # Rebuilt from the table itself: whatever was written while a trigger was missing is indexed again.
            for sql in _REBUILD:
                cursor.execute(sql)


def _ensure_postgresql(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_extension WHERE extname IN ('pg_trgm', 'btree_gin')")
        if cursor.fetchone()[0] < 2:
            return  # the migrations create the extensions (TrigramExtension, BtreeGinExtension) first
        for name in _LEGACY_TRIGRAM_INDEXES:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        for field, name in TRIGRAM_INDEXES.items():
            cursor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "events_event" '
                f'USING gin ("portal_id", UPPER("{field}"::text) gin_trgm_ops)'
            )


def _contains(text: str) -> Q:
    return Q(name__icontains=text) | Q(external_event_id__icontains=text) | Q(organizer__icontains=text)


def _query(text: str, portal_id: int) -> str:
    """An FTS5 query: `text` as one literal string in the three searched columns, and the portal's token."""
    phrase = '"' + text.replace('"', '""') + '"'
    return f'{{name external_event_id organizer}} : {phrase} AND portal : "<{int(portal_id)}>"'


def matching(connection: BaseDatabaseWrapper, text: str, portal_id: int) -> Q:
    """The portal's events whose name, external ID or organizer contains `text`, in any case (`icontains`)."""
    if connection.vendor != "sqlite" or len(text) < SHORT_SEARCH:
        return _contains(text)  # PostgreSQL's trigram indexes serve `icontains` as it is; short text has none
    return Q(pk__in=RawSQL(_MATCHING_IDS, [_query(text, portal_id)]))  # noqa: S611 - constant SQL, parameters


def search_count(events: QuerySet[Event], text: str, *, portal_id: int, cap: int) -> Count:
    """How many of `events` match `text`, counted up to `cap`.

    On SQLite the search index leads: it hands over its matches one by one and the count stops at the cap, so a
    common word costs no more than a rare one.
    """
    connection = connections[events.db]
    if connection.vendor != "sqlite" or len(text) < SHORT_SEARCH:
        return Count.of(events.filter(matching(connection, text, portal_id)), cap)
    led = events.extra(  # noqa: S610 - constant SQL, the text is a parameter
        tables=[FTS_TABLE],
        where=[f'"{FTS_TABLE}".rowid = "events_event"."id"', f'"{FTS_TABLE}" MATCH %s'],
        params=[_query(text, portal_id)],
    )
    return Count.of(led, cap)


def search_filter(events: QuerySet[Event], text: str, count: Count, *, portal_id: int) -> QuerySet[Event]:
    """`events` narrowed to those matching `text`, in the form that finds a page fastest given how many match.

    On SQLite, when the matches are few, the search index lists them and only they are sorted. When they are
    more than the count's cap (a common word), the list walks its sort order and checks each row, stopping at
    the page's end: a few hundred rows at most instead of sorting every match. For text in ASCII the row check is
    SQLite's LIKE, which agrees with the index's case folding; other text keeps the index.
    """
    connection = connections[events.db]
    if connection.vendor == "sqlite" and len(text) >= SHORT_SEARCH and count.capped and text.isascii():
        return events.filter(_contains(text))
    return events.filter(matching(connection, text, portal_id))
