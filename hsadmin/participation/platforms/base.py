"""What every report reader shares: the result types, finding sections and headers, reading times and
durations as the platforms write them, and folding one person's rows into one attendee.

Times come back as `datetime`: aware when the report states its zone (GoTo Webinar writes "EDT" after each time),
naive otherwise, to be read in the zone the report was downloaded in (the person picks it in the preview).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

Rows = Sequence[Sequence[str]]


class Reason(StrEnum):
    """Why a row of the report is not sent to HubSpot."""

    HOST = "host"
    PANELIST = "panelist"
    ORGANIZER = "organizer"
    PRESENTER = "presenter"
    NO_EMAIL = "no_email"
    NOT_APPROVED = "not_approved"
    TRUNCATED = "truncated"


@dataclass
class Person:
    """One person, their rows merged: first join, last leave, the time in session of every row added up."""

    email: str
    name: str = ""
    first_name: str = ""
    last_name: str = ""
    attended: bool = False
    registered_at: dt.datetime | None = None
    joined_at: dt.datetime | None = None
    left_at: dt.datetime | None = None
    seconds: int | None = None
    rows: list[int] = field(default_factory=list)

    @property
    def row(self) -> int:
        return self.rows[0] if self.rows else 0

    def names(self) -> tuple[str, str]:
        """First and last name: as the report splits them, or split from the display name at its first space."""
        if self.first_name or self.last_name:
            return self.first_name, self.last_name
        first, _, last = self.name.strip().partition(" ")
        return first, last.strip()


@dataclass(frozen=True)
class LeftOut:
    row: int
    name: str
    email: str
    reason: Reason


@dataclass
class Report:
    """What a report holds once understood."""

    platform: str  # "zoom", "teams", "gotowebinar"
    kind: str  # "attendees", "registrants", "participants"
    topic: str = ""
    started_at: dt.datetime | None = None
    stated_zone: str = ""  # the zone the report names for its times ("EDT"), or "" when it names none
    people: list[Person] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    rows_read: int = 0  # data rows about people (left-out ones too)
    expected: int | None = None  # how many people its summary announces, where it has one
    truncated: bool = False

    def set_aside(
        self, *, row: int, name: str, email: str, cut_off: bool = False, staff: Reason | None = None
    ) -> bool:
        """Count a row about a person and say whether it is left out: cut off by a truncated file, a member of
        staff (host, panelist…: `staff` names the reason), or without an email. Readers skip a row set aside."""
        self.rows_read += 1
        reason = Reason.TRUNCATED if cut_off else staff if staff is not None else None
        if reason is None and not email:
            reason = Reason.NO_EMAIL
        if reason is None:
            return False
        self.truncated = self.truncated or cut_off
        self.left_out.append(LeftOut(row, name, "" if reason is Reason.NO_EMAIL else email, reason))
        return True

    @property
    def attended(self) -> int:
        return sum(1 for p in self.people if p.attended)

    @property
    def registered_only(self) -> int:
        return sum(1 for p in self.people if not p.attended)

    @property
    def merged_rows(self) -> int:
        """Rows folded into an earlier row of the same person (rejoins)."""
        return sum(len(p.rows) - 1 for p in self.people if p.rows)

    def left_out_by_reason(self) -> dict[str, int]:
        """People (not rows) left out, by reason: a host who rejoined three times is one host."""
        seen: set[tuple[str, str]] = set()
        counts: dict[str, int] = {}
        for item in self.left_out:
            key = (item.reason.value, item.email or item.name or f"#{item.row}")
            if key not in seen:
                seen.add(key)
                counts[item.reason.value] = counts.get(item.reason.value, 0) + 1
        return counts


# Finding things in rows ----------------------------------------------------------------------------------


def norm(text: str) -> str:
    """A header or label compared loosely: lower case, no BOM, single spaces, no trailing colon or asterisk."""
    text = text.replace("\ufeff", "").replace("\x00", "").strip().lower()
    text = re.sub(r"\s+", " ", text)
    return text.rstrip(":").replace("*", "").strip()


def cells(row: Sequence[str]) -> list[str]:
    return [c.replace("\ufeff", "").replace("\x00", "").strip() for c in row]


def only_cell(row: Sequence[str]) -> str:
    """The row's text when it holds one non-empty cell (a section title), else ""."""
    filled = [c for c in cells(row) if c]
    return filled[0] if len(filled) == 1 else ""


def blank(row: Sequence[str]) -> bool:
    return not any(cells(row))


def find_header(rows: Rows, *required: Iterable[str], start: int = 0) -> int | None:
    """The index of the first row (from `start`) whose cells include one name of each group in `required`."""
    for index in range(start, len(rows)):
        names = {norm(c) for c in rows[index]}
        if all(any(norm(option) in names for option in group) for group in required):
            return index
    return None


class Columns:
    """A header row: the column of a name (any of its spellings), and a row's value in it."""

    def __init__(self, header: Sequence[str]) -> None:
        self.width = len(header)
        self.index: dict[str, int] = {}
        for position, name in enumerate(header):
            self.index.setdefault(norm(name), position)

    def find(self, *names: str) -> int | None:
        for name in names:
            if norm(name) in self.index:
                return self.index[norm(name)]
        return None

    def get(self, row: Sequence[str], *names: str) -> str:
        position = self.find(*names)
        if position is None or position >= len(row):
            return ""
        return row[position].replace("\x00", "").strip()


def label_values(rows: Rows, label: str, *, limit: int = 40) -> dict[str, str]:
    """The metadata block whose header row starts with `label`: its names paired with the next row's values."""
    for index, row in enumerate(rows[:limit]):
        if row and norm(row[0]) == norm(label) and index + 1 < len(rows):
            names, values = cells(row), cells(rows[index + 1])
            return {norm(n): v for n, v in zip(names, values, strict=False) if n}
    return {}


def value_below(rows: Rows, label: str, *, limit: int = 40) -> str:
    """GoTo Webinar's layout: a label in one row and its value in the same column of the next row."""
    for index, row in enumerate(rows[:limit]):
        for position, cell in enumerate(cells(row)):
            if norm(cell) == norm(label) and index + 1 < len(rows):
                below = cells(rows[index + 1])
                return below[position] if position < len(below) else ""
    return ""


def value_beside(rows: Rows, label: str, *, limit: int = 40) -> str:
    """Teams' summary: a label in the first cell and its value in the second."""
    for row in rows[:limit]:
        row_cells = cells(row)
        if len(row_cells) >= 2 and norm(row_cells[0]) == norm(label):
            return row_cells[1]
    return ""


# Times and durations -------------------------------------------------------------------------------------

# Zone abbreviations the platforms print after a time, as fixed offsets (North America and Europe; an
# abbreviation not listed leaves the time to the zone the person picks).
ZONE_ABBREVIATIONS: dict[str, int] = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "EST": -5 * 60,
    "EDT": -4 * 60,
    "CST": -6 * 60,
    "CDT": -5 * 60,
    "MST": -7 * 60,
    "MDT": -6 * 60,
    "PST": -8 * 60,
    "PDT": -7 * 60,
    "AKST": -9 * 60,
    "AKDT": -8 * 60,
    "HST": -10 * 60,
    "BST": 60,
    "WET": 0,
    "WEST": 60,
    "CET": 60,
    "CEST": 2 * 60,
    "EET": 2 * 60,
    "EEST": 3 * 60,
}

# Layouts with the date written in slashes, "{}" standing for month/day or day/month: Zoom's participant export
# (03/01/2026 10:02:03 AM), Teams (3/1/2026, 10:02:03 AM; 3/1/26, 10:02:03 AM), and their 24-hour forms.
_SLASHED_LAYOUTS = (
    "{}/%Y %I:%M:%S %p",
    "{}/%Y %I:%M %p",
    "{}/%Y, %I:%M:%S %p",
    "{}/%Y, %I:%M %p",
    "{}/%y, %I:%M:%S %p",
    "{}/%y, %I:%M %p",
    "{}/%Y %H:%M:%S",
    "{}/%Y %H:%M",
    "{}/%Y, %H:%M:%S",
    "{}/%Y, %H:%M",
    "{}/%y, %H:%M:%S",
    "{}/%y, %H:%M",
)
_FORMATS = (
    "%b %d, %Y %I:%M:%S %p",  # Zoom: Mar 01, 2026 10:02:03 AM
    "%b %d, %Y %I:%M %p",  # Zoom, GoTo Webinar: Mar 01, 2026 10:02 AM
    "%b %d, %Y %H:%M:%S",
    "%b %d, %Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y, %H:%M:%S",
    "%d.%m.%Y %H:%M",
)
_MONTH_FIRST = tuple(layout.format("%m/%d") for layout in _SLASHED_LAYOUTS)
_DAY_FIRST = tuple(layout.format("%d/%m") for layout in _SLASHED_LAYOUTS)
_ZONE_SUFFIX = re.compile(r"\s+\(?([A-Z]{1,5})\)?$")
_OFFSET_SUFFIX = re.compile(r"\s*\(?(?:GMT|UTC)\s*([+-])(\d{1,2}):?(\d{2})?\)?$")


# Dates written with slashes ("03/04/2026") are read month first (Zoom's, Teams' and GoTo's US layouts) unless
# the file says otherwise. The order is decided once per file (`date_order`), so one report never reads its
# "12/03" as December and its "25/03" as March.
_SLASHED = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b")
_DAY_FIRST_FILE: contextvars.ContextVar[bool] = contextvars.ContextVar("day_first_file", default=False)


def date_order(rows: Rows, *, event_days: tuple[dt.date, dt.date] | None = None) -> bool:
    """Whether this file writes its slashed dates day first.

    A first number above 12 can only be a day, a second number above 12 only a day too: the file then says
    which it is. When every date could be read either way (a session on the 1st to the 12th of a month), the
    reading that puts more dates on the event's days wins (`event_days`: its first and last day, a day either
    side allowed), since a report of the event was taken while it ran; without an event, or when neither
    reading lands there, month first."""
    day_first = month_first = 0
    ambiguous: list[tuple[int, int, int]] = []
    for row in rows:
        for cell in row:
            found = _SLASHED.match(cell)
            if not found:
                continue
            first, second, year = (int(part) for part in found.groups())
            if first > 12 and second <= 12:
                day_first += 1
            elif second > 12 and first <= 12:
                month_first += 1
            elif first <= 12 and second <= 12 and len(ambiguous) < 1000:
                ambiguous.append((first, second, year + 2000 if year < 100 else year))
    if day_first or month_first:
        return day_first > month_first
    if event_days is None or not ambiguous:
        return False

    first_day = event_days[0] - dt.timedelta(days=1)
    last_day = event_days[1] + dt.timedelta(days=1)

    def on_the_day(month: int, day: int, year: int) -> bool:
        try:
            return first_day <= dt.date(year, month, day) <= last_day
        except ValueError:
            return False

    read_day_first = sum(on_the_day(second, first, year) for first, second, year in ambiguous)
    read_month_first = sum(on_the_day(first, second, year) for first, second, year in ambiguous)
    return read_day_first > read_month_first


@contextlib.contextmanager
def dates_day_first(day_first: bool) -> Iterator[None]:
    """Within this block, `parse_time` reads slashed dates day first (or month first): the file's order."""
    token = _DAY_FIRST_FILE.set(day_first)
    try:
        yield
    finally:
        _DAY_FIRST_FILE.reset(token)


def parse_time(text: str) -> tuple[dt.datetime | None, str]:
    """A time as a platform writes it, and the zone abbreviation it carries ("" when none, or one we cannot place).

    Naive when no zone is written; aware when an abbreviation from ZONE_ABBREVIATIONS, a GMT/UTC offset, or an
    ISO offset is. (None, "") when the text is no time ("--", blank, or a form we do not know)."""
    value = text.replace("\x00", "").replace("\u202f", " ").replace("\xa0", " ").strip()
    if not value or value in {"--", "-", "—", "n/a", "N/A"}:
        return None, ""
    zone: dt.tzinfo | None = None
    label = ""
    offset = _OFFSET_SUFFIX.search(value)
    if offset:
        sign = -1 if offset.group(1) == "-" else 1
        minutes = int(offset.group(2)) * 60 + int(offset.group(3) or 0)
        zone = dt.timezone(dt.timedelta(minutes=sign * minutes))
        label = value[offset.start() :].strip(" ()")
        value = value[: offset.start()].strip()
    else:
        suffix = _ZONE_SUFFIX.search(value)
        if suffix and suffix.group(1) not in {"AM", "PM"}:
            value = value[: suffix.start()].strip()
            # An abbreviation we cannot place (IST is India's, Israel's or Ireland's) names no zone: the time
            # stays naive and the preview asks the person for the zone, rather than claim one it does not use.
            if suffix.group(1) in ZONE_ABBREVIATIONS:
                label = suffix.group(1)
                zone = dt.timezone(dt.timedelta(minutes=ZONE_ABBREVIATIONS[label]))
    moment: dt.datetime | None = None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        # The file's order first; the other one still reads a date that cannot be in the file's order.
        slashed = (*_DAY_FIRST, *_MONTH_FIRST) if _DAY_FIRST_FILE.get() else (*_MONTH_FIRST, *_DAY_FIRST)
        patterns = (*_FORMATS, *slashed)
        for pattern in patterns:
            try:
                moment = dt.datetime.strptime(value, pattern)
                break
            except ValueError:
                continue
    if moment is None:
        return None, ""
    if moment.tzinfo is None and zone is not None:
        moment = moment.replace(tzinfo=zone)
    return moment, label


_HMS = re.compile(r"^(?:(\d+)\s*h)?\s*(?:(\d+)\s*(?:m|min))?\s*(?:(\d+)\s*s)?$")


def parse_duration(text: str, *, unit_seconds: int = 60) -> int | None:
    """Seconds from "1h 2m 3s" (Teams), "01:02:03", or a plain number of `unit_seconds` (Zoom's minutes)."""
    value = text.replace("\x00", "").strip().lower()
    if not value or value in {"--", "-"}:
        return None
    match = _HMS.match(value)
    if match and any(match.groups()):
        hours, minutes, seconds = (int(g or 0) for g in match.groups())
        return hours * 3600 + minutes * 60 + seconds
    if re.fullmatch(r"\d{1,3}:\d{2}:\d{2}", value):
        hours, minutes, seconds = (int(part) for part in value.split(":"))
        return hours * 3600 + minutes * 60 + seconds
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        return None
    return round(number * unit_seconds) if number >= 0 else None


def yes(text: str) -> bool:
    return norm(text) in {"yes", "y", "true", "1", "ja", "oui", "sí", "si"}


# Folding rows into people --------------------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def clean_email(text: str) -> str:
    value = text.replace("\x00", "").strip().strip("<>").lower()
    return value if _EMAIL.match(value) else ""


def display_name(text: str) -> str:
    """Zoom's "User Name (Original Name)": the name used, without the original in brackets."""
    value = text.strip()
    match = re.fullmatch(r"(.+?)\s*\((.+)\)", value)
    return match.group(1).strip() if match else value


class People:
    """People by email, in the order first seen; each further row of the same email is merged in."""

    def __init__(self) -> None:
        self.by_email: dict[str, Person] = {}

    def add(
        self,
        *,
        row: int,
        email: str,
        name: str = "",
        first_name: str = "",
        last_name: str = "",
        attended: bool = False,
        registered_at: dt.datetime | None = None,
        joined_at: dt.datetime | None = None,
        left_at: dt.datetime | None = None,
        seconds: int | None = None,
    ) -> Person:
        person = self.by_email.get(email)
        if person is None:
            person = self.by_email[email] = Person(
                email=email, name=name, first_name=first_name, last_name=last_name
            )
        person.rows.append(row)
        person.name = person.name or name
        person.first_name = person.first_name or first_name
        person.last_name = person.last_name or last_name
        person.attended = person.attended or attended
        person.registered_at = _earliest(person.registered_at, registered_at)
        person.joined_at = _earliest(person.joined_at, joined_at)
        person.left_at = _latest(person.left_at, left_at)
        if seconds is not None:
            person.seconds = (person.seconds or 0) + seconds
        return person

    def all(self) -> list[Person]:
        return list(self.by_email.values())


def _key(moment: dt.datetime) -> dt.datetime:
    return (
        moment
        if moment.tzinfo is None
        else moment.replace(tzinfo=None) - (moment.utcoffset() or dt.timedelta())
    )


def _earliest(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    if a is None or b is None:
        return a or b
    return a if _key(a) <= _key(b) else b


def _latest(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    if a is None or b is None:
        return a or b
    return a if _key(a) >= _key(b) else b


def short_row(row: Sequence[str], width: int) -> bool:
    """A row with fewer cells than its header: what a file cut off mid-line leaves as its last row."""
    return len(row) < width and len([c for c in row if c is not None]) < width
