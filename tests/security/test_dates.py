"""Dates at the ends of the calendar: every date filter refuses them with a message, and nothing gives a 500."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from hsadmin.core.models import Job, User
from hsadmin.core.roles import Role
from hsadmin.portals.models import Membership, Portal

pytestmark = pytest.mark.django_db

EDGES = [
    {"period": "custom", "since": "9999-12-30", "until": "9999-12-31"},
    {"period": "custom", "since": "0001-06-01", "until": "0001-12-31"},
    {"period": "custom", "since": "0001-01-01", "until": "0001-01-01"},
    {"period": "custom", "since": "2026-01-01", "until": "9999-12-31"},
]
MESSAGE = "Choose a date between 1970-01-01 and 2100-12-31."


@pytest.fixture
def manager(manager_user: User) -> Client:
    portal = Portal.objects.create(hub_id=501, name="Acme", status="connected")
    Membership.objects.create(user=manager_user, portal=portal, role=Role.MANAGER.value)
    client = Client()
    client.force_login(manager_user)
    return client


@pytest.mark.parametrize("query", EDGES, ids=lambda q: f"{q['since']}..{q['until']}")
def test_the_report_refuses_dates_at_the_ends_of_the_calendar_with_a_message(
    manager: Client, query: dict[str, str]
) -> None:
    response = manager.get(reverse("reports:index"), query)
    assert response.status_code == 422
    assert MESSAGE in response.text


@pytest.mark.parametrize("table", ["events", "months", "types", "portals", "headline"])
@pytest.mark.parametrize("query", EDGES[:2], ids=["9999", "0001"])
def test_the_report_exports_refuse_them_too(manager: Client, table: str, query: dict[str, str]) -> None:
    response = manager.get(reverse("reports:export", args=[table]), query)
    assert response.status_code == 422
    assert MESSAGE in response.content.decode()


@pytest.mark.parametrize("query", EDGES[:2], ids=["9999", "0001"])
def test_the_no_shows_export_refuses_them_and_starts_no_job(manager: Client, query: dict[str, str]) -> None:
    response = manager.post(f"{reverse('reports:no_shows')}?{'&'.join(f'{k}={v}' for k, v in query.items())}")
    assert response.status_code == 302
    page = manager.get(response.url)
    assert MESSAGE in page.text
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    "query",
    [{"until": "9999-12-31"}, {"since": "0001-01-01"}, {"since": "9999-12-31", "until": "9999-12-31"}],
)
def test_the_activity_log_refuses_them_with_a_message(
    portal_admin_user: User, signed_in: Callable[[User], Client], query: dict[str, str]
) -> None:
    response = signed_in(portal_admin_user).get(reverse("activity"), query)
    assert response.status_code == 422
    assert MESSAGE in response.text


@pytest.mark.parametrize(
    "query", [{"starts_to": "9999-12-31"}, {"starts_from": "0001-01-01"}], ids=["9999", "0001"]
)
def test_the_event_list_refuses_them_with_a_message(manager: Client, query: dict[str, str]) -> None:
    response = manager.get(reverse("events:list", args=[501]), query)
    assert response.status_code == 422
    assert MESSAGE in response.text


@pytest.mark.parametrize(
    ("url", "query", "target"),
    [
        ("events:list", {"starts_from": "0001-01-01"}, "events-table"),
        ("activity", {"since": "0001-01-01"}, "activity-table"),
        ("reports:index", {"period": "custom", "since": "0001-01-01", "until": "2026-01-01"}, "report-table"),
    ],
    ids=["event list", "activity", "report table"],
)
def test_a_filtered_table_swapped_in_by_htmx_says_which_filter_is_wrong(
    manager: Client,
    portal_admin_user: User,
    signed_in: Callable[[User], Client],
    url: str,
    query: dict[str, str],
    target: str,
) -> None:
    # After an HTMX change only the table comes back, so the field's own message (in the form) is not shown:
    # the table must say it is not filtered, and why.
    args = [501] if url == "events:list" else []
    client = signed_in(portal_admin_user) if url == "activity" else manager
    response = client.get(reverse(url, args=args), query, headers={"HX-Request": "true", "HX-Target": target})
    assert response.status_code == 422
    assert f'id="{target}"' in response.text and "<form" not in response.text.split(f'id="{target}"')[0]
    assert "Not filtered" in response.text and MESSAGE in response.text


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC"])
@pytest.mark.parametrize("moment", ["0001-01-01T00:00", "9999-12-31T23:59", "1969-12-31T10:00"])
def test_date_and_time_fields_refuse_the_ends_of_the_calendar_in_every_zone(zone: str, moment: str) -> None:
    from django.utils import timezone

    from hsadmin.events.forms import EventForm
    from hsadmin.participation.forms import RecordForm

    with timezone.override(zone):
        event = EventForm({"name": "x", "organizer": "y", "starts_at": moment})
        record = RecordForm({"contact": "a@example.com", "state": "register", "interaction_at": moment})
        assert not event.is_valid() and event.errors["starts_at"] == [MESSAGE]
        assert not record.is_valid() and record.errors["interaction_at"] == [MESSAGE]
