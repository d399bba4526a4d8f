"""Portals, memberships and helpers for the jobs tests (made directly with the ORM)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from hsadmin.core.models import Job, User
from hsadmin.core.roles import Role
from hsadmin.jobs.services import job_start
from hsadmin.portals.models import Membership, Portal
from tests.core.jobs.testkinds.tasks import SimulatedDeath

__all__ = ["SimulatedDeath"]


@pytest.fixture
def portal(db: None) -> Portal:
    return Portal.objects.create(hub_id=1001, name="Acme Events", refresh_token="r")


@pytest.fixture
def other_portal(db: None) -> Portal:
    return Portal.objects.create(hub_id=2002, name="Globex", refresh_token="r")


@pytest.fixture
def member(portal: Portal) -> Callable[[User, Role], User]:
    def grant(user: User, role: Role, to: Portal | None = None) -> User:
        Membership.objects.create(user=user, portal=to or portal, role=role.value)
        return user

    return grant


@pytest.fixture
def marketer(marketing_user: User, member: Callable[..., User]) -> User:
    return member(marketing_user, Role.MARKETING)


@pytest.fixture
def start(marketer: User, portal: Portal) -> Callable[..., Job]:
    """Start a test counting job (queued in django-tasks-db's table, not run yet)."""

    def start_job(user: User | None = None, job_portal: Portal | None = None, **params: Any) -> Job:
        return job_start(
            kind="tests.count",
            portal=job_portal or portal,
            user=user or marketer,
            params={"n": 10, "size": 3, **params},
        )

    return start_job


def work() -> int:
    """Run every ready task the way `db_worker` does (its own Worker.run_task), in this process.

    The worker loop itself closes connections between tasks, which a test's transaction cannot survive; the
    real loop runs in a subprocess in test_worker.py.
    """
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="in-test",
        excluded_queue_names=[],
    )
    ran = 0
    while (task := DBTaskResult.objects.ready().first()) is not None:
        task.claim(worker.worker_id)
        worker.run_task(task)
        ran += 1
    return ran


@pytest.fixture
def run_tasks() -> Callable[[], int]:
    return work
