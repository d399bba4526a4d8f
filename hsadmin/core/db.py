"""Small database chores that both SQLite and PostgreSQL understand."""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


def refresh_planner_statistics(model: type[Model]) -> None:
    """ANALYZE one table after a bulk change, so the planner picks the narrow covering indexes.

    SQLite keeps no statistics until asked (without them it prefers any index with a range over a covering
    scan); PostgreSQL's autovacuum would get there too, only later.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
