"""Report periods, in the person's time zone: this quarter, last quarter, this year, last 12 months, custom."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PERIODS = {
    "this_quarter": _("This quarter"),
    "last_quarter": _("Last quarter"),
    "this_year": _("This year"),
    "last_12_months": _("Last 12 months"),
    "custom": _("Custom range"),
}


@dataclass(frozen=True)
class Period:
    """[start, end) in aware datetimes, and the same-length period just before it."""

    start: dt.datetime
    end: dt.datetime
    previous_start: dt.datetime
    previous_end: dt.datetime

    @property
    def last_day(self) -> dt.date:
        return (self.end - dt.timedelta(days=1)).date()


def _month_start(year: int, month: int, zone: dt.tzinfo) -> dt.datetime:
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.datetime(year, month, 1, tzinfo=zone)


def period_for(
    name: str, *, today: dt.date | None = None, since: dt.date | None = None, until: dt.date | None = None
) -> Period:
    """The period called `name` around `today` (default: today in the active time zone)."""
    zone = timezone.get_current_timezone()
    today = today or timezone.localdate()
    quarter_month = 3 * ((today.month - 1) // 3) + 1
    if name == "this_quarter":
        start, end = (
            _month_start(today.year, quarter_month, zone),
            _month_start(today.year, quarter_month + 3, zone),
        )
        return Period(start, end, _month_start(today.year, quarter_month - 3, zone), start)
    if name == "last_quarter":
        start, end = (
            _month_start(today.year, quarter_month - 3, zone),
            _month_start(today.year, quarter_month, zone),
        )
        return Period(start, end, _month_start(today.year, quarter_month - 6, zone), start)
    if name == "this_year":
        start, end = (
            dt.datetime(today.year, 1, 1, tzinfo=zone),
            dt.datetime(today.year + 1, 1, 1, tzinfo=zone),
        )
        return Period(start, end, dt.datetime(today.year - 1, 1, 1, tzinfo=zone), start)
    if name == "custom" and since and until:
        start = dt.datetime.combine(since, dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        days = (until - since).days + 1
        previous_start = dt.datetime.combine(since - dt.timedelta(days=days), dt.time.min, tzinfo=zone)
        return Period(start, end, previous_start, start)
    # last_12_months (the default): the current month and the eleven before it.
    start, end = (
        _month_start(today.year, today.month - 11, zone),
        _month_start(today.year, today.month + 1, zone),
    )
    return Period(start, end, _month_start(today.year, today.month - 23, zone), start)
