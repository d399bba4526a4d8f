"""The main navigation, defined once.

An item shows only to people whose roles give its capability, and only once its feature exists: an item
whose URL name does not resolve yet (its issue has not landed) is left out rather than linking nowhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hsadmin.core.roles import perm


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    capabilities: tuple[str, ...]  # any one of them is enough
    also: str = ""  # a regular expression for the portal's pages under it (/p/<hub_id>/events/…)


NAV: tuple[NavItem, ...] = (
    NavItem(_("Events"), "events:home", ("view_events",), also=r"^/p/\d+/(events|drafts)/"),
    NavItem(_("Contacts"), "participation:contacts", ("view_contacts",), also=r"^/p/\d+/contacts/"),
    NavItem(_("Reports"), "reports:index", ("view_reports",)),
    NavItem(_("Portals"), "portals:list", ("manage_portals",)),
    NavItem(_("People"), "portals:people", ("manage_access",)),
    NavItem(_("Activity"), "activity", ("view_activity",)),
    NavItem(_("Settings"), "appsettings:index", ("manage_app_settings",)),
    NavItem(
        _("Jobs"), "jobs:list", ("change_events", "record_participation", "manage_portals", "view_reports")
    ),
)


@dataclass(frozen=True)
class NavLink:
    label: str | Promise
    url: str
    active: bool


def nav_for(request: HttpRequest) -> list[NavLink]:
    user = request.user
    if not user.is_authenticated:
        return []
    found: list[tuple[NavItem, str]] = []
    for item in NAV:
        if not any(user.has_perm(perm(c)) for c in item.capabilities):
            continue
        try:
            found.append((item, reverse(item.url_name)))
        except NoReverseMatch:
            continue
    # One item is current: the one whose URL is the longest start of this page's path (on /portals/people/,
    # People, not Portals too), or whose pattern matches a portal's page.
    path = request.path
    matches = [
        url for item, url in found if path.startswith(url) or (item.also and re.match(item.also, path))
    ]
    current = max(matches, key=len) if matches else None
    return [NavLink(item.label, url, url == current) for item, url in found]
