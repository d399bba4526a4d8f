"""The gateway against the live simulator: the time budget, the endpoint family, the audit entry and the one
application error, for every service at once."""

from __future__ import annotations

import pytest

from hsadmin.core.exceptions import ActionFailed
from hsadmin.core.models import AuditEntry, User
from hsadmin.events.models import Event
from hsadmin.hubspot.gateway import Budget, open_event, open_portal
from hsadmin.hubspot_client import Priority, ServerError
from hsadmin.portals.models import Portal
from tests.live_simulator import LiveSimulator

pytestmark = pytest.mark.django_db


def _calls(sim: LiveSimulator) -> int:
    return int(sim.control.stats()["by_family"].get("marketing-events", 0))


def test_a_web_call_gives_hubspot_three_attempts_then_tells_the_person_in_words(
    hubspot: LiveSimulator, portal: Portal
) -> None:
    hubspot.control.set_faults(rate_503=1.0)
    hubspot.control.reset_stats()
    with pytest.raises(ActionFailed) as failed:
        open_portal(portal).call(lambda client: client.list_events_page(limit=1))
    assert _calls(hubspot) == 3
    assert "could not be reached or had a problem" in failed.value.message


def test_a_job_gets_the_patient_budget_behind_people_and_keeps_the_typed_error(
    hubspot: LiveSimulator, portal: Portal
) -> None:
    hubspot.control.set_faults(rate_503=1.0)
    gateway = open_portal(portal, budget=Budget.JOB)
    assert gateway.client.priority is Priority.BULK
    hubspot.control.reset_stats()
    with pytest.raises(ServerError):
        gateway.call(lambda client: client.list_events_page(limit=1))
    assert _calls(hubspot) == gateway.client.retry.max_attempts > 3


def test_a_write_is_audited_with_hubspots_correlation_id_and_the_endpoint_family(
    hubspot: LiveSimulator, portal: Portal, marketing_user: User
) -> None:
    ours = Event(
        portal=portal, object_id="1", name="Ours", external_event_id="x-1", external_account_id="acc"
    )
    ours.app_id = hubspot.app_id
    theirs = Event(portal=portal, object_id="999999999", name="Theirs")
    for event in (ours, theirs):
        with pytest.raises(ActionFailed) as failed:
            open_event(event, user=marketing_user, action="event.cancel").cancel()  # HubSpot knows neither
        assert failed.value.correlation_id
    entries = AuditEntry.objects.filter(action="event.cancel").order_by("pk")
    assert [(e.outcome, e.detail["by"], e.actor) for e in entries] == [
        ("failure", "external", marketing_user),
        ("failure", "objectId", marketing_user),
    ]
    assert all(e.correlation_id for e in entries)


def test_a_disconnected_portal_is_one_error_with_what_to_do_and_a_read_is_not_audited(
    hubspot: LiveSimulator, portal: Portal
) -> None:
    Portal.objects.filter(pk=portal.pk).update(status="disconnected")
    portal.refresh_from_db()
    with pytest.raises(ActionFailed) as failed:
        open_event(Event(portal=portal, object_id="5", name="E")).get()
    assert "A portal admin needs to reconnect it" in failed.value.message
    assert not AuditEntry.objects.exists()
