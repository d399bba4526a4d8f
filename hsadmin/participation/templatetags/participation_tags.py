from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration(seconds: int | None) -> str:
    """Seconds in one format everywhere, in words: "37 s", "48 min 20 s", "50 min", "6 h 08 min"."""
    if seconds is None:
        return ""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return _("%(h)d h %(m)02d min") % {"h": hours, "m": minutes}
    if minutes:
        return (
            _("%(m)d min %(s)02d s") % {"m": minutes, "s": secs} if secs else _("%(m)d min") % {"m": minutes}
        )
    return _("%(s)d s") % {"s": secs}


@register.filter
def epoch_ms(value: int | str | None) -> object:
    """Epoch milliseconds to an aware datetime (for the date filter)."""
    if value in (None, ""):
        return None
    from hsadmin.hubspot_client import from_epoch_ms

    return from_epoch_ms(int(value))


@register.filter
def reported(mapping: dict[str, object] | None, email: str | None) -> object:
    """The reported attendance of this email in a {email: ReportedAttendance} mapping, or None."""
    if not mapping or not email:
        return None
    return mapping.get(email.lower())
