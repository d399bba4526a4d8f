from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hsadmin.core.roles import ROLE_CHOICES
from hsadmin.portals.crypto import EncryptedTextField

# What hsadmin asks HubSpot for when a portal admin connects a portal.
REQUIRED_SCOPES: tuple[str, ...] = (
    "crm.objects.marketing_events.read",
    "crm.objects.marketing_events.write",
    "crm.lists.read",
    "crm.objects.contacts.read",
    "crm.objects.contacts.write",
)


class PortalStatus(models.TextChoices):
    CONNECTED = "connected", _("Connected")
    NEEDS_RECONNECT = "needs_reconnect", _("Needs reconnecting")
    DISCONNECTED = "disconnected", _("Disconnected")


class Portal(models.Model):
    """A HubSpot portal (hub) connected through OAuth, with its tokens encrypted at rest."""

    hub_id = models.BigIntegerField(_("hub ID"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    hub_domain = models.CharField(_("hub domain"), max_length=200, blank=True)
    app_id = models.BigIntegerField(_("app ID"), null=True, blank=True)
    scopes = models.JSONField(_("granted scopes"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PortalStatus, default=PortalStatus.CONNECTED
    )

    access_token = EncryptedTextField(null=True, blank=True, editable=False)
    refresh_token = EncryptedTextField(null=True, blank=True, editable=False)
    token_expires_at = models.DateTimeField(_("access token expires"), null=True, blank=True)
    token_refreshed_at = models.DateTimeField(_("last token refresh"), null=True, blank=True)

    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    installing_user_email = models.CharField(_("installed by (HubSpot user)"), max_length=254, blank=True)
    connected_at = models.DateTimeField(_("connected since"), null=True, blank=True)
    last_synced_at = models.DateTimeField(_("last synced"), null=True, blank=True)
    # HubSpot's X-HubSpot-RateLimit-* headers from the last answer: {"max", "remaining", "interval_ms", "at"}.
    rate_limit = models.JSONField(_("last rate-limit headers"), default=dict, blank=True)
    last_error = models.JSONField(_("last error"), default=dict, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "hub_id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hub_id})"

    def __repr__(self) -> str:  # never the tokens
        return f"<Portal hub_id={self.hub_id} name={self.name!r} status={self.status}>"

    @property
    def missing_scopes(self) -> list[str]:
        return [s for s in REQUIRED_SCOPES if s not in (self.scopes or [])]

    @property
    def needs_reconnect(self) -> bool:
        return self.status == PortalStatus.NEEDS_RECONNECT

    @property
    def is_connected(self) -> bool:
        return self.status == PortalStatus.CONNECTED and bool(self.refresh_token)

    def record_rate_limit(self, headers: dict[str, Any]) -> None:
        self.rate_limit = headers


class Membership(models.Model):
    """A person's access to one portal, in one role."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    portal = models.ForeignKey(Portal, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=ROLE_CHOICES)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "portal"], name="one_membership_per_portal")]
        ordering = ["portal", "user"]

    def __str__(self) -> str:
        return f"{self.user} → {self.portal} ({self.role})"
