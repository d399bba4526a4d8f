from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hsadmin.core.exports import safe_cell
from hsadmin.core.models import Job, User
from hsadmin.core.roles import Role
from hsadmin.events.models import Event
from hsadmin.jobs.runner import run_job
from hsadmin.portals.models import Membership, Portal
from hsadmin.reports.periods import period_for
from hsadmin.reports.selectors import by_type, headline, monthly, scoped_events

pytestmark = pytest.mark.django_db

UTC = dt.UTC


@pytest.fixture
def acme(manager_user: User) -> Portal:
    portal = Portal.objects.create(hub_id=501, name="Acme", status="connected")
    Membership.objects.create(user=manager_user, portal=portal, role=Role.MANAGER.value)
    return portal


def _event(portal: Portal, object_id: str, starts: dt.datetime, **counts: object) -> Event:
    return Event.objects.create(
        portal=portal,
        object_id=object_id,
        name=f"Event {object_id}",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        **counts,
    )


def test_headline_figures_match_hand_computed_values_with_the_previous_period(acme: Portal) -> None:
    # Q2 2026 (this quarter on 2026-05-15) and Q1 2026 (the previous one).
    _event(
        acme,
        "1",
        dt.datetime(2026, 4, 10, tzinfo=UTC),
        registrants=100,
        attendees=60,
        no_shows=40,
        cancellations=5,
        event_type="WEBINAR",
    )
    _event(
        acme,
        "2",
        dt.datetime(2026, 6, 30, 12, tzinfo=UTC),
        registrants=50,
        attendees=20,
        no_shows=30,
        cancellations=2,
        event_type="CONFERENCE",
    )
    _event(
        acme, "3", dt.datetime(2026, 5, 1, tzinfo=UTC), registrants=999, attendees=999, cancelled=True
    )  # left out
    _event(
        acme,
        "4",
        dt.datetime(2026, 2, 1, tzinfo=UTC),
        registrants=40,
        attendees=10,
        no_shows=30,
        cancellations=1,
    )
    with timezone.override(UTC):
        period = period_for("this_quarter", today=dt.date(2026, 5, 15))
        figures = headline(events=scoped_events(portals=[acme], filters={}), period=period)
    assert figures["events"].value == 2 and figures["events"].previous == 1
    assert figures["registrants"].value == 150 and figures["registrants"].previous == 40
    assert figures["attendees"].value == 80
    assert figures["attendance_rate"].value == pytest.approx(80 / 150)
    assert figures["attendance_rate"].previous == pytest.approx(10 / 40)
    assert figures["attendance_rate"].change == pytest.approx(round((80 / 150 - 0.25) * 100, 1))
    assert figures["no_shows"].value == 70 and figures["no_show_rate"].value == pytest.approx(70 / 150)
    assert figures["cancellations"].value == 7
    assert figures["registrants"].change == pytest.approx(275.0)


def test_a_rate_with_no_registrations_before_says_no_previous_data_and_bad_news_is_red(acme: Portal) -> None:
    _event(acme, "now", dt.datetime(2026, 5, 2, tzinfo=UTC), registrants=10, attendees=6, no_shows=4)
    with timezone.override(UTC):
        period = period_for("this_quarter", today=dt.date(2026, 5, 15))
        figures = headline(events=scoped_events(portals=[acme], filters={}), period=period)
    # Nothing in the previous quarter: no rate is compared with a 0 % that never was.
    assert figures["attendance_rate"].change is None and figures["no_show_rate"].change is None
    assert figures["registrants"].change is None
    _event(acme, "before", dt.datetime(2026, 2, 2, tzinfo=UTC), registrants=10, attendees=8, no_shows=2)
    with timezone.override(UTC):
        figures = headline(events=scoped_events(portals=[acme], filters={}), period=period)
    assert figures["no_show_rate"].change == pytest.approx(20.0) and figures["no_show_rate"].tone == "bad"
    assert figures["attendance_rate"].change == pytest.approx(-20.0)
    assert figures["attendance_rate"].tone == "bad"
    assert figures["no_shows"].tone == "bad" and figures["registrants"].tone == ""


def test_the_report_form_shows_the_period_and_portal_the_report_uses(
    acme: Portal, manager_user: User, signed_in: Callable[[User], Client]
) -> None:
    page = signed_in(manager_user).get(reverse("reports:index")).text
    assert '<option value="last_12_months" selected>' in page
    assert '<option value="501" selected>' in page
    assert "Last 12 months:" in page


def test_period_edges_follow_the_persons_time_zone(acme: Portal) -> None:
    # 2026-03-31 20:00 UTC is already April 1st in Tokyo: Q1 in UTC, Q2 in Tokyo.
    _event(acme, "edge", dt.datetime(2026, 3, 31, 20, tzinfo=UTC), registrants=10, attendees=5)
    events = scoped_events(portals=[acme], filters={})
    with timezone.override(UTC):
        assert (
            headline(events=events, period=period_for("this_quarter", today=dt.date(2026, 4, 2)))[
                "events"
            ].value
            == 0
        )
    with timezone.override("Asia/Tokyo"):
        period = period_for("this_quarter", today=dt.date(2026, 4, 2))
        assert headline(events=events, period=period)["events"].value == 1
        months = monthly(events=events, period=period)
        assert [m["month"].month for m in months] == [4, 5, 6]
        assert months[0]["registrants"] == 10


def test_the_last_12_months_and_custom_ranges_have_a_same_length_previous_period() -> None:
    with timezone.override(UTC):
        twelve = period_for("last_12_months", today=dt.date(2026, 11, 22))
        assert (twelve.start.date(), twelve.end.date()) == (dt.date(2025, 12, 1), dt.date(2026, 12, 1))
        assert twelve.previous_start.date() == dt.date(2024, 12, 1)
        custom = period_for("custom", since=dt.date(2026, 1, 10), until=dt.date(2026, 1, 19))
        assert (custom.previous_start.date(), custom.previous_end.date()) == (
            dt.date(2025, 12, 31),
            dt.date(2026, 1, 10),
        )
        last_q = period_for("last_quarter", today=dt.date(2026, 2, 1))
        assert (last_q.start.date(), last_q.end.date()) == (dt.date(2025, 10, 1), dt.date(2026, 1, 1))


def test_results_by_type_and_filters(acme: Portal) -> None:
    when = dt.datetime(2026, 5, 2, tzinfo=UTC)
    _event(acme, "1", when, registrants=10, attendees=5, event_type="WEBINAR")
    _event(acme, "2", when, registrants=20, attendees=5, event_type="WEBINAR")
    _event(acme, "3", when, registrants=8, attendees=8, event_type="CONFERENCE")
    with timezone.override(UTC):
        period = period_for("this_quarter", today=dt.date(2026, 5, 15))
        rows = {
            r["event_type"]: r
            for r in by_type(events=scoped_events(portals=[acme], filters={}), period=period)
        }
        assert rows["WEBINAR"]["registrants"] == 30 and rows["WEBINAR"]["attendance_rate"] == pytest.approx(
            10 / 30
        )
        only = scoped_events(portals=[acme], filters={"type": "conference"})
        assert headline(events=only, period=period)["registrants"].value == 8


def test_the_report_page_reads_only_the_mirror_with_a_constant_number_of_queries(
    acme: Portal,
    manager_user: User,
    signed_in: Callable[[User], Client],
    django_assert_max_num_queries: Callable,
) -> None:
    now = timezone.now()
    for i in range(5):
        _event(acme, str(i), now - dt.timedelta(days=i * 20), registrants=10 + i, attendees=i)
    client = signed_in(manager_user)
    client.get(reverse("reports:index"))  # warm the session cache
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse("reports:index")).status_code == 200
    for i in range(5, 60):
        _event(acme, str(i), now - dt.timedelta(days=i * 5), registrants=i, attendees=i // 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("reports:index"))
    assert "Events held" in page.text and 'id="report-data"' in page.text


def test_bad_report_filters_never_break_the_page(
    acme: Portal, manager_user: User, signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(manager_user)
    for params in (
        {"period": "custom"},
        {"period": "custom", "since": "2026-05-01", "until": "2026-01-01"},
        {"period": "forever"},
        {"portal": "999"},
        {"sort": "password"},
        {"since": "yesterday"},
    ):  # the page, with the filter's message beside it (422, as every form in hsadmin)
        assert client.get(reverse("reports:index"), params).status_code == 422, params
    assert client.get(reverse("reports:index"), {"page": "x"}).status_code == 200
    page = client.get(
        reverse("reports:index"), {"period": "custom", "since": "2026-05-01", "until": "2026-01-01"}
    )
    assert "“To” is before “From”." in page.text


def test_only_people_with_the_manager_role_read_reports(
    acme: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    Membership.objects.create(user=marketing_user, portal=acme, role=Role.MARKETING.value)
    assert signed_in(marketing_user).get(reverse("reports:index")).status_code == 403


def test_another_portal_cannot_be_reported_on(
    acme: Portal, manager_user: User, signed_in: Callable[[User], Client]
) -> None:
    other = Portal.objects.create(hub_id=777, name="Secret", status="connected")
    _event(other, "s", timezone.now(), registrants=12345)
    page = signed_in(manager_user).get(reverse("reports:index"), {"portal": "777"})
    assert "12345" not in page.text and "Secret" not in page.text


def test_exports_stream_csv_and_neutralise_spreadsheet_formulas(
    acme: Portal, manager_user: User, signed_in: Callable[[User], Client]
) -> None:
    Event.objects.create(
        portal=acme, object_id="1", name='=HYPERLINK("http://evil")', starts_at=timezone.now(), registrants=3
    )
    Event.objects.create(
        portal=acme, object_id="2", name="@SUM(A1)", starts_at=timezone.now(), event_type="-cmd"
    )
    response = signed_in(manager_user).get(reverse("reports:export", args=["events"]))
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    names = {row[1] for row in rows[1:]}
    assert names == {'\'=HYPERLINK("http://evil")', "'@SUM(A1)"}
    assert "'-cmd" in {row[3] for row in rows[1:]}
    assert safe_cell(-5) == -5 and safe_cell("+1") == "'+1" and safe_cell("plain") == "plain"
    for table in ("months", "types", "portals", "headline"):
        assert signed_in(manager_user).get(reverse("reports:export", args=[table])).status_code == 200


def test_an_export_of_a_table_the_report_does_not_have_is_not_found_rather_than_forbidden(
    acme: Portal, manager_user: User, signed_in: Callable[[User], Client]
) -> None:
    assert signed_in(manager_user).get(reverse("reports:export", args=["nonsense"])).status_code == 404


def test_the_no_shows_export_is_built_by_a_job_from_hubspots_breakdown(
    hubspot, make_portal: Callable[..., Portal], manager_user: User, signed_in: Callable[[User], Client]
) -> None:
    import httpx

    portal = make_portal((manager_user, Role.MANAGER))
    token = hubspot.control.token(portal.hub_id, hubspot.app_id)["access_token"]
    api = httpx.Client(
        base_url=f"{hubspot.base_url}/marketing/v3/marketing-events",
        headers={"Authorization": f"Bearer {token}"},
    )
    ended = timezone.now() - dt.timedelta(days=3)
    created = api.post(
        "/events",
        json={
            "externalAccountId": "acct",
            "externalEventId": "noshow-1",
            "eventName": "Missed webinar",
            "eventOrganizer": "Us",
            "customProperties": [],
            "startDateTime": ended.isoformat(),
            "endDateTime": (ended + dt.timedelta(hours=1)).isoformat(),
        },
    ).json()
    contacts = hubspot.control.contacts(portal.hub_id)[:2]
    ms = int((ended - dt.timedelta(days=1)).timestamp() * 1000)
    answer = api.post(
        "/attendance/noshow-1/register/create",
        params={"externalAccountId": "acct"},
        json={
            "inputs": [{"vid": int(c["id"]), "interactionDateTime": ms, "properties": {}} for c in contacts]
        },
    )
    assert answer.status_code in (200, 207), answer.text
    Event.objects.create(
        portal=portal,
        object_id=created["objectId"],
        name="Missed webinar",
        starts_at=ended,
        no_shows=2,
        registrants=2,
    )
    client = signed_in(manager_user)
    response = client.post(reverse("reports:no_shows") + f"?portal={portal.hub_id}")
    job = Job.objects.get(kind="reports.no_shows")
    assert response.url == reverse("jobs:detail", args=[job.pk])
    run_job(job.pk)
    job.refresh_from_db()
    assert job.state == "succeeded", job.message
    rows = list(csv.reader(io.StringIO(job.file.read().decode("utf-8-sig"))))
    assert rows[0][:2] == ["event", "event_object_id"]
    assert sorted(r[4] for r in rows[1:]) == sorted(c["email"] for c in contacts)
