from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hsadmin.core.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Preferences"), {"fields": ("time_zone", "language")}),
    )

    # Editing a person here reaches their groups (the "App admin" group among them) and superuser status:
    # superusers only, whatever model permissions a staff member was given.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_superuser
