"""Secrets never show: the suite-wide scanner itself, Django's admin pages for portals, and the technical 500."""

from __future__ import annotations

import logging
import sys

import pytest
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.debug import technical_500_response

from hsadmin.core.models import User
from hsadmin.portals.models import Portal
from tests import secret_scan

pytestmark = pytest.mark.django_db

ACCESS = "CJSP5qf1KhICAQEYs-gDIIGOBii1hQIyGQAf3xBKmlwHjX7OIpuIFEavB2-qYAGQsF4"
REFRESH = "na1-6b2e-5e1c-4c2b-9b7b-0e1a8d3c2f11"


@pytest.fixture
def portal() -> Portal:
    Portal.objects.create(hub_id=4242, name="Acme Events", access_token=ACCESS, refresh_token=REFRESH)
    return Portal.objects.get(hub_id=4242)


@pytest.fixture
def secret_settings(settings: pytest.FixtureRequest) -> dict[str, str]:
    values = {
        "HUBSPOT_CLIENT_SECRET": "cs-8c4f0b5e-2a61-4d1e-9f3a-7b6d5e4c3b2a",
        "HUBSPOT_DEVELOPER_API_KEY": "dak-1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9",
    }
    for name, value in values.items():
        setattr(settings, name, value)
    return values


@pytest.mark.secrets_allowed
def test_the_scanner_knows_stored_tokens_and_secret_settings_and_finds_them_in_responses(
    portal: Portal, secret_settings: dict[str, str], rf: RequestFactory
) -> None:
    known = set(secret_scan.known_secrets().values())
    assert {ACCESS, REFRESH, *secret_settings.values()} <= known
    from django.conf import settings

    assert settings.SECRET_KEY in known and set(settings.HSADMIN_TOKEN_KEYS) <= known
    assert secret_scan.leaks(f"<p>{REFRESH}</p>") == [f"a portal token ({REFRESH[:4]}…)"]

    middleware = secret_scan.SecretScanMiddleware(lambda request: HttpResponse(f"token: {ACCESS}"))
    middleware(rf.get("/oops/"))
    assert any("/oops/" in finding for finding in secret_scan._findings)
    secret_scan._findings.clear()  # this test meant it


@pytest.mark.secrets_allowed
def test_the_scanner_reads_streamed_bodies_even_with_a_token_split_across_chunks(
    portal: Portal, rf: RequestFactory
) -> None:
    chunks = [b"contact_id,email\n", ACCESS[:10].encode(), ACCESS[10:].encode(), b"\n"]
    middleware = secret_scan.SecretScanMiddleware(lambda request: StreamingHttpResponse(iter(chunks)))
    response = middleware(rf.get("/export.csv"))
    assert b"".join(response.streaming_content) == b"".join(chunks)  # passed through untouched
    assert any("/export.csv" in finding for finding in secret_scan._findings)
    secret_scan._findings.clear()


@pytest.mark.secrets_allowed
def test_the_scanner_catches_a_token_in_a_log_record(portal: Portal) -> None:
    catcher = secret_scan._LogCatcher()
    logger = logging.getLogger("tests.security.leaky")
    logger.addHandler(catcher)
    try:
        logger.warning("refreshing with %s", REFRESH)
    finally:
        logger.removeHandler(catcher)
    assert secret_scan._report("log", catcher.texts)


def test_the_admin_shows_portals_read_only_and_never_their_tokens(
    client: Client, portal: Portal, make_person: object
) -> None:
    admin = User.objects.create_superuser("root", password="a-long-admin-password")
    client.force_login(admin)
    changelist = client.get(reverse("admin:portals_portal_changelist"))
    assert changelist.status_code == 200 and "Acme Events" in changelist.text
    change = client.get(reverse("admin:portals_portal_change", args=[portal.pk]))
    assert change.status_code == 200 and "4242" in change.text
    for page in (changelist, change):
        assert ACCESS not in page.text and REFRESH not in page.text
        assert "access_token" not in page.text and "refresh_token" not in page.text
    assert client.get(reverse("admin:portals_portal_add")).status_code == 403
    assert (
        client.post(reverse("admin:portals_portal_delete", args=[portal.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Portal.objects.filter(pk=portal.pk).exists()


def _a_failing_sync(portal: Portal) -> None:
    access_token = portal.access_token  # noqa: F841 - the locals the error page shows
    refresh_token = portal.refresh_token  # noqa: F841
    raise RuntimeError("HubSpot said no")


def _error_page(request: HttpRequest, hub_id: int) -> str:
    """The page Django's handler renders for an error in a view that held a portal (DEBUG on)."""
    try:
        _a_failing_sync(Portal.objects.get(hub_id=hub_id))
    except RuntimeError:
        return technical_500_response(request, *sys.exc_info()).content.decode()
    raise AssertionError("no error")


def test_the_technical_500_page_with_debug_on_hides_every_secret(
    settings: pytest.FixtureRequest, portal: Portal, secret_settings: dict[str, str], rf: RequestFactory
) -> None:
    settings.DEBUG = True
    page = _error_page(rf.get("/p/4242/events/", HTTP_AUTHORIZATION=f"Bearer {ACCESS}"), portal.hub_id)
    assert "HubSpot said no" in page and "_a_failing_sync" in page  # it is the real error page
    from django.conf import settings as live

    for secret in [ACCESS, REFRESH, live.SECRET_KEY, *live.HSADMIN_TOKEN_KEYS, *secret_settings.values()]:
        assert secret not in page
    for name in ("SECRET_KEY", "HUBSPOT_CLIENT_SECRET", "HUBSPOT_DEVELOPER_API_KEY", "HSADMIN_TOKEN_KEYS"):
        assert name in page  # listed, with its value masked
    assert "Secret(&#x27;********&#x27;)" in page  # the tokens in the frame's locals
