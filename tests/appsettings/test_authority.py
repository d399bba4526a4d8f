"""App-wide settings need app-wide authority; the tester calls only what such a person could save; the
event-details endpoint refuses a replayed call; the address guard refuses every non-global address."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from hsadmin.appsettings import fetch
from hsadmin.appsettings.forms import EventDetailsUrlForm
from hsadmin.core.models import User
from hsadmin.core.roles import APP_ADMIN, may_change_app_settings
from hsadmin.events.models import Event
from hsadmin.hubspot_client.signatures import sign_v3
from hsadmin.portals.models import Portal
from tests.appsettings.conftest import SimulatorSettings
from tests.live_simulator import LiveSimulator

pytestmark = pytest.mark.django_db

WHO = "Only superusers and members of the “App admin” group may change it"


@pytest.fixture
def portal_admin(portal_admin_user: User, portal: Portal, client: Client) -> Client:
    """A portal admin of one portal (not an app admin): may view the settings, not change them."""
    assert not may_change_app_settings(portal_admin_user)
    client.force_login(portal_admin_user)
    return client


def test_a_portal_admin_of_one_portal_sees_the_url_and_who_may_change_it_but_cannot_change_it(
    portal_admin: Client, simulator_settings: SimulatorSettings, hubspot: LiveSimulator
) -> None:
    simulator_settings.set("https://events.example.com/details/%s")
    page = portal_admin.get(reverse("appsettings:index"))
    assert page.status_code == 200
    assert "https://events.example.com/details/%s" in page.text
    assert WHO in page.text
    assert "Save in HubSpot" not in page.text and "Call it as HubSpot would" not in page.text
    refused = portal_admin.post(
        reverse("appsettings:index"), {"event_details_url": "https://evil.example/%s"}
    )
    assert refused.status_code == 403
    assert simulator_settings.get() == "https://events.example.com/details/%s"
    tested = portal_admin.post(
        reverse("appsettings:test"),
        {"test-event_details_url": "https://example.com/%s", "test-external_event_id": "x"},
    )
    assert tested.status_code == 403


@pytest.mark.parametrize("how", ["superuser", "app admin group"])
def test_superusers_and_app_admins_change_it(
    how: str,
    make_person: Callable[..., User],
    client: Client,
    simulator_settings: SimulatorSettings,
    hubspot: LiveSimulator,
) -> None:
    person = make_person("root" if how == "superuser" else "appadmin")
    if how == "superuser":
        person.is_superuser = person.is_staff = True
        person.save()
    else:
        person.groups.add(Group.objects.get(name=APP_ADMIN))
    assert may_change_app_settings(person)
    client.force_login(person)
    page = client.get(reverse("appsettings:index"))
    assert page.status_code == 200 and "Save in HubSpot" in page.text and WHO in page.text
    assert f'href="{reverse("appsettings:index")}"' in page.text  # "Settings" in the navigation
    response = client.post(reverse("appsettings:index"), {"event_details_url": "https://ok.example/%s"})
    assert response.status_code == 302
    assert simulator_settings.get() == "https://ok.example/%s"


def test_only_superusers_grant_the_app_admin_group_in_the_django_admin(
    make_person: Callable[..., User], client: Client
) -> None:
    staff = make_person("staff")
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["change_user", "view_user"]))
    client.force_login(staff)
    response = client.post(
        reverse("admin:core_user_change", args=[staff.pk]),
        {"username": "staff", "groups": [Group.objects.get(name=APP_ADMIN).pk], "is_staff": "on"},
    )
    assert response.status_code == 403
    assert not may_change_app_settings(User.objects.get(pk=staff.pk))


# The address guard ---------------------------------------------------------------------------------------

NOT_GLOBAL = [
    "https://[fec0::1]/events/%s",  # site-local: Python calls it global
    "https://169.254.169.254/latest/%s",  # cloud metadata
    "https://169.254.169.254./latest/%s",
    "https://[::ffff:169.254.169.254]/%s",
    "https://[64:ff9b::a9fe:a9fe]/%s",  # NAT64 of the metadata address
    "https://[2002:a9fe:a9fe::1]/%s",  # 6to4 of it
    "https://2852039166/%s",  # 169.254.169.254 as one number
    "https://0xa9fea9fe/%s",
    "https://0251.0376.0251.0376/%s",
    "https://10.1.2.3/%s",
    "https://100.64.0.1/%s",
    "https://[fd00::1]/%s",
    "https://[ff02::1]/%s",
    "https://224.0.0.1/%s",
    "https://0.0.0.0/%s",
    "https://127.0.0.1/%s",
    "https://localhost/%s",
    "https://metadata.google.internal/%s",
    "https://printer.local/%s",
    "https://app.localhost/%s",
]


@pytest.mark.parametrize("url", NOT_GLOBAL)
def test_the_settings_form_refuses_every_address_that_is_not_on_the_public_internet(
    url: str, settings
) -> None:
    settings.HSADMIN_ALLOW_LOOPBACK_FETCH = False
    form = EventDetailsUrlForm({"event_details_url": url})
    assert not form.is_valid()
    assert "public internet" in form.errors["event_details_url"][0]


@pytest.mark.parametrize(
    "address",
    ["fec0::1", "ff02::1", "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::1", "::ffff:10.0.0.1", "169.254.169.254"],
)
def test_the_fetch_refuses_every_non_global_address(address: str) -> None:
    with pytest.raises(fetch.FetchRefused, match="public internet"):
        fetch.check_address([ipaddress.ip_address(address)], loopback_ok=True)


def test_a_public_address_passes_the_form_and_the_fetch_check() -> None:
    assert EventDetailsUrlForm({"event_details_url": "https://93.184.216.34/%s"}).is_valid()
    assert EventDetailsUrlForm({"event_details_url": "https://[2606:4700::1111]/%s"}).is_valid()
    assert str(fetch.check_address([ipaddress.ip_address("2606:4700::1111")], loopback_ok=False))


def test_in_development_the_fetch_reaches_only_the_simulator_and_hsadmin_itself(
    settings, hubspot: LiveSimulator
) -> None:
    settings.HSADMIN_ALLOW_LOOPBACK_FETCH = True
    port = int(hubspot.base_url.rsplit(":", 1)[1])
    assert fetch.guarded_get(f"http://127.0.0.1:{port}/_simulator/health").status == 200
    assert fetch.guarded_get(f"http://127.0.0.1:{port}/_simulator/health", own_port=9).status == 200
    with pytest.raises(fetch.FetchRefused, match="simulator and hsadmin itself"):
        fetch.guarded_get("http://127.0.0.1:6379/")  # Redis, say
    with pytest.raises(fetch.FetchRefused, match="simulator and hsadmin itself"):
        fetch.guarded_get("http://127.0.0.1:6379/", own_port=8000)


# Replays ---------------------------------------------------------------------------------------------------

SECRET = "test-client-secret-0000"


def test_a_replayed_event_details_call_is_refused(
    client: Client, make_draft: Callable[..., Event], settings, hubspot: LiveSimulator
) -> None:
    settings.HUBSPOT_CLIENT_SECRET = SECRET
    settings.HUBSPOT_APP_ID = 4242
    draft = make_draft("Autumn summit")
    path = reverse("appsettings:event_details", args=[draft.external_event_id])
    path += "?" + urlencode({"appId": "4242", "externalAccountId": "hsadmin"})
    timestamp = str(int(time.time() * 1000))
    headers = {
        "X-HubSpot-Signature-v3": sign_v3(SECRET, "GET", f"http://testserver{path}", "", timestamp),
        "X-HubSpot-Request-Timestamp": timestamp,
    }
    assert client.get(path, headers=headers).status_code == 200
    assert client.get(path, headers=headers).status_code == 401
    fresh = str(int(timestamp) + 1)
    headers = {
        "X-HubSpot-Signature-v3": sign_v3(SECRET, "GET", f"http://testserver{path}", "", fresh),
        "X-HubSpot-Request-Timestamp": fresh,
    }
    assert client.get(path, headers=headers).status_code == 200  # HubSpot asking again, signed afresh


def test_a_replay_is_refused_by_another_process_too(
    client: Client, make_draft: Callable[..., Event], settings, hubspot: LiveSimulator
) -> None:
    """Each web process has its own local cache: the used signatures must live where every process looks."""
    from django.core.cache import cache

    settings.HUBSPOT_CLIENT_SECRET = SECRET
    settings.HUBSPOT_APP_ID = 4242
    draft = make_draft("Winter summit")
    path = reverse("appsettings:event_details", args=[draft.external_event_id])
    path += "?" + urlencode({"appId": "4242", "externalAccountId": "hsadmin"})
    timestamp = str(int(time.time() * 1000))
    headers = {
        "X-HubSpot-Signature-v3": sign_v3(SECRET, "GET", f"http://testserver{path}", "", timestamp),
        "X-HubSpot-Request-Timestamp": timestamp,
    }
    assert client.get(path, headers=headers).status_code == 200
    cache.clear()  # the replay reaches a process that has never seen this signature in its memory
    assert client.get(path, headers=headers).status_code == 401
