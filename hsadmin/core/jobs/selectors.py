"""Reads about jobs. Access is decided here only: a person sees the jobs of their portals and the jobs they
started; superusers see all; any other job is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from hsadmin.core.models import Job, JobItem, User


def job_visible(*, user: User) -> QuerySet[Job]:
    jobs = Job.objects.all()
    if user.is_superuser:
        return jobs
    from hsadmin.portals.models import Membership

    portals = Membership.objects.filter(user=user).values("portal_id")
    return jobs.filter(Q(started_by=user) | Q(portal__in=portals))


def job_list(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[Job]:
    filters = filters or {}
    jobs = job_visible(user=user).select_related("portal", "started_by")
    if filters.get("state"):
        jobs = jobs.filter(state=filters["state"])
    if filters.get("kind"):
        jobs = jobs.filter(kind=filters["kind"])
    if filters.get("portal"):
        jobs = jobs.filter(portal=filters["portal"])
    return jobs.order_by("-created_at", "-id")


def job_get(*, user: User, pk: int | str) -> Job:
    """One job this person may see, with its portal and starter, in one query; else 404."""
    try:
        return job_visible(user=user).select_related("portal", "started_by").get(pk=int(pk))
    except (Job.DoesNotExist, ValueError, TypeError):
        raise Http404("No such job") from None


def job_item_list(*, job: Job, outcome: str = "") -> QuerySet[JobItem]:
    items = job.items.all()
    if outcome == "failed":
        items = items.filter(ok=False)
    elif outcome == "succeeded":
        items = items.filter(ok=True)
    return items.order_by("id")


def job_failed_items(*, job: Job) -> QuerySet[JobItem]:
    return job.items.filter(ok=False).order_by("id")


# What the progress bar shows, and nothing else: the poll runs every second for every open page.
PROGRESS_FIELDS = (
    "id",
    "kind",
    "state",
    "message",
    "total",
    "done",
    "failed",
    "started_at",
    "finished_at",
    "progress_at",
    "run_started_at",
    "run_started_done",
)


def job_progress_get(*, user: User, pk: int | str) -> Job:
    """The job's progress fields in one query (with the access check), or 404."""
    try:
        return job_visible(user=user).only(*PROGRESS_FIELDS).get(pk=int(pk))
    except (Job.DoesNotExist, ValueError, TypeError):
        raise Http404("No such job") from None
