"""The portal page says which HubSpot API version is in use, and warns with HubSpot's dates on a legacy one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from hsadmin.core.models import User
from hsadmin.core.roles import Role
from hsadmin.portals.models import Membership, Portal

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours(portal_admin_user: User) -> Portal:
    portal = Portal.objects.create(hub_id=111, name="Ours", status="connected")
    Membership.objects.create(user=portal_admin_user, portal=portal, role=Role.PORTAL_ADMIN.value)
    return portal


def test_the_current_version_is_shown_without_a_warning(
    ours: Portal, portal_admin_user: User, signed_in: Callable[[User], Client], settings
) -> None:
    settings.HUBSPOT_API_VERSION = "2026-09"
    page = signed_in(portal_admin_user).get(reverse("portals:detail", args=[111]))
    assert page.status_code == 200 and ">2026-09<" in page.text
    assert "September 2027" not in page.text


def test_the_legacy_v3_shows_when_hubspot_stops_supporting_it_and_its_oauth(
    ours: Portal, portal_admin_user: User, signed_in: Callable[[User], Client], settings
) -> None:
    settings.HUBSPOT_API_VERSION = "v3"
    page = signed_in(portal_admin_user).get(reverse("portals:detail", args=[111]))
    assert ">v3<" in page.text
    assert "September 2027" in page.text and "16 February 2027" in page.text


def test_hsadmin_defaults_to_the_current_api_version() -> None:
    import subprocess
    import sys

    code = (
        "from django.conf import settings; import django; django.setup(); print(settings.HUBSPOT_API_VERSION)"
    )
    env = {"DJANGO_SETTINGS_MODULE": "hsadmin.settings", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.strip() == "2026-09"
