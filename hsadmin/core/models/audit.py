from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Succeeded")
    FAILURE = "failure", _("Failed")
    DENIED = "denied", _("Denied")


class AuditEntry(models.Model):
    """One HubSpot write or security event: who, when, which portal, what, on what, and how it ended.

    Names are snapshots, so the log still reads right after a person or portal is deleted.
    """

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("who"), max_length=150, blank=True)
    portal = models.ForeignKey(
        "portals.Portal", null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    portal_name = models.CharField(_("portal"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target = models.CharField(_("target"), max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome, default=Outcome.SUCCESS)
    correlation_id = models.CharField(_("HubSpot correlation ID"), max_length=64, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["portal", "-at"]), models.Index(fields=["actor", "-at"])]
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.action} {self.target} ({self.outcome})"
        )
