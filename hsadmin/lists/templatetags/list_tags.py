"""HubSpot's list vocabulary in words a marketer uses (the API's codes stay in a tooltip)."""

from __future__ import annotations

from django import template
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

register = template.Library()

WORDS: dict[str, str | Promise] = {
    # processingType
    "MANUAL": _("Fixed members"),
    "DYNAMIC": _("Updates itself"),
    "SNAPSHOT": _("Snapshot"),
    # processingStatus
    "COMPLETE": _("Ready"),
    "PROCESSING": _("Updating"),
    "REFRESHING": _("Updating"),
    "PENDING": _("Waiting"),
    "CANCELED": _("Stopped"),
    "CANCELLED": _("Stopped"),
}


@register.filter
def list_word(code: str | None) -> str:
    """The word for a list's processing type or status; an unknown code reads as itself."""
    if not code:
        return "—"
    return str(WORDS.get(code.upper(), code.replace("_", " ").capitalize()))
