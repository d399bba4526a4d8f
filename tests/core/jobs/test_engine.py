"""The job engine: chunks, checkpoints, resuming after a dead worker, pause, cancel, retry, files."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from hsadmin.core.models import Job, JobChunk, JobItem, JobState, PauseReason, User
from hsadmin.core.roles import Role
from hsadmin.jobs import runner, watchdog
from hsadmin.jobs.services import job_cancel, job_requeue, job_retry, job_start, jobs_resume_for_portal
from hsadmin.portals.models import Portal, PortalStatus

pytestmark = pytest.mark.django_db

Start = Callable[..., Job]
Run = Callable[[], int]


def sent(log: Path) -> Counter[int]:
    return Counter(int(line) for line in log.read_text().split())


def test_a_job_counts_every_item_in_chunks_and_records_a_checkpoint_after_each(
    start: Start, run_tasks: Run
) -> None:
    job = start(n=10, size=3, fail_every=4)
    assert job.state == JobState.QUEUED and job.task_id

    assert run_tasks() == 1

    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert (job.total, job.done, job.failed, job.chunks) == (10, 10, 3, 4)
    assert job.checkpoint == {"position": 10}
    assert job.result == {"summary": "Counted 10 numbers."}
    assert job.percent == 100 and job.finished_at is not None and job.lease == ""
    assert list(JobChunk.objects.filter(job=job).values_list("seq", "done", "checkpoint")) == [
        (1, 3, {"position": 3}),
        (2, 3, {"position": 6}),
        (3, 3, {"position": 9}),
        (4, 1, {"position": 10}),
    ]
    failed = JobItem.objects.filter(job=job, ok=False).values_list("ref", flat=True)
    assert list(failed) == ["number 0", "number 4", "number 8"]


def test_an_item_left_out_on_purpose_is_counted_apart_and_does_not_make_the_job_partly_done(
    portal: Portal,
) -> None:
    job = Job.objects.create(kind="tests.count", portal=portal, state=JobState.RUNNING, lease="L")
    ctx = runner.JobContext(job, lease="L")
    ctx.record_chunk(
        checkpoint={"position": 3},
        items=[
            runner.ItemResult(ref="row 2", ok=True),
            runner.ItemResult(
                ref="row 3", ok=False, skipped=True, message="A host", data={"Email": "h@x.org"}
            ),
            runner.ItemResult(ref="row 4", ok=True),
        ],
    )
    assert (ctx.job.done, ctx.job.failed, ctx.job.skipped) == (3, 0, 1)
    job = Job.objects.get(pk=job.pk)
    job.state = JobState.SUCCEEDED
    assert (job.done, job.failed, job.skipped, job.succeeded) == (3, 0, 1, 2)
    assert (job.state_label, job.state_badge) == ("Finished", "badge-success")
    item = JobItem.objects.get(job=job, skipped=True)
    assert (item.ok, item.failed, item.message, item.data) == (False, False, "A host", [["Email", "h@x.org"]])


def test_a_killed_run_resumes_from_its_checkpoint_and_resends_only_the_chunk_whose_outcome_was_unknown(
    start: Start, run_tasks: Run, tmp_path: Path
) -> None:
    log = tmp_path / "sent.log"
    job = start(n=20, size=3, die_at=9, log=str(log))

    run_tasks()  # the run dies after sending the batch at 9, before recording it: like SIGKILL
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.done == 9 and job.chunks == 3
    assert watchdog.sweep().requeued == []  # its heartbeat is fresh and its process (this one) is alive

    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=5))
    assert watchdog.sweep().requeued == [job.pk]
    run_tasks()

    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 2
    assert (job.done, job.failed, job.chunks) == (20, 0, 7)
    # Confirmed chunks (0, 3, 6) were sent once; only 9, sent but never confirmed, was sent again.
    assert sent(log) == Counter({0: 1, 3: 1, 6: 1, 9: 2, 12: 1, 15: 1, 18: 1})
    assert list(JobChunk.objects.filter(job=job).values_list("seq", flat=True)) == list(range(1, 8))
    refs = list(JobItem.objects.filter(job=job).values_list("ref", flat=True))
    assert sorted(refs) == sorted(f"number {i}" for i in range(20))  # every item exactly once


def test_the_watchdog_requeues_at_once_a_job_whose_worker_process_is_gone(
    start: Start, run_tasks: Run
) -> None:
    job = start(n=6, size=3, die_at=3)
    run_tasks()
    gone = subprocess.Popen(["true"])  # noqa: S607 - a process that is surely gone once waited for
    gone.wait()
    host = runner.worker_name().rpartition(":")[0]
    Job.objects.filter(pk=job.pk).update(worker=f"{host}:{gone.pid}")

    assert watchdog.sweep().requeued == [job.pk]
    run_tasks()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.done == 6


def test_only_one_watchdog_wins_a_dead_job(start: Start, run_tasks: Run) -> None:
    job = start(n=6, size=3, die_at=3)
    run_tasks()
    job.refresh_from_db()
    lease = job.lease
    assert job_requeue(job=job, from_states=(JobState.RUNNING,), lease=lease) is True
    assert job_requeue(job=job, from_states=(JobState.RUNNING,), lease=lease) is False


def test_a_run_that_lost_its_job_to_another_worker_can_record_nothing(start: Start) -> None:
    job = start(n=6, size=3)
    claimed = runner.claim(job.pk)
    assert claimed is not None
    old_job, old_lease = claimed
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    watchdog.sweep()
    assert runner.claim(job.pk) is not None  # a second worker takes it

    ctx = runner.JobContext(old_job, lease=old_lease)
    with pytest.raises(runner.LeaseLost):
        ctx.record_chunk(checkpoint={"position": 3}, done=3)
    assert JobChunk.objects.filter(job=job).count() == 0
    assert Job.objects.get(pk=job.pk).done == 0
    assert runner.claim(job.pk) is None  # and nobody else can take a running job


def test_a_job_pauses_when_its_portal_needs_reconnecting_and_resumes_once_reconnected(
    start: Start, run_tasks: Run, portal: Portal, tmp_path: Path
) -> None:
    log = tmp_path / "sent.log"
    job = start(n=12, size=3, reconnect_at=6, log=str(log))
    run_tasks()

    job.refresh_from_db()
    assert job.state == JobState.PAUSED and job.pause_reason == PauseReason.PORTAL
    assert "reconnect" in job.message
    assert (job.done, job.failed) == (6, 0)  # no row failed for the portal's sake
    assert job.finished_at is None and job.is_active

    assert watchdog.sweep().resumed == 0  # still needs reconnecting
    Portal.objects.filter(pk=portal.pk).update(status=PortalStatus.CONNECTED)
    assert jobs_resume_for_portal(portal=portal) == 1
    run_tasks()

    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and (job.done, job.failed) == (12, 0)
    assert sent(log) == Counter({0: 1, 3: 1, 6: 2, 9: 1})


def test_the_watchdog_resumes_jobs_paused_for_a_portal_that_is_connected_again(
    start: Start, run_tasks: Run, portal: Portal
) -> None:
    job = start(n=6, size=3, reconnect_at=3)
    run_tasks()
    Portal.objects.filter(pk=portal.pk).update(status=PortalStatus.CONNECTED)
    assert watchdog.sweep().resumed == 1
    run_tasks()
    assert Job.objects.get(pk=job.pk).state == JobState.SUCCEEDED


def test_a_job_for_a_portal_that_needs_reconnecting_pauses_before_sending_anything(
    start: Start, run_tasks: Run, portal: Portal, tmp_path: Path
) -> None:
    Portal.objects.filter(pk=portal.pk).update(status=PortalStatus.NEEDS_RECONNECT)
    log = tmp_path / "sent.log"
    job = start(log=str(log))
    run_tasks()
    job.refresh_from_db()
    assert job.state == JobState.PAUSED and job.done == 0 and not log.exists()


def test_cancelling_a_queued_job_ends_it_at_once(start: Start, run_tasks: Run, marketer: User) -> None:
    job = start()
    job = job_cancel(job=job, user=marketer)
    assert job.state == JobState.CANCELLED and job.finished_at is not None and job.cancelled_by == marketer
    run_tasks()  # its task finds nothing to do
    assert Job.objects.get(pk=job.pk).done == 0


def test_cancelling_a_running_job_stops_it_after_the_chunk_it_is_working_on(
    start: Start, run_tasks: Run
) -> None:
    job = start(n=12, size=3, cancel_at=3)
    run_tasks()
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED
    assert job.done == 6  # the chunk in flight was confirmed; nothing after it was sent


def test_a_person_without_the_kinds_capability_on_the_portal_cannot_cancel(
    start: Start, manager_user: User, member: Callable[..., User]
) -> None:
    member(manager_user, Role.MANAGER)
    with pytest.raises(PermissionDenied):
        job_cancel(job=start(), user=manager_user)


def test_starting_a_job_needs_the_kinds_capability_on_the_portal(
    manager_user: User, member: Callable[..., User], portal: Portal
) -> None:
    member(manager_user, Role.MANAGER)
    with pytest.raises(PermissionDenied):
        job_start(kind="tests.count", portal=portal, user=manager_user, params={"n": 1, "size": 1})
    assert not Job.objects.exists()


def test_a_failing_job_keeps_its_error_and_a_retry_carries_on_from_its_checkpoint(
    start: Start, run_tasks: Run, marketer: User, tmp_path: Path
) -> None:
    log = tmp_path / "sent.log"
    job = start(n=9, size=3, crash_at=3, log=str(log))
    run_tasks()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "HubSpot answered 500" in job.message and "RuntimeError" in job.error_detail
    assert job.done == 3

    job_retry(job=job, user=marketer)
    run_tasks()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.done == 9 and job.message == ""
    assert sent(log) == Counter({0: 1, 3: 2, 6: 1})


def test_an_unknown_kind_fails_with_a_message_a_person_can_read(run_tasks: Run, portal: Portal) -> None:
    job = Job.objects.create(kind="gone.away", portal=portal)
    job_requeue(job=job, from_states=(JobState.QUEUED,))
    run_tasks()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "not known" in job.message


def test_a_job_can_leave_a_file_to_download(start: Start, run_tasks: Run, settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    job = start(n=3, size=3, file=True)
    run_tasks()
    job.refresh_from_db()
    assert job.file_name == "numbers.csv"
    with job.file.open("rb") as handle:
        assert handle.read() == b"number\n0\n1\n2\n"


def test_registering_another_function_under_a_taken_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="already registered"):
        runner.register_job_kind("tests.count", lambda ctx: None, label="Impostor")


def test_throughput_and_eta_count_only_the_current_runs_progress(start: Start) -> None:
    job = start(n=1000, size=100)
    t0 = timezone.now()
    job.state = JobState.RUNNING
    job.total, job.done = 1000, 600
    job.run_started_done = 400  # 400 were done by an earlier run
    job.run_started_at = t0
    job.progress_at = t0 + dt.timedelta(seconds=20)
    assert job.throughput == pytest.approx(10.0)  # 200 items in 20 s
    assert job.eta_seconds == pytest.approx(40.0)  # 400 left at 10/s
    assert job.percent == 60
    assert job.eta_display == "40 seconds" and job.throughput_display == "10.0"


def test_a_running_jobs_eta_grows_while_it_waits_instead_of_promising_its_old_speed(start: Start) -> None:
    job = start(n=1000, size=100)
    now = timezone.now()
    job.state = JobState.RUNNING
    job.total, job.done, job.run_started_done = 1000, 200, 0
    job.run_started_at = now - dt.timedelta(seconds=40)
    job.progress_at = now - dt.timedelta(seconds=20)  # 200 items in its first 20 s, then 20 s of waiting
    assert job.throughput == pytest.approx(5.0, rel=0.02)  # 200 items in the 40 s it has run
    assert job.eta_seconds == pytest.approx(160.0, rel=0.02)  # 800 left at 5/s, not 80 s at the old 10/s
    job.state = JobState.PAUSED  # paused (its portal disconnected): the rate it had when it last moved
    assert job.throughput == pytest.approx(10.0)


def test_a_dead_workers_job_that_someone_asked_to_cancel_ends_cancelled_instead_of_running_again(
    start: Start, run_tasks: Run, marketer: User
) -> None:
    job = start(n=6, size=3, die_at=3)
    run_tasks()
    job_cancel(job=job, user=marketer)  # the run is dead, so nobody will see the request
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    assert watchdog.sweep().requeued == []
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and job.finished_at is not None


def test_pruning_deletes_only_jobs_that_ended_long_ago_with_their_results(
    start: Start, run_tasks: Run, settings, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    old, recent, running = start(file=True), start(), start(n=6, size=3, die_at=3)
    run_tasks()
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=40))
    old.refresh_from_db()
    path = Path(old.file.path)
    assert path.exists()

    call_command("jobs_prune", "--days", "30", stdout=io.StringIO())

    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert not JobItem.objects.filter(job_id=old.pk).exists() and not path.exists()
