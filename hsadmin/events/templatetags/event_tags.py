"""Small tags for event pages; the state badge is drawn once per row, so it is a tag rather than an include."""

from __future__ import annotations

from collections.abc import Callable

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hsadmin.events.models import Event

register = template.Library()

_BADGES: dict[str, tuple[str, Callable[[], str]]] = {
    "draft": ("badge-draft", lambda: _("Draft")),
    "cancelled": ("badge-danger", lambda: pgettext("event state", "Cancelled")),
    "completed": ("badge-success", lambda: _("Completed")),
    "upcoming": ("badge-info", lambda: _("Upcoming")),
    "live": ("badge-warning", lambda: _("Live")),
    "past": ("", lambda: _("Past")),
    "undated": ("", lambda: _("No date")),
}


@register.filter
def web_url(value: object) -> str:
    """The URL when it is an absolute http(s) URL, else "": what HubSpot syncs is shown as a link only then (a
    `javascript:` or `data:` URL would run in our origin if the CSP ever let it)."""
    text = str(value or "")
    scheme, _sep, rest = text.partition("://")
    if (
        scheme.lower() in ("http", "https")
        and rest
        and text == text.strip()
        and not any(c < " " for c in text)
    ):
        return text
    return ""


@register.simple_tag
def state_badge(event: Event) -> SafeString:
    css, label = _BADGES[event.state]
    badge = format_html('<span class="badge {}">{}</span>', css, label())
    if event.state == "past" and event.ended_not_completed:
        badge += format_html(
            ' <span class="badge badge-warning" title="{}">{}</span>',
            _("Attendance durations stay empty until the event is completed"),
            _("Not completed"),
        )
    return badge


@register.filter
def property_label(name: str) -> str:
    """A HubSpot custom property's internal name as words: "hs_event_language" reads "Event language"."""
    words = name.removeprefix("hs_").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else name


_HUBSPOT_STATUS = {
    "UPCOMING": lambda: _("Upcoming"),
    "ONGOING": lambda: _("Live now"),
    "PAST": lambda: _("Past"),
    "CANCELLED": lambda: pgettext("event state", "Cancelled"),
    "COMPLETED": lambda: _("Completed"),
}


@register.filter
def hubspot_status_label(code: str | None) -> str:
    """HubSpot's eventStatus in words ("ONGOING" reads "Live now"); an unknown one reads as itself."""
    if not code:
        return "—"
    word = _HUBSPOT_STATUS.get(code.upper())
    return str(word()) if word else code.capitalize()
