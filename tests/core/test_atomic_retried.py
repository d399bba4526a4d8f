"""`atomic_retried` against a real deadlock: two transactions that lock two rows in opposite orders on
PostgreSQL, which rolls one back; the retried one then finishes, and nothing is lost."""

from __future__ import annotations

import threading
import time

import psycopg.errors
import pytest
from django.db import OperationalError, connection, connections, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat

from hsadmin.core.db import atomic_retried
from hsadmin.portals.models import Portal

pytestmark = pytest.mark.django_db(transaction=True)


def _crossing_writers(retried: bool) -> tuple[list[BaseException], int]:
    """Two writers each take one portal's row, wait, then want the other's: a deadlock. Returns the errors the
    writers met and how many times the retried writer ran."""
    first, second = (Portal.objects.create(hub_id=n, name=f"P{n}", status="connected") for n in (1, 2))
    both_hold = threading.Barrier(2, timeout=10)
    errors: list[BaseException] = []
    runs = {"count": 0}

    def write(mine: Portal, theirs: Portal) -> None:
        runs["count"] += 1
        Portal.objects.filter(pk=mine.pk).update(name=Concat(F("name"), Value("*")))
        if runs["count"] <= 2:  # the first round: both hold their row before asking for the other's
            both_hold.wait()
        Portal.objects.filter(pk=theirs.pk).update(name=Concat(F("name"), Value("+")))

    def writer(mine: Portal, theirs: Portal, delay: float) -> None:
        time.sleep(delay)
        try:
            if retried:
                atomic_retried(lambda: write(mine, theirs))
            else:
                with transaction.atomic():
                    write(mine, theirs)
        except BaseException as error:
            errors.append(error)
        finally:
            connections["default"].close()

    threads = [
        threading.Thread(target=writer, args=(first, second, 0)),
        threading.Thread(target=writer, args=(second, first, 0.05)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors, runs["count"]


def test_without_a_retry_postgresql_rolls_one_writer_of_a_deadlock_back_with_an_error() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: no deadlock between two")
    errors, _ = _crossing_writers(retried=False)
    assert len(errors) == 1 and isinstance(errors[0], OperationalError)
    assert getattr(errors[0].__cause__, "sqlstate", None) == "40P01"


def test_with_atomic_retried_the_deadlocks_victim_runs_again_and_both_writes_land() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: no deadlock between two")
    errors, runs = _crossing_writers(retried=True)
    assert errors == [] and runs == 3  # two writers, one of them twice
    # Each portal got its own writer's "*" and the other writer's "+" exactly once (in the order they landed).
    for name in Portal.objects.values_list("name", flat=True):
        assert sorted(name[2:]) == ["*", "+"], name


def _victim() -> OperationalError:
    """An error as Django raises it for a deadlock's victim: PostgreSQL's code on its cause."""
    error = OperationalError("deadlock detected")
    error.__cause__ = psycopg.errors.DeadlockDetected("deadlock detected")  # sqlstate 40P01
    return error


def test_a_deadlocks_victim_runs_again_and_other_errors_do_not() -> None:
    calls: list[int] = []

    def once_a_victim() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise _victim()
        return "written"

    assert atomic_retried(once_a_victim) == "written" and len(calls) == 2
    calls.clear()

    def broken() -> None:
        calls.append(1)
        raise OperationalError("no such table")

    with pytest.raises(OperationalError):
        atomic_retried(broken)
    assert calls == [1]


def test_inside_a_callers_transaction_nothing_is_run_again() -> None:
    calls: list[int] = []

    def fails() -> None:
        calls.append(1)
        raise _victim()

    with pytest.raises(OperationalError), transaction.atomic():
        atomic_retried(fails)
    assert calls == [1]
