"""The simulator's clock and HubSpot's two time formats (ISO-8601 strings and epoch milliseconds).

The clock can be moved forward through the control API (``POST /_simulator/clock``) so tests can see tokens
expire and events end without waiting.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

_lock = threading.Lock()
_offset = timedelta()


def now() -> datetime:
    """The simulator's current time (real time plus any offset set by the control API)."""
    return datetime.now(UTC) + _offset


def set_offset(seconds: float) -> None:
    """Move the simulator's clock to ``seconds`` after real time (0 puts it back)."""
    global _offset
    with _lock:
        _offset = timedelta(seconds=seconds)


def offset_seconds() -> float:
    return _offset.total_seconds()


def iso(value: datetime | None) -> str | None:
    """HubSpot's ISO-8601 form: UTC with milliseconds and a ``Z``."""
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(timespec="milliseconds")[:-6] + "Z"


def to_ms(value: datetime) -> int:
    return int(value.timestamp() * 1000)


def from_ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, tz=UTC)


def parse_iso(value: object) -> datetime:
    """Parse an ISO-8601 date-time (``Z`` or an offset). Raises ``ValueError`` when it is not one."""
    if not isinstance(value, str) or not value:
        raise ValueError("not a date-time string")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def parse_ms_or_iso(value: object) -> int | None:
    """``joinedAt``/``leftAt``: epoch milliseconds (number or string), or an ISO date-time. None if neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return int(text)
        try:
            return to_ms(parse_iso(text))
        except ValueError:
            return None
    return None
