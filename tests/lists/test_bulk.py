"""Tying one list to many events chosen on the event list: a job with a result per event."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from hsadmin.core.models import AuditEntry, Job, User
from hsadmin.events.models import Event
from hsadmin.hubspot_client import HubSpotClient
from hsadmin.jobs.runner import run_job
from hsadmin.portals.models import Portal
from tests.events.conftest import HubSpotApi
from tests.lists.conftest import tied

pytestmark = pytest.mark.django_db


def _choose(client: Client, portal: Portal, events: list[Event]) -> None:
    """What the event list's "Associate a list…" button sends: the selection, then the chooser page."""
    response = client.post(
        reverse("lists:bulk", args=[portal.hub_id]),
        {"object_ids": [e.object_id for e in events], "action": "cancel", "next": "/"},
    )
    assert response.status_code == 302 and response.url == reverse("lists:bulk", args=[portal.hub_id])


def test_a_list_is_tied_to_each_selected_event_by_a_job_with_a_result_per_event(
    portal: Portal,
    ours: Callable[..., Event],
    theirs: Callable[..., Event],
    client_for: HubSpotClient,
    list_ids: dict[str, str],
    marketing_user: User,
    signed_in: Callable[[User], Client],
) -> None:
    events = [ours("One"), ours("Two"), theirs(f"bulk-{uuid.uuid4().hex[:8]}")]
    client = signed_in(marketing_user)
    _choose(client, portal, events)
    chooser = client.get(reverse("lists:bulk", args=[portal.hub_id]), {"q": "webinar"})
    assert "Associate a list with 3 selected events" in chooser.text
    assert "Webinar invitees" in chooser.text

    response = client.post(
        reverse("lists:bulk", args=[portal.hub_id]),
        {"list_id": list_ids["Webinar invitees"], "list_name": "Webinar invitees"},
    )
    job = Job.objects.get(kind="lists.bulk_associate")
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    assert set(job.params["object_ids"]) == {e.object_id for e in events}
    run_job(job.pk)
    job.refresh_from_db()
    assert (job.state, job.done, job.failed) == ("succeeded", 3, 0)
    assert job.items.filter(ok=True).count() == 3
    assert all(tied(client_for, event) == {"Webinar invitees"} for event in events)
    entry = AuditEntry.objects.get(action="list.bulk_associate")
    assert entry.outcome == "success" and entry.actor == marketing_user and entry.detail["failed"] == 0
    # The selection is used once.
    assert client.get(reverse("lists:bulk", args=[portal.hub_id])).status_code == 302


def test_an_event_hubspot_no_longer_has_fails_alone_with_its_reason(
    portal: Portal,
    ours: Callable[..., Event],
    theirs: Callable[..., Event],
    partner: HubSpotApi,
    list_ids: dict[str, str],
    marketing_user: User,
    signed_in: Callable[[User], Client],
) -> None:
    kept, gone = ours("Kept"), theirs(f"gone-{uuid.uuid4().hex[:8]}")
    partner.delete(gone.object_id)
    client = signed_in(marketing_user)
    _choose(client, portal, [kept, gone])
    client.post(reverse("lists:bulk", args=[portal.hub_id]), {"list_id": list_ids["Newsletter subscribers"]})
    job = Job.objects.get(kind="lists.bulk_associate")
    run_job(job.pk)
    job.refresh_from_db()
    assert (job.state, job.done, job.failed) == ("succeeded", 2, 1)
    failed = job.items.get(ok=False)
    assert gone.object_id in failed.ref and "HubSpot does not know this item" in failed.message
    assert AuditEntry.objects.get(action="list.bulk_associate").outcome == "failure"


def test_choosing_with_nothing_selected_goes_back_to_the_event_list_with_a_message(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(marketing_user)
    draft = Event.objects.create(portal=portal, object_id="draft-x", name="Plan", is_draft=True)
    response = client.post(
        reverse("lists:bulk", args=[portal.hub_id]), {"object_ids": [draft.object_id]}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("events:list", args=[portal.hub_id])
    assert "Select at least one event that exists in HubSpot." in response.text
    assert not Job.objects.exists()


def test_a_manager_cannot_tie_lists_to_many_events(
    portal: Portal, manager_user: User, signed_in: Callable[[User], Client]
) -> None:
    response = signed_in(manager_user).post(
        reverse("lists:bulk", args=[portal.hub_id]), {"object_ids": ["1"]}
    )
    assert response.status_code == 403


def test_the_event_list_offers_associate_a_list_in_its_bulk_bar(
    portal: Portal, ours: Callable[..., Event], marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    ours()
    page = signed_in(marketing_user).get(reverse("events:list", args=[portal.hub_id]))
    assert f'formaction="{reverse("lists:bulk", args=[portal.hub_id])}"' in page.text
