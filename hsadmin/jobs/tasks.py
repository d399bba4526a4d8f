"""The one Django task behind every job: it carries a job's id to a worker, and the runner does the rest."""

from __future__ import annotations

from typing import Any

from django.tasks import TaskContext, task

from hsadmin.jobs import runner


@task(takes_context=True)
def run_job(context: TaskContext[Any, Any], job_id: int) -> str | None:
    state = runner.run_job(job_id, task_id=str(context.task_result.id))
    return state.value if state else None
