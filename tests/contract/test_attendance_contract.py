"""Participation writes #18-#23 and reads #24-#28 against the live simulator, on v3 and 2026-03."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hsadmin.hubspot_client import (
    EmailSubscriber,
    HubSpotClient,
    InputStatus,
    ParticipationState,
    Subscriber,
    SubscriberState,
    attendance_properties,
)

from .conftest import new_event, unique

AT = datetime(2026, 6, 1, 15, 0, tzinfo=UTC)


@pytest.fixture
def contacts(live) -> list[dict]:
    return live.control.contacts(live.hub_id)[:3]


@pytest.fixture
def event(client: HubSpotClient):
    spec = new_event()
    created = client.create_event(spec)
    return spec, created.object_id


def test_attendance_by_contact_ids_for_an_object_id_is_recorded_once(client, live, contacts, event) -> None:
    _, object_id = event
    subscribers = [Subscriber(int(c["id"]), AT) for c in contacts]
    first = client.record_participation_by_contact_ids(object_id, SubscriberState.REGISTER, subscribers)
    assert first.ok and sorted(r.vid for r in first.results) == sorted(int(c["id"]) for c in contacts)
    again = client.record_participation_by_contact_ids(object_id, SubscriberState.REGISTER, subscribers)
    assert again.ok  # the same contact and interactionDateTime: idempotent
    rows = live.control.participations(event_object_id=object_id)
    assert len(rows) == len(contacts)
    assert {r["state"] for r in rows} == {"REGISTERED"}
    counters = client.get_participation_counters(object_id)
    assert counters.registered == len(contacts) and counters.attended == 0


def test_attendance_by_email_creates_missing_contacts(client, live, event) -> None:
    _, object_id = event
    email = f"{unique('new')}@example.com"
    joined = AT + timedelta(minutes=5)
    outcome = client.record_participation_by_emails(
        object_id,
        SubscriberState.ATTEND,
        [
            EmailSubscriber(
                email,
                AT,
                attendance_properties(joined_at=joined, left_at=joined + timedelta(hours=1)),
                contact_properties={"firstname": "New"},
            )
        ],
    )
    assert outcome.ok and outcome.results[0].email == email and outcome.results[0].vid
    assert email in {c["email"] for c in live.control.contacts(live.hub_id)}
    rows = live.control.participations(event_object_id=object_id)
    assert [r["state"] for r in rows] == ["ATTENDED"]


def test_attendance_by_external_event_id_with_and_without_the_account(client, live, contacts, event) -> None:
    spec, object_id = event
    vid = int(contacts[0]["id"])
    by_id = client.record_external_participation_by_contact_ids(
        spec.external_event_id,
        SubscriberState.REGISTER,
        [Subscriber(vid, AT)],
        external_account_id=spec.external_account_id,
    )
    assert by_id.ok
    by_email = client.record_external_participation_by_emails(
        spec.external_event_id,
        SubscriberState.ATTEND,
        [EmailSubscriber(contacts[1]["email"], AT)],
        external_account_id=spec.external_account_id,
    )
    assert by_email.ok
    counters = client.get_participation_counters_by_external_id(
        spec.external_account_id, spec.external_event_id
    )
    assert (counters.registered, counters.attended) == (1, 1)
    assert len(live.control.participations(event_object_id=object_id)) == 2


def test_the_legacy_upserts_record_known_contacts_only(client, live, contacts, event) -> None:
    spec, object_id = event
    by_id = client.upsert_external_participation_by_contact_ids(
        spec.external_account_id,
        spec.external_event_id,
        SubscriberState.REGISTER,
        [Subscriber(int(contacts[0]["id"]), AT)],
    )
    assert by_id.ok
    stranger = f"{unique('stranger')}@example.com"
    by_email = client.upsert_external_participation_by_emails(
        spec.external_account_id,
        spec.external_event_id,
        SubscriberState.CANCEL,
        [EmailSubscriber(contacts[1]["email"], AT), EmailSubscriber(stranger, AT)],
    )
    assert by_email.ok
    assert stranger not in {c["email"] for c in live.control.contacts(live.hub_id)}
    states = sorted(r["state"] for r in live.control.participations(event_object_id=object_id))
    assert states == ["CANCELLED", "REGISTERED"]


def test_an_unknown_contact_id_comes_back_as_a_per_input_failure(client, contacts, event) -> None:
    _, object_id = event
    good = Subscriber(int(contacts[0]["id"]), AT)
    bad = Subscriber(987654321, AT)
    outcome = client.record_participation_by_contact_ids(object_id, SubscriberState.ATTEND, [good, bad])
    assert not outcome.ok and outcome.num_errors == 1
    statuses = {o.input.vid: o.status for o in outcome.per_input()}
    assert statuses == {good.vid: InputStatus.OK, bad.vid: InputStatus.FAILED}


def test_breakdowns_page_by_event_by_external_ids_and_by_contact(client, contacts, event) -> None:
    spec, object_id = event
    subscribers = [Subscriber(int(c["id"]), AT) for c in contacts]
    client.record_participation_by_contact_ids(object_id, SubscriberState.REGISTER, subscribers)
    client.record_participation_by_contact_ids(
        object_id, SubscriberState.ATTEND, [Subscriber(subscribers[0].vid, AT + timedelta(minutes=1))]
    )

    rows = list(client.iter_participations(object_id, limit=1))
    assert len(rows) == len(contacts)
    by_contact = {r.contact_id: r for r in rows}
    assert by_contact[str(subscribers[0].vid)].state is ParticipationState.ATTENDED
    assert by_contact[str(subscribers[1].vid)].state is ParticipationState.REGISTERED
    assert all(r.occurred_at and r.occurred_at.tzinfo for r in rows)
    assert all(r.marketing_event_id == object_id for r in rows)

    page = client.participations_page(object_id, limit=1)
    assert page.total == len(contacts) and page.next_after

    attended = list(
        client.iter_participations_by_external_id(
            spec.external_account_id, spec.external_event_id, state=ParticipationState.ATTENDED
        )
    )
    assert [r.contact_id for r in attended] == [str(subscribers[0].vid)]

    email = contacts[0]["email"]
    mine = list(client.iter_contact_participations(email, limit=1))
    assert object_id in {r.marketing_event_id for r in mine}
