"""Reads about portals and who may see them. Every view and job asks here; nothing else decides access."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, QuerySet, Value
from django.http import Http404
from django.shortcuts import get_object_or_404

from hsadmin.core.models import User
from hsadmin.core.roles import ROLE_CAPABILITIES, Role
from hsadmin.portals.models import Membership, Portal


def portal_list(*, user: User) -> QuerySet[Portal]:
    """The portals this person may see: those they are a member of (superusers see all).

    Each portal carries `my_role`, the person's role there (one membership per portal, so no duplicates).
    """
    if user.is_superuser:
        return Portal.objects.annotate(my_role=Value(Role.PORTAL_ADMIN.value))
    return Portal.objects.filter(memberships__user=user).annotate(my_role=F("memberships__role"))


def portal_get(*, user: User, hub_id: int | str) -> Portal:
    """One of this person's portals, or 404 (another portal's object is never revealed as existing)."""
    try:
        return portal_list(user=user).get(hub_id=int(hub_id))
    except (Portal.DoesNotExist, ValueError, TypeError):
        raise Http404("No such portal") from None


def portal_role(*, user: User, portal: Portal) -> Role | None:
    if user.is_superuser:
        return Role.PORTAL_ADMIN
    role = getattr(portal, "my_role", None)  # set by portal_list/portal_get: no query
    if role is None:
        role = Membership.objects.filter(user=user, portal=portal).values_list("role", flat=True).first()
    return Role(role) if role else None


def can(*, user: User, portal: Portal, capability: str) -> bool:
    """May this person do `capability` on this portal? Their role there decides, never a global group alone."""
    if user.is_superuser:
        return True
    role = portal_role(user=user, portal=portal)
    return role is not None and capability in ROLE_CAPABILITIES[role]


def current_portal(*, user: User, portals: list[Portal] | None = None) -> Portal | None:
    """The portal this person last chose (if still theirs), else their first one."""
    portals = list(portal_list(user=user)) if portals is None else portals
    chosen = next((p for p in portals if p.pk == user.current_portal_id), None)
    return chosen or (portals[0] if portals else None)


def api_version_notices(version: str) -> list[str]:
    """What a portal admin should know about the configured HubSpot API version (HubSpot's published dates)."""
    from django.utils.translation import gettext as _

    if version != "v3":
        return []
    return [
        _(
            "hsadmin is set to HubSpot's legacy v3 API, which HubSpot stops supporting in September 2027. "
            "Set HUBSPOT_API_VERSION=2026-09 to use the current version."
        ),
        _(
            "With v3, hsadmin also uses OAuth v1, which HubSpot deprecates from 16 February 2027; 2026-09 uses "
            "the OAuth routes of the same version."
        ),
    ]


def admin_portal_list(*, user: User) -> QuerySet[Portal]:
    """The portals where this person is a portal admin (superusers: all)."""
    portals = portal_list(user=user)
    if user.is_superuser:
        return portals
    return portals.filter(memberships__user=user, memberships__role=Role.PORTAL_ADMIN.value)


def membership_list(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[Membership]:
    """Who has access to the portals this person administers, searched by name, ordered by person then portal."""
    memberships = Membership.objects.filter(portal__in=admin_portal_list(user=user)).select_related(
        "user", "portal", "granted_by"
    )
    if query := (filters or {}).get("q"):
        memberships = memberships.filter(
            Q(user__username__icontains=query)
            | Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
        )
    return memberships.order_by("user__username", "portal__name")


def membership_get(*, user: User, pk: int) -> Membership:
    """One membership of a portal this person administers, else 404."""
    return get_object_or_404(
        Membership.objects.select_related("user", "portal"), pk=pk, portal__in=admin_portal_list(user=user)
    )
