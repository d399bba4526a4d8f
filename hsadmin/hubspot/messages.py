"""HubSpot's refusals and failures, in words a marketer understands (design §9)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from hsadmin.hubspot_client import (
    AuthError,
    ForbiddenError,
    HubSpotError,
    HubSpotTimeoutError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
    ValidationError,
    settings_take_oauth,
)
from hsadmin.portals.hubspot import AppNotConfigured, PortalNotConnected


def describe(error: Exception, *, write: bool = True) -> str:
    """A sentence that says what happened and what to do; HubSpot's correlation ID is kept in the audit log."""
    if isinstance(error, AppNotConfigured):
        return not_configured_message()
    if isinstance(error, PortalNotConnected):
        return _("This portal is not connected to HubSpot right now. A portal admin needs to reconnect it.")
    if isinstance(error, ForbiddenError):
        return _(
            "HubSpot says hsadmin lacks a permission for this (%(scopes)s). A portal admin can reauthorize "
            "the portal to grant it."
        ) % {"scopes": ", ".join(error.required_scopes) or _("a scope")}
    if isinstance(error, AuthError):
        return _(
            "HubSpot no longer accepts hsadmin's access to this portal. A portal admin needs to reconnect it."
        )
    if isinstance(error, NotFoundError):
        return _(
            "HubSpot does not know this item (it may have been deleted there). Sync the portal to bring the "
            "list up to date."
        )
    if isinstance(error, ValidationError):
        return _("HubSpot refused this: %(reason)s") % {
            "reason": error.message or _("the values were not accepted")
        }
    if isinstance(error, RateLimitedError):
        return _("HubSpot is busy with this portal's requests right now. Wait a few seconds and try again.")
    unsure = write and isinstance(error, TransportError) and getattr(error, "sent", True)
    if unsure or (write and isinstance(error, HubSpotTimeoutError)):
        return _(
            "HubSpot did not answer in time, so hsadmin cannot tell whether the change was made. Sync the "
            "portal and check before trying again."
        )
    if isinstance(error, ServerError | TransportError):
        return _("HubSpot could not be reached or had a problem; nothing was changed. Try again in a moment.")
    if isinstance(error, HubSpotError):
        return _("HubSpot refused this (%(status)s).") % {"status": error.status or error.category or "?"}
    return _("Something went wrong talking to HubSpot. Try again in a moment.")


def not_configured_message() -> str:
    if settings_take_oauth(settings.HUBSPOT_API_VERSION):
        return _(
            "On HubSpot API 2026-03 the app's settings are read with a portal's token holding developers-read "
            "and developers-write: set HUBSPOT_APP_ID and connect (or reconnect) a portal granting them."
        )
    return _(
        "hsadmin does not know its HubSpot app yet: set HUBSPOT_APP_ID and HUBSPOT_DEVELOPER_API_KEY in the "
        "environment (see .env.example)."
    )
