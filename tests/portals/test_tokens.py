"""Tokens at rest, refresh (single-flight across processes), needs-reconnect, key rotation, disconnect."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hsadmin.core.models import AuditEntry, User
from hsadmin.core.roles import Role
from hsadmin.portals.hubspot import PortalNotConnected, hubspot_client_for
from hsadmin.portals.models import Portal, PortalStatus
from tests.live_simulator import LiveSimulator

ROOT = Path(__file__).resolve().parents[2]


def _expire(portal: Portal) -> None:
    Portal.objects.filter(pk=portal.pk).update(token_expires_at=timezone.now() + timedelta(seconds=30))
    portal.refresh_from_db()


@pytest.mark.django_db
def test_a_token_about_to_expire_is_refreshed_before_the_call_and_kept(
    make_portal: Callable[..., Portal], marketing_user: User, hubspot: LiveSimulator
) -> None:
    portal = make_portal((marketing_user, Role.MARKETING))
    old_access = str(portal.access_token)
    _expire(portal)
    events = hubspot_client_for(portal).list_events_page(limit=1)
    assert events is not None
    portal.refresh_from_db()
    assert str(portal.access_token) != old_access
    assert portal.token_expires_at > timezone.now() + timedelta(minutes=20)
    assert portal.token_refreshed_at is not None


@pytest.mark.django_db
def test_a_refresh_hubspot_refuses_for_good_marks_the_portal_needs_reconnecting(
    make_portal: Callable[..., Portal], marketing_user: User, hubspot: LiveSimulator, client: Client
) -> None:
    portal = make_portal((marketing_user, Role.MARKETING))
    Portal.objects.filter(pk=portal.pk).update(
        token_expires_at=timezone.now() - timedelta(seconds=5), refresh_token=None
    )
    portal.refresh_from_db()
    portal.refresh_token = "revoked-or-unknown-refresh-token"
    portal.save()
    with pytest.raises(Exception):  # noqa: B017 - the client's OAuth error
        hubspot_client_for(portal).list_events_page(limit=1)
    portal.refresh_from_db()
    assert portal.status == PortalStatus.NEEDS_RECONNECT
    assert AuditEntry.objects.filter(
        action="portal.refresh_failed", portal=portal, outcome="failure"
    ).exists()
    with pytest.raises(PortalNotConnected):
        hubspot_client_for(portal)
    client.force_login(marketing_user)
    page = client.get(reverse("home")).text
    assert "Work on it is paused until a portal admin reconnects it." in page


def test_several_processes_refreshing_at_once_cause_exactly_one_refresh(
    tmp_path: Path, live_simulator: LiveSimulator
) -> None:
    """Four processes share one file database and one nearly-expired portal; each makes a call at once."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "HSADMIN_DATA_DIR": str(tmp_path),
        "HUBSPOT_API_BASE": live_simulator.base_url,
        "HUBSPOT_AUTH_BASE": live_simulator.base_url,
        "HUBSPOT_APP_ID": str(live_simulator.app_id),
        "HUBSPOT_CLIENT_ID": live_simulator.app["client_id"],
        "HUBSPOT_CLIENT_SECRET": live_simulator.app["client_secret"],
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, timeout=120)  # noqa: S603
    tokens = live_simulator.control.token(live_simulator.hub_id, live_simulator.app_id)
    setup = (
        "from datetime import timedelta; from django.utils import timezone; "
        "from hsadmin.portals.models import Portal; "
        f"Portal.objects.create(hub_id={live_simulator.hub_id}, name='P', status='connected', "
        f"access_token='{tokens['access_token']}', refresh_token='{tokens['refresh_token']}', "
        "token_expires_at=timezone.now() + timedelta(seconds=20))"
    )
    subprocess.run([*manage, "shell", "-c", setup], env=env, check=True, timeout=60)  # noqa: S603
    call = (
        "import time; from hsadmin.portals.models import Portal; "
        "from hsadmin.portals.hubspot import hubspot_client_for; "
        f"p = Portal.objects.get(hub_id={live_simulator.hub_id}); "
        "time.sleep(max(0, float(__import__('os').environ['GO_AT']) - time.time())); "
        "hubspot_client_for(p).list_events_page(limit=1); print('ok')"
    )
    before = live_simulator.control.stats()
    env["GO_AT"] = str(time.time() + 3)
    procs = [
        subprocess.Popen([*manage, "shell", "-c", call], env=env, stdout=subprocess.PIPE, text=True)  # noqa: S603
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=90)[0] for p in procs]
    assert all("ok" in out for out in outputs), outputs
    after = live_simulator.control.stats()
    assert _refreshes(after) - _refreshes(before) == 1


def _refreshes(stats: dict) -> int:
    """Calls to the simulator's OAuth endpoints: in this test only refreshes reach them."""
    return int(stats["by_family"].get("oauth", 0))


@pytest.mark.django_db
def test_rotating_keys_keeps_every_portal_working(
    make_portal: Callable[..., Portal], marketing_user: User, settings: pytest.FixtureRequest
) -> None:
    portal = make_portal((marketing_user, Role.MARKETING))
    secret = str(portal.refresh_token)
    old_keys = list(settings.HSADMIN_TOKEN_KEYS)
    settings.HSADMIN_TOKEN_KEYS = [Fernet.generate_key().decode(), *old_keys]
    out = StringIO()
    call_command("rotate_token_keys", stdout=out)
    assert "1 portal" in out.getvalue()
    settings.HSADMIN_TOKEN_KEYS = settings.HSADMIN_TOKEN_KEYS[:1]  # the old key is gone now
    portal.refresh_from_db()
    assert str(portal.refresh_token) == secret
    assert hubspot_client_for(portal).list_events_page(limit=1) is not None
    assert AuditEntry.objects.filter(action="security.rotate_token_keys").exists()


@pytest.mark.django_db
def test_disconnect_asks_first_then_revokes_at_hubspot_and_forgets_the_tokens(
    make_portal: Callable[..., Portal],
    portal_admin_user: User,
    signed_in: Callable[[User], Client],
    hubspot: LiveSimulator,
) -> None:
    portal = make_portal((portal_admin_user, Role.PORTAL_ADMIN))
    refresh_token = str(portal.refresh_token)
    client = signed_in(portal_admin_user)
    confirm = client.get(reverse("portals:disconnect", args=[portal.hub_id]))
    assert "Disconnect Portal" in confirm.text and Portal.objects.get(pk=portal.pk).refresh_token
    response = client.post(reverse("portals:disconnect", args=[portal.hub_id]), {}, follow=True)
    assert "is disconnected" in response.text
    portal.refresh_from_db()
    assert portal.status == PortalStatus.DISCONNECTED
    assert portal.access_token is None and portal.refresh_token is None
    info = hubspot.control.http.get(f"{hubspot.base_url}/oauth/v1/refresh-tokens/{refresh_token}")
    assert info.status_code != 200  # revoked at HubSpot


@pytest.mark.django_db
def test_disconnect_with_purge_forgets_the_portal(
    make_portal: Callable[..., Portal], portal_admin_user: User, signed_in: Callable[[User], Client]
) -> None:
    portal = make_portal((portal_admin_user, Role.PORTAL_ADMIN))
    signed_in(portal_admin_user).post(reverse("portals:disconnect", args=[portal.hub_id]), {"purge": "on"})
    assert not Portal.objects.filter(pk=portal.pk).exists()
    assert AuditEntry.objects.filter(action="portal.purge", portal_name=portal.name).exists()
