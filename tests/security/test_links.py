"""A URL synced from HubSpot is a link only when it is http or https; anything else is shown as text."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hsadmin.core.models import User
from hsadmin.core.roles import Role
from hsadmin.events.models import Event
from hsadmin.portals.models import Membership, Portal

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(manager_user: User) -> Portal:
    portal = Portal.objects.create(hub_id=701, name="Acme", status="connected")
    Membership.objects.create(user=manager_user, portal=portal, role=Role.MANAGER.value)
    return portal


def _detail(client: Client, portal: Portal, url: str) -> str:
    event = Event.objects.create(portal=portal, object_id="1", name="Webinar", url=url)
    return client.get(reverse("events:detail", args=[portal.hub_id, event.object_id])).text


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.domain)",
        "JAVASCRIPT:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "//evil.example/",
        "ftp://files.example/x",
    ],
)
def test_a_url_that_is_not_http_is_shown_as_text_not_as_a_link(
    acme: Portal, manager_user: User, client: Client, url: str
) -> None:
    client.force_login(manager_user)
    page = _detail(client, acme, url)
    assert "Webinar" in page
    assert 'rel="noopener noreferrer"' not in page  # the event page's link
    assert 'href="javascript' not in page.lower() and 'href="data' not in page.lower()
    assert "Event page" in page and url.strip()[:10] in page  # still shown, as text


@pytest.mark.parametrize(
    "url", ["https://example.com/webinar?a=1&b=2", "http://example.com/x", "HTTPS://Example.com"]
)
def test_an_http_or_https_url_is_a_link(acme: Portal, manager_user: User, client: Client, url: str) -> None:
    client.force_login(manager_user)
    page = _detail(client, acme, url)
    assert 'rel="noopener noreferrer"' in page
