"""Portals in Django's admin (superusers only): read-only, and never the tokens.

Portals are connected, reconnected and disconnected in hsadmin's own pages, which run the OAuth flow and write
the audit log; the admin only shows them. The encrypted token columns are left out entirely, so neither their
values nor their ciphertext ever reach an admin page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hsadmin.portals.models import Membership, Portal

TOKEN_FIELDS = ("access_token", "refresh_token")


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MembershipInline(admin.TabularInline[Membership, Portal]):
    model = Membership
    fk_name = "portal"
    fields = ("user", "role", "granted_by", "granted_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Portal)
class PortalAdmin(ReadOnlyAdmin):
    list_display = ("name", "hub_id", "status", "app_id", "token_expires_at", "last_synced_at")
    list_filter = ("status",)
    search_fields = ("name", "hub_id", "hub_domain")
    exclude = TOKEN_FIELDS
    fields = (
        "name",
        "hub_id",
        "hub_domain",
        "app_id",
        "status",
        "scopes",
        "token_expires_at",
        "token_refreshed_at",
        "connected_by",
        "installing_user_email",
        "connected_at",
        "last_synced_at",
        "rate_limit",
        "last_error",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "portal", "role", "granted_at")
    list_filter = ("role", "portal")
    list_select_related = ("user", "portal")
