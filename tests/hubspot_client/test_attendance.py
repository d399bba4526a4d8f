"""Participation writes #18-#23 and reads #24-#28."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hsadmin.hubspot_client import (
    AttendanceCounters,
    EmailSubscriber,
    HubSpotClient,
    InputStatus,
    ParticipationState,
    Subscriber,
    SubscriberState,
    attendance_properties,
)

from .fakes import FakeHubSpot, reply

PREFIXES = {"v3": "/marketing/v3/marketing-events", "2026-03": "/marketing/marketing-events/2026-03"}
AT = datetime(2026, 5, 1, 15, 0, tzinfo=UTC)
AT_MS = 1777647600000


@pytest.fixture(params=["v3", "2026-03"])
def versioned(request: pytest.FixtureRequest, make_client) -> tuple[HubSpotClient, str]:
    return make_client(api_version=request.param), PREFIXES[request.param]


def _envelope(results: list, **extra: object) -> dict:
    return {
        "status": "COMPLETE",
        "results": results,
        "startedAt": "2026-05-01T15:00:00Z",
        "completedAt": "2026-05-01T15:00:01Z",
        **extra,
    }


def test_subscribers_go_out_with_epoch_ms_interaction_times() -> None:
    joined = datetime(2026, 5, 1, 15, 5, tzinfo=UTC)
    sub = Subscriber(42, AT, attendance_properties(joined_at=joined, left_at=None))
    assert sub.to_api() == {
        "vid": 42,
        "interactionDateTime": AT_MS,
        "properties": {"joinedAt": str(AT_MS + 300_000)},
    }
    email = EmailSubscriber("a@example.com", AT, contact_properties={"firstname": "Ada"})
    assert email.to_api() == {
        "email": "a@example.com",
        "interactionDateTime": AT_MS,
        "properties": {},
        "contactProperties": {"firstname": "Ada"},
    }


def test_a_naive_interaction_time_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        Subscriber(1, datetime(2026, 5, 1, 15, 0)).to_api()


def test_it_records_attendance_by_contact_ids_for_an_object_id(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(200, _envelope([{"vid": 42}])))
    outcome = client.record_participation_by_contact_ids("501", SubscriberState.ATTEND, [Subscriber(42, AT)])
    assert (fake.last.method, fake.last.url.path) == ("POST", f"{prefix}/501/attendance/attend/create")
    assert fake.body() == {"inputs": [{"vid": 42, "interactionDateTime": AT_MS, "properties": {}}]}
    assert outcome.ok and outcome.results[0].vid == 42


def test_it_records_registrations_by_email_for_an_object_id(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(200, _envelope([{"vid": 7, "email": "a@example.com"}])))
    outcome = client.record_participation_by_emails(
        "501", SubscriberState.REGISTER, [EmailSubscriber("a@example.com", AT)]
    )
    assert fake.last.url.path == f"{prefix}/501/attendance/register/email-create"
    assert fake.body()["inputs"][0]["email"] == "a@example.com"
    assert outcome.results[0].email == "a@example.com" and outcome.results[0].vid == 7


def test_it_records_by_external_event_id_with_an_optional_account(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(200, _envelope([{"vid": 42}])), reply(200, _envelope([{"vid": 42}])))
    client.record_external_participation_by_contact_ids("ev-1", SubscriberState.CANCEL, [Subscriber(42, AT)])
    assert fake.last.url.path == f"{prefix}/attendance/ev-1/cancel/create"
    assert "externalAccountId" not in fake.last.url.params
    client.record_external_participation_by_contact_ids(
        "ev-1", SubscriberState.CANCEL, [Subscriber(42, AT)], external_account_id="acct-9"
    )
    assert fake.last.url.params["externalAccountId"] == "acct-9"


def test_it_records_by_external_event_id_and_email(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(200, _envelope([{"vid": 7, "email": "a@example.com"}])))
    client.record_external_participation_by_emails(
        "ev-1", SubscriberState.ATTEND, [EmailSubscriber("a@example.com", AT)], external_account_id="acct-9"
    )
    assert (fake.last.method, fake.last.url.path) == ("POST", f"{prefix}/attendance/ev-1/attend/email-create")
    assert fake.last.url.params["externalAccountId"] == "acct-9"


def test_the_legacy_upserts_send_the_account_in_the_query_and_accept_a_204(
    fake: FakeHubSpot, versioned
) -> None:
    client, prefix = versioned
    fake.then(reply(204), reply(204))
    by_id = client.upsert_external_participation_by_contact_ids(
        "acct-9", "ev-1", SubscriberState.REGISTER, [Subscriber(42, AT)]
    )
    assert (fake.last.method, fake.last.url.path) == ("POST", f"{prefix}/events/ev-1/register/upsert")
    assert fake.last.url.params["externalAccountId"] == "acct-9"
    by_email = client.upsert_external_participation_by_emails(
        "acct-9", "ev-1", SubscriberState.ATTEND, [EmailSubscriber("a@example.com", AT)]
    )
    assert fake.last.url.path == f"{prefix}/events/ev-1/attend/email-upsert"
    assert by_id.ok and by_email.ok


def test_a_state_given_as_a_string_is_sent_lowercase_and_an_unknown_one_is_refused(
    fake: FakeHubSpot, client: HubSpotClient
) -> None:
    fake.then(reply(200, _envelope([])))
    client.record_participation_by_contact_ids("501", "ATTEND", [Subscriber(1, AT)])  # type: ignore[arg-type]
    assert fake.last.url.path.endswith("/501/attendance/attend/create")
    with pytest.raises(ValueError):
        client.record_participation_by_contact_ids("501", "attended", [Subscriber(1, AT)])  # type: ignore[arg-type]


def test_a_partial_failure_comes_back_per_input_and_is_not_raised(
    fake: FakeHubSpot, client: HubSpotClient
) -> None:
    error = {
        "status": "error",
        "category": "VALIDATION_ERROR",
        "message": "bad email",
        "context": {"emails": ["Bad@Example"]},
    }
    fake.then(reply(207, _envelope([{"vid": 1, "email": "ok@example.com"}], errors=[error], numErrors=1)))
    outcome = client.record_participation_by_emails(
        "501",
        SubscriberState.ATTEND,
        [EmailSubscriber("ok@example.com", AT), EmailSubscriber("bad@example", AT)],
    )
    assert outcome.num_errors == 1
    statuses = {o.input.email: (o.status, o.error) for o in outcome.per_input()}
    assert statuses["ok@example.com"] == (InputStatus.OK, None)
    assert statuses["bad@example"][0] is InputStatus.FAILED
    assert statuses["bad@example"][1].message == "bad email"
    assert outcome.failed_inputs() == [EmailSubscriber("bad@example", AT)]


def test_it_reads_counters_by_external_ids(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(200, {"attended": 2, "cancelled": 1, "noShows": 3, "registered": 6}))
    counters = client.get_participation_counters_by_external_id("acct-9", "ev-1")
    assert (fake.last.method, fake.last.url.path) == ("GET", f"{prefix}/participations/acct-9/ev-1")
    assert counters == AttendanceCounters(attended=2, cancelled=1, no_shows=3, registered=6)


def test_it_reads_counters_by_marketing_event_id(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(200, {"attended": 0, "cancelled": 0, "noShows": 0, "registered": 1}))
    assert client.get_participation_counters(501).registered == 1
    assert fake.last.url.path == f"{prefix}/participations/501"


BREAKDOWN_ROW = {
    "id": "p-1",
    "createdAt": "2026-05-01T15:00:00Z",
    "properties": {
        "attendanceState": "ATTENDED",
        "occurredAt": AT_MS,
        "attendanceDurationSeconds": 3600,
        "attendancePercentage": "100",
    },
    "associations": {
        "contact": {"contactId": "42", "email": "a@example.com", "firstname": "Ada", "lastname": "L"},
        "marketingEvent": {
            "marketingEventId": "501",
            "name": "Spring webinar",
            "externalAccountId": "acct-9",
            "externalEventId": "ev-1",
        },
    },
}


def test_it_reads_a_breakdown_by_external_ids_with_filters(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(200, {"total": 1, "results": [BREAKDOWN_ROW]}))
    page = client.participations_page_by_external_id(
        "acct-9", "ev-1", state=ParticipationState.ATTENDED, contact_identifier="a@example.com", limit=25
    )
    assert fake.last.url.path == f"{prefix}/participations/acct-9/ev-1/breakdown"
    assert dict(fake.last.url.params) == {
        "state": "ATTENDED",
        "contactIdentifier": "a@example.com",
        "limit": "25",
    }
    row = page.results[0]
    assert page.total == 1 and page.next_after is None
    assert row.state is ParticipationState.ATTENDED
    assert row.occurred_at == AT
    assert (row.contact_id, row.email, row.marketing_event_id) == ("42", "a@example.com", "501")
    assert row.attendance_duration_seconds == 3600


def test_it_pages_through_a_breakdown_by_marketing_event_id(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(
        reply(200, {"total": 2, "results": [BREAKDOWN_ROW], "paging": {"next": {"after": "n1"}}}),
        reply(200, {"total": 2, "results": [{**BREAKDOWN_ROW, "id": "p-2"}]}),
    )
    rows = list(client.iter_participations("501", state=ParticipationState.NO_SHOW))
    assert fake.requests[0].url.path == f"{prefix}/participations/501/breakdown"
    assert fake.requests[1].url.params["after"] == "n1"
    assert fake.requests[1].url.params["state"] == "NO_SHOW"
    assert [r.id for r in rows] == ["p-1", "p-2"]


def test_it_pages_through_one_contacts_participations(fake: FakeHubSpot, versioned) -> None:
    client, prefix = versioned
    fake.then(reply(200, {"total": 1, "results": [BREAKDOWN_ROW]}))
    rows = list(client.iter_contact_participations("a@example.com", limit=10))
    assert fake.last.url.path == f"{prefix}/participations/contacts/a%40example.com/breakdown" or (
        fake.last.url.path == f"{prefix}/participations/contacts/a@example.com/breakdown"
    )
    assert "contactIdentifier" not in fake.last.url.params
    assert rows[0].id == "p-1"


def test_iterating_the_external_breakdown_follows_the_cursor(
    fake: FakeHubSpot, client: HubSpotClient
) -> None:
    fake.then(
        reply(200, {"total": 2, "results": [BREAKDOWN_ROW], "paging": {"next": {"after": "n1"}}}),
        reply(200, {"total": 2, "results": [{**BREAKDOWN_ROW, "id": "p-2"}]}),
    )
    assert [r.id for r in client.iter_participations_by_external_id("acct-9", "ev-1")] == ["p-1", "p-2"]


def test_an_unknown_attendance_state_is_kept_as_a_string_rather_than_crashing(
    fake: FakeHubSpot, client: HubSpotClient
) -> None:
    row = {**BREAKDOWN_ROW, "properties": {**BREAKDOWN_ROW["properties"], "attendanceState": "WAITLISTED"}}
    fake.then(reply(200, {"total": 1, "results": [row]}))
    assert client.participations_page("501").results[0].state == "WAITLISTED"
