"""The three roles and what each may do (design §6).

Roles are Django groups, made by a data migration. Each capability is a permission on the `core.Access`
model (a model with no table, so the permissions have a home); views and templates ask for capabilities,
never for group names, so a person with two roles simply has both sets.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    MARKETING = "Marketing"
    PORTAL_ADMIN = "Portal admin"
    MANAGER = "Manager"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.MARKETING: _("Marketing"),
    Role.PORTAL_ADMIN: _("Portal admin"),
    Role.MANAGER: _("Manager"),
}
# For model and form choices: the labels stay lazy, so each person reads them in their own language.
ROLE_CHOICES = [(role.value, ROLE_LABELS[role]) for role in Role]


def role_label(name: str) -> str:
    """A role's name (a group's name) in the active language; a group that is not a role keeps its name."""
    return Role(name).label if name in Role else name


# Capability codenames (permissions on core.Access) with the sentence the admin shows for each.
CAPABILITIES: dict[str, str] = {
    "view_events": "Browse marketing events and their participation",
    "change_events": "Create, edit, cancel, complete and delete marketing events",
    "record_participation": "Record registrations, attendance and cancellations, and import CSVs",
    "change_lists": "Tie HubSpot lists to events",
    "view_contacts": "See a contact's history across events",
    "view_reports": "Read reports and export them",
    "manage_portals": "Connect, reconnect and disconnect HubSpot portals",
    "manage_app_settings": "Change the app's settings, such as the event-details URL",
    "manage_access": "Grant people access to portals",
    "view_activity": "Read the activity (audit) log",
}

ROLE_CAPABILITIES: dict[Role, tuple[str, ...]] = {
    Role.MARKETING: (
        "view_events",
        "change_events",
        "record_participation",
        "change_lists",
        "view_contacts",
    ),
    Role.PORTAL_ADMIN: ("manage_portals", "manage_app_settings", "manage_access", "view_activity"),
    Role.MANAGER: ("view_events", "view_contacts", "view_reports"),
}


# App-wide authority (design §6): the app's settings, such as eventDetailsUrl, are one per HubSpot app and so
# reach every connected portal. They are changed by superusers and by members of this group, which only a
# superuser grants (in the Django admin, where only superusers may edit people). A portal admin may view them.
APP_ADMIN = "App admin"


def may_change_app_settings(user: object) -> bool:
    """Whether this person may change (and test) the app-wide settings: a superuser or an App admin."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    groups = getattr(user, "groups", None)
    return groups is not None and groups.filter(name=APP_ADMIN).exists()


def sync_roles(*, using: str = "default") -> None:
    """Make the role groups hold exactly their capabilities (idempotent).

    The data migration made the roles; this runs after every `migrate` (and after a test flush), so the groups
    follow ROLE_CAPABILITIES when a later change adds a capability, and are never missing.
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    create_permissions(apps.get_app_config("core"), verbosity=0, using=using)
    for role, capabilities in ROLE_CAPABILITIES.items():
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        group.permissions.set(
            Permission.objects.using(using).filter(content_type__app_label="core", codename__in=capabilities)
        )
    # The App admin group reaches the settings page (the capability portal admins have, to read it); what lets
    # its members change the settings is the group itself (may_change_app_settings).
    app_admin, _ = Group.objects.using(using).get_or_create(name=APP_ADMIN)
    app_admin.permissions.set(
        Permission.objects.using(using).filter(content_type__app_label="core", codename="manage_app_settings")
    )


def perm(capability: str) -> str:
    """The full permission name Django checks, e.g. `core.view_events`."""
    if capability not in CAPABILITIES:
        raise KeyError(f"Unknown capability {capability!r}")
    return f"core.{capability}"
