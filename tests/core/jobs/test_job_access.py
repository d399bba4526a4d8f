"""Who may reach a job: the access matrix of every job view, generated from the jobs URLconf.

A job follows the person's *current* membership and the capability its kind needs, in every view (list,
detail, progress, file, failed rows, cancel, retry). Having started a job gives no access of its own: a person
whose membership was revoked loses their old jobs and files with it, and a portal admin (who may not see
contacts) never sees an import or a contact export of their portal.

The expectations below are written out by hand, not computed from the code under test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from hsadmin.core.models import Job, JobItem, JobState, User
from hsadmin.core.roles import Role
from hsadmin.jobs.runner import run_job
from hsadmin.portals.models import Membership, Portal

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
PERSONAS = ("marketing", "portal_admin", "manager", "other_admin", "revoked", "superuser")

# job name: (kind, on the other portal?, who started it)
JOBS: dict[str, tuple[str, bool, str]] = {
    "sync": ("events.sync", False, "portal_admin"),
    "bulk": ("events.bulk", False, "marketing"),
    "import": ("participation.import", False, "marketing"),
    "contacts_export": ("participation.export", False, "manager"),
    "no_shows": ("reports.no_shows", False, "manager"),
    "revoked_import": ("participation.import", False, "revoked"),
    "other_portal_import": ("participation.import", True, "other_admin"),
    "other_portal_sync": ("events.sync", True, "other_admin"),
}

# Who may see (and so cancel or retry) each job. Marketing: events, participation, lists. Manager: events,
# contacts and reports. Portal admin: the portal's syncs only (they connect portals; they may not see
# contacts). Nobody keeps a job through having started it.
MAY_SEE: dict[str, set[str]] = {
    "sync": {"marketing", "portal_admin", "manager", "superuser"},
    "bulk": {"marketing", "superuser"},
    "import": {"marketing", "superuser"},
    "contacts_export": {"marketing", "manager", "superuser"},
    "no_shows": {"manager", "superuser"},
    "revoked_import": {"marketing", "superuser"},
    "other_portal_import": {"superuser"},
    "other_portal_sync": {"other_admin", "superuser"},
}


def _job_urls() -> list[tuple[str, URLPattern]]:
    for entry in get_resolver().url_patterns:
        if getattr(entry, "namespace", None) == "jobs":
            return [(f"jobs:{p.name}", p) for p in entry.url_patterns if isinstance(p, URLPattern)]
    raise AssertionError("the jobs URLconf is not mounted")


JOB_URLS = _job_urls()
PER_JOB_URLS = [(name, p) for name, p in JOB_URLS if "pk" in p.pattern.regex.groupindex]


def test_the_matrix_covers_every_job_view() -> None:
    assert {name for name, _ in JOB_URLS} == {
        "jobs:list",
        "jobs:detail",
        "jobs:progress",
        "jobs:cancel",
        "jobs:retry",
        "jobs:file",
        "jobs:failed-csv",
        "jobs:left-out-csv",
    }, "a new job view: add it to this matrix"


@pytest.fixture
def world(make_person: Callable[..., User]) -> dict[str, Any]:
    ours = Portal.objects.create(hub_id=111, name="Ours", status="connected", refresh_token="r")
    theirs = Portal.objects.create(hub_id=222, name="Theirs", status="connected", refresh_token="r")
    people = {
        "marketing": make_person("m", Role.MARKETING),
        "portal_admin": make_person("a", Role.PORTAL_ADMIN),
        "manager": make_person("g", Role.MANAGER),
        "other_admin": make_person("o", Role.PORTAL_ADMIN),
        "revoked": make_person("r", Role.MARKETING),
        "superuser": make_person("s", is_superuser=True),
    }
    for name, role in (("marketing", Role.MARKETING), ("portal_admin", Role.PORTAL_ADMIN)):
        Membership.objects.create(user=people[name], portal=ours, role=role.value)
    Membership.objects.create(user=people["manager"], portal=ours, role=Role.MANAGER.value)
    Membership.objects.create(user=people["other_admin"], portal=theirs, role=Role.PORTAL_ADMIN.value)
    revoked = Membership.objects.create(user=people["revoked"], portal=ours, role=Role.MARKETING.value)
    jobs: dict[str, Job] = {}
    for name, (kind, elsewhere, starter) in JOBS.items():
        job = Job.objects.create(
            kind=kind,
            portal=theirs if elsewhere else ours,
            started_by=people[starter],
            state=JobState.FAILED,
            total=2,
            done=2,
            failed=1,
            skipped=1,
            message="One row was refused.",
        )
        job.file.save(f"{name}.csv", ContentFile(b"email\nsecret@example.com\n"), save=False)
        job.file_name = f"{name}.csv"
        job.save()
        JobItem.objects.create(job=job, chunk_seq=0, ref="row 2", ok=False, message="refused")
        JobItem.objects.create(job=job, chunk_seq=0, ref="row 3", ok=False, skipped=True, message="a host")
        jobs[name] = job
    revoked.delete()  # the revoked person started their job while still a member
    return {"people": people, "jobs": jobs}


def _get(client: Client, name: str, job: Job) -> int:
    url = reverse(name, args=[job.pk])
    if name == "jobs:progress":
        return client.get(url, headers=HTMX).status_code
    if name in ("jobs:cancel", "jobs:retry"):
        return client.post(url).status_code
    return client.get(url).status_code


@pytest.mark.parametrize("job_name", list(JOBS))
@pytest.mark.parametrize(("url_name", "pattern"), PER_JOB_URLS, ids=[n for n, _ in PER_JOB_URLS])
def test_each_job_view_answers_only_people_who_may_see_that_job(
    url_name: str, pattern: URLPattern, job_name: str, world: dict[str, Any], client: Client
) -> None:
    job: Job = world["jobs"][job_name]
    got: dict[str, int] = {}
    for persona in PERSONAS:
        client.force_login(world["people"][persona])
        got[persona] = _get(client, url_name, job)
        job.refresh_from_db()
        if job.state != JobState.FAILED:  # a retry or cancel went through: put the job back as it was
            Job.objects.filter(pk=job.pk).update(state=JobState.FAILED, finished_at=None)
    expected_ok = {"jobs:cancel": 302, "jobs:retry": 302}.get(url_name, 200)
    expected = {p: (expected_ok if p in MAY_SEE[job_name] else 404) for p in PERSONAS}
    assert got == expected


def test_the_jobs_list_shows_each_person_only_the_jobs_they_may_see(
    world: dict[str, Any], client: Client
) -> None:
    for persona in PERSONAS:
        client.force_login(world["people"][persona])
        page = client.get(reverse("jobs:list")).text
        listed = {
            name for name, job in world["jobs"].items() if reverse("jobs:detail", args=[job.pk]) in page
        }
        assert listed == {name for name, who in MAY_SEE.items() if persona in who}, persona


def test_a_retry_runs_as_the_person_who_retried_it(world: dict[str, Any], client: Client) -> None:
    job: Job = world["jobs"]["revoked_import"]
    marketer = world["people"]["marketing"]
    client.force_login(marketer)
    assert client.post(reverse("jobs:retry", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.state == JobState.QUEUED
    assert job.run_by == marketer
    assert job.started_by == world["people"]["revoked"]  # who first started it is kept for the record


def test_a_job_resumed_for_a_person_who_lost_access_stops_instead_of_acting_for_them(
    start: Callable[..., Job], marketer: User, portal: Portal
) -> None:
    job = start(n=4, size=2)
    Membership.objects.filter(user=marketer, portal=portal).delete()
    assert run_job(job.pk) == JobState.FAILED
    job.refresh_from_db()
    assert job.done == 0
    assert "may no longer do this on this portal" in job.message


def test_a_job_runs_while_its_person_may_still_do_its_kind(start: Callable[..., Job]) -> None:
    job = start(n=4, size=2)
    assert run_job(job.pk) == JobState.SUCCEEDED
