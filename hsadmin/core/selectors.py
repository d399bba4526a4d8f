"""Reads for core's pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from hsadmin.core.models import AuditEntry, User
from hsadmin.core.roles import Role


def audit_entry_list(*, user: User, filters: dict[str, Any]) -> QuerySet[AuditEntry]:
    """The activity a person may read: entries of the portals they administer, and portal-less security
    events (sign-ins); superusers read everything."""
    entries = AuditEntry.objects.all()
    if not user.is_superuser:
        admin_of = user.memberships.filter(role=Role.PORTAL_ADMIN.value).values("portal_id")
        entries = entries.filter(Q(portal__in=admin_of) | Q(portal__isnull=True, portal_name=""))
    if filters.get("person"):
        entries = entries.filter(actor_name__icontains=filters["person"])
    if filters.get("portal"):
        entries = entries.filter(portal__hub_id=filters["portal"])
    if filters.get("action"):
        entries = entries.filter(action__icontains=filters["action"])
    zone = timezone.get_current_timezone()
    if filters.get("since"):
        entries = entries.filter(at__gte=dt.datetime.combine(filters["since"], dt.time.min, tzinfo=zone))
    if filters.get("until"):
        entries = entries.filter(
            at__lt=dt.datetime.combine(filters["until"] + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        )
    return entries.order_by("-at", "-id")


def activity_portals(*, user: User) -> list[tuple[int, str]]:
    """The portals whose activity the person reads (hub ID, name), for the activity log's filter."""
    if user.is_superuser:
        portal_model = AuditEntry._meta.get_field("portal").related_model
        assert isinstance(portal_model, type)  # the foreign key's model class (core names no portal module)
        rows = portal_model._default_manager.order_by("name").values_list("hub_id", "name")
        return list(rows)
    memberships = user.memberships.filter(role=Role.PORTAL_ADMIN.value).order_by("portal__name")
    return list(memberships.values_list("portal__hub_id", "portal__name"))
