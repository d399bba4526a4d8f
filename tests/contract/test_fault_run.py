"""The fault run: a few thousand mixed calls while the simulator injects 429s, 5xx, 423s, timeouts, dropped
connections, slow answers, partial batch failures and expired tokens. Every write must be applied exactly once
(checked in the simulator's state) and every read must be correct."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from hsadmin.hubspot_client import (
    EmailSubscriber,
    EventCreate,
    EventUpdate,
    HubSpotClient,
    HubSpotError,
    InputStatus,
    NotFoundError,
    OAuthTokenAuth,
    ParticipationState,
    RetryPolicy,
    SubscriberState,
    TokenSet,
    ValidationError,
)
from hsadmin.hubspot_client.client import new_http_client

from .conftest import unique

pytestmark = pytest.mark.slow

FAULTS = {
    "rate_429": 0.03,
    "rate_500": 0.02,
    "rate_502": 0.015,
    "rate_503": 0.015,
    "rate_423": 0.01,
    "rate_drop": 0.02,
    "rate_timeout": 0.01,
    "rate_expired_token": 0.02,
    "rate_slow": 0.01,
    "rate_partial_batch": 0.1,
    "timeout_seconds": 0.4,
    "slow_seconds": 0.4,
    "seed": 20261122,
}
RUN_RETRIES = RetryPolicy(max_attempts=10, base_delay=0.02, max_delay=0.3, max_rate_limit_wait=5.0)
AT = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
WORKERS = 12


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls = Counter[str]()
        self.reconciled = 0

    def add(self, kind: str, n: int = 1) -> None:
        with self.lock:
            self.calls[kind] += n


def send_until_done(send: Callable[[list], object], inputs: list, tally: Tally, kind: str) -> None:
    """What a job does with a batch: resend the inputs that failed, are unknown or were not sent."""
    pending = inputs
    for _ in range(20):
        tally.add(kind)
        outcome = send(pending)
        if any(c.result is not None and c.result.http_status == 207 for c in outcome.chunks):  # type: ignore[attr-defined]
            tally.add("partial-207")
        pending = [o.input for o in outcome.per_input() if o.status is not InputStatus.OK]  # type: ignore[attr-defined]
        if not pending:
            return
    raise AssertionError(f"inputs still failing after 20 rounds: {pending}")


def create_exactly_once(
    client: HubSpotClient, spec: EventCreate, tally: Tally, *, again: bool = False
) -> None:
    """A plain create is never replayed by the client; after an ambiguous failure the caller looks first, and
    creates again only if the event is not there (a slow first attempt may still land: then HubSpot's answer
    to the second create, 409 here, says it exists)."""
    tally.add("create")
    try:
        client.create_event(spec)
    except ValidationError as error:
        if not (again and error.status == 409):
            raise
    except HubSpotError as error:
        if error.status is not None and error.status < 500 and error.status != 423:
            raise
        tally.add("reconcile-read")
        with tally.lock:
            tally.reconciled += 1
        try:
            client.get_event_by_external_id(spec.external_account_id, spec.external_event_id)
        except NotFoundError:
            create_exactly_once(client, spec, tally, again=True)


def test_a_few_thousand_mixed_calls_survive_every_fault_with_writes_applied_exactly_once(live, oauth) -> None:
    control = live.control
    hub = live.hub_id
    run = unique("fault")
    rng = random.Random(7)
    control.set_rate_limit(max=100_000, interval_ms=300, enabled=False)  # 429s advertise a 300 ms window

    issued = control.token(hub, live.app_id)
    auth = OAuthTokenAuth(
        TokenSet(
            issued["access_token"], issued["refresh_token"], datetime.now(UTC) + timedelta(seconds=1800)
        ),
        refresh=oauth().token_refresher(),
    )
    http = new_http_client(live.base_url, timeout=httpx.Timeout(connect=2.0, read=0.3, write=2.0, pool=5.0))
    client = HubSpotClient(
        base_url=live.base_url, auth=auth, http_client=http, retry=RUN_RETRIES, portal_key=f"portal:{hub}"
    )

    # -- setup, faults off: read-only events with known attendance, and events to write attendance to ------
    stable = [EventCreate("acct-fault", f"{run}-stable-{n}", f"Stable {n}", "hsadmin") for n in range(4)]
    targets = [EventCreate("acct-fault", f"{run}-target-{n}", f"Target {n}", "hsadmin") for n in range(8)]
    assert client.upsert_events([*stable, *targets]).ok
    ids = {
        s.external_event_id: client.get_event_by_external_id("acct-fault", s.external_event_id).object_id
        for s in [*stable, *targets]
    }
    known = control.contacts(hub)[:3]
    for spec in stable:
        outcome = client.record_participation_by_emails(
            ids[spec.external_event_id],
            SubscriberState.REGISTER,
            [EmailSubscriber(c["email"], AT) for c in known],
        )
        assert outcome.ok
    lists = [lst.list_id for lst in client.iter_lists(count=10)][:2]

    # -- the workload ------------------------------------------------------------------------------------
    tally = Tally()
    expected_rows: set[tuple[str, str, str]] = set()
    upserted: list[EventCreate] = []
    created: list[EventCreate] = []
    tasks: list[Callable[[], None]] = []

    def attendance_task(n: int) -> Callable[[], None]:
        target = targets[n % len(targets)]
        object_id = ids[target.external_event_id]
        state = [SubscriberState.REGISTER, SubscriberState.ATTEND, SubscriberState.CANCEL][n % 3]
        emails = [f"{run}-{n}-{k}@example.com" for k in range(1 + n % 5)]
        at = AT + timedelta(seconds=n)
        subscribers = [EmailSubscriber(e, at) for e in emails]
        read_state = {"register": "REGISTERED", "attend": "ATTENDED", "cancel": "CANCELLED"}[state.value]
        expected_rows.update((object_id, e, read_state) for e in emails)
        if n % 2:

            def send(batch: list) -> object:
                return client.record_participation_by_emails(object_id, state, batch)
        else:

            def send(batch: list) -> object:
                return client.record_external_participation_by_emails(
                    target.external_event_id, state, batch, external_account_id="acct-fault"
                )

        return lambda: send_until_done(send, subscribers, tally, "attendance")

    def upsert_task(n: int) -> Callable[[], None]:
        spec = EventCreate("acct-fault", f"{run}-upsert-{n}", f"Upserted {n}", "hsadmin")
        upserted.append(spec)

        def go() -> None:
            tally.add("upsert")
            event = client.upsert_event(spec)
            tally.add("patch")
            client.update_event(event.object_id, EventUpdate(event_description=f"patched {n}"))

        return go

    def create_task(n: int) -> Callable[[], None]:
        spec = EventCreate("acct-fault", f"{run}-create-{n}", f"Created {n}", "hsadmin")
        created.append(spec)
        return lambda: create_exactly_once(client, spec, tally)

    def associate_task(n: int) -> Callable[[], None]:
        target = targets[n % len(targets)]

        def go() -> None:
            tally.add("associate")
            client.associate_list(ids[target.external_event_id], lists[n % len(lists)])

        return go

    def read_task(n: int) -> Callable[[], None]:
        spec = stable[n % len(stable)]
        object_id = ids[spec.external_event_id]
        kind = n % 6

        def go() -> None:
            tally.add(f"read-{kind}")
            if kind == 0:
                assert client.get_event(object_id).event_name == spec.event_name
            elif kind == 1:
                event = client.get_event_by_external_id("acct-fault", spec.external_event_id)
                assert (event.object_id, event.registrants) == (object_id, 3)
            elif kind == 2:
                counters = client.get_participation_counters(object_id)
                assert (counters.registered, counters.attended, counters.cancelled) == (3, 0, 0)
            elif kind == 3:
                rows = list(client.iter_participations(object_id, limit=2))
                assert sorted(r.email for r in rows) == sorted(c["email"] for c in known)
                assert {r.state for r in rows} == {ParticipationState.REGISTERED}
            elif kind == 4:
                assert client.get_contact(known[n % 3]["email"], id_property="email").id == known[n % 3]["id"]
            else:
                counters = client.get_participation_counters_by_external_id(
                    "acct-fault", spec.external_event_id
                )
                assert counters.registered == 3

        return go

    tasks += [attendance_task(n) for n in range(600)]
    tasks += [upsert_task(n) for n in range(300)]
    tasks += [create_task(n) for n in range(100)]
    tasks += [associate_task(n) for n in range(100)]
    tasks += [read_task(n) for n in range(1200)]
    rng.shuffle(tasks)

    control.reset_stats()
    control.set_faults(**FAULTS)
    started = time.monotonic()
    try:
        with ThreadPoolExecutor(WORKERS) as pool:
            for future in [pool.submit(task) for task in tasks]:
                future.result()
    finally:
        control.clear_faults()
        control.set_rate_limit(enabled=False)
    elapsed = time.monotonic() - started
    stats = control.stats()

    # -- every fault happened, and the run stayed bounded ---------------------------------------------------
    injected = stats["faults"]
    for kind in ("429", "500", "502", "503", "423", "drop", "timeout", "expired_token", "slow"):
        assert injected.get(kind, 0) > 0, (kind, injected)
    assert tally.calls["partial-207"] > 0  # the simulator does not count partial batches; we saw their 207s
    client_calls = sum(n for kind, n in tally.calls.items() if kind != "partial-207")
    assert client_calls >= 2500
    assert elapsed < 120, elapsed
    print(
        f"\nfault run: {client_calls} client calls, {stats['total']} HTTP requests in {elapsed:.1f}s;"
        f" faults {dict(injected)}; partial batches {tally.calls['partial-207']}; token refreshes"
        f" {auth.refresh_count}; creates reconciled {tally.reconciled}"
    )

    # -- every write applied exactly once ----------------------------------------------------------------
    events = [e for e in control.events(hub) if e["externalEventId"].startswith(run)]
    per_external = Counter(e["externalEventId"] for e in events)
    assert all(count == 1 for count in per_external.values()), per_external.most_common(3)
    for spec in [*upserted, *created]:
        assert per_external[spec.external_event_id] == 1, spec.external_event_id
    by_external = {e["externalEventId"]: e for e in events}
    for n, spec in enumerate(upserted):
        event = client.get_event(by_external[spec.external_event_id]["objectId"])
        assert event.event_description == f"patched {n}"

    target_ids = {ids[t.external_event_id] for t in targets}
    rows = [r for r in control.participations(hub_id=hub) if r["eventObjectId"] in target_ids]
    actual = Counter((r["eventObjectId"], r["email"], r["state"]) for r in rows)
    assert set(actual) == expected_rows
    assert all(count == 1 for count in actual.values())
    contacts = Counter(c["email"] for c in control.contacts(hub) if c["email"].startswith(run))
    assert len(contacts) == len({e for _, e, _ in expected_rows}) and set(contacts.values()) == {1}

    for n, target in enumerate(targets):
        associated = {lst.list_id for lst in client.iter_event_lists(ids[target.external_event_id])}
        expected = {lists[k % len(lists)] for k in range(100) if k % len(targets) == n}
        assert associated == expected
