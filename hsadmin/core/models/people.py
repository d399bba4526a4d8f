from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from hsadmin.core.roles import CAPABILITIES


def validate_time_zone(value: str) -> None:
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a time zone hsadmin knows."), params={"value": value})


class User(AbstractUser):
    """A person who signs in. Time zone and language are their own; blank means the site's defaults."""

    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, validators=[validate_time_zone])
    language = models.CharField(_("language"), max_length=8, blank=True, choices=settings.LANGUAGES)
    current_portal = models.ForeignKey(
        "portals.Portal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("current portal"),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Access(models.Model):
    """No table: only the home of hsadmin's capability permissions (see hsadmin.core.roles)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = list(CAPABILITIES.items())

    def __str__(self) -> str:
        return "hsadmin capabilities"
