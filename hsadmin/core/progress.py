"""Progress arithmetic: percent, throughput and ETA. Pure functions, so they are easy to test and to trust."""

from __future__ import annotations

import math

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def percent(done: int, total: int | None) -> int | None:
    """Whole percent done, floored so 100 % means all of it; None while the total is unknown."""
    if total is None:
        return None
    if total <= 0:
        return 100
    return min(100, max(0, math.floor(done * 100 / total)))


def throughput(done: int, seconds: float) -> float | None:
    """Items per second, or None when there is nothing to measure yet."""
    if done <= 0 or seconds <= 0:
        return None
    return done / seconds


def eta_seconds(remaining: int | None, rate: float | None) -> float | None:
    """Seconds left at the current rate; None when the total or the rate is unknown."""
    if remaining is None or not rate:
        return None
    return remaining / rate


def format_rate(rate: float | None) -> str:
    """Items per second in the active language's number format (1,234 · 12.3 in English; 1.234 · 12,3 in German)."""
    if rate is None:
        return ""
    decimals = 0 if rate >= 100 else 1 if rate >= 10 else 2
    return number_format(rate, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def format_duration(seconds: float | None) -> str:
    """A short human duration: "less than a minute" is not useful for a job, so seconds count below 90 s."""
    if seconds is None:
        return ""
    if seconds < 1:
        return str(_("under a second"))
    seconds = round(seconds)
    if seconds < 90:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = round(seconds / 60)
    if minutes < 90:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours, minutes = divmod(minutes, 60)
    return _("%(h)d h %(m)02d min") % {"h": hours, "m": minutes}
