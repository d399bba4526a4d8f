"""The simulator's fixed starting state: two portals, two apps, a few contacts and lists on each portal.

Every value here is constant so tests, scripts and the dashboard's defaults can rely on it. ``reset`` wipes all
state and recreates exactly this; ``seed`` adds demo data on top.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hsadmin.simulator import clock
from hsadmin.simulator.models import (
    AccessToken,
    App,
    AuthCode,
    Contact,
    ContactList,
    EventListAssociation,
    Installation,
    MarketingEvent,
    Participation,
    Portal,
    RefreshToken,
)

PORTALS = [
    {"hub_id": 10000001, "name": "Acme Events (demo)", "domain": "acme-events.example.com"},
    {"hub_id": 10000002, "name": "Globex Marketing (demo)", "domain": "globex.example.com"},
]
APPS = [
    {
        "app_id": 3001,
        "name": "hsadmin",
        "client_id": "sim-client-3001-hsadmin",
        "client_secret": "sim-secret-3001-hsadmin-0000-0000-000000000001",
        "developer_api_key": "sim-devkey-3001-hsadmin",
    },
    {
        "app_id": 3002,
        "name": "Partner Webinars",
        "client_id": "sim-client-3002-partner",
        "client_secret": "sim-secret-3002-partner-0000-0000-000000000002",
        "developer_api_key": "sim-devkey-3002-partner",
    },
]
CONTACTS = [
    ("alice@example.com", "Alice", "Archer"),
    ("bob@example.com", "Bob", "Baker"),
    ("carol@example.com", "Carol", "Cooper"),
    ("dave@example.com", "Dave", "Dyer"),
    ("erin@example.com", "Erin", "Evans"),
]
LISTS = [("Webinar invitees", "MANUAL"), ("Newsletter subscribers", "DYNAMIC")]


def wipe() -> None:
    """Delete every row of simulator state (children first)."""
    with transaction.atomic(using="simulator"):
        for model in (
            Participation,
            EventListAssociation,
            MarketingEvent,
            ContactList,
            Contact,
            AccessToken,
            RefreshToken,
            AuthCode,
            Installation,
            App,
            Portal,
        ):
            model.objects.all().delete()


def create_base() -> None:
    """Create the fixed portals, apps, contacts and lists (idempotent)."""
    current = clock.now()
    with transaction.atomic(using="simulator"):
        for data in PORTALS:
            portal, _ = Portal.objects.get_or_create(hub_id=data["hub_id"], defaults=data)
            for email, first, last in CONTACTS:
                Contact.objects.get_or_create(
                    portal=portal,
                    email=email,
                    defaults={
                        "firstname": first,
                        "lastname": last,
                        "created_at": current,
                        "updated_at": current,
                    },
                )
            if not ContactList.objects.filter(portal=portal).exists():
                for name, kind in LISTS:
                    ContactList.objects.create(
                        portal=portal,
                        name=name,
                        processing_type=kind,
                        size=len(CONTACTS),
                        created_at=current,
                        updated_at=current,
                    )
        for data in APPS:
            App.objects.get_or_create(app_id=data["app_id"], defaults=data)


def reset() -> None:
    wipe()
    create_base()


def info() -> dict[str, Any]:
    """What ``simulator info --json`` prints and ``GET /_simulator/info`` answers."""
    return {
        "portals": [{"hub_id": p.hub_id, "name": p.name} for p in Portal.objects.order_by("hub_id")],
        "apps": [
            {
                "app_id": a.app_id,
                "name": a.name,
                "client_id": a.client_id,
                "client_secret": a.client_secret,
                "developer_api_key": a.developer_api_key,
            }
            for a in App.objects.order_by("app_id")
        ],
    }
