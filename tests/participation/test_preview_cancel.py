"""The import preview honours Cancel: it stops at its next batch, before asking HubSpot about more contacts, and
the upload can be mapped and previewed again."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hsadmin.core.models import User
from hsadmin.events.models import Event
from hsadmin.jobs.runner import JobCancelled, JobContext, JobPaused, claim, get_job_kind
from hsadmin.jobs.services import job_cancel
from hsadmin.participation import imports
from hsadmin.participation.models import Import, ImportStatus
from hsadmin.portals.hubspot import PortalNotConnected
from hsadmin.portals.models import Portal, PortalStatus
from tests.live_simulator import LiveSimulator
from tests.participation import platform_files as pf

pytestmark = pytest.mark.django_db


def _preview_queued(client: Client, portal: Portal, event: Event, rows: int) -> Import:
    content = b"email,state\n" + b"".join(b"p%d@example.com,registered\n" % i for i in range(rows))
    response = client.post(
        reverse("participation:import-new", args=[portal.hub_id, event.object_id]),
        {"file": SimpleUploadedFile("people.csv", content)},
    )
    assert response.status_code == 302
    imp = Import.objects.latest("id")
    data = {f"col_{i}": role for i, role in enumerate(imp.mapping)}
    data["default_interaction_at"] = "2026-03-01T10:00:00"
    url = reverse("participation:import", args=[portal.hub_id, event.object_id, imp.pk])
    assert client.post(url, data).status_code == 302
    imp.refresh_from_db()
    assert imp.status == ImportStatus.PREVIEWING and imp.preview_job_id
    return imp


def test_a_cancelled_preview_stops_before_its_next_hubspot_lookup(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
) -> None:
    imp = _preview_queued(signed_in(marketing_user), portal, make_event(), rows=1000)
    taken = claim(imp.preview_job_id)
    assert taken is not None
    job, lease = taken
    job_cancel(job=job, user=marketing_user)  # while it runs: it is asked to stop at its next check
    hubspot.control.reset_stats()
    with pytest.raises(JobCancelled):
        imports.preview_run(JobContext(job, lease=lease), imp)
    called = {f for f, n in hubspot.control.stats()["by_family"].items() if n and f != "control"}
    assert called == set()  # not one contact look-up after Cancel


def test_a_cancelled_preview_leaves_its_upload_ready_to_map_and_preview_again(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
) -> None:
    client = signed_in(marketing_user)
    imp = _preview_queued(client, portal, make_event(), rows=250)
    taken = claim(imp.preview_job_id)
    assert taken is not None
    job, lease = taken
    job_cancel(job=job, user=marketing_user)
    kind = get_job_kind("participation.preview")
    assert kind is not None
    with pytest.raises(JobCancelled):  # the engine ends the job as cancelled (tests/core/jobs)
        kind.handler(JobContext(job, lease=lease))
    imp.refresh_from_db()
    assert imp.status == ImportStatus.UPLOADED and imp.path.exists()
    page = client.get(reverse("participation:import", args=[portal.hub_id, imp.event.object_id, imp.pk]))
    assert page.status_code == 200 and 'name="col_0"' in page.text


def test_a_cancelled_platform_report_preview_stops_before_its_next_hubspot_lookup(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
) -> None:
    event = make_event()
    report = pf.zoom_attendee_report(
        attendees=[pf.zoom_attendee(f"p{i}@example.com", name=f"Person {i}") for i in range(150)]
    )
    response = signed_in(marketing_user).post(
        reverse("participation:import-new", args=[portal.hub_id, event.object_id]),
        {"file": SimpleUploadedFile("zoom.csv", report.encode("utf-8"))},
    )
    assert response.status_code == 302
    imp = Import.objects.latest("id")
    assert imp.report and imp.preview_job_id  # recognised: previewed without a mapping
    taken = claim(imp.preview_job_id)
    assert taken is not None
    job, lease = taken
    job_cancel(job=job, user=marketing_user)
    hubspot.control.reset_stats()
    kind = get_job_kind("participation.preview")
    assert kind is not None
    with pytest.raises(JobCancelled):
        kind.handler(JobContext(job, lease=lease))
    called = {f for f, n in hubspot.control.stats()["by_family"].items() if n and f != "control"}
    assert called == set()


def test_a_preview_paused_for_a_portal_to_reconnect_stays_under_way_rather_than_failed(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
) -> None:
    """The engine pauses the job and resumes it once the portal is reconnected: the import must not read as
    failed (and offer a second preview) meanwhile."""
    client = signed_in(marketing_user)
    imp = _preview_queued(client, portal, make_event(), rows=250)
    taken = claim(imp.preview_job_id)
    assert taken is not None
    job, lease = taken
    Portal.objects.filter(pk=portal.pk).update(status=PortalStatus.NEEDS_RECONNECT)
    kind = get_job_kind("participation.preview")
    assert kind is not None
    # The run stops (the engine then pauses the job: tests/core/jobs); the preview is still to be done.
    with pytest.raises((JobPaused, PortalNotConnected)):
        kind.handler(JobContext(job, lease=lease))
    imp.refresh_from_db()
    assert imp.status == ImportStatus.PREVIEWING
