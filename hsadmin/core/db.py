"""Small database chores that both SQLite and PostgreSQL understand."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import OperationalError, connection, transaction
from django.db.models import Model

# PostgreSQL's codes for "this transaction was rolled back so another could go on": a deadlock's victim, and a
# serialization failure. The same work, started again, then succeeds.
_RETRYABLE = frozenset({"40P01", "40001"})


def refresh_planner_statistics(model: type[Model]) -> None:
    """ANALYZE one table after a bulk change, so the planner picks the narrow covering indexes.

    SQLite keeps no statistics until asked (without them it prefers any index with a range over a covering
    scan). On PostgreSQL it is VACUUM ANALYZE: an index answers a count or a skipped range alone ("index-only")
    only for pages the visibility map marks all-visible, which VACUUM does; autovacuum would get there too,
    only later. VACUUM cannot run inside a transaction, so there (tests, or a caller's atomic block) it is ANALYZE.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {table}" if vacuum else f"ANALYZE {table}")


def atomic_retried[T](write: Callable[[], T], *, attempts: int = 3) -> T:
    """Run `write` in a transaction of its own, and again (up to `attempts` times) when PostgreSQL rolled it back
    as a deadlock's victim.

    Two writers of the mirror can wait for each other: a sync's transaction holds a day's row of the report
    summary while it waits for an event that a person's edit holds, and the edit then needs that day's row.
    PostgreSQL breaks the tie by rolling one back; without this the person would meet an error for a change
    HubSpot already has. Inside a caller's transaction nothing can be run again, so the error goes up."""
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return write()
        except OperationalError as error:
            code = getattr(error.__cause__, "sqlstate", None)
            if attempt == attempts or code not in _RETRYABLE or connection.in_atomic_block:
                raise
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises
