"""Small database chores that both SQLite and PostgreSQL understand."""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


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
