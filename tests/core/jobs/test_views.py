"""The Jobs pages: list, detail, the progress partial, cancel and retry, downloads; who sees what."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from hsadmin.core.models import Job, JobState, User
from hsadmin.core.roles import Role
from hsadmin.jobs.runner import ItemResult, JobContext
from hsadmin.portals.models import Portal

pytestmark = pytest.mark.django_db

Start = Callable[..., Job]
SignedIn = Callable[[User], Client]
HTMX = {"HX-Request": "true"}


@pytest.fixture
def job(start: Start, run_tasks: Callable[[], int]) -> Job:
    job = start(n=10, size=5, fail_every=3)
    run_tasks()
    job.refresh_from_db()
    return job


@pytest.fixture
def other_job(other_portal: Portal, make_person: Callable[..., User]) -> Job:
    stranger = make_person("sam", Role.MARKETING)
    return Job.objects.create(kind="tests.count", portal=other_portal, started_by=stranger)


def test_the_jobs_page_lists_this_persons_jobs_but_not_another_portals(
    signed_in: SignedIn, marketer: User, job: Job, other_job: Job
) -> None:
    response = signed_in(marketer).get(reverse("jobs:list"))
    assert response.status_code == 200
    page = response.text
    assert "<h1>Jobs</h1>" in page and 'id="jobs-table"' in page
    assert reverse("jobs:detail", args=[job.pk]) in page
    assert reverse("jobs:detail", args=[other_job.pk]) not in page


def test_an_htmx_request_for_the_jobs_page_returns_only_the_table(
    signed_in: SignedIn, marketer: User, job: Job
) -> None:
    response = signed_in(marketer).get(reverse("jobs:list"), {"state": "succeeded"}, headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text and reverse("jobs:detail", args=[job.pk]) in response.text


def test_the_jobs_page_filters_by_state_and_kind(signed_in: SignedIn, marketer: User, job: Job) -> None:
    client = signed_in(marketer)
    assert (
        reverse("jobs:detail", args=[job.pk])
        in client.get(reverse("jobs:list"), {"kind": "tests.count"}).text
    )
    page = client.get(reverse("jobs:list"), {"state": "failed"}).text
    assert reverse("jobs:detail", args=[job.pk]) not in page and "No job matches these filters." in page


def test_a_bad_filter_is_ignored_rather_than_an_error(signed_in: SignedIn, marketer: User, job: Job) -> None:
    response = signed_in(marketer).get(reverse("jobs:list"), {"state": "exploded", "page": "x"})
    assert response.status_code == 200


def test_the_jobs_page_says_what_jobs_are_when_there_are_none(signed_in: SignedIn, marketer: User) -> None:
    assert "No jobs yet." in signed_in(marketer).get(reverse("jobs:list")).text


def test_the_jobs_table_polls_only_while_a_listed_job_is_active(
    signed_in: SignedIn, marketer: User, start: Start, job: Job
) -> None:
    client = signed_in(marketer)
    assert 'hx-trigger="every 3s"' not in client.get(reverse("jobs:list")).text
    start()
    assert 'hx-trigger="every 3s"' in client.get(reverse("jobs:list")).text


@pytest.mark.parametrize(
    ("role", "sees"), [(Role.MARKETING, True), (Role.PORTAL_ADMIN, False), (Role.MANAGER, False)]
)
def test_a_job_is_seen_by_the_roles_of_its_portal_that_may_do_its_kind(
    role: Role,
    sees: bool,
    signed_in: SignedIn,
    make_person: Callable[..., User],
    member: Callable[..., User],
    job: Job,
) -> None:
    # The test kind changes events: Marketing may, a portal admin and a manager may not (issue 16).
    person = member(make_person("rita", role), role)
    client = signed_in(person)
    assert (reverse("jobs:detail", args=[job.pk]) in client.get(reverse("jobs:list")).text) is sees
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == (200 if sees else 404)
    progress = client.get(reverse("jobs:progress", args=[job.pk]), headers=HTMX)
    assert progress.status_code == (200 if sees else 404)


def test_a_person_no_longer_sees_a_job_they_started_once_they_lose_access_to_its_portal(
    signed_in: SignedIn, make_person: Callable[..., User], other_portal: Portal
) -> None:
    person = make_person("una", Role.MARKETING)
    job = Job.objects.create(kind="tests.count", portal=other_portal, started_by=person)
    assert signed_in(person).get(reverse("jobs:detail", args=[job.pk])).status_code == 404


def test_a_superuser_sees_every_job(
    signed_in: SignedIn, make_person: Callable[..., User], other_job: Job
) -> None:
    boss = make_person("root", is_superuser=True)
    assert signed_in(boss).get(reverse("jobs:detail", args=[other_job.pk])).status_code == 200


@pytest.mark.parametrize("name", ["jobs:detail", "jobs:progress", "jobs:file", "jobs:failed-csv"])
def test_another_portals_job_is_not_found(
    name: str, signed_in: SignedIn, marketer: User, other_job: Job
) -> None:
    assert signed_in(marketer).get(reverse(name, args=[other_job.pk]), headers=HTMX).status_code == 404


def test_cancelling_another_portals_job_is_not_found(
    signed_in: SignedIn, marketer: User, other_job: Job
) -> None:
    assert signed_in(marketer).post(reverse("jobs:cancel", args=[other_job.pk])).status_code == 404
    assert Job.objects.get(pk=other_job.pk).state == JobState.QUEUED


def test_a_signed_out_person_is_sent_to_sign_in(client: Client, job: Job) -> None:
    response = client.get(reverse("jobs:detail", args=[job.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_job_page_shows_progress_results_and_a_download_of_the_failed_items(
    signed_in: SignedIn, marketer: User, job: Job
) -> None:
    page = signed_in(marketer).get(reverse("jobs:detail", args=[job.pk])).text
    assert "Counting" in page and "10 of 10 numbers" in page and 'value="100"' in page
    assert "4 not done" in page and "number 3" in page
    assert "Partly done" in page  # some items not done is its own state, neither finished nor failed
    assert reverse("jobs:failed-csv", args=[job.pk]) in page
    assert "Cancel job" not in page  # it has ended
    assert 'hx-get="' + reverse("jobs:progress", args=[job.pk]) not in page  # nothing to poll


def test_the_job_page_filters_its_results_with_an_htmx_fragment(
    signed_in: SignedIn, marketer: User, job: Job
) -> None:
    response = signed_in(marketer).get(
        reverse("jobs:detail", args=[job.pk]), {"outcome": "failed"}, headers=HTMX
    )
    assert "<html" not in response.text
    assert "number 3" in response.text and "number 1<" not in response.text


def test_the_progress_partial_polls_while_the_job_runs(
    signed_in: SignedIn, marketer: User, start: Start
) -> None:
    job = start()
    response = signed_in(marketer).get(reverse("jobs:progress", args=[job.pk]), headers=HTMX)
    assert response.status_code == 200
    assert 'hx-trigger="every 1s"' in response.text and "waiting for a worker" in response.text
    assert "HX-Trigger" not in response
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_progress_partial_stops_polling_and_announces_the_end(
    signed_in: SignedIn, marketer: User, job: Job
) -> None:
    response = signed_in(marketer).get(reverse("jobs:progress", args=[job.pk]), headers=HTMX)
    assert "hx-trigger" not in response.text and 'value="100"' in response.text
    assert json.loads(response["HX-Trigger"]) == {"hsadmin:job-ended": {"job": job.pk, "state": "succeeded"}}


def test_the_progress_url_without_htmx_leads_to_the_job_page(
    signed_in: SignedIn, marketer: User, job: Job
) -> None:
    response = signed_in(marketer).get(reverse("jobs:progress", args=[job.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])


def test_the_progress_poll_costs_the_session_the_user_and_one_query_for_the_job(
    settings, signed_in: SignedIn, marketer: User, start: Start, django_assert_num_queries
) -> None:
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    job = start()
    client = signed_in(marketer)
    with django_assert_num_queries(3):  # session, user, job (with its access check): DB sessions
        client.get(reverse("jobs:progress", args=[job.pk]), headers=HTMX)


def test_with_cached_sessions_the_progress_poll_is_two_queries(
    settings, signed_in: SignedIn, marketer: User, start: Start, django_assert_max_num_queries
) -> None:
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    job = start()
    client = signed_in(marketer)
    with django_assert_max_num_queries(2):  # user, job: the session comes from the cache
        client.get(reverse("jobs:progress", args=[job.pk]), headers=HTMX)


def test_a_person_who_may_cancel_sees_the_button_and_cancels_with_a_post(
    signed_in: SignedIn, marketer: User, start: Start
) -> None:
    job = start()
    client = signed_in(marketer)
    page = client.get(reverse("jobs:detail", args=[job.pk])).text
    assert "Cancel job" in page and "data-confirm" in page
    assert client.get(reverse("jobs:cancel", args=[job.pk])).status_code == 405
    response = client.post(reverse("jobs:cancel", args=[job.pk]), follow=True)
    assert "The job is cancelled." in response.text
    assert Job.objects.get(pk=job.pk).state == JobState.CANCELLED


def test_a_manager_can_neither_watch_nor_cancel_a_job_of_a_kind_they_may_not_do(
    signed_in: SignedIn, manager_user: User, member: Callable[..., User], start: Start
) -> None:
    member(manager_user, Role.MANAGER)
    job = start()  # the test kind changes events, which a manager may not
    client = signed_in(manager_user)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.post(reverse("jobs:cancel", args=[job.pk])).status_code == 404
    assert Job.objects.get(pk=job.pk).state == JobState.QUEUED


def test_cancelling_an_ended_job_says_so(signed_in: SignedIn, marketer: User, job: Job) -> None:
    response = signed_in(marketer).post(reverse("jobs:cancel", args=[job.pk]), follow=True)
    assert "This job has already ended." in response.text


def test_a_failed_job_can_be_retried_from_its_page(
    signed_in: SignedIn, marketer: User, start: Start, run_tasks: Callable[[], int]
) -> None:
    job = start(n=6, size=3, crash_at=3)
    run_tasks()
    client = signed_in(marketer)
    page = client.get(reverse("jobs:detail", args=[job.pk])).text
    assert "HubSpot answered 500" in page and "Retry from where it stopped" in page
    response = client.post(reverse("jobs:retry", args=[job.pk]), follow=True)
    assert "carries on from where it stopped" in response.text
    run_tasks()
    assert Job.objects.get(pk=job.pk).state == JobState.SUCCEEDED


def test_the_failed_items_download_is_the_original_rows_with_their_error(
    signed_in: SignedIn, marketer: User, job: Job
) -> None:
    response = signed_in(marketer).get(reverse("jobs:failed-csv", args=[job.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="job-{job.pk}-failed.csv"' in response["Content-Disposition"]
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines == [
        "number,email,error",
        "0,n0@example.com,0 is not welcome",
        "3,n3@example.com,3 is not welcome",
        "6,n6@example.com,6 is not welcome",
        "9,n9@example.com,9 is not welcome",
    ]


def test_a_jobs_file_downloads_as_an_attachment(
    settings, tmp_path, signed_in: SignedIn, marketer: User, start: Start, run_tasks: Callable[[], int]
) -> None:
    settings.DATA_DIR = tmp_path
    job = start(n=2, size=2, file=True)
    run_tasks()
    client = signed_in(marketer)
    assert "Download numbers.csv" in client.get(reverse("jobs:detail", args=[job.pk])).text
    response = client.get(reverse("jobs:file", args=[job.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="numbers.csv"'
    assert b"".join(response.streaming_content) == b"number\n0\n1\n"


def test_a_job_without_a_file_has_nothing_to_download(signed_in: SignedIn, marketer: User, job: Job) -> None:
    assert signed_in(marketer).get(reverse("jobs:file", args=[job.pk])).status_code == 404


def _job_with_items(portal: Portal, marketer: User, items: list[ItemResult]) -> Job:
    """A finished job whose items were recorded by the engine itself (so their data is kept as it keeps it)."""
    job = Job.objects.create(
        kind="tests.count", portal=portal, started_by=marketer, state=JobState.RUNNING, lease="L"
    )
    JobContext(job, lease="L").record_chunk(checkpoint={"position": len(items)}, items=items)
    Job.objects.filter(pk=job.pk).update(state=JobState.SUCCEEDED, lease="")
    job.refresh_from_db()
    return job


def test_the_failed_items_download_has_every_column_any_failed_item_had_in_order_of_first_appearance(
    signed_in: SignedIn, marketer: User, portal: Portal
) -> None:
    job = _job_with_items(
        portal,
        marketer,
        [
            ItemResult(ref="row 2", ok=False, message="short", data={"Email": "a@example.com", "Name": "A"}),
            ItemResult(ref="row 3", ok=True, data={"Email": "ok@example.com", "Company": "Not offered"}),
            ItemResult(
                ref="row 4",
                ok=False,
                message="longer",
                data={"Email": "b@example.com", "Name": "B", "Rows": "4, 9"},
            ),
            ItemResult(
                ref="row 5", ok=False, message="other", data={"Phone": "030 1", "Email": "c@example.com"}
            ),
        ],
    )
    response = signed_in(marketer).get(reverse("jobs:failed-csv", args=[job.pk]))
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines == [
        "Email,Name,Rows,Phone,error",
        "a@example.com,A,,,short",
        'b@example.com,B,"4, 9",,longer',
        "c@example.com,,,030 1,other",
    ]


def test_items_left_out_on_purpose_are_listed_and_downloaded_apart_from_the_failed_ones(
    signed_in: SignedIn, marketer: User, portal: Portal
) -> None:
    job = _job_with_items(
        portal,
        marketer,
        [
            ItemResult(ref="row 2", ok=True, data={"Email": "a@example.com"}),
            ItemResult(
                ref="row 3", ok=False, skipped=True, message="A host", data={"Email": "h@example.com"}
            ),
        ],
    )
    assert (job.done, job.failed, job.skipped, job.succeeded) == (2, 0, 1, 1)
    client = signed_in(marketer)
    page = client.get(reverse("jobs:detail", args=[job.pk])).text
    assert "Partly done" not in page and "1 left out on purpose" in page
    assert reverse("jobs:left-out-csv", args=[job.pk]) in page
    assert client.get(reverse("jobs:failed-csv", args=[job.pk])).status_code == 404
    left = client.get(reverse("jobs:detail", args=[job.pk]), {"outcome": "left_out"}, headers=HTMX).text
    assert "row 3" in left and "row 2" not in left
    failed = client.get(reverse("jobs:detail", args=[job.pk]), {"outcome": "failed"}, headers=HTMX).text
    assert "row 3" not in failed
    response = client.get(reverse("jobs:left-out-csv", args=[job.pk]))
    assert f'filename="job-{job.pk}-left-out.csv"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).decode().splitlines() == [
        "Email,why left out",
        "h@example.com,A host",
    ]
