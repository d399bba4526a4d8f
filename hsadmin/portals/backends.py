from __future__ import annotations

from typing import Any

from hsadmin.core.roles import ROLE_CAPABILITIES, Role


class MembershipRoleBackend:
    """A person's roles on their portals give them those roles' capabilities (for navigation and pages).

    Django's ModelBackend still gives what their groups give. What a person may do on one portal is decided
    per portal by `hsadmin.portals.selectors.can`.
    """

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def get_user(self, user_id: int) -> None:
        return None

    def _perms(self, user_obj: Any) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        if not hasattr(user_obj, "_membership_perm_cache"):
            roles = set(user_obj.memberships.values_list("role", flat=True))
            user_obj._membership_perm_cache = {
                f"core.{cap}" for role in roles for cap in ROLE_CAPABILITIES.get(Role(role), ())
            }
        return user_obj._membership_perm_cache

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return self._perms(user_obj) if obj is None else set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return obj is None and perm in self._perms(user_obj)
