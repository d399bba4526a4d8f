"""Reading participation CSVs: streamed, in UTF-8 (with or without BOM) or Latin-1, comma or semicolon.

Nothing here holds a whole file: `store_upload` copies the upload to disk in chunks (hashing it, checking the
size limit and whether it is valid UTF-8 on the way), `read_rows` yields one row at a time from a text wrapper,
and `parse_row` turns one row into what HubSpot needs, or into the reason it cannot be sent. No input raises:
a row that cannot be read becomes an invalid row with a reason.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import re
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hsadmin.hubspot_client import SubscriberState

CHUNK = 64 * 1024
MAX_FIELD = 100_000  # characters in one cell; a longer one makes its row invalid
MAX_COLUMNS = 200

# What a column can be mapped to. "prop:<name>" roles carry a contact property for new contacts.
ROLES: dict[str, object] = {
    "": gettext_lazy("(ignore)"),
    "email": gettext_lazy("Email"),
    "contact_id": gettext_lazy("HubSpot contact ID"),
    "state": gettext_lazy("State (registered, attended, cancelled)"),
    "time": gettext_lazy("Interaction time"),
    "joined": gettext_lazy("Joined at (attended)"),
    "left": gettext_lazy("Left at (attended)"),
    "prop:firstname": gettext_lazy("Contact property: first name"),
    "prop:lastname": gettext_lazy("Contact property: last name"),
    "prop:company": gettext_lazy("Contact property: company"),
    "prop:jobtitle": gettext_lazy("Contact property: job title"),
    "prop:phone": gettext_lazy("Contact property: phone"),
    "prop:*": gettext_lazy("Contact property named like the column"),
}
SINGLE_ROLES = ("email", "contact_id", "state", "time", "joined", "left")

STATE_WORDS = {
    SubscriberState.REGISTER: ("register", "registered", "registration", "registrant", "reg"),
    SubscriberState.ATTEND: ("attend", "attended", "attendee", "attendance", "present", "joined"),
    SubscriberState.CANCEL: ("cancel", "cancelled", "canceled", "cancellation", "canceled registration"),
}
_STATES = {word: state for state, words in STATE_WORDS.items() for word in words}

# Header names we recognise when guessing the mapping.
_GUESSES = {
    "email": ("email", "e-mail", "email address", "e-mail address", "mail", "contact email"),
    "contact_id": ("contact id", "contactid", "vid", "hubspot id", "record id", "hs_object_id", "id"),
    "state": ("state", "status", "attendance state", "participation", "subscriber state"),
    "time": ("interaction time", "time", "timestamp", "date", "occurred at", "interactiondatetime", "when"),
    "joined": ("joined", "joined at", "joinedat", "join time"),
    "left": ("left", "left at", "leftat", "leave time"),
    "prop:firstname": ("first name", "firstname", "given name"),
    "prop:lastname": ("last name", "lastname", "surname", "family name"),
    "prop:company": ("company", "organisation", "organization"),
    "prop:jobtitle": ("job title", "jobtitle", "title"),
    "prop:phone": ("phone", "phone number", "telephone"),
}


class UploadTooLarge(Exception):
    pass


@dataclass(frozen=True)
class StoredFile:
    size: int
    sha256: str
    encoding: str


def store_upload(chunks: Iterable[bytes], destination: Path, *, max_bytes: int) -> StoredFile:
    """Copy an upload to `destination` chunk by chunk: hash it, refuse it past `max_bytes`, find its encoding.

    The encoding is UTF-8 with BOM (`utf-8-sig`), UTF-8, or — when the bytes are not valid UTF-8 — Latin-1,
    which can decode any byte (so a file never fails to open; a wrong guess shows as odd letters in the preview).
    """
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    size = 0
    first = b""
    destination.parent.mkdir(parents=True, exist_ok=True)
    with destination.open("wb") as out:
        for chunk in chunks:
            size += len(chunk)
            if size > max_bytes:
                out.close()
                destination.unlink(missing_ok=True)
                raise UploadTooLarge
            if len(first) < 3:
                first += chunk[: 3 - len(first)]
            digest.update(chunk)
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            out.write(chunk)
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    if not utf8:
        encoding = "latin-1"
    elif first.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    return StoredFile(size=size, sha256=digest.hexdigest(), encoding=encoding)


def sniff_delimiter(path: Path, encoding: str) -> str:
    """Comma or semicolon: whichever the first line (outside quotes) holds more of; comma on a tie."""
    with path.open(encoding=encoding, errors="replace", newline="") as text:
        head = text.read(CHUNK)
    line = head.split("\n", 1)[0]
    unquoted = re.sub(r'"[^"]*"', "", line)
    return ";" if unquoted.count(";") > unquoted.count(",") else ","


def open_text(path: Path, encoding: str) -> IO[str]:
    # Undecodable bytes cannot happen for latin-1, and for UTF-8 store_upload checked; replace is a safety net.
    return path.open(encoding=encoding, errors="replace", newline="")


def unique_header(cells: list[str]) -> list[str]:
    """Header names, stripped, blank ones named by position, repeated ones numbered."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(cells[:MAX_COLUMNS]):
        name = cell.replace("\x00", "").strip() or _("column %(n)s") % {"n": index + 1}
        name = name[:100]
        count = seen.get(name.lower(), 0)
        seen[name.lower()] = count + 1
        names.append(name if not count else f"{name} ({count + 1})")
    return names


@dataclass(frozen=True)
class RawRow:
    """One data row as read: its number (1 = the first row after the header), cells, or why it is unreadable."""

    number: int
    cells: list[str]
    error: str = ""


def read_rows(text: IO[str], delimiter: str) -> tuple[list[str], Iterator[RawRow]]:
    """The header and an iterator over the data rows. Blank lines are skipped; unreadable rows carry an error."""
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(text, delimiter=delimiter, strict=False)
    header: list[str] = []
    while not header:
        try:
            first = next(reader)
        except StopIteration:
            return [], iter(())
        except csv.Error:
            continue
        if any(cell.strip() for cell in first):
            header = unique_header(first)

    def rows() -> Iterator[RawRow]:
        number = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                number += 1
                yield RawRow(
                    number, [], _("This row could not be read as CSV (%(error)s).") % {"error": error}
                )
                continue
            if not any(cell.strip() for cell in cells):
                continue
            number += 1
            yield RawRow(number, [cell.replace("\x00", "") for cell in cells[:MAX_COLUMNS]])

    return header, rows()


def guess_mapping(header: list[str]) -> list[str]:
    """A role for each column, from its name; each single role is given to one column at most."""
    roles: list[str] = []
    taken: set[str] = set()
    for name in header:
        key = re.sub(r"[\s_]+", " ", name.lower()).strip()
        role = next((r for r, names in _GUESSES.items() if key in names and r not in taken), "")
        taken.add(role)
        roles.append(role)
    return roles


# One row, parsed ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """How rows are read beyond the mapping: the defaults for missing values and the reader's time zone."""

    mapping: list[str]
    default_state: str = ""
    default_at_ms: int = 0
    time_zone: str = "UTC"


@dataclass
class ParsedRow:
    number: int
    raw: dict[str, str]
    email: str = ""
    vid: int | None = None
    state: str = ""
    at_ms: int = 0
    joined_ms: int | None = None
    left_ms: int | None = None
    contact_properties: dict[str, str] = field(default_factory=dict)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def identifier(self) -> str:
        return str(self.vid) if self.vid is not None else self.email

    @property
    def key(self) -> str:
        """The same activity twice: same contact, state and interaction time (HubSpot records it once)."""
        return f"{self.identifier}|{self.state}|{self.at_ms}"

    def properties(self) -> dict[str, str]:
        props: dict[str, str] = {}
        if self.state == SubscriberState.ATTEND:
            if self.joined_ms is not None:
                props["joinedAt"] = str(self.joined_ms)
            if self.left_ms is not None:
                props["leftAt"] = str(self.left_ms)
        return props


def parse_state(value: str) -> str | None:
    return _STATES.get(re.sub(r"\s+", " ", value.strip().lower()))


_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
)
_MIN_MS = 0
_MAX_MS = int(dt.datetime(2100, 1, 1, tzinfo=dt.UTC).timestamp() * 1000)


def parse_time(value: str, zone: dt.tzinfo) -> int | None:
    """Epoch milliseconds from epoch ms or seconds, ISO 8601, or a few common forms; naive times are in
    `zone`. None when the text is no time we understand."""
    text = value.strip()
    if not text:
        return None
    if re.fullmatch(r"\d{9,13}", text):
        number = int(text)
        ms = number if len(text) >= 12 else number * 1000
        return ms if _MIN_MS <= ms < _MAX_MS else None
    moment: dt.datetime | None = None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        for pattern in _DATE_FORMATS:
            try:
                moment = dt.datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    try:
        ms = int(moment.timestamp() * 1000)
    except (OverflowError, OSError, ValueError):
        return None
    return ms if _MIN_MS <= ms < _MAX_MS else None


def zone_for(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


TIME_HELP = gettext_lazy(
    "Use a date and time such as 2026-03-01 14:30 or 01.03.2026 14:30 (your time zone), ISO 8601 with an "
    "offset, or epoch milliseconds."
)


def parse_row(raw: RawRow, header: list[str], options: Options, zone: dt.tzinfo | None = None) -> ParsedRow:
    """One row to what HubSpot needs, or to the reason it cannot be sent. Never raises."""
    values = dict(zip(header, raw.cells + [""] * (len(header) - len(raw.cells)), strict=False))
    row = ParsedRow(number=raw.number, raw=values)
    if raw.error:
        row.error = raw.error
        return row
    zone = zone or zone_for(options.time_zone)
    cells: dict[str, str] = {}
    for index, role in enumerate(options.mapping[: len(header)]):
        value = raw.cells[index].strip() if index < len(raw.cells) else ""
        if role.startswith("prop:"):
            name = header[index].strip().lower().replace(" ", "_") if role == "prop:*" else role[5:]
            if value and re.fullmatch(r"[a-z0-9_]{1,100}", name):
                row.contact_properties[name] = value[:1000]
        elif role:
            cells[role] = value
    problems: list[str] = []
    contact_id, email = cells.get("contact_id", ""), cells.get("email", "")
    if contact_id:
        if re.fullmatch(r"\d{1,18}", contact_id) and int(contact_id) > 0:
            row.vid = int(contact_id)
        else:
            problems.append(
                _("“%(value)s” is not a HubSpot contact ID (a number).") % {"value": contact_id[:60]}
            )
    elif email:
        email = email.lower()
        try:
            validate_email(email)
            row.email = email
        except DjangoValidationError:
            problems.append(_("“%(value)s” is not an email address.") % {"value": email[:80]})
    else:
        problems.append(_("The row has neither an email nor a contact ID."))
    state_text = cells.get("state", "")
    state = parse_state(state_text) if state_text else options.default_state or None
    if state is None:
        if state_text:
            problems.append(
                _("“%(value)s” is not a state; use registered, attended or cancelled.")
                % {"value": state_text[:40]}
            )
        else:
            problems.append(_("The row has no state, and no default state was chosen."))
    else:
        row.state = str(state)
    time_text = cells.get("time", "")
    if time_text:
        at = parse_time(time_text, zone)
        if at is None:
            problems.append(_("“%(value)s” is not a time we understand.") % {"value": time_text[:40]})
        else:
            row.at_ms = at
    else:
        row.at_ms = options.default_at_ms
    for role, attr, label in (("joined", "joined_ms", _("joined")), ("left", "left_ms", _("left"))):
        text = cells.get(role, "")
        if text:
            moment = parse_time(text, zone)
            if moment is None:
                problems.append(
                    _("The %(what)s time “%(value)s” is not a time we understand.")
                    % {"what": label, "value": text[:40]}
                )
            else:
                setattr(row, attr, moment)
    if row.joined_ms is not None and row.left_ms is not None and row.left_ms < row.joined_ms:
        problems.append(_("The left time is before the joined time."))
    row.error = " ".join(problems)
    return row
