"""Recording one contact: by contact ID or email, with HubSpot's per-input answer, confirmations and refusals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hsadmin.core.models import AuditEntry, User
from hsadmin.events.models import Event
from hsadmin.portals.models import Portal
from tests.live_simulator import LiveSimulator
from tests.participation.conftest import rows_of

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def _when(delta: timedelta = timedelta(0)) -> str:
    return (timezone.now() + delta).strftime("%Y-%m-%dT%H:%M:%S")


def _post(client: Client, portal: Portal, event: Event, **data: str):
    url = reverse("participation:record", args=[portal.hub_id, event.object_id])
    response = client.post(url, {"state": "register", "interaction_at": _when(), **data}, headers=HX)
    assert "HX-Redirect" not in response, (response.status_code, response.headers)
    return response


@pytest.mark.parametrize(
    "owned", [False, True], ids=["another app's event (objectId)", "our event (external IDs)"]
)
def test_recording_by_contact_id_shows_hubspots_answer_and_writes_one_activity(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
    make_contacts: Callable[[int], list[tuple[str, int]]],
    owned: bool,
) -> None:
    event = make_event(owned=owned)
    ((_, vid),) = make_contacts(1)
    response = _post(
        signed_in(marketing_user),
        portal,
        event,
        contact=str(vid),
        state="attend",
        joined_at=_when(-timedelta(hours=1)),
        left_at=_when(-timedelta(minutes=5)),
    )
    assert response.status_code == 200, response.text
    # Said once, in a toast (HTMX's trigger header), not again in the page.
    assert f"HubSpot recorded contact {vid} as attended" in response.headers["HX-Trigger"]
    assert "HubSpot recorded" not in response.text
    (row,) = hubspot.control.participations(event_object_id=event.object_id)
    assert (row["contactId"], row["state"]) == (str(vid), "ATTENDED")
    assert set(row["properties"]) == {"joinedAt", "leftAt"}
    assert AuditEntry.objects.filter(action="participation.record", outcome="success", portal=portal).exists()


def test_an_email_of_an_existing_contact_is_recorded_by_its_id(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
    make_contacts: Callable[[int], list[tuple[str, int]]],
) -> None:
    event = make_event()
    ((email, vid),) = make_contacts(1)
    response = _post(signed_in(marketing_user), portal, event, contact=email.upper(), never_create="on")
    assert response.status_code == 200
    assert f"HubSpot recorded Person0 ({email}) as registered." in response.headers["HX-Trigger"]
    assert {(c, s) for c, s, _ in rows_of(hubspot, event)} == {(str(vid), "REGISTERED")}


def test_never_create_contacts_records_nothing_for_an_unknown_email(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
) -> None:
    event = make_event()
    before = len(hubspot.control.contacts(portal.hub_id))
    response = _post(
        signed_in(marketing_user), portal, event, contact="nobody.zz1@example.com", never_create="on"
    )
    assert response.status_code == 422
    assert "nothing was recorded" in response.text
    assert rows_of(hubspot, event) == set()
    assert len(hubspot.control.contacts(portal.hub_id)) == before


def test_an_unknown_email_asks_before_creating_a_contact_then_creates_it(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
) -> None:
    event = make_event()
    client = signed_in(marketing_user)
    first = _post(client, portal, event, contact="fresh.zz2@example.com")
    assert first.status_code == 422
    assert "creates a new contact" in first.text and "Create the contact and record" in first.text
    assert rows_of(hubspot, event) == set()
    second = _post(client, portal, event, contact="fresh.zz2@example.com", confirm_create="on")
    assert second.status_code == 200, second.text
    assert len(rows_of(hubspot, event)) == 1
    assert any(c["email"] == "fresh.zz2@example.com" for c in hubspot.control.contacts(portal.hub_id))


def test_a_time_in_the_future_needs_a_confirmation(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
    make_contacts: Callable[[int], list[tuple[str, int]]],
) -> None:
    event = make_event()
    ((_, vid),) = make_contacts(1)
    client = signed_in(marketing_user)
    later = _when(timedelta(days=3))
    first = _post(client, portal, event, contact=str(vid), interaction_at=later)
    assert first.status_code == 422 and "in the future" in first.text
    assert 'name="confirm_future" value="on"' in first.text
    assert rows_of(hubspot, event) == set()
    second = _post(client, portal, event, contact=str(vid), interaction_at=later, confirm_future="on")
    assert second.status_code == 200
    assert len(rows_of(hubspot, event)) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"contact": ""}, "This field is required"),
        ({"contact": "not an email"}, "email address or HubSpot contact ID"),
        ({"contact": "12ab"}, "email address or HubSpot contact ID"),
        ({"contact": "0"}, "email address or HubSpot contact ID"),
        ({"contact": "a@example.com", "state": "won"}, "Select a valid choice"),
        ({"contact": "a@example.com", "interaction_at": "yesterday"}, "Enter a valid date/time"),
        ({"contact": "a@example.com", "joined_at": "2026-01-01T10:00"}, "for attendance only"),
        (
            {
                "contact": "a@example.com",
                "state": "attend",
                "joined_at": "2026-01-01T10:00",
                "left_at": "2026-01-01T09:00",
            },
            "before the joined time",
        ),
        ({"contact": "x" * 300 + "@example.com"}, "at most 254"),
    ],
)
def test_bad_input_is_explained_and_nothing_reaches_hubspot(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
    data: dict[str, str],
    message: str,
) -> None:
    event = make_event()
    hubspot.control.reset_stats()
    response = _post(signed_in(marketing_user), portal, event, **data)
    assert response.status_code == 422
    assert message in response.text
    assert "<html" not in response.text  # the form's fragment
    assert rows_of(hubspot, event) == set()


def test_hubspots_refusal_is_shown_in_words_and_audited(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
) -> None:
    event = make_event()
    response = _post(
        signed_in(marketing_user), portal, event, contact="987654321"
    )  # fits the int32 vid of 2026-09
    assert response.status_code == 422
    assert "HubSpot has no contact with ID 987654321" in response.text
    assert AuditEntry.objects.filter(action="participation.record", outcome="failure").exists()
    hubspot.control.set_faults(rate_503=1.0)
    failed = _post(signed_in(marketing_user), portal, event, contact="1")
    assert failed.status_code == 422
    assert "HubSpot did not answer in time" in failed.text or "could not be reached" in failed.text


def test_a_manager_cannot_record_and_another_portal_is_not_found(
    portal: Portal,
    manager_user: User,
    portal_admin_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
) -> None:
    event = make_event()
    url = reverse("participation:record", args=[portal.hub_id, event.object_id])
    assert signed_in(manager_user).post(url, {"contact": "1"}).status_code == 403
    assert signed_in(portal_admin_user).get(url).status_code == 404


def test_recording_for_an_event_that_is_over_starts_at_the_events_time_to_the_minute(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
) -> None:
    event = make_event(ended=True)
    page = signed_in(marketing_user).get(
        reverse("participation:record", args=[portal.hub_id, event.object_id])
    )
    start = timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M")
    assert f'name="interaction_at" value="{start}"' in page.text
    assert 'value="attend"' in page.text.split("checked")[0].rsplit("<input", 1)[1]


def test_never_create_contacts_has_one_default_in_record_one_and_the_import() -> None:
    from hsadmin.participation.forms import MappingForm, RecordForm

    record = RecordForm()
    mapping = MappingForm(header=["email"])
    assert record.fields["never_create"].initial is None  # off: creating is asked for, not done silently
    assert mapping.fields["never_create"].initial is None
    assert record.fields["never_create"].help_text == mapping.fields["never_create"].help_text
