"""The registry of job kinds: which handler runs a kind, its label and unit, and the capability it needs.

It names no portal and runs nothing (the engine is `hsadmin.jobs.runner`), so the `Job` model below `portals`
can show a kind's label and unit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, overload

from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

# A handler takes the engine's `hsadmin.jobs.runner.JobContext` (named there, above this layer).
Handler = Callable[[Any], dict[str, Any] | None]

ITEMS = _("items")


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: Handler
    label: str | Promise
    unit: str | Promise = ITEMS
    # The capability a person needs on the job's portal to start it. Whoever has it there *now* may also see,
    # cancel and retry the job, and download its files (None: only who started it, while still a member).
    capability: str | None = None
    # Other capabilities that let a person see and manage the job (a portal admin follows the sync they started).
    also_for: tuple[str, ...] = ()
    # Whether the kind records per-item results (an import's rows): a kind that only makes a file (an export)
    # does not, and its job page has no Results section.
    item_results: bool = True

    @property
    def capabilities(self) -> tuple[str, ...]:
        """Every capability that gives a person access to this kind's jobs on their portal."""
        return (self.capability, *self.also_for) if self.capability else ()


_KINDS: dict[str, JobKind] = {}
_discovered = False


def _qualname(func: Callable[..., Any]) -> str:
    return f"{func.__module__}.{func.__qualname__}"


@overload
def register_job_kind[H: Handler](
    name: str,
    handler: None = None,
    *,
    label: str | Promise,
    unit: str | Promise | None = None,
    capability: str | None = None,
    also_for: tuple[str, ...] = (),
    item_results: bool = True,
) -> Callable[[H], H]: ...


@overload
def register_job_kind[H: Handler](
    name: str,
    handler: H,
    *,
    label: str | Promise,
    unit: str | Promise | None = None,
    capability: str | None = None,
    also_for: tuple[str, ...] = (),
    item_results: bool = True,
) -> H: ...


def register_job_kind[H: Handler](
    name: str,
    handler: H | None = None,
    *,
    label: str | Promise,
    unit: str | Promise | None = None,
    capability: str | None = None,
    also_for: tuple[str, ...] = (),
    item_results: bool = True,
) -> H | Callable[[H], H]:
    """Register a handler for a job kind; usable as a decorator. Registering the same function again is a no-op."""

    def register(func: H) -> H:
        existing = _KINDS.get(name)
        # Re-importing a module (autoreload, tests) registers an equal function again: that is fine.
        if existing is not None and _qualname(existing.handler) != _qualname(func):
            raise ValueError(f"Job kind {name!r} is already registered to {existing.handler!r}")
        _KINDS[name] = JobKind(
            name=name,
            handler=func,
            label=label,
            unit=unit or ITEMS,
            capability=capability,
            also_for=also_for,
            item_results=item_results,
        )
        return func

    return register(handler) if handler is not None else register


def _discover() -> None:
    """Import every app's `tasks` and `jobs` modules once, so their kinds are registered in this process."""
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("tasks", "jobs")


def get_job_kind(name: str) -> JobKind | None:
    if name not in _KINDS:
        _discover()
    return _KINDS.get(name)


def job_kinds() -> list[JobKind]:
    _discover()
    return sorted(_KINDS.values(), key=lambda k: str(k.label))


def kind_label(name: str) -> str | Promise:
    kind = get_job_kind(name)
    return kind.label if kind else name
