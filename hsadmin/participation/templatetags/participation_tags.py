from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def duration(seconds: int | None) -> str:
    """Seconds as h:mm:ss (or m:ss under an hour)."""
    if seconds is None:
        return ""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def epoch_ms(value: int | None) -> object:
    """Epoch milliseconds to an aware datetime (for the date filter)."""
    if value in (None, ""):
        return None
    from hsadmin.hubspot_client import from_epoch_ms

    return from_epoch_ms(int(value))  # type: ignore[arg-type]


@register.filter
def reported(mapping: dict[str, object] | None, email: str | None) -> object:
    """The reported attendance of this email in a {email: ReportedAttendance} mapping, or None."""
    if not mapping or not email:
        return None
    return mapping.get(email.lower())
