from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from hsadmin.core.models import AuditEntry, User
from hsadmin.core.roles import Role
from hsadmin.portals.models import Membership, Portal
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours(portal_admin_user: User) -> Portal:
    portal = Portal.objects.create(hub_id=111, name="Ours", status="connected")
    Membership.objects.create(user=portal_admin_user, portal=portal, role=Role.PORTAL_ADMIN.value)
    return portal


@pytest.fixture
def theirs() -> Portal:
    return Portal.objects.create(hub_id=222, name="Theirs", status="connected")


def test_a_portal_admin_grants_access_and_the_person_then_sees_the_portal(
    ours: Portal, portal_admin_user: User, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    response = signed_in(portal_admin_user).post(
        reverse("portals:people"),
        {"grant-user": "mara", "grant-portal": "111", "grant-role": Role.MARKETING.value},
        follow=True,
    )
    assert "Mara now has access to Ours as Marketing." in response.text
    assert Membership.objects.get(user=marketing_user, portal=ours).role == Role.MARKETING.value
    entry = AuditEntry.objects.get(action="access.grant")
    assert (entry.actor, entry.portal, entry.target) == (portal_admin_user, ours, "mara")


def test_granting_on_a_portal_you_do_not_administer_is_refused_with_a_message(
    ours: Portal,
    theirs: Portal,
    portal_admin_user: User,
    marketing_user: User,
    signed_in: Callable[[User], Client],
) -> None:
    response = signed_in(portal_admin_user).post(
        reverse("portals:people"), {"grant-user": "mara", "grant-portal": "222", "grant-role": "Marketing"}
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.text
    assert not Membership.objects.filter(portal=theirs).exists()


def test_a_bad_role_is_refused(
    ours: Portal, portal_admin_user: User, marketing_user: User, client: Client
) -> None:
    client.force_login(portal_admin_user)
    response = client.post(
        reverse("portals:people"), {"grant-user": "mara", "grant-portal": "111", "grant-role": "Overlord"}
    )
    assert response.status_code == 422
    assert not Membership.objects.filter(user=marketing_user).exists()


def test_removing_access_asks_first_and_is_audited(
    ours: Portal, portal_admin_user: User, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    membership = Membership.objects.create(user=marketing_user, portal=ours, role=Role.MARKETING.value)
    client = signed_in(portal_admin_user)
    page = client.get(reverse("portals:people")).text
    assert 'data-confirm="Remove Mara\'s access to Ours?"' in page
    client.post(reverse("portals:membership_revoke", args=[membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.filter(action="access.revoke", target="mara").exists()


def test_the_only_admin_cannot_remove_their_own_access(
    ours: Portal, portal_admin_user: User, signed_in: Callable[[User], Client]
) -> None:
    own = Membership.objects.get(user=portal_admin_user, portal=ours)
    response = signed_in(portal_admin_user).post(
        reverse("portals:membership_revoke", args=[own.pk]), follow=True
    )
    assert "only admin" in response.text
    assert Membership.objects.filter(pk=own.pk).exists()


def test_another_portals_membership_is_a_404(
    ours: Portal, theirs: Portal, portal_admin_user: User, marketing_user: User, client: Client
) -> None:
    foreign = Membership.objects.create(user=marketing_user, portal=theirs, role=Role.MARKETING.value)
    client.force_login(portal_admin_user)
    assert client.post(reverse("portals:membership_revoke", args=[foreign.pk])).status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_the_portal_switcher_remembers_the_choice_and_refuses_other_portals(
    ours: Portal, theirs: Portal, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    third = Portal.objects.create(hub_id=333, name="Third", status="connected")
    for portal in (ours, third):
        Membership.objects.create(user=marketing_user, portal=portal, role=Role.MARKETING.value)
    client = signed_in(marketing_user)
    client.post(reverse("portals:switch"), {"portal": "333", "next": "/me/preferences/"})
    marketing_user.refresh_from_db()
    assert marketing_user.current_portal == third
    assert '<option value="333" selected>Third</option>' in client.get(reverse("home")).text
    response = client.post(reverse("portals:switch"), {"portal": "222", "next": "https://evil.example/"})
    assert response.url == "/"
    marketing_user.refresh_from_db()
    assert marketing_user.current_portal == third


def test_sign_ins_and_failures_are_in_the_activity_log(
    ours: Portal, portal_admin_user: User, marketing_user: User, client: Client
) -> None:
    client.post(reverse("login"), {"username": "mara", "password": "wrong"})
    client.post(reverse("login"), {"username": "mara", "password": PASSWORD})
    assert AuditEntry.objects.filter(action="auth.sign_in_failed", target="mara", outcome="denied").exists()
    assert AuditEntry.objects.filter(action="auth.sign_in", actor=marketing_user).exists()
    client.force_login(portal_admin_user)
    page = client.get(reverse("activity"), {"action": "sign_in_failed"}).text
    assert "auth.sign_in_failed" in page and "auth.sign_in<" not in page
    # In words, with the code kept for copying.
    assert '<span title="auth.sign_in_failed">Sign-in failed</span>' in page


def test_the_activity_log_filters_by_portal_and_shows_only_administered_portals(
    ours: Portal, theirs: Portal, portal_admin_user: User, client: Client
) -> None:
    from hsadmin.core.audit import audit_record

    audit_record(action="event.update", portal=ours, target="our-event")
    audit_record(action="event.update", portal=theirs, target="their-event")
    client.force_login(portal_admin_user)
    page = client.get(reverse("activity")).text
    assert "our-event" in page and "their-event" not in page
    # The portal filter names the portals the person administers, and only those.
    assert f'<option value="{ours.hub_id}">{ours.name}</option>' in page
    assert f'<option value="{theirs.hub_id}">' not in page
    fragment = client.get(reverse("activity"), {"portal": "111"}, headers={"HX-Request": "true"})
    assert "our-event" in fragment.text and "<html" not in fragment.text


def test_a_backwards_date_range_is_explained(portal_admin_user: User, client: Client) -> None:
    client.force_login(portal_admin_user)
    page = client.get(reverse("activity"), {"since": "2026-02-01", "until": "2026-01-01"}).text
    assert "“From” must be on or before “To”." in page


def test_a_long_activity_log_is_numbered_page_by_page(portal_admin_user: User, client: Client) -> None:
    """Plain pages (not the event list's keyset pages) keep their numbers and Previous/Next links."""
    acme = Portal.objects.create(hub_id=5, name="Acme", status="connected")
    Membership.objects.create(user=portal_admin_user, portal=acme, role=Role.PORTAL_ADMIN.value)
    AuditEntry.objects.bulk_create(
        AuditEntry(actor_name="mara", portal=acme, portal_name="Acme", action="event.update", target=f"E{i}")
        for i in range(60)
    )
    client.force_login(portal_admin_user)
    first = client.get(reverse("activity"), {"person": "mara"}).text
    assert "Page 1 of 2" in first and 'rel="next"' in first and "Earlier" not in first
    second = client.get(reverse("activity"), {"person": "mara", "page": 2}).text
    assert "Page 2 of 2" in second and 'rel="prev"' in second
