from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from hsadmin.portals.selectors import current_portal, portal_list


def portals(request: HttpRequest) -> dict[str, Any]:
    """The portal switcher's data; queried only if the page uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    mine = SimpleLazyObject(lambda: list(portal_list(user=user).only("hub_id", "name", "status")))
    return {
        "current_portal": SimpleLazyObject(lambda: current_portal(user=user, portals=list(mine))),
        "my_portals": mine,
    }
