"""Deterministic, realistic demo data: ``manage.py simulator seed`` and ``POST /_simulator/seed``.

On top of the fixed fixture (two portals, two apps) it adds, split across the portals: contacts with names,
a year of events of every type (about nine months past, three upcoming; cancelled ones, completed ones, a few
created "in HubSpot's UI" with no app), participation histories (registrations, attendance with joinedAt/leftAt
durations, cancellations, and registrations that end as no-shows), and lists, some tied to events.

The same ``random_seed`` gives the same data, anchored at today's date (midnight UTC). Everything is written
with ``bulk_create`` in a few transactions, so 10,000 events and 100,000 participations take seconds.

``hub_id`` puts everything on one portal instead of splitting it, and ``participations=False`` leaves the events
without participations (their counters read 0): the bench's 100,000-event sync seeds one portal that way in
seconds. Both only choose what data exists; the public API serves it exactly as it serves any other.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connections, transaction

from hsadmin.simulator import clock, fixture
from hsadmin.simulator.models import (
    App,
    Contact,
    ContactList,
    EventListAssociation,
    MarketingEvent,
    Participation,
    Portal,
)
from hsadmin.simulator.routers import SIMULATOR_DB

FIRST = [
    "Ada",
    "Ben",
    "Chloe",
    "Dmitri",
    "Elena",
    "Farah",
    "Gustav",
    "Hana",
    "Ivan",
    "Jia",
    "Kofi",
    "Lena",
    "Mateo",
    "Nora",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sven",
    "Tariq",
    "Uma",
    "Viktor",
    "Wen",
    "Yuki",
    "Zoe",
]
LAST = [
    "Adler",
    "Brandt",
    "Castro",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Hoffmann",
    "Ito",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Meyer",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quist",
    "Rossi",
    "Schmidt",
    "Tanaka",
]
TYPES = ["WEBINAR", "CONFERENCE", "WORKSHOP", "MEETUP", "TRADESHOW", "ROADSHOW"]
TOPICS = [
    "Product launch",
    "Customer summit",
    "Onboarding basics",
    "Data privacy",
    "Growth marketing",
    "Partner day",
    "AI in practice",
    "Quarterly roadmap",
    "Analytics deep dive",
    "Community meetup",
]
LIST_NAMES = [
    "Webinar invitees",
    "Newsletter",
    "VIP customers",
    "Trial users",
    "Partners",
    "Event speakers",
    "Leads",
    "Churn risk",
    "Beta testers",
    "Alumni",
]
BATCH = 2000


def _contacts(rng: random.Random, portal: Portal, count: int, now: datetime) -> list[int]:
    domain = portal.domain.split(".")[0]
    rows = []
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        created = now - timedelta(days=rng.randint(30, 900))
        rows.append(
            Contact(
                portal=portal,
                email=f"{first}.{last}.{i}@{domain}.example".lower(),
                firstname=first,
                lastname=last,
                properties={"company": f"{last} GmbH"},
                created_at=created,
                updated_at=created,
            )
        )
    Contact.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return list(Contact.objects.filter(portal=portal).values_list("pk", flat=True))


def _event(rng: random.Random, portal: Portal, apps: list[App], index: int, now: datetime) -> MarketingEvent:
    start = now + timedelta(days=rng.randint(-270, 95), hours=rng.choice([9, 11, 14, 16]))
    kind = rng.choice(TYPES)
    length = timedelta(hours=1) if kind in {"WEBINAR", "MEETUP"} else timedelta(hours=rng.choice([3, 8, 24]))
    roll = rng.random()
    app = None if roll < 0.1 else (apps[1] if roll < 0.3 else apps[0])
    ended = start + length < now
    created = min(now, start) - timedelta(days=rng.randint(5, 60))
    topic = rng.choice(TOPICS)
    return MarketingEvent(
        portal=portal,
        app=app,
        external_account_id=f"acct-{rng.randint(1, 3)}" if app else "",
        external_event_id=f"seed-{portal.hub_id}-{index}" if app else "",
        name=f"{topic} {kind.title()} #{index}",
        event_type=kind,
        organizer=rng.choice(["Marketing team", "Partner office", "Customer success"]),
        description=f"{topic}: a {kind.lower()} for customers and prospects.",
        url=f"https://events.example.com/{portal.hub_id}/{index}",
        start=start,
        end=start + length,
        cancelled=rng.random() < 0.08,
        completed=ended and rng.random() < 0.6,
        custom_properties={"hs_event_language": rng.choice(["en", "de", "ja"]), "hs_event_topic": topic},
        created_at=created,
        updated_at=created,
    )


Row = tuple[int, int, str, int, str]


def _participations(
    rng: random.Random, event: MarketingEvent, contact_ids: list[int], size: int, now: datetime
) -> list[Row]:
    """(event id, contact id, state, interaction ms, properties JSON) rows for one event."""
    rows: list[Row] = []
    assert event.start is not None and event.end is not None
    ended = event.end < now
    start_ms, end_ms = clock.to_ms(event.start), clock.to_ms(event.end)
    for contact_id in rng.sample(contact_ids, min(size, len(contact_ids))):
        registered = start_ms - rng.randint(1, 30) * 86_400_000
        rows.append((event.pk, contact_id, "REGISTERED", registered, "{}"))
        roll = rng.random()
        if roll < 0.1 or (event.cancelled and roll < 0.5):
            rows.append(
                (event.pk, contact_id, "CANCELLED", registered + rng.randint(1, 20) * 3_600_000, "{}")
            )
        elif ended and not event.cancelled and roll < 0.7:
            joined = start_ms + rng.randint(0, (end_ms - start_ms) // 4)
            left = rng.randint(joined + 60_000, end_ms)
            props = json.dumps({"joinedAt": str(joined), "leftAt": str(left)})
            rows.append((event.pk, contact_id, "ATTENDED", joined, props))
    return rows


def _insert_participations(rows: list[Row], now: datetime) -> None:
    """Plain ``executemany`` (``ON CONFLICT DO NOTHING``, SQLite and PostgreSQL): the ORM's per-object cost
    dominates at a hundred thousand rows."""
    connection = connections[SIMULATOR_DB]
    created = connection.ops.adapt_datetimefield_value(now)
    table = Participation._meta.db_table
    sql = (
        f"INSERT INTO {table} (event_id, contact_id, state, interaction_at, properties, created_at) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*row, created) for row in rows])


def seed_demo(
    events: int = 600,
    contacts: int = 3000,
    lists: int = 40,
    random_seed: int = 1,
    *,
    hub_id: int | None = None,
    participations: bool = True,
) -> dict[str, Any]:
    """Add demo data; returns how many rows of each kind now exist.

    Split across the portals, or all on the portal `hub_id` names (`Portal.DoesNotExist` if there is none);
    `participations=False` writes none."""
    fixture.create_base()
    rng = random.Random(random_seed)  # noqa: S311 - demo data
    now = clock.now().astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    apps = list(App.objects.order_by("app_id"))
    portals = (
        [Portal.objects.get(hub_id=hub_id)] if hub_id is not None else list(Portal.objects.order_by("hub_id"))
    )
    for number, portal in enumerate(portals):
        count = len(portals)

        def share(total: int, number: int = number, count: int = count) -> int:
            return total // count + (1 if number < total % count else 0)

        with transaction.atomic(using="simulator"):
            before = MarketingEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            contact_ids = _contacts(rng, portal, share(contacts), now)
            new_events = [_event(rng, portal, apps, i, now) for i in range(share(events))]
            MarketingEvent.objects.bulk_create(new_events, batch_size=BATCH, ignore_conflicts=True)
            del new_events
        # Read back only when something hangs off them (loading 100,000 models takes seconds).
        created = (
            list(MarketingEvent.objects.filter(portal=portal, pk__gt=before).order_by("pk"))
            if participations or lists
            else []
        )
        with transaction.atomic(using="simulator"):
            rows: list[Row] = []
            for event in created if participations else ():
                if event.start is None or event.end is None:
                    continue
                size = int(rng.paretovariate(2.0) * 5)
                rows.extend(_participations(rng, event, contact_ids, size, now))
            _insert_participations(rows, now)
            new_lists = [
                ContactList(
                    portal=portal,
                    name=f"{rng.choice(LIST_NAMES)} {i + 1}",
                    processing_type=rng.choice(["MANUAL", "DYNAMIC", "SNAPSHOT"]),
                    size=rng.randint(0, len(contact_ids)),
                    created_at=now,
                    updated_at=now,
                )
                for i in range(share(lists))
            ]
            ContactList.objects.bulk_create(new_lists, batch_size=BATCH)
            list_ids = list(ContactList.objects.filter(portal=portal).values_list("pk", flat=True))
            links = [
                EventListAssociation(event=event, contact_list_id=rng.choice(list_ids))
                for event in created
                if list_ids and rng.random() < 0.3
            ]
            EventListAssociation.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)
    return {
        "portals": Portal.objects.count(),
        "apps": App.objects.count(),
        "contacts": Contact.objects.count(),
        "events": MarketingEvent.objects.count(),
        "participations": Participation.objects.count(),
        "lists": ContactList.objects.count(),
        "list_associations": EventListAssociation.objects.count(),
    }
