"""Access checks, in one place (design §3, rule 2): views declare what they need; nothing is copied per view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBase

from hsadmin.core.exceptions import SendElsewhere
from hsadmin.core.htmx import after_write
from hsadmin.core.http import AuthenticatedHttpRequest
from hsadmin.core.roles import perm
from hsadmin.portals.selectors import can, portal_get

View = Callable[..., HttpResponseBase]


def capability_required(capability: str) -> Callable[[View], View]:
    """The person's roles (on any portal, or their groups) include this capability, else 403."""
    return permission_required(perm(capability), raise_exception=True)


def portal_required(capability: str) -> Callable[[View], View]:
    """The URL's `hub_id` is one of this person's portals (else 404) and their role there has the capability
    (else 403). The view receives the portal instead of `hub_id`; a view that raises `SendElsewhere` sends the
    person on with its message."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(
            request: AuthenticatedHttpRequest, hub_id: int, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            portal = portal_get(user=request.user, hub_id=hub_id)
            if not can(user=request.user, portal=portal, capability=capability):
                raise PermissionDenied
            try:
                return view(request, portal, *args, **kwargs)
            except SendElsewhere as elsewhere:
                messages.info(request, elsewhere.message)
                return after_write(request, elsewhere.url)

        return wrapped

    return decorator
