"""Time at the boundary: HubSpot speaks ISO-8601 strings and epoch milliseconds; we speak aware datetimes.

Naive datetimes are refused on the way out (their zone is a guess) and never produced on the way in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _require_aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: give HubSpot an aware datetime (e.g. tzinfo=UTC)")
    return value


def from_epoch_ms(value: int | str) -> datetime:
    """Epoch milliseconds (an int or a digit string) to an aware UTC datetime, exactly (no float rounding)."""
    return EPOCH + timedelta(milliseconds=int(value))


def to_epoch_ms(value: datetime) -> int:
    """An aware datetime to epoch milliseconds (what interactionDateTime, joinedAt and leftAt want)."""
    delta = _require_aware(value) - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def parse_iso(value: str) -> datetime:
    """An ISO-8601 string (`Z` or an offset) to an aware datetime; a zone-less string is read as UTC."""
    parsed = datetime.fromisoformat(value.strip())
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def to_iso(value: datetime) -> str:
    """An aware datetime to the ISO form HubSpot prints: UTC, milliseconds, `Z`."""
    utc = _require_aware(value).astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def parse_time(value: object) -> datetime | None:
    """Whatever HubSpot sent for a time (ISO string, epoch-ms int or digit string, null) to a datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a time: {value!r}")
    if isinstance(value, int | float):
        return from_epoch_ms(int(value))
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return from_epoch_ms(int(text))
        return parse_iso(text)
    raise ValueError(f"not a time: {value!r}")
