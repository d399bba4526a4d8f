"""A CSV import from upload to HubSpot, through the preview and import jobs (run here, as the worker would)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hsadmin.core.models import AuditEntry, Job, JobChunk, User
from hsadmin.events.models import Event
from hsadmin.jobs.runner import run_job
from hsadmin.participation.models import Import, ImportStatus
from hsadmin.portals.models import Portal
from tests.live_simulator import LiveSimulator
from tests.participation.conftest import rows_of

pytestmark = pytest.mark.django_db


def _upload(client: Client, portal: Portal, event: Event, content: bytes, name: str = "people.csv") -> Import:
    response = client.post(
        reverse("participation:import-new", args=[portal.hub_id, event.object_id]),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )
    assert response.status_code == 302, response.content[:2000]
    return Import.objects.latest("id")


def _map(client: Client, imp: Import, **extra: str) -> Import:
    data = {f"col_{i}": role for i, role in enumerate(imp.mapping)}
    data["default_interaction_at"] = "2026-03-01T10:00:00"
    data.update(extra)
    url = reverse("participation:import", args=[imp.portal.hub_id, imp.event.object_id, imp.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:3000]
    imp.refresh_from_db()
    assert run_job(imp.preview_job_id) == "succeeded", Job.objects.get(pk=imp.preview_job_id).message
    imp.refresh_from_db()
    return imp


def _confirm(client: Client, imp: Import, **extra: str) -> Job:
    url = reverse("participation:import-confirm", args=[imp.portal.hub_id, imp.event.object_id, imp.pk])
    response = client.post(url, extra)
    assert response.status_code == 302, response.content[:3000]
    imp.refresh_from_db()
    run_job(imp.import_job_id)
    return Job.objects.get(pk=imp.import_job_id)


def test_an_import_previews_every_row_then_records_exactly_what_the_file_asks(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
    make_contacts: Callable[[int], list[tuple[str, int]]],
) -> None:
    event = make_event()
    (a, va), (b, vb) = make_contacts(2)
    csv_text = (
        "Email;Status;Time;First name\n"
        f"{a};attended;2026-03-01 10:05;Ann\n"
        f"{b};registered;;Bob\n"
        f"{a};attended;2026-03-01 10:05;Ann\n"  # the same activity again
        "new.person.x1@example.com;registered;;Neu\n"
        "not-an-email;registered;;\n"
        f"{vb};cancelled;;\n"  # an email column holding an ID is not an email
    )
    client = signed_in(marketing_user)
    imp = _upload(client, portal, event, csv_text.encode("utf-8-sig"))
    assert (imp.encoding, imp.delimiter) == ("utf-8-sig", ";")
    assert imp.mapping == ["email", "state", "time", "prop:firstname"]
    imp = _map(client, imp)
    assert imp.status == ImportStatus.PREVIEWED
    assert imp.counts == {"existing": 2, "new": 1, "invalid": 2, "duplicate": 1, "rows": 6, "future": 0}

    page = client.get(reverse("participation:import", args=[portal.hub_id, event.object_id, imp.pk]))
    assert "Would create a new contact" in page.text and "not an email" in page.text
    # The button counts what it sends: 2 existing and 1 new contact, not the 2 invalid rows nor the repeat.
    assert "Import 3 rows into HubSpot" in page.text and "Import 6 rows" not in page.text

    refused = client.post(
        reverse("participation:import-confirm", args=[portal.hub_id, event.object_id, imp.pk])
    )
    assert refused.status_code == 422 and "new contacts may be created" in refused.text

    job = _confirm(client, imp, confirm_create="on")
    assert job.state == "succeeded", job.message
    # The two invalid rows failed (to be fixed and sent again); the repeat was left out, not failed.
    assert (job.done, job.failed, job.skipped) == (6, 2, 1)
    ms = int(datetime(2026, 3, 1, 10, 5, tzinfo=UTC).timestamp() * 1000)
    default_ms = int(datetime(2026, 3, 1, 10, 0, tzinfo=UTC).timestamp() * 1000)
    got = rows_of(hubspot, event)
    new_vid = next(
        c["id"] for c in hubspot.control.contacts(portal.hub_id) if c["email"] == "new.person.x1@example.com"
    )
    assert got == {
        (str(va), "ATTENDED", ms),
        (str(vb), "REGISTERED", default_ms),
        (new_vid, "REGISTERED", default_ms),
    }
    assert AuditEntry.objects.filter(action="participation.import", portal=portal).exists()
    assert not imp.folder.exists()  # the upload is deleted when the import ends

    # The same file again: nothing changes in HubSpot.
    again = _upload(client, portal, event, csv_text.encode("utf-8-sig"))
    assert again.default_interaction_at == imp.default_interaction_at
    again = _map(
        client, again, default_interaction_at=imp.default_interaction_at.strftime("%Y-%m-%dT%H:%M:%S")
    )
    assert again.counts["new"] == 0 and again.counts["existing"] == 3
    _confirm(client, again)
    assert rows_of(hubspot, event) == got


def test_never_create_contacts_leaves_unknown_emails_out_and_lists_them_as_not_recorded(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
    make_contacts: Callable[[int], list[tuple[str, int]]],
) -> None:
    event = make_event(owned=True)  # by external IDs
    ((known, vid),) = make_contacts(1)
    before = len(hubspot.control.contacts(portal.hub_id))
    client = signed_in(marketing_user)
    imp = _upload(client, portal, event, f"email\n{known}\nstranger.q1@example.com\n".encode())
    imp = _map(client, imp, default_state="attend", never_create="on")
    assert (imp.counts["existing"], imp.counts["new"]) == (1, 1)
    job = _confirm(client, imp, never_create="on")
    assert (job.done, job.failed) == (2, 1)
    assert {(c, s) for c, s, _ in rows_of(hubspot, event)} == {(str(vid), "ATTENDED")}
    assert len(hubspot.control.contacts(portal.hub_id)) == before
    failed = b"".join(client.get(reverse("jobs:failed-csv", args=[job.pk])).streaming_content).decode()
    assert "stranger.q1@example.com" in failed and "never create contacts" in failed


def test_pasted_latin1_like_text_and_ids_import_too(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
    make_contacts: Callable[[int], list[tuple[str, int]]],
) -> None:
    event = make_event()
    (_, v1), (_, v2) = make_contacts(2)
    client = signed_in(marketing_user)
    response = client.post(
        reverse("participation:import-new", args=[portal.hub_id, event.object_id]),
        {"text": f"Contact ID,State\n{v1},registered\n{v2},cancelled\n424242424242,registered\n"},
    )
    assert response.status_code == 302
    imp = Import.objects.latest("id")
    assert imp.mapping == ["contact_id", "state"]
    imp = _map(client, imp)
    assert (imp.counts["existing"], imp.counts["invalid"]) == (2, 1)
    job = _confirm(client, imp)
    assert (job.done, job.failed) == (3, 1)
    assert {(c, s) for c, s, _ in rows_of(hubspot, event)} == {
        (str(v1), "REGISTERED"),
        (str(v2), "CANCELLED"),
    }


@pytest.mark.parametrize(
    ("roles", "extra", "message"),
    [
        (["", "state"], {}, "Choose the column with the email or the HubSpot contact ID"),
        (["email", "email"], {}, "Only one column can be"),
        (["email", ""], {}, "choose the state of every row"),
        (["email", "state"], {"default_interaction_at": "soon"}, "Enter a valid date/time"),
        (["email", "bogus"], {}, "Select a valid choice"),
    ],
)
def test_a_bad_mapping_is_explained_and_starts_no_job(
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
    roles: list[str],
    extra: dict[str, str],
    message: str,
) -> None:
    event = make_event()
    client = signed_in(marketing_user)
    imp = _upload(client, portal, event, b"a,b\nx@example.com,registered\n")
    data = (
        {f"col_{i}": r for i, r in enumerate(roles)} | {"default_interaction_at": "2026-03-01T10:00"} | extra
    )
    url = reverse("participation:import", args=[portal.hub_id, event.object_id, imp.pk])
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert message in response.text and "<html" not in response.text
    assert not Job.objects.filter(kind="participation.preview").exists()


def test_uploads_beyond_the_size_or_row_limits_are_refused_plainly(
    settings: pytest.FixtureRequest,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
) -> None:
    event = make_event()
    client = signed_in(marketing_user)
    settings.HSADMIN_IMPORT_MAX_BYTES = 1024 * 1024
    url = reverse("participation:import-new", args=[portal.hub_id, event.object_id])
    big = client.post(url, {"file": SimpleUploadedFile("big.csv", b"email\n" + b"a@example.com\n" * 90_000)})
    assert big.status_code == 422 and "larger than 1 MB" in big.text
    assert not Import.objects.exists()
    nothing = client.post(url, {})
    assert nothing.status_code == 422 and "Choose a CSV file, or paste rows" in nothing.text
    empty = client.post(url, {"file": SimpleUploadedFile("empty.csv", b"\n\n")})
    assert empty.status_code == 422 and "The file is empty" in empty.text

    imp = _upload(
        client,
        portal,
        event,
        b"email,state\n" + b"".join(b"p%d@example.com,registered\n" % i for i in range(5)),
    )
    # The upload counts its rows (test_encodings.py); a limit lowered after it still stops the preview.
    settings.HSADMIN_IMPORT_MAX_ROWS = 3
    imp = _map(client, imp)
    assert imp.status == ImportStatus.REFUSED and "more than 3 rows" in imp.message
    page = client.get(reverse("participation:import", args=[portal.hub_id, event.object_id, imp.pk]))
    assert "more than 3 rows" in page.text
    refused = client.post(
        reverse("participation:import-confirm", args=[portal.hub_id, event.object_id, imp.pk])
    )
    assert refused.status_code == 302 and not Job.objects.filter(kind="participation.import").exists()


def test_an_import_of_another_portals_event_is_not_found(
    portal: Portal,
    marketing_user: User,
    portal_admin_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
) -> None:
    event = make_event()
    imp = _upload(signed_in(marketing_user), portal, event, b"email\na@example.com\n")
    url = reverse("participation:import", args=[portal.hub_id, event.object_id, imp.pk])
    assert signed_in(portal_admin_user).get(url).status_code == 404
    assert (
        signed_in(marketing_user).get(url.replace(f"/import/{imp.pk}/", "/import/999999/")).status_code == 404
    )


def test_rows_hubspot_failed_in_a_partial_batch_are_sent_again_until_recorded(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
    make_contacts: Callable[[int], list[tuple[str, int]]],
) -> None:
    event = make_event()
    people = make_contacts(120)
    client = signed_in(marketing_user)
    content = (
        "email,state\n"
        + "".join(f"{e},attended\n" for e, _ in people)
        + "".join(f"brand.new.{i}.{event.object_id}@example.com,registered\n" for i in range(30))
    )
    imp = _map(client, _upload(client, portal, event, content.encode()))
    hubspot.control.set_faults(rate_partial_batch=0.5, rate_500=0.1, seed=3)
    hubspot.control.reset_stats()
    job = _confirm(client, imp, confirm_create="on")
    statuses = hubspot.control.stats()["by_status"]
    hubspot.control.clear_faults()
    assert statuses.get("207"), statuses  # HubSpot failed some rows, which were sent again
    assert JobChunk.objects.filter(job=job).count() == 2
    assert (job.state, job.done, job.failed) == ("succeeded", 150, 0)
    got = rows_of(hubspot, event)
    assert len(got) == 150 and {v for _, v in people} <= {int(c) for c, _, _ in got}


def test_rows_in_the_future_need_a_confirmation_and_old_uploads_are_pruned(
    hubspot: LiveSimulator,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
    make_contacts: Callable[[int], list[tuple[str, int]]],
) -> None:
    from datetime import timedelta

    from hsadmin.participation.imports import imports_prune

    event = make_event()
    ((email, _),) = make_contacts(1)
    client = signed_in(marketing_user)
    imp = _map(
        client,
        _upload(client, portal, event, f"email,state,time\n{email},registered,2099-01-01 10:00\n".encode()),
    )
    assert imp.counts["future"] == 1
    url = reverse("participation:import-confirm", args=[portal.hub_id, event.object_id, imp.pk])
    refused = client.post(url, headers={"HX-Request": "true"})
    assert refused.status_code == 422 and "Confirm the rows with a time in the future" in refused.text
    assert _confirm(client, imp, confirm_future="on").state == "succeeded"

    stale = _upload(client, portal, event, b"email\nx@example.com\n")
    assert stale.folder.exists()
    assert imports_prune(older_than=timedelta(hours=1)) == 0
    assert imports_prune(older_than=timedelta(seconds=-1)) == 1  # its time has come
    assert not stale.folder.exists()
    gone = client.post(
        reverse("participation:import", args=[portal.hub_id, event.object_id, stale.pk]),
        {"col_0": "email", "default_state": "register", "default_interaction_at": "2026-03-01T10:00"},
    )
    assert gone.status_code == 422 and not Job.objects.filter(
        kind="participation.preview", params__import=stale.pk
    )


def test_the_daily_prune_command_deletes_uploads_left_unconfirmed_past_the_retention(
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    make_event: Callable[..., Event],
) -> None:
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from hsadmin.participation.models import Import

    event = make_event()
    client = signed_in(marketing_user)
    old, fresh = (_upload(client, portal, event, b"email\nx@example.com\n") for _ in range(2))
    Import.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=73))
    out = StringIO()
    call_command("imports_prune", stdout=out)  # the 72-hour retention by default
    assert "deleted the files of 1 import(s)" in out.getvalue()
    assert not old.folder.exists() and fresh.folder.exists()
