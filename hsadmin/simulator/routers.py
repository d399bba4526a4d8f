"""Keep the simulator's tables in their own database, and nothing else there.

The simulator stands in for HubSpot, so its state must never mix with the dashboard's: its models read, write
and migrate only on the ``simulator`` alias, and no other app migrates into that alias.
"""

from __future__ import annotations

from typing import Any

SIMULATOR_DB = "simulator"
SIMULATOR_APP_LABEL = "simulator"


class SimulatorRouter:
    """Route the ``simulator`` app to the ``simulator`` database alias."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        return SIMULATOR_DB if model._meta.app_label == SIMULATOR_APP_LABEL else None  # type: ignore[attr-defined]  # a model class; `type` has no _meta

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return SIMULATOR_DB if model._meta.app_label == SIMULATOR_APP_LABEL else None  # type: ignore[attr-defined]  # a model class; `type` has no _meta

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        in_sim = {obj1._meta.app_label == SIMULATOR_APP_LABEL, obj2._meta.app_label == SIMULATOR_APP_LABEL}
        if len(in_sim) == 2:
            return False
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        if app_label == SIMULATOR_APP_LABEL:
            return db == SIMULATOR_DB
        if db == SIMULATOR_DB:
            return False
        return None
