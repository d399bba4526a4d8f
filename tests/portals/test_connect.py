"""Connecting a portal through OAuth, against the live simulator's consent page and token endpoint."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from hsadmin.core.models import AuditEntry, User
from hsadmin.core.roles import Role
from hsadmin.portals.models import REQUIRED_SCOPES, Membership, Portal, PortalStatus
from tests.live_simulator import LiveSimulator
from tests.portals.conftest import callback_path, consent

pytestmark = pytest.mark.django_db


def _start(client: Client) -> str:
    response = client.get(reverse("portals:connect"))
    assert response.status_code == 302
    return response["Location"]


def test_connect_sends_the_admin_to_authorize_with_scopes_state_and_pkce(
    hubspot: LiveSimulator, signed_in: Callable[[User], Client], portal_admin_user: User
) -> None:
    url = _start(signed_in(portal_admin_user))
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert url.startswith(f"{hubspot.base_url}/oauth/authorize?")
    assert params["client_id"] == hubspot.app["client_id"]
    assert params["redirect_uri"] == "http://testserver/portals/callback/"
    assert set(params["scope"].split(" ")) == set(REQUIRED_SCOPES)
    assert len(params["state"]) >= 32
    assert params["code_challenge_method"] == "S256" and params["code_challenge"]


def test_a_portal_admin_connects_the_demo_portal_and_lands_on_its_health_page(
    hubspot: LiveSimulator, signed_in: Callable[[User], Client], portal_admin_user: User
) -> None:
    client = signed_in(portal_admin_user)
    location = consent(hubspot, _start(client), hub_id=hubspot.hub_id)
    response = client.get(callback_path(location), follow=True)
    assert response.status_code == 200
    portal = Portal.objects.get(hub_id=hubspot.hub_id)
    assert response.redirect_chain[-1][0] == reverse("portals:detail", args=[portal.hub_id])
    assert portal.status == PortalStatus.CONNECTED
    assert portal.app_id == hubspot.app_id
    assert set(REQUIRED_SCOPES) <= set(portal.scopes)
    assert portal.token_expires_at is not None
    assert Membership.objects.get(user=portal_admin_user, portal=portal).role == Role.PORTAL_ADMIN.value
    assert AuditEntry.objects.filter(action="portal.connect", outcome="success", portal=portal).exists()
    assert "is connected" in response.text
    # The token works against HubSpot (the simulator): the health page shows no missing scope.
    assert "missing: reauthorize" not in response.text


def test_tokens_are_not_readable_in_the_raw_database_row(
    hubspot: LiveSimulator, signed_in: Callable[[User], Client], portal_admin_user: User
) -> None:
    client = signed_in(portal_admin_user)
    client.get(callback_path(consent(hubspot, _start(client), hub_id=hubspot.hub_id)))
    portal = Portal.objects.get(hub_id=hubspot.hub_id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT access_token, refresh_token FROM portals_portal WHERE id = %s", [portal.pk])
        raw_access, raw_refresh = cursor.fetchone()
    assert str(portal.access_token) not in raw_access and str(portal.refresh_token) not in raw_refresh
    assert raw_access.startswith("gAAAAA")  # a Fernet token
    assert "*****" in repr(portal.access_token) and str(portal.access_token) not in repr(portal)


def test_denying_on_the_consent_page_explains_and_connects_nothing(
    hubspot: LiveSimulator, signed_in: Callable[[User], Client], portal_admin_user: User
) -> None:
    client = signed_in(portal_admin_user)
    location = consent(hubspot, _start(client), hub_id=hubspot.hub_id, decision="deny")
    assert "error=access_denied" in location
    response = client.get(callback_path(location))
    assert response.status_code == 400
    assert "The connection was cancelled in HubSpot." in response.text
    assert not Portal.objects.exists()


@pytest.mark.parametrize("state", ["forged-state-value", ""])
def test_a_forged_or_missing_state_is_refused(
    hubspot: LiveSimulator, signed_in: Callable[[User], Client], portal_admin_user: User, state: str
) -> None:
    client = signed_in(portal_admin_user)
    location = consent(hubspot, _start(client), hub_id=hubspot.hub_id)
    params = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    response = client.get(reverse("portals:callback"), {"code": params["code"], "state": state})
    assert response.status_code == 400
    assert "not one hsadmin started for you" in response.text
    assert not Portal.objects.exists()


def test_a_stale_state_from_an_earlier_attempt_is_refused(
    hubspot: LiveSimulator, signed_in: Callable[[User], Client], portal_admin_user: User
) -> None:
    client = signed_in(portal_admin_user)
    first = consent(hubspot, _start(client), hub_id=hubspot.hub_id)
    _start(client)  # a second attempt replaces the first one's state
    response = client.get(callback_path(first))
    assert response.status_code == 400
    assert not Portal.objects.exists()


def test_a_bad_code_is_refused_with_hubspots_reference(
    hubspot: LiveSimulator, signed_in: Callable[[User], Client], portal_admin_user: User
) -> None:
    client = signed_in(portal_admin_user)
    location = consent(hubspot, _start(client), hub_id=hubspot.hub_id)
    params = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    response = client.get(reverse("portals:callback"), {"code": "not-a-real-code", "state": params["state"]})
    assert response.status_code == 400
    assert "HubSpot refused the authorization code." in response.text
    assert "HubSpot's reference for this error" in response.text
    assert (
        AuditEntry.objects.filter(action="portal.connect", outcome="failure")
        .exclude(correlation_id="")
        .exists()
    )


def test_a_code_used_twice_is_refused_the_second_time(
    hubspot: LiveSimulator, signed_in: Callable[[User], Client], portal_admin_user: User
) -> None:
    client = signed_in(portal_admin_user)
    location = consent(hubspot, _start(client), hub_id=hubspot.hub_id)
    pending = dict(client.session["hsadmin.oauth"])
    assert client.get(callback_path(location)).status_code == 302
    # Even with the same state put back, HubSpot's code is single-use.
    session = client.session
    session["hsadmin.oauth"] = pending
    session.save()
    response = client.get(callback_path(location))
    assert response.status_code == 400
    assert "HubSpot refused the authorization code." in response.text


def test_missing_scopes_are_named_and_nothing_is_connected(
    hubspot: LiveSimulator, signed_in: Callable[[User], Client], portal_admin_user: User
) -> None:
    client = signed_in(portal_admin_user)
    url = _start(client).replace("crm.lists.read%20", "")
    location = consent(hubspot, url, hub_id=hubspot.hub_id)
    response = client.get(callback_path(location))
    assert response.status_code == 400
    assert "crm.lists.read" in response.text
    assert not Portal.objects.exists()


def test_a_hub_already_connected_by_another_app_is_refused(
    hubspot: LiveSimulator, signed_in: Callable[[User], Client], portal_admin_user: User
) -> None:
    Portal.objects.create(
        hub_id=hubspot.hub_id, name="Theirs", app_id=hubspot.other_app_id, status="connected"
    )
    client = signed_in(portal_admin_user)
    response = client.get(callback_path(consent(hubspot, _start(client), hub_id=hubspot.hub_id)))
    assert response.status_code == 400
    assert "already connected through another HubSpot app" in response.text
    assert Portal.objects.get(hub_id=hubspot.hub_id).app_id == hubspot.other_app_id


def test_only_portal_admins_may_connect(
    hubspot: LiveSimulator, signed_in: Callable[[User], Client], marketing_user: User
) -> None:
    assert signed_in(marketing_user).get(reverse("portals:connect")).status_code == 403
    assert signed_in(marketing_user).get(reverse("portals:callback")).status_code == 403
