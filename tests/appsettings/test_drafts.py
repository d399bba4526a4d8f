"""Drafts: saved in hsadmin before they exist in HubSpot, marked Draft, published with one upsert."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from hsadmin.core.models import AuditEntry, User
from hsadmin.events.models import Event
from hsadmin.jobs.runner import run_job
from hsadmin.jobs.services import job_start
from hsadmin.portals.models import Portal
from tests.live_simulator import LiveSimulator

pytestmark = pytest.mark.django_db


def _in_hubspot(sim: LiveSimulator, event: Event) -> list[dict]:
    return [
        e for e in sim.control.events(event.portal.hub_id) if e["externalEventId"] == event.external_event_id
    ]


def test_a_draft_is_saved_in_hsadmin_only_and_marked_draft_in_the_event_list(
    portal: Portal, hubspot: LiveSimulator, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(marketing_user)
    response = client.post(
        reverse("appsettings:draft_create", args=[portal.hub_id]),
        {"name": "Product launch", "organizer": "Acme", "event_type": "webinar"},
    )
    draft = Event.objects.get(name="Product launch")
    assert response.status_code == 302 and response.url == reverse(
        "events:detail", args=[portal.hub_id, draft.object_id]
    )
    assert draft.is_draft and draft.object_id.startswith("draft-") and draft.owned_by_us
    assert draft.external_event_id and draft.event_type == "WEBINAR"
    assert _in_hubspot(hubspot, draft) == []
    listing = client.get(reverse("events:list", args=[portal.hub_id]))
    assert "badge-draft" in listing.text
    detail = client.get(response.url)
    assert "Publish to HubSpot" in detail.text and "Refresh from HubSpot" not in detail.text
    assert AuditEntry.objects.filter(action="event.draft_create").count() == 1


def test_an_invalid_draft_comes_back_as_a_422_fragment(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    response = signed_in(marketing_user).post(
        reverse("appsettings:draft_create", args=[portal.hub_id]),
        {"name": "", "organizer": "Acme"},
        headers={"HX-Request": "true", "HX-Target": "draft-form"},
    )
    assert response.status_code == 422 and "<html" not in response.text
    assert not Event.objects.exists()


def test_publishing_a_draft_creates_it_in_hubspot_and_it_becomes_a_mirrored_event(
    portal: Portal,
    hubspot: LiveSimulator,
    make_draft: Callable[..., Event],
    marketing_user: User,
    signed_in: Callable[[User], Client],
) -> None:
    draft = make_draft("Launch webinar")
    url = reverse("appsettings:draft_publish", args=[portal.hub_id, draft.object_id])
    client = signed_in(marketing_user)
    assert "Publish “Launch webinar” to HubSpot?" in client.get(url).text
    response = client.post(url)
    event = Event.objects.get(pk=draft.pk)
    assert not event.is_draft and event.object_id.isdigit()
    assert response.url == reverse("events:detail", args=[portal.hub_id, event.object_id])
    (remote,) = _in_hubspot(hubspot, event)
    assert remote["objectId"] == event.object_id and remote["eventName"] == "Launch webinar"
    assert remote["appId"] == hubspot.app_id
    assert AuditEntry.objects.get(action="event.publish").outcome == "success"
    assert client.get(url).status_code == 404  # no longer a draft


def test_editing_and_deleting_a_draft_change_only_hsadmin(
    portal: Portal,
    hubspot: LiveSimulator,
    make_draft: Callable[..., Event],
    marketing_user: User,
    signed_in: Callable[[User], Client],
) -> None:
    draft = make_draft("Early plan")
    client = signed_in(marketing_user)
    edit = reverse("appsettings:draft_edit", args=[portal.hub_id, draft.object_id])
    client.post(edit, {"name": "Later plan", "organizer": "Acme"})
    draft.refresh_from_db()
    assert draft.name == "Later plan" and draft.is_draft
    delete = reverse("appsettings:draft_delete", args=[portal.hub_id, draft.object_id])
    assert "Delete the draft “Later plan”?" in client.get(delete).text
    assert client.post(delete).status_code == 302
    assert not Event.objects.filter(pk=draft.pk).exists()
    assert _in_hubspot(hubspot, draft) == []


def test_a_full_sync_keeps_drafts(
    portal: Portal, make_draft: Callable[..., Event], marketing_user: User
) -> None:
    draft = make_draft("Not in HubSpot yet")
    job = job_start(kind="events.sync", portal=portal, user=marketing_user)
    run_job(job.pk)
    job.refresh_from_db()
    assert job.state == "succeeded"
    assert Event.objects.filter(pk=draft.pk, is_draft=True).exists()


def test_a_manager_cannot_make_or_publish_drafts(
    portal: Portal, make_draft: Callable[..., Event], manager_user: User, signed_in: Callable[[User], Client]
) -> None:
    draft = make_draft()
    client = signed_in(manager_user)
    assert client.post(reverse("appsettings:draft_create", args=[portal.hub_id]), {}).status_code == 403
    assert (
        client.post(reverse("appsettings:draft_publish", args=[portal.hub_id, draft.object_id])).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("events:edit", "get"),
        ("events:refresh", "post"),
        ("participation:event", "get"),
        ("participation:record", "get"),
        ("participation:import-new", "get"),
    ],
)
def test_pages_that_act_in_hubspot_send_a_draft_to_its_page(
    portal: Portal,
    hubspot: LiveSimulator,
    make_draft: Callable[..., Event],
    marketing_user: User,
    signed_in: Callable[[User], Client],
    name: str,
    method: str,
) -> None:
    draft = make_draft("Spring plan")
    client = signed_in(marketing_user)
    url = reverse(name, args=[portal.hub_id, draft.object_id])
    response = getattr(client, method)(url, follow=True)
    draft_page = reverse("events:detail", args=[portal.hub_id, draft.object_id])
    assert response.redirect_chain[-1][0] == draft_page
    assert "is a draft: it is not in HubSpot until it is published" in response.text
    assert "Publish" in response.text
    hx = getattr(client, method)(url, headers={"HX-Request": "true"})
    assert hx.status_code == 200 and hx.headers["HX-Redirect"] == draft_page


def test_cancelling_a_draft_is_refused_plainly_and_touches_nothing(
    portal: Portal,
    hubspot: LiveSimulator,
    make_draft: Callable[..., Event],
    marketing_user: User,
    signed_in: Callable[[User], Client],
) -> None:
    draft = make_draft("Spring plan")
    url = reverse("events:cancel", args=[portal.hub_id, draft.object_id])
    response = signed_in(marketing_user).post(url, follow=True)
    assert "is a draft" in response.text
    draft.refresh_from_db()
    assert draft.is_draft and not draft.cancelled
