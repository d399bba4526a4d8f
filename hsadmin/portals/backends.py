from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from hsadmin.core.roles import CAPABILITIES, ROLE_CAPABILITIES, Role

CACHE_SECONDS = 60


def _cache_key(user_id: int) -> str:
    return f"hsadmin:capabilities:{user_id}"


def capabilities_for(user: Any) -> frozenset[str]:
    """What a person's roles let them do anywhere: their groups' capabilities and their portal roles'.

    Kept in the cache (one minute; dropped at once when their memberships or groups change), and on the user
    object for the rest of the request, so pages do not pay for permission queries.
    """
    if not user.is_active or user.is_anonymous:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_hsadmin_capabilities", None)
    if cached is not None:
        return cached
    found: frozenset[str] | None = cache.get(_cache_key(user.pk))
    if found is None:
        from django.contrib.auth.models import Permission

        from_groups = Permission.objects.filter(group__user=user, content_type__app_label="core").values_list(
            "codename", flat=True
        )
        from_roles = {
            cap
            for role in user.memberships.values_list("role", flat=True)
            for cap in ROLE_CAPABILITIES[Role(role)]
        }
        found = frozenset(set(from_groups) | from_roles)
        cache.set(_cache_key(user.pk), found, CACHE_SECONDS)
    user._hsadmin_capabilities = found
    return found


def forget_capabilities(user_id: int) -> None:
    cache.delete(_cache_key(user_id))


class CapabilityBackend(ModelBackend):
    """Django's ModelBackend, except that every `core.<capability>` permission is answered from
    `capabilities_for` (groups and portal roles, cached) instead of two queries per request. Other permissions
    (Django's admin) are ModelBackend's as usual. What a person may do on one portal is decided per portal by
    `portals.selectors.can`."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        app, _, codename = perm.partition(".")
        if app == "core" and codename in CAPABILITIES and obj is None:
            return user_obj.is_active and (user_obj.is_superuser or codename in capabilities_for(user_obj))
        return super().has_perm(user_obj, perm, obj)

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        found = super().get_all_permissions(user_obj, obj)
        return found if obj is not None else found | {f"core.{c}" for c in capabilities_for(user_obj)}
