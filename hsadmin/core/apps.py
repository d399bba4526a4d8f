from typing import Any

from django.apps import AppConfig
from django.db import router
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hsadmin.core"
    label = "core"
    verbose_name = _("hsadmin core")

    def ready(self) -> None:
        from hsadmin.core import audit  # noqa: F401 - connects the sign-in signal receivers

        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    from hsadmin.core.roles import sync_roles

    if router.allow_migrate(using, "auth"):
        sync_roles(using=using)
