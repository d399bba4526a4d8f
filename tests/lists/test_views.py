"""The Lists tab: read, add by name, remove with confirmation, permissions and HubSpot's refusals."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from hsadmin.core.models import AuditEntry, User
from hsadmin.core.roles import Role
from hsadmin.events.models import Event
from hsadmin.hubspot_client import HubSpotClient
from hsadmin.portals.models import Portal
from tests.lists.conftest import tied
from tests.live_simulator import LiveSimulator

pytestmark = pytest.mark.django_db


def _tab(portal: Portal, event: Event) -> str:
    return reverse("lists:event", args=[portal.hub_id, event.object_id])


def _add(portal: Portal, event: Event) -> str:
    return reverse("lists:add", args=[portal.hub_id, event.object_id])


def test_the_lists_tab_shows_each_tied_list_with_size_processing_type_and_status(
    portal: Portal,
    ours: Callable[..., Event],
    client_for: HubSpotClient,
    list_ids: dict[str, str],
    marketing_user: User,
    signed_in: Callable[[User], Client],
) -> None:
    event = ours()
    client_for.associate_list_by_external_id(
        event.external_account_id, event.external_event_id, list_ids["Webinar invitees"]
    )
    response = signed_in(marketing_user).get(_tab(portal, event))
    assert response.status_code == 200
    row = next(item for item in response.context["lists"] if item.name == "Webinar invitees")
    assert (row.processing_type, row.processing_status) == ("MANUAL", "COMPLETE")
    assert row.size is not None
    assert "Webinar invitees" in response.text and "MANUAL" in response.text and "COMPLETE" in response.text
    assert "Remove" in response.text


def test_an_event_without_lists_says_so_and_offers_to_add_one(
    portal: Portal, ours: Callable[..., Event], marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    response = signed_in(marketing_user).get(_tab(portal, ours()))
    assert "No list is tied to this event yet." in response.text
    assert "Find a list to add" in response.text


def test_searching_lists_by_name_returns_only_the_results_fragment_for_htmx(
    portal: Portal, ours: Callable[..., Event], marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    event = ours()
    response = signed_in(marketing_user).get(
        _add(portal, event), {"q": "newsletter"}, headers={"HX-Request": "true", "HX-Target": "list-search"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    names = [item.name for item in response.context["results"]]
    assert "Newsletter subscribers" in names and "Webinar invitees" not in names


def test_adding_a_list_of_our_own_event_uses_the_external_ids_and_is_audited(
    portal: Portal,
    ours: Callable[..., Event],
    client_for: HubSpotClient,
    list_ids: dict[str, str],
    marketing_user: User,
    signed_in: Callable[[User], Client],
) -> None:
    event = ours()
    client = signed_in(marketing_user)
    response = client.post(
        _add(portal, event), {"list_id": list_ids["Webinar invitees"], "list_name": "Webinar invitees"}
    )
    assert response.status_code == 302 and response.url == _tab(portal, event)
    assert tied(client_for, event) == {"Webinar invitees"}
    entry = AuditEntry.objects.get(action="list.associate")
    assert entry.outcome == "success" and entry.actor == marketing_user and entry.portal == portal
    assert entry.detail["by"] == "external"
    assert "is now tied to this event" in client.get(response.url).text


def test_adding_a_list_of_another_apps_event_uses_its_object_id(
    portal: Portal,
    theirs: Callable[..., Event],
    client_for: HubSpotClient,
    list_ids: dict[str, str],
    marketing_user: User,
    signed_in: Callable[[User], Client],
) -> None:
    event = theirs(f"partner-{uuid.uuid4().hex[:8]}")
    response = signed_in(marketing_user).post(
        _add(portal, event), {"list_id": list_ids["Newsletter subscribers"]}
    )
    assert response.status_code == 302
    assert tied(client_for, event) == {"Newsletter subscribers"}
    assert AuditEntry.objects.get(action="list.associate").detail["by"] == "objectId"


def test_removing_a_list_asks_first_then_unties_it_in_hubspot(
    portal: Portal,
    ours: Callable[..., Event],
    client_for: HubSpotClient,
    list_ids: dict[str, str],
    marketing_user: User,
    signed_in: Callable[[User], Client],
) -> None:
    event = ours()
    list_id = list_ids["Webinar invitees"]
    client_for.associate_list_by_external_id(event.external_account_id, event.external_event_id, list_id)
    url = reverse("lists:remove", args=[portal.hub_id, event.object_id, list_id])
    client = signed_in(marketing_user)
    confirm = client.get(url, {"name": "Webinar invitees"})
    assert confirm.status_code == 200 and "Untie “Webinar invitees”" in confirm.text
    assert tied(client_for, event) == {"Webinar invitees"}  # asking changed nothing
    response = client.post(url, {"list_name": "Webinar invitees"})
    assert response.status_code == 302
    assert tied(client_for, event) == set()
    assert AuditEntry.objects.filter(action="list.disassociate", outcome="success").count() == 1


def test_a_list_hubspot_does_not_know_is_refused_with_a_reason_and_audited_with_its_correlation_id(
    portal: Portal, ours: Callable[..., Event], marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    event = ours()
    client = signed_in(marketing_user)
    response = client.post(_add(portal, event), {"list_id": "987654321", "list_name": "Gone"}, follow=True)
    assert "HubSpot does not know this item" in response.text
    entry = AuditEntry.objects.get(action="list.associate")
    assert entry.outcome == "failure" and entry.correlation_id


def test_a_malformed_list_id_comes_back_with_422_and_no_call(
    portal: Portal, ours: Callable[..., Event], marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    event = ours()
    response = signed_in(marketing_user).post(
        _add(portal, event), {"list_id": "1/../2"}, headers={"HX-Request": "true", "HX-Target": "list-search"}
    )
    assert response.status_code == 422
    assert "Choose a list from the search results." in response.text
    assert not AuditEntry.objects.filter(action="list.associate").exists()


def test_the_list_search_pages_by_offset(
    portal: Portal,
    hubspot: LiveSimulator,
    ours: Callable[..., Event],
    marketing_user: User,
    signed_in: Callable[[User], Client],
) -> None:
    hubspot.control.seed(events=0, contacts=0, lists=60)
    client = signed_in(marketing_user)
    first = client.get(_add(portal, ours()), {"q": ""})
    total = first.context["total"]
    assert total > 20 and len(first.context["results"]) == 20
    assert first.context["next_offset"] == 20 and first.context["previous_offset"] is None
    second = client.get(first.request["PATH_INFO"], {"q": "", "offset": 20})
    assert second.context["first"] == 21 and second.context["previous_offset"] == 0
    assert {i.list_id for i in first.context["results"]}.isdisjoint(
        {i.list_id for i in second.context["results"]}
    )
    assert f"21–{second.context['last']} of {total}" in second.text


def test_a_draft_has_no_lists_until_it_is_published(
    portal: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    draft = Event.objects.create(portal=portal, object_id="draft-abc", name="Plan", is_draft=True)
    client = signed_in(marketing_user)
    assert "Publish it to HubSpot before tying lists to it" in client.get(_tab(portal, draft)).text
    response = client.post(_add(portal, draft), {"list_id": "1"}, follow=True)
    assert "Publish it to HubSpot before tying lists to it" in response.text


def test_a_manager_reads_the_lists_tab_but_cannot_change_lists(
    portal: Portal, ours: Callable[..., Event], manager_user: User, signed_in: Callable[[User], Client]
) -> None:
    event = ours()
    client = signed_in(manager_user)
    page = client.get(_tab(portal, event))
    assert page.status_code == 200 and "Add a list" not in page.text
    assert client.post(_add(portal, event), {"list_id": "1"}).status_code == 403
    remove = reverse("lists:remove", args=[portal.hub_id, event.object_id, "1"])
    assert client.post(remove).status_code == 403


def test_another_portals_event_is_not_found(
    make_portal: Callable[..., Portal],
    hubspot: LiveSimulator,
    marketing_user: User,
    make_person: Callable[..., User],
    signed_in: Callable[[User], Client],
) -> None:
    mine = make_portal((marketing_user, Role.MARKETING))
    outsider = make_person("otto", Role.MARKETING)
    make_portal((outsider, Role.MARKETING), hub_id=hubspot.other_hub_id)
    event = Event.objects.create(portal=mine, object_id="4242", name="Mine")
    client = signed_in(outsider)
    assert client.get(_tab(mine, event)).status_code == 404
    assert client.post(_add(mine, event), {"list_id": "1"}).status_code == 404
