"""An event's breakdown (live, 100 at a time), a contact's history, the reconciled counts and the export."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from hsadmin.core.models import Job, User
from hsadmin.events.models import Event
from hsadmin.jobs.runner import run_job
from hsadmin.participation import selectors
from hsadmin.portals.models import Portal
from tests.events.conftest import HubSpotApi
from tests.live_simulator import LiveSimulator

pytestmark = pytest.mark.django_db


# The breakdown as the page's HTMX request asks for it, once the page has loaded.
BREAKDOWN = {"HX-Request": "true", "HX-Target": "breakdown"}


def _record(api: HubSpotApi, event: Event, state: str, vids: list[int], at: int = 1_700_000_000_000) -> None:
    response = api.http.post(
        f"/{event.object_id}/attendance/{state}/create",
        json={"inputs": [{"vid": v, "interactionDateTime": at, "properties": {}} for v in vids]},
    )
    assert response.status_code == 200, response.text


@pytest.fixture
def busy_event(
    make_event: Callable[..., Event],
    make_contacts: Callable[[int], list[tuple[str, int]]],
    partner: HubSpotApi,
) -> tuple[Event, list[tuple[str, int]]]:
    """150 registered; 20 of them then attended, 5 cancelled, and 3 registered twice."""
    event = make_event()
    people = make_contacts(150)
    vids = [v for _, v in people]
    _record(partner, event, "register", vids)
    _record(partner, event, "attend", vids[:20], at=1_700_000_100_000)
    _record(partner, event, "cancel", vids[20:25], at=1_700_000_100_000)
    _record(partner, event, "register", vids[25:28], at=1_700_000_050_000)
    return event, people


def _hubspot_calls(hubspot: LiveSimulator) -> int:
    """Calls to HubSpot's API since the last stats reset (the simulator's control calls aside)."""
    families = hubspot.control.stats()["by_family"]
    return sum(count for family, count in families.items() if family != "control")


def test_the_page_comes_from_the_mirror_and_the_breakdown_follows_from_hubspot(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    busy_event: tuple[Event, list],
) -> None:
    event, _people = busy_event
    client = signed_in(marketing_user)
    url = reverse("participation:event", args=[portal.hub_id, event.object_id])
    hubspot.control.http.post("/stats/reset")
    page = client.get(url, {"state": "ATTENDED"})
    assert page.status_code == 200
    assert _hubspot_calls(hubspot) == 0  # no HubSpot call: the page answers at once
    assert 'hx-trigger="load"' in page.text and "Reading who took part from HubSpot" in page.text
    assert f'hx-get="{url}?state=ATTENDED"' in page.text  # the fragment keeps the filters
    assert "show=1" in page.text  # without JavaScript, a link renders it in the page
    shown = client.get(url, {"state": "ATTENDED", "show": "1"})
    assert shown.context["total"] == 20 and 'hx-trigger="load"' not in shown.text
    assert _hubspot_calls(hubspot) == 1


def test_the_breakdown_shows_100_people_then_loads_100_more(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client], busy_event: tuple[Event, list]
) -> None:
    event, _people = busy_event
    client = signed_in(marketing_user)
    url = reverse("participation:event", args=[portal.hub_id, event.object_id])
    page = client.get(url, headers=BREAKDOWN)
    assert page.status_code == 200
    assert len(page.context["rows"]) == 100 and page.context["total"] == 150
    assert "Load 100 more" in page.text
    more = client.get(url, {"after": page.context["next_after"]}, headers={"HX-Request": "true"})
    assert "<html" not in more.text and len(more.context["rows"]) == 50
    assert "Load 100 more" not in more.text


def test_the_breakdown_filters_by_state_and_by_contact(
    portal: Portal, manager_user: User, signed_in: Callable[[User], Client], busy_event: tuple[Event, list]
) -> None:
    event, people = busy_event
    client = signed_in(manager_user)
    url = reverse("participation:event", args=[portal.hub_id, event.object_id])
    attended = client.get(
        url, {"state": "ATTENDED"}, headers={"HX-Request": "true", "HX-Target": "breakdown"}
    )
    assert attended.context["total"] == 20 and "<html" not in attended.text
    one = client.get(url, {"contact": people[3][0].upper()}, headers=BREAKDOWN)
    assert [p.email for p in one.context["rows"]] == [people[3][0]]
    nobody = client.get(url, {"contact": "nobody.zz9@example.com"}, headers=BREAKDOWN)
    assert "Nobody matches these filters" in nobody.text
    bad = client.get(url, {"state": "WON", "contact": "not an email"})
    assert bad.status_code == 422


def test_a_hubspot_failure_on_the_breakdown_is_explained_not_a_500(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event,
) -> None:
    event = make_event()
    hubspot.control.set_faults(rate_500=1.0)
    page = signed_in(marketing_user).get(
        reverse("participation:event", args=[portal.hub_id, event.object_id]), headers=BREAKDOWN
    )
    assert page.status_code == 200
    assert "HubSpot could not be reached or had a problem" in page.text


def test_counts_are_reconciled_with_a_plain_explanation(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client], busy_event: tuple[Event, list]
) -> None:
    event, _ = busy_event
    client = signed_in(marketing_user)
    response = client.post(reverse("participation:recount", args=[portal.hub_id, event.object_id]))
    assert response.status_code == 302
    job = Job.objects.get(kind="participation.counts")
    assert run_job(job.pk) == "succeeded", Job.objects.get(pk=job.pk).message
    counts = selectors.reconciled_counts(event=Event.objects.get(pk=event.pk))
    assert counts.activities["REGISTERED"] == 153  # 150 + 3 re-registrations: every activity counts
    assert counts.counters == {"REGISTERED": 125, "ATTENDED": 20, "CANCELLED": 5, "NO_SHOW": 0}
    assert counts.breakdown == counts.counters
    assert any("registered twice" in note for note in counts.explanations)
    page = client.get(reverse("participation:event", args=[portal.hub_id, event.object_id]))
    assert "Why the numbers can differ" in page.text and "153" in page.text


def test_the_reconciliation_explains_a_breakdown_that_lags_the_counters() -> None:
    counters = {"REGISTERED": 10, "ATTENDED": 2, "CANCELLED": 0, "NO_SHOW": 0}
    notes = selectors.explain(dict(counters), counters, {**counters, "REGISTERED": 9})
    assert any("merged or deleted" in n and "index" in n for n in notes)
    assert selectors.explain(dict(counters), counters, dict(counters))[0].startswith("All three agree")
    assert "Count again" in selectors.explain(dict(counters), None, None)[0]


def test_the_export_is_a_job_with_a_csv_of_everyone(
    portal: Portal, manager_user: User, signed_in: Callable[[User], Client], busy_event: tuple[Event, list]
) -> None:
    event, _ = busy_event
    client = signed_in(manager_user)
    response = client.post(
        reverse("participation:export", args=[portal.hub_id, event.object_id]), {"state": "REGISTERED"}
    )
    job = Job.objects.get(kind="participation.export")
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert run_job(job.pk) == "succeeded"
    job.refresh_from_db()
    content = b"".join(client.get(reverse("jobs:file", args=[job.pk])).streaming_content).decode("utf-8-sig")
    lines = content.strip().splitlines()
    assert lines[0].startswith("contact_id,email,firstname")
    assert len(lines) == 1 + 125 and job.done == 125


def test_an_export_cut_off_mid_way_resumes_after_its_last_page_without_reading_it_again(
    hubspot: LiveSimulator,
    portal: Portal,
    manager_user: User,
    signed_in: Callable[[User], Client],
    busy_event: tuple[Event, list],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker dies right after the first page (100 of 150 people) is confirmed; the retry reads page two only."""
    from hsadmin.jobs import runner
    from hsadmin.jobs.services import job_retry

    event, _ = busy_event
    client = signed_in(manager_user)
    client.post(reverse("participation:export", args=[portal.hub_id, event.object_id]))
    job = Job.objects.get(kind="participation.export")

    class WorkerDied(Exception):
        pass

    confirm = runner.JobContext.record_chunk

    def confirm_then_die(self: runner.JobContext, **kwargs: object) -> None:
        confirm(self, **kwargs)
        raise WorkerDied

    monkeypatch.setattr(runner.JobContext, "record_chunk", confirm_then_die)
    assert run_job(job.pk) == "failed"
    monkeypatch.setattr(runner.JobContext, "record_chunk", confirm)
    hubspot.control.http.post("/stats/reset")
    job_retry(job=Job.objects.get(pk=job.pk), user=manager_user)
    assert run_job(job.pk) == "succeeded"
    assert _hubspot_calls(hubspot) == 1  # page two only
    job.refresh_from_db()
    raw = b"".join(client.get(reverse("jobs:file", args=[job.pk])).streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    lines = raw.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("contact_id,email,firstname")
    ids = [line.split(",")[0] for line in lines[1:]]
    assert len(ids) == len(set(ids)) == 150 and job.done == 150
    assert not runner.job_scratch_dir(job.pk).exists()  # the working file went with the success


def test_a_contacts_history_lists_their_events_linked_to_the_event_pages(
    portal: Portal,
    manager_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
    make_contacts: Callable[[int], list[tuple[str, int]]],
    partner: HubSpotApi,
) -> None:
    first, second = make_event(name="First"), make_event(name="Second")
    ((email, vid),) = make_contacts(1)
    _record(partner, first, "register", [vid])
    _record(partner, second, "attend", [vid])
    client = signed_in(manager_user)
    assert client.get(reverse("participation:contacts")).url == reverse(
        "participation:contact-history", args=[portal.hub_id]
    )
    url = reverse("participation:contact-history", args=[portal.hub_id])
    assert "Find a contact by email" in client.get(url).text
    page = client.get(url, {"q": email})
    linked = {e.object_id for _, e in page.context["rows"] if e is not None}
    assert {first.object_id, second.object_id} <= linked
    assert reverse("participation:event", args=[portal.hub_id, second.object_id]) in page.text
    # Who it is, by name, and the events newest first.
    assert f'<h2 class="history-person">Person0  <span class="muted">({email})</span></h2>' in page.text
    times = [p.occurred_at for p, _ in page.context["rows"] if p.occurred_at]
    assert times == sorted(times, reverse=True)
    by_id = client.get(url, {"q": str(vid)})
    assert len(by_id.context["rows"]) == len(page.context["rows"])
    assert client.get(url, {"q": "not an email"}).status_code == 422
    assert "No participation found" in client.get(url, {"q": "nobody.zz8@example.com"}).text
