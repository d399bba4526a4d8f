"""Events #1-#17 against the live simulator, on v3 and 2026-03."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hsadmin.hubspot_client import (
    EventUpdate,
    ExternalEventRef,
    HubSpotClient,
    InputStatus,
    NotFoundError,
    ObjectIdUpdate,
)

from .conftest import new_event, unique

START = datetime(2026, 6, 1, 15, 0, tzinfo=UTC)
END = START + timedelta(hours=1)


def test_an_event_goes_through_its_whole_life_by_external_ids(client: HubSpotClient, live) -> None:
    spec = new_event(start_date_time=START, end_date_time=END)
    created = client.create_event(spec)
    assert created.object_id and created.event_name == "Contract webinar"
    assert created.id is None and created.created_at is None  # the create response has neither

    read = client.get_event_by_external_id(spec.external_account_id, spec.external_event_id)
    assert read.object_id == created.object_id
    assert read.external_event_id == spec.external_event_id
    assert read.start_date_time == START and read.end_date_time == END
    assert read.custom_property("hs_event_topic") == "testing"
    assert read.registrants == 0 and read.attendees == 0

    updated = client.update_event_by_external_id(
        spec.external_account_id,
        spec.external_event_id,
        EventUpdate(event_name="Renamed", event_url="https://x.test"),
    )
    assert updated.event_name == "Renamed" and updated.id == created.object_id

    upserted = client.upsert_event(new_event(external_event_id=spec.external_event_id, event_name="Upserted"))
    assert upserted.object_id == created.object_id and upserted.event_name == "Upserted"

    cancelled = client.cancel_event(spec.external_account_id, spec.external_event_id)
    assert cancelled.event_cancelled is True
    completed = client.complete_event(
        spec.external_account_id, spec.external_event_id, start_date_time=START, end_date_time=END
    )
    assert completed.event_completed is True

    state = {e["objectId"]: e for e in live.control.events(live.hub_id)}[created.object_id]
    assert state["eventName"] == "Upserted" and state["eventCancelled"] and state["eventCompleted"]

    client.delete_event_by_external_id(spec.external_account_id, spec.external_event_id)
    with pytest.raises(NotFoundError):
        client.get_event_by_external_id(spec.external_account_id, spec.external_event_id)


def test_an_event_is_read_updated_and_deleted_by_object_id(client: HubSpotClient) -> None:
    created = client.create_event(new_event(start_date_time=START))
    event = client.get_event(created.object_id)
    assert event.object_id == created.object_id
    assert event.app_info is not None and event.app_info.id
    assert event.created_at is not None and event.created_at.tzinfo is not None
    patched = client.update_event(created.object_id, EventUpdate(event_description="Now with a description"))
    assert patched.event_description == "Now with a description"
    assert patched.updated_at is not None
    client.delete_event(created.object_id)
    with pytest.raises(NotFoundError) as caught:
        client.get_event(created.object_id)
    assert caught.value.correlation_id and caught.value.status == 404


def test_listing_every_event_follows_the_cursor(client: HubSpotClient) -> None:
    mine = {client.create_event(new_event()).object_id for _ in range(3)}
    first = client.list_events_page(limit=2)
    assert len(first.results) <= 2
    ids = [e.object_id for e in client.iter_events(limit=2)]
    assert mine <= set(ids)
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids, key=int)  # sorted by objectId


def test_batch_upsert_update_and_archive(client: HubSpotClient, live) -> None:
    specs = [new_event(event_name=f"Batch {n}") for n in range(5)]
    outcome = client.upsert_events(specs, batch_size=2)
    assert outcome.ok and len(outcome.chunks) == 3
    by_ext = {
        e.external_event_id: e
        for e in (client.get_event_by_external_id(s.external_account_id, s.external_event_id) for s in specs)
    }
    object_ids = [by_ext[s.external_event_id].object_id for s in specs]

    updated = client.update_events(
        [ObjectIdUpdate(oid, EventUpdate(event_name="Batch renamed")) for oid in object_ids]
    )
    assert updated.ok and {e.event_name for e in updated.results} == {"Batch renamed"}

    missing = "999999999"
    archived = client.delete_events([*object_ids[:3], missing])
    assert not archived.ok
    statuses = {o.input: o.status for o in archived.per_input()}
    assert statuses[missing] is InputStatus.FAILED
    assert all(statuses[oid] is InputStatus.OK for oid in object_ids[:3])
    remaining = {e["objectId"] for e in live.control.events(live.hub_id)}
    assert not set(object_ids[:3]) & remaining and set(object_ids[3:]) <= remaining

    refs = [ExternalEventRef(live.app_id, s.external_account_id, s.external_event_id) for s in specs[3:]]
    deleted = client.delete_events_by_external_id(refs)
    assert deleted.ok
    remaining = {e["objectId"] for e in live.control.events(live.hub_id)}
    assert not set(object_ids) & remaining


def test_identifiers_are_found_for_this_app_and_across_apps(client: HubSpotClient, make_client, live) -> None:
    external_id = unique("shared")
    mine = client.create_event(new_event(external_event_id=external_id))
    other = make_client(app=live.other_app).create_event(new_event(external_event_id=external_id))

    found = client.search_events_by_external_id(external_id)
    assert [f.object_id for f in found] == [mine.object_id]
    assert found[0].app_id == live.app_id

    everywhere = list(client.iter_event_identifiers(external_id))
    assert {f.object_id for f in everywhere} == {mine.object_id, other.object_id}
    assert all(f.marketing_event_name == "Contract webinar" for f in everywhere)


def test_external_id_endpoints_refuse_another_apps_event_with_404(
    client: HubSpotClient, make_client, live
) -> None:
    spec = new_event()
    theirs = make_client(app=live.other_app).create_event(spec)
    with pytest.raises(NotFoundError):
        client.get_event_by_external_id(spec.external_account_id, spec.external_event_id)
    assert client.get_event(theirs.object_id).object_id == theirs.object_id  # objectId works for any app
