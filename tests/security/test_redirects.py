"""The bulk form's `next`: only same-site paths are followed; anything else falls back to the event list."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hsadmin.core.models import User
from hsadmin.core.roles import Role
from hsadmin.portals.models import Membership, Portal

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(marketing_user: User) -> Portal:
    portal = Portal.objects.create(hub_id=601, name="Acme", status="connected")
    Membership.objects.create(user=marketing_user, portal=portal, role=Role.MARKETING.value)
    return portal


@pytest.fixture
def client_in(marketing_user: User, acme: Portal) -> Client:
    client = Client()
    client.force_login(marketing_user)
    return client


ELSEWHERE = [
    "https://evil.example/x",
    "//evil.example/x",
    "/\\evil.example/x",
    "\\\\evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http://testserver.evil.example/",
    "https:evil.example",
]


@pytest.mark.parametrize("htmx", [False, True], ids=["form", "HTMX"])
@pytest.mark.parametrize("target", ELSEWHERE)
def test_the_bulk_form_follows_no_next_off_the_site(
    client_in: Client, acme: Portal, target: str, htmx: bool
) -> None:
    headers = {"HX-Request": "true"} if htmx else {}
    response = client_in.post(
        reverse("events:bulk", args=[acme.hub_id]), {"action": "cancel", "next": target}, headers=headers
    )
    location = response.headers.get("HX-Redirect" if htmx else "Location", "")
    assert response.status_code == 200 if htmx else 302
    assert location == reverse("events:list", args=[acme.hub_id])


def test_the_bulk_form_follows_a_same_site_path(client_in: Client, acme: Portal) -> None:
    here = reverse("events:list", args=[acme.hub_id]) + "?q=webinar&page=2"
    response = client_in.post(reverse("events:bulk", args=[acme.hub_id]), {"action": "cancel", "next": here})
    assert response.status_code == 302 and response["Location"] == here


def test_an_unknown_bulk_action_is_a_clear_error(client_in: Client, acme: Portal) -> None:
    response = client_in.post(
        reverse("events:bulk", args=[acme.hub_id]), {"action": "explode", "object_ids": ["1"]}, follow=True
    )
    assert response.status_code == 200
    assert "“explode” is not a bulk action" in response.text
