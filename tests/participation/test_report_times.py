"""After a platform report's import, the event page keeps a time in session only for attendees HubSpot recorded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from hsadmin.core.models import Job, JobState
from hsadmin.events.models import Event
from hsadmin.jobs.runner import ItemResult, JobContext
from hsadmin.participation.models import Import, ReportedAttendance
from hsadmin.participation.reports import times_record
from hsadmin.portals.models import Portal

pytestmark = pytest.mark.django_db


def _raw(n: int, email: str) -> dict[str, object]:
    return {"Email": email, "Name": email.split("@")[0], "Rows": str(n)}


def _attend(n: int, email: str, secs: int) -> dict[str, object]:
    raw = _raw(n, email)
    props = {"joinedAt": "1772701260000", "leftAt": "1772704860000"}
    return {
        "n": n,
        "raw": raw,
        "email": email,
        "vid": n,
        "state": "attend",
        "at": 1,
        "props": props,
        "secs": secs,
    }


@pytest.fixture(autouse=True)
def _uploads_in(tmp_path: Path) -> Iterator[None]:
    with override_settings(DATA_DIR=tmp_path):
        yield


def test_an_attendee_hubspot_refused_gets_no_time_in_session_on_the_event_page() -> None:
    portal = Portal.objects.create(hub_id=9191, name="Acme", status="connected")
    event = Event.objects.create(portal=portal, object_id="e1", name="Webinar", event_type="WEBINAR")
    imp = Import.objects.create(
        portal=portal, event=event, original_name="r.csv", default_interaction_at=timezone.now()
    )
    imp.folder.mkdir(parents=True)
    kept, refused = "ann@example.com", "bob@example.com"
    lines = [json.dumps(_attend(2, kept, 600)), json.dumps(_attend(3, refused, 900))]
    (imp.folder / "attend-vid.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # The import job's outcome as the engine records it: Bob's attendance was refused by HubSpot.
    job = Job.objects.create(kind="participation.import", portal=portal, state=JobState.RUNNING, lease="L")
    JobContext(job, lease="L").record_chunk(
        checkpoint={"position": 2},
        items=[
            ItemResult(ref="row 2", ok=True, data=_raw(2, kept)),
            ItemResult(ref="row 3", ok=False, message="refused", data=_raw(3, refused)),
        ],
    )

    times_record(imp, job)

    assert set(ReportedAttendance.objects.filter(event=event).values_list("email", flat=True)) == {kept}
