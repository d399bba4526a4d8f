"""The event list's scale curve: every list view at 1,000, 10,000 and 100,000 mirrored events, in one run.

The mirror is filled directly (bulk inserts through the ORM, so the search index's triggers and the planner's
statistics are those a sync leaves), not through a sync: a full sync of 100,000 events is measured on its own
and takes the rate limit's time. Each size is a portal of its own in one database (as a shared installation
holds several portals), with events spread like a portal's year: about nine months past, three upcoming,
webinars of every type, 123 organizers, a rare topic on one event in a thousand.

Each view is timed through Django's test client (server time, no network), `runs` times per size after one
warm-up, the sizes in turn request by request, and its SQL queries are counted on the last run. The growth ratio
is each view's p95 at the largest size over its p95 at the smallest.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

SIZES = (1_000, 10_000, 100_000)
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
RARE_TOPIC = "Quantum ledger"  # one event in a thousand
TYPES = ["WEBINAR", "CONFERENCE", "WORKSHOP", "MEETUP", "TRADESHOW", "ROADSHOW"]
FIRST = ["Ada", "Ben", "Chloe", "Dmitri", "Elena", "Farah", "Gustav", "Hana", "Ivan", "Jia", "Kofi", "Lena"]
LAST = ["Adler", "Brandt", "Castro", "Dubois", "Eriksen", "Fischer", "Garcia", "Ito", "Jensen", "Meyer"]
TEAMS = ["Marketing team", "Partner office", "Customer success"]


def grow_mirror(portal: Any, *, start: int, stop: int, app_id: int, seed: int = 7) -> None:
    """Add events number `start` to `stop - 1` to the portal's mirror."""
    from django.utils import timezone

    from hsadmin.core.db import refresh_planner_statistics
    from hsadmin.events.models import Event

    rng = random.Random(seed + start)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    organizers = TEAMS + [f"{first} {last}" for first in FIRST for last in LAST]
    batch: list[Event] = []
    for index in range(start, stop):
        kind = rng.choice(TYPES)
        topic = RARE_TOPIC if index % 1000 == 500 else rng.choice(TOPICS)
        starts = now + timedelta(
            days=rng.randint(-270, 95), hours=rng.randint(8, 18), minutes=rng.choice([0, 30])
        )
        length = (
            timedelta(hours=1) if kind in {"WEBINAR", "MEETUP"} else timedelta(hours=rng.choice([3, 8, 24]))
        )
        ended = starts + length < now
        roll = rng.random()
        owner = None if roll < 0.1 else (app_id + 1 if roll < 0.3 else app_id)
        registrants = rng.randint(0, 400) if ended else rng.randint(0, 150)
        attendees = rng.randint(0, registrants) if ended else 0
        batch.append(
            Event(
                portal=portal,
                object_id=str(10_000_000 + index),
                external_event_id=f"ext-{portal.hub_id}-{index}" if owner else "",
                external_account_id="acct-1" if owner else "",
                app_id=owner,
                app_name="" if owner is None else ("hsadmin" if owner == app_id else "Webinar tool"),
                name=f"{topic} {kind.title()} #{index}",
                event_type=kind,
                organizer=rng.choice(organizers),
                description=f"{topic}: a {kind.lower()} for customers and prospects. " * 3,
                url=f"https://events.example.com/{portal.hub_id}/{index}",
                starts_at=starts,
                ends_at=starts + length,
                cancelled=rng.random() < 0.08,
                completed=ended and rng.random() < 0.6,
                registrants=registrants,
                attendees=attendees,
                cancellations=rng.randint(0, registrants // 10 + 1),
                no_shows=max(0, registrants - attendees) if ended else 0,
                custom_properties={"hs_event_language": rng.choice(["en", "de", "ja"])},
                hubspot_created_at=starts - timedelta(days=30),
                hubspot_updated_at=starts - timedelta(days=30),
            )
        )
        if len(batch) == 2000:
            Event.objects.bulk_create(batch)
            batch = []
    if batch:
        Event.objects.bulk_create(batch)
    refresh_planner_statistics(Event)


def views(
    portal: Any, size: int, last_of_page: Callable[[dict[str, str], int], str]
) -> dict[str, dict[str, str] | None]:
    """Each list view as its query string; `None` for the full page, the rest are HTMX partials. The deep
    pages are 80 % of the way down (page 32 of 40 at 1,000 events, 3,200 of 4,000 at 100,000)."""
    deep = max(2, size // 25 * 4 // 5)
    deep_past = max(2, size // 2 // 25 * 4 // 5)  # about half the events are past
    today = time.strftime("%Y-%m-%d")
    month_ago = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 30 * 86400))
    found: dict[str, dict[str, str] | None] = {
        "first page (full)": None,
        "first page (partial)": {},
        "search, common word": {"q": "webinar"},
        "search, rare word": {"q": RARE_TOPIC.split()[0].lower()},
        "search, an external ID": {"q": f"ext-{portal.hub_id}-777"},
        "search, two letters": {"q": "qu"},
        "filter: type": {"type": "WORKSHOP"},
        "filter: date range": {"starts_from": month_ago, "starts_to": today},
        "filter: app ours": {"app": "ours"},
        "filter: app other": {"app": "other"},
    }
    for status in ("upcoming", "live", "past", "cancelled", "completed", "ended_not_completed"):
        found[f"filter: {status}"] = {"status": status}
    for key in ("name", "type", "organizer", "starts", "ends", "registrants", "attendees"):
        for sort in (key, f"-{key}"):
            found[f"sort: {sort}"] = {"sort": sort}
    found["100 per page"] = {"per_page": "100", "sort": "name"}
    found["deep page, from its link"] = {"page": str(deep), "after": last_of_page({}, deep - 1)}
    found["deep page, filter past, from its link"] = {
        "page": str(deep_past),
        "status": "past",
        "after": last_of_page({"status": "past"}, deep_past - 1),
    }
    found["deep page by its number alone"] = {"page": str(deep)}
    return found


def measure(*, app_id: int, runs: int, sizes: tuple[int, ...] = SIZES) -> dict:
    """{view: {size: {p50, p95, queries}}}, the report page included, one portal per size.

    The sizes are timed in turn, request by request (1k, 10k, 100k, 1k, …), so a neighbour's load on a shared
    machine falls on every size alike and the growth ratios compare like with like.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from hsadmin.events import selectors
    from hsadmin.events.forms import EventFilterForm

    hx = {"HX-Request": "true", "HX-Target": "events-table"}
    sites: dict[int, dict[str, Any]] = {}
    for number, size in enumerate(sizes):
        portal, person, manager = setup_portal(hub_id=990_001 + number, app_id=app_id)
        started = time.perf_counter()
        grow_mirror(portal, start=0, stop=size, app_id=app_id)
        print(f"  a portal of {size:,} events, filled in {time.perf_counter() - started:.1f} s", flush=True)
        client, reporter = Client(), Client()
        client.force_login(person)
        reporter.force_login(manager)
        sites[size] = {"portal": portal, "client": client, "reporter": reporter}

    def calls(size: int) -> dict[str, Callable[[], Any]]:
        site = sites[size]
        portal, client = site["portal"], site["client"]
        url = f"/p/{portal.hub_id}/events/"

        def last_of_page(params: dict[str, str], number: int) -> str:
            form = EventFilterForm(params)
            assert form.is_valid(), form.errors
            events = selectors.event_list(portal=portal, filters=form.cleaned_data)
            return str(events.values_list("pk", flat=True)[number * 25 - 1])

        found: dict[str, Callable[[], Any]] = {}
        for name, params in views(portal, size, last_of_page).items():
            if params is None:
                found[name] = lambda client=client, url=url: client.get(url)
            else:
                found[name] = lambda client=client, url=url, params=params: client.get(
                    url, params, headers=hx
                )
        # The list opens around now (no sort chosen): its Earlier link, from the opening page's first row.
        opening = selectors.event_list_page(portal=portal, filters={})
        found["earlier, from where the list opens"] = lambda: client.get(
            url, {"before": str(opening.object_list[0].pk)}, headers=hx
        )
        reporter = site["reporter"]
        found["report page, last 12 months"] = lambda: reporter.get("/reports/", {"period": "last_12_months"})
        return found

    by_size = {size: calls(size) for size in sizes}
    # One pass over every view first: the first requests after filling meet cold caches and the database's own
    # housekeeping (PostgreSQL's autovacuum wakes up after 100,000 inserts), which would land on whichever view
    # came first.
    for size in sizes:
        for call in by_size[size].values():
            call()
    curve: dict[str, dict[int, dict[str, Any]]] = {}
    for name in by_size[sizes[0]]:
        times: dict[int, list[float]] = {size: [] for size in sizes}
        queries: dict[int, int] = {}
        for size in sizes:
            by_size[size][name]()  # warm: templates, the session, the database's cache
        for _ in range(runs):
            for size in sizes:
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = by_size[size][name]()
                    times[size].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (name, response.status_code)
                queries[size] = len(captured.captured_queries)
        for size in sizes:
            ordered = sorted(times[size])
            curve.setdefault(name, {})[size] = {
                "p50": round(statistics.median(ordered), 1),
                "p95": round(ordered[max(0, round(0.95 * len(ordered)) - 1)], 1),
                "queries": queries[size],
            }
        steps = " → ".join(f"{curve[name][size]['p95']:.1f}" for size in sizes)
        print(f"    {name:<44} p95 {steps} ms", flush=True)
    return curve


def setup_portal(hub_id: int = 990_001, app_id: int = 4_242) -> tuple[Any, Any, Any]:
    """A connected-looking portal of its own (the list never calls HubSpot) with a marketer and a manager."""
    from django.utils import timezone

    from hsadmin.core.models import User
    from hsadmin.core.roles import Role
    from hsadmin.portals.models import Membership, Portal

    portal = Portal.objects.create(
        hub_id=hub_id,
        name="Scale portal",
        app_id=app_id,
        scopes=[],
        status="connected",
        access_token="scale-bench-token",
        refresh_token="scale-bench-refresh",
        token_expires_at=timezone.now() + timedelta(hours=1),
    )
    person = User.objects.create_user(f"scale-{hub_id}", password="bench-password-123")
    Membership.objects.create(user=person, portal=portal, role=Role.MARKETING.value)
    manager = User.objects.create_user(f"scale-manager-{hub_id}", password="bench-password-123")
    Membership.objects.create(user=manager, portal=portal, role=Role.MANAGER.value)
    return portal, person, manager


def standalone_django(prefix: str) -> Path:
    """For a bench script run on its own: a throwaway dashboard database (SQLite in a temporary folder unless
    DATABASE_URL is set), Django set up and migrated, and the settings the benches' data expects. Returns the
    folder."""
    import os
    import sys
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    work = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / 'dashboard.sqlite3'}")
    os.environ.setdefault("HSADMIN_DATA_DIR", str(work))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hsadmin.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.HUBSPOT_APP_ID = 4_242
    return work


def main() -> None:
    """`python -m tests.bench.bench_scale [--sizes 1000,10000,100000] [--runs 30]`: the curve alone."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    standalone_django("hsadmin-scale-")
    sizes = tuple(int(s) for s in args.sizes.split(","))
    curve = measure(app_id=4_242, runs=args.runs, sizes=sizes)
    first, last = sizes[0], sizes[-1]
    print(f"\n{'view':<46} {first:>8,} {last:>8,}  ratio")
    for name, by_size in curve.items():
        ratio = by_size[last]["p95"] / max(by_size[first]["p95"], 0.1)
        print(f"{name:<46} {by_size[first]['p95']:>8.1f} {by_size[last]['p95']:>8.1f}  {ratio:.2f}")


if __name__ == "__main__":
    main()
