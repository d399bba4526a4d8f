"""The activity log in words: each audit action code as a person would say it (the code stays for copying)."""

from __future__ import annotations

from django import template
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

register = template.Library()

ACTION_LABELS: dict[str, str | Promise] = {
    "auth.sign_in": _("Signed in"),
    "auth.sign_out": _("Signed out"),
    "auth.sign_in_failed": _("Sign-in failed"),
    "auth.locked_out": _("Locked out after failed sign-ins"),
    "access.grant": _("Gave access to a portal"),
    "access.revoke": _("Removed access to a portal"),
    "portal.connect": _("Connected a portal"),
    "portal.disconnect": _("Disconnected a portal"),
    "portal.revoke": _("HubSpot access revoked"),
    "portal.purge": _("Removed a portal's data"),
    "portal.refresh_failed": _("HubSpot refused to renew access"),
    "security.rotate_token_keys": _("Rotated the token keys"),
    "appsettings.update": _("Changed the app's settings"),
    "appsettings.test_url": _("Tested the event-details URL"),
    "event.create": _("Created an event"),
    "event.update": _("Edited an event"),
    "event.cancel": _("Cancelled an event"),
    "event.complete": _("Completed an event"),
    "event.delete": _("Deleted an event"),
    "event.publish": _("Published a draft"),
    "event.draft_create": _("Created a draft"),
    "event.draft_update": _("Edited a draft"),
    "event.draft_delete": _("Deleted a draft"),
    "event.draft_adopted": _("HubSpot created a draft's event"),
    "event.bulk_cancel": _("Cancelled events (bulk)"),
    "event.bulk_complete": _("Completed events (bulk)"),
    "event.bulk_delete": _("Deleted events (bulk)"),
    "event.bulk_set_field": _("Edited events (bulk)"),
    "participation.record": _("Recorded participation"),
    "participation.import": _("Imported participation"),
    "participation.import_start": _("Started an import"),
    "list.associate": _("Tied a list to an event"),
    "list.disassociate": _("Untied a list from an event"),
    "list.bulk_associate": _("Tied a list to events (bulk)"),
}


@register.filter
def action_label(code: str) -> str:
    """The action in words; an action without words yet reads as its code, spaced out."""
    label = ACTION_LABELS.get(code)
    if label is not None:
        return str(label)
    return code.replace(".", ": ").replace("_", " ").capitalize()
