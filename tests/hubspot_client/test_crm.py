"""Lists search/read and contacts read/search/batch read."""

from __future__ import annotations

from datetime import UTC, datetime

from hsadmin.hubspot_client import ContactFilter, HubSpotClient, InProcessLimiter, InputStatus, Priority

from .fakes import FakeHubSpot, reply

SEARCH_ROW = {
    "listId": "12",
    "listVersion": 1,
    "name": "VIPs",
    "objectTypeId": "0-1",
    "processingStatus": "COMPLETE",
    "processingType": "MANUAL",
    "additionalProperties": {"hs_list_size": "40"},
}
CONTACT = {
    "id": "42",
    "properties": {"email": "a@example.com", "firstname": "Ada", "lastname": None},
    "createdAt": "2026-01-01T00:00:00Z",
    "updatedAt": "2026-01-02T00:00:00.123Z",
    "archived": False,
}


def test_it_searches_lists_by_name_with_offset_paging(fake: FakeHubSpot, client: HubSpotClient) -> None:
    fake.then(reply(200, {"lists": [SEARCH_ROW], "total": 3, "offset": 1, "hasMore": True}))
    page = client.search_lists("VIP", count=1, object_type_id="0-1", processing_types=["MANUAL"])
    assert (fake.last.method, fake.last.url.path) == ("POST", "/crm/v3/lists/search")
    assert fake.body() == {
        "count": 1,
        "offset": 0,
        "query": "VIP",
        "objectTypeId": "0-1",
        "processingTypes": ["MANUAL"],
    }
    assert page.total == 3 and page.has_more and page.offset == 1
    assert page.lists[0].size == 40  # from additionalProperties.hs_list_size


def test_iterating_lists_follows_the_offset_until_has_more_is_false(
    fake: FakeHubSpot, client: HubSpotClient
) -> None:
    fake.then(
        reply(200, {"lists": [SEARCH_ROW], "total": 2, "offset": 1, "hasMore": True}),
        reply(200, {"lists": [{**SEARCH_ROW, "listId": "13"}], "total": 2, "offset": 2, "hasMore": False}),
    )
    assert [lst.list_id for lst in client.iter_lists(count=1)] == ["12", "13"]
    assert [fake.body(n)["offset"] for n in range(2)] == [0, 1]


def test_it_reads_a_list_from_its_fetch_envelope(fake: FakeHubSpot, client: HubSpotClient) -> None:
    fake.then(reply(200, {"list": {**SEARCH_ROW, "size": 40}}))
    lst = client.get_list("12", include_filters=True)
    assert (fake.last.method, fake.last.url.path) == ("GET", "/crm/v3/lists/12")
    assert fake.last.url.params["includeFilters"] == "true"
    assert lst.name == "VIPs" and lst.processing_type == "MANUAL"


def test_it_reads_a_contact_by_email_with_chosen_properties(fake: FakeHubSpot, client: HubSpotClient) -> None:
    fake.then(reply(200, CONTACT))
    contact = client.get_contact("a@example.com", id_property="email", properties=["email", "firstname"])
    assert fake.last.url.path in (
        "/crm/v3/objects/contacts/a@example.com",
        "/crm/v3/objects/contacts/a%40example.com",
    )
    assert fake.last.url.params["idProperty"] == "email"
    assert fake.last.url.params["properties"] == "email,firstname"
    assert contact.email == "a@example.com" and contact.properties["lastname"] is None
    assert contact.updated_at == datetime(2026, 1, 2, 0, 0, 0, 123000, tzinfo=UTC)


def test_it_searches_contacts_with_filter_groups_and_pages(fake: FakeHubSpot, client: HubSpotClient) -> None:
    fake.then(
        reply(200, {"total": 2, "results": [CONTACT], "paging": {"next": {"after": "1"}}}),
        reply(200, {"total": 2, "results": [{**CONTACT, "id": "43"}]}),
    )
    found = list(
        client.iter_search_contacts(
            filters=[ContactFilter("email", "IN", values=["a@example.com", "b@example.com"])],
            properties=["email"],
            limit=1,
        )
    )
    assert (fake.requests[0].method, fake.requests[0].url.path) == ("POST", "/crm/v3/objects/contacts/search")
    assert fake.body(0) == {
        "filterGroups": [
            {
                "filters": [
                    {"propertyName": "email", "operator": "IN", "values": ["a@example.com", "b@example.com"]}
                ]
            }
        ],
        "limit": 1,
        "properties": ["email"],
    }
    assert fake.body(1)["after"] == "1"
    assert [c.id for c in found] == ["42", "43"]


def test_or_groups_are_sent_as_separate_filter_groups(fake: FakeHubSpot, client: HubSpotClient) -> None:
    fake.then(reply(200, {"total": 0, "results": []}))
    client.search_contacts_page(
        filters=[[ContactFilter("email", value="a@x")], [ContactFilter("email", value="b@x")]]
    )
    assert len(fake.body()["filterGroups"]) == 2


def test_contact_search_spends_its_own_rate_limit_bucket(fake: FakeHubSpot, make_client) -> None:
    limiter = InProcessLimiter(clock=lambda: 0.0)
    client = make_client(limiter=limiter, portal_key="portal:1")
    fake.then(reply(200, {"total": 0, "results": []}), reply(200, CONTACT))
    client.search_contacts_page(query="ada")
    client.get_contact("42")
    assert limiter.snapshot("portal:1:search")[:2] == (1, 4)
    assert limiter.snapshot("portal:1")[0] == 1
    assert limiter.try_acquire("portal:1:search", Priority.INTERACTIVE) == 0.0


def test_it_batch_reads_contacts_by_email_and_reports_the_missing_ones(
    fake: FakeHubSpot, client: HubSpotClient
) -> None:
    error = {
        "status": "error",
        "category": "OBJECT_NOT_FOUND",
        "message": "Could not get some CONTACT objects",
        "context": {"ids": ["new@example.com"]},
    }
    fake.then(
        reply(
            207,
            {
                "status": "COMPLETE",
                "results": [CONTACT],
                "errors": [error],
                "numErrors": 1,
                "startedAt": "2026-01-01T00:00:00Z",
                "completedAt": "2026-01-01T00:00:00Z",
            },
        )
    )
    outcome = client.batch_read_contacts(
        ["a@example.com", "new@example.com"], id_property="email", properties=["firstname"]
    )
    assert (fake.last.method, fake.last.url.path) == ("POST", "/crm/v3/objects/contacts/batch/read")
    assert fake.body() == {
        "properties": ["email", "firstname"],
        "idProperty": "email",
        "inputs": [{"id": "a@example.com"}, {"id": "new@example.com"}],
    }
    assert [c.email for c in outcome.results] == ["a@example.com"]
    assert {o.input: o.status for o in outcome.per_input()} == {
        "a@example.com": InputStatus.OK,
        "new@example.com": InputStatus.FAILED,
    }
