"""Reads about jobs. Access is decided here only (the README's "Security" states the rule):

- a job with a portal is visible to the people whose *current* role on that portal has one of the capabilities
  its kind needs (an import needs `record_participation`, a no-shows export `view_reports`, …);
- a job without a portal, or of a kind that needs no capability, only to who started it (while still a member
  of its portal, if it has one);
- superusers see every job. Any other job is a 404: having started a job gives no access of its own, so a
  revoked membership takes the person's old jobs and files with it.

Cancel and retry follow the same rule (`services.job_may_manage`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from hsadmin.core.jobkinds import job_kinds
from hsadmin.core.models import Job, JobItem, User
from hsadmin.core.roles import ROLE_CAPABILITIES
from hsadmin.portals.models import Membership


def _roles_for(capabilities: tuple[str, ...]) -> frozenset[str]:
    return frozenset(role.value for role, caps in ROLE_CAPABILITIES.items() if set(caps) & set(capabilities))


def job_access_rule(*, user: User) -> Q:
    """The jobs this person may reach, as one condition (one query, whatever the number of kinds or portals)."""
    if user.is_superuser:
        return Q()
    by_roles: dict[frozenset[str], list[str]] = defaultdict(list)
    open_kinds: list[str] = []
    for kind in job_kinds():
        if kind.capabilities:
            by_roles[_roles_for(kind.capabilities)].append(kind.name)
        else:
            open_kinds.append(kind.name)
    memberships = Membership.objects.filter(user=user, portal=OuterRef("portal"))
    rule = Q(portal__isnull=True, started_by=user)
    rule |= Q(kind__in=open_kinds, started_by=user) & Q(Exists(memberships))
    for roles, kinds in by_roles.items():
        if roles:
            rule |= Q(kind__in=kinds) & Q(Exists(memberships.filter(role__in=roles)))
    return rule


def job_visible(*, user: User) -> QuerySet[Job]:
    return Job.objects.filter(job_access_rule(user=user))


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
        return job_visible(user=user).select_related("portal", "started_by", "run_by").get(pk=int(pk))
    except (Job.DoesNotExist, ValueError, TypeError):
        raise Http404("No such job") from None


def job_item_list(*, job: Job, outcome: str = "") -> QuerySet[JobItem]:
    items = job.items.all()
    if outcome == "failed":
        items = items.filter(ok=False, skipped=False)
    elif outcome == "left_out":
        items = items.filter(skipped=True)
    elif outcome == "succeeded":
        items = items.filter(ok=True)
    return items.order_by("id")


def job_failed_items(*, job: Job) -> QuerySet[JobItem]:
    return job.items.filter(ok=False, skipped=False).order_by("id")


def job_left_out_items(*, job: Job) -> QuerySet[JobItem]:
    """Items left out on purpose (not sent, not failed), each with why."""
    return job.items.filter(skipped=True).order_by("id")


# What the progress bar shows, and nothing else: the poll runs every second for every open page.
PROGRESS_FIELDS = (
    "id",
    "kind",
    "state",
    "message",
    "total",
    "done",
    "failed",
    "skipped",
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
