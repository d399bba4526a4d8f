"""Concurrent writers on the threaded server: every write is applied exactly once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.simulator.conftest import V3


def test_concurrent_attendance_writes_are_each_applied_exactly_once(sim, api):
    event = api.create_event()
    path = f"{V3}/{event['objectId']}/attendance/register/email-create"

    def write(n: int) -> int:
        inputs = [
            {
                "email": f"conc{n}-{i}@example.com",
                "interactionDateTime": n,
                "properties": {},
                "contactProperties": {},
            }
            for i in range(10)
        ]
        return api.post(path, json={"inputs": inputs}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(write, range(40)))
    assert statuses == [200] * 40
    rows = sim.control.participations(event_object_id=event["objectId"])
    assert len(rows) == 400
    assert len({(r["email"], r["interactionDateTime"]) for r in rows}) == 400


def test_concurrent_upserts_of_the_same_event_make_one_event(sim, api):
    body = {
        "externalAccountId": "acct-c",
        "externalEventId": "same-event",
        "eventName": "Same",
        "eventOrganizer": "Acme",
        "customProperties": [],
    }

    def upsert(n: int) -> int:
        return api.put(f"{V3}/events/same-event", json=body | {"eventName": f"Same {n}"}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(upsert, range(24))) == {200}
    found = api.get(f"{V3}/events/search", params={"q": "same-event"}).json()["results"]
    assert len(found) == 1
