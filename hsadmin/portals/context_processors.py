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
    match = getattr(request, "resolver_match", None)
    shown = match.kwargs.get("hub_id") if match else None

    def current() -> Any:
        # On a portal's own page (/p/<hub_id>/…) the switcher names that portal, whatever was chosen before.
        on_page = next((p for p in mine if p.hub_id == shown), None) if shown is not None else None
        return on_page or current_portal(user=user, portals=list(mine))

    return {"current_portal": SimpleLazyObject(current), "my_portals": mine}
