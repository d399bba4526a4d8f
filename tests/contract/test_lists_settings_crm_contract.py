"""List associations #29-#34, settings #35-#36 and the CRM subset against the live simulator."""

from __future__ import annotations

import httpx
import pytest

from hsadmin.hubspot_client import ContactFilter, HubSpotClient, InputStatus, NotFoundError

from .conftest import new_event, unique


def test_lists_are_searched_read_and_paged(client: HubSpotClient) -> None:
    page = client.search_lists(count=1)
    assert page.total >= 2 and len(page.lists) == 1 and page.has_more
    every = list(client.iter_lists(count=1))
    assert len(every) == page.total
    assert len({lst.list_id for lst in every}) == len(every)
    one = client.get_list(every[0].list_id)
    assert one.list_id == every[0].list_id and one.name == every[0].name
    named = client.search_lists(every[0].name)
    assert every[0].list_id in {lst.list_id for lst in named.lists}


def test_lists_are_associated_and_disassociated_both_ways(client: HubSpotClient) -> None:
    spec = new_event()
    object_id = client.create_event(spec).object_id
    first, second = list(client.iter_lists(count=10))[:2]

    client.associate_list(object_id, first.list_id)
    client.associate_list_by_external_id(spec.external_account_id, spec.external_event_id, second.list_id)
    assert {lst.list_id for lst in client.iter_event_lists(object_id)} == {first.list_id, second.list_id}
    by_ext = client.event_lists_page_by_external_id(spec.external_account_id, spec.external_event_id)
    assert by_ext.total == 2 and by_ext.results[0].name

    client.disassociate_list_by_external_id(spec.external_account_id, spec.external_event_id, first.list_id)
    client.disassociate_list(object_id, second.list_id)
    assert client.event_lists_page(object_id).results == ()


def test_the_event_details_setting_is_read_and_written_with_the_developer_key(
    client: HubSpotClient, live
) -> None:
    url = f"https://dash.test/{unique('details')}/%s"
    written = client.update_event_settings(url)
    assert written.app_id == live.app_id and written.event_details_url == url
    assert client.get_event_settings().event_details_url == url


def test_the_simulator_refuses_a_details_url_without_the_placeholder(client: HubSpotClient, live) -> None:
    response = httpx.post(
        f"{live.base_url}/marketing/v3/marketing-events/{live.app_id}/settings",
        params={"hapikey": live.app["developer_api_key"]},
        json={"eventDetailsUrl": "https://x"},
    )
    assert response.status_code == 400  # the client refuses it before sending; the simulator agrees
    with pytest.raises(ValueError):
        client.update_event_settings("https://x")


def test_contacts_are_read_by_id_and_by_email(client: HubSpotClient, live) -> None:
    known = live.control.contacts(live.hub_id)[0]
    by_id = client.get_contact(known["id"], properties=["email", "firstname"])
    assert by_id.id == known["id"] and by_id.email == known["email"]
    by_email = client.get_contact(known["email"], id_property="email")
    assert by_email.id == known["id"]
    assert by_id.created_at is not None
    with pytest.raises(NotFoundError):
        client.get_contact("nobody@example.com", id_property="email")


def test_contacts_are_searched_page_by_page(client: HubSpotClient, live) -> None:
    known = live.control.contacts(live.hub_id)
    emails = [c["email"] for c in known[:3]]
    found = list(
        client.iter_search_contacts(
            filters=[ContactFilter("email", "IN", values=emails)], properties=["email"], limit=1
        )
    )
    assert sorted(c.email for c in found) == sorted(emails)
    one = client.search_contacts_page(filters=[ContactFilter("email", "EQ", value=emails[0])])
    assert one.total == 1 and one.results[0].email == emails[0]


def test_contacts_are_batch_read_by_email_with_missing_ones_reported(client: HubSpotClient, live) -> None:
    known = [c["email"] for c in live.control.contacts(live.hub_id)[:2]]
    missing = f"{unique('missing')}@example.com"
    outcome = client.batch_read_contacts([*known, missing], id_property="email", properties=["firstname"])
    assert sorted(c.email for c in outcome.results) == sorted(known)
    statuses = {o.input: o.status for o in outcome.per_input()}
    assert statuses[missing] is InputStatus.FAILED
    assert all(statuses[e] is InputStatus.OK for e in known)
