"""Reading participation CSVs: streamed, in any encoding a spreadsheet writes, comma or semicolon.

Nothing here holds a whole file: `store_upload` copies the upload to disk in chunks (hashing it and checking the
size limit on the way), `detect_encoding` says how the stored file is to be decoded (or that it is no CSV at
all), `read_rows` yields one row at a time from a text wrapper, and `parse_row` turns one row into what HubSpot
needs, or into the reason it cannot be sent. A file that is not text, or whose header cannot be read, raises
`NotACsv` with the person's message; past the header no input raises: a row that cannot be read becomes an
invalid row with a reason.
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

import charset_normalizer
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


class NotACsv(Exception):
    """The file cannot be read as CSV at all; `message` says why, for the person who uploaded it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class StoredFile:
    size: int
    sha256: str
    encoding: str


def store_upload(chunks: Iterable[bytes], destination: Path, *, max_bytes: int) -> StoredFile:
    """Copy an upload to `destination` chunk by chunk: hash it, refuse it past `max_bytes`, then find how it
    is encoded (`detect_encoding`). Raises `UploadTooLarge` or `NotACsv`, and then leaves no file behind."""
    digest = hashlib.sha256()
    size = 0
    destination.parent.mkdir(parents=True, exist_ok=True)
    with destination.open("wb") as out:
        for chunk in chunks:
            size += len(chunk)
            if size > max_bytes:
                out.close()
                destination.unlink(missing_ok=True)
                raise UploadTooLarge
            digest.update(chunk)
            out.write(chunk)
    try:
        encoding = detect_encoding(destination)
    except NotACsv:
        destination.unlink(missing_ok=True)
        raise
    return StoredFile(size=size, sha256=digest.hexdigest(), encoding=encoding)


SAMPLE_BYTES = 64 * 1024  # what the detector reads: enough text for it to be sure, little enough to be quick
_BOMS = (  # the longest first: UTF-32's little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ARCHIVES = (  # files people pick by mistake: what they start with
    b"PK\x03\x04",  # zip, and so .xlsx, .docx, .ods
    b"PK\x05\x06",  # an empty zip
    b"\x1f\x8b",  # gzip
    b"BZh",  # bzip2
    b"\xfd7zXZ\x00",  # xz
    b"7z\xbc\xaf\x27\x1c",  # 7-zip
    b"Rar!",  # rar
    b"\xd0\xcf\x11\xe0",  # old Excel (.xls) and Word files
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
)
WESTERN = "cp1252"  # Excel's usual "CSV" on Windows in the Americas and Western Europe
# What spreadsheets write when they do not write UTF-8: Windows code pages, the East Asian ones, UTF-16/32
# without a mark. (DOS and old Mac code pages can explain almost any bytes, so they would often win wrongly.)
SPREADSHEET_ENCODINGS = [
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "cp874",
    "cp932", "euc_jp", "gb18030", "cp949", "euc_kr", "big5", "koi8_r", "koi8_u",
    "utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be",
]  # fmt: skip
NOISE = 0.01  # control characters (other than tab and line ends) in more than 1 % of the text: not a CSV


def detect_encoding(path: Path) -> str:
    """The codec to read the CSV at `path` with, or `NotACsv` when it is no text file.

    A byte-order mark decides (UTF-8, UTF-16, UTF-32). Otherwise a file that is valid UTF-8 throughout is UTF-8.
    Anything else is for charset-normalizer (a maintained detector, not a guess of ours) to name from the file's
    first 64 KB, among the encodings spreadsheets write: UTF-16 without a mark, the Windows code pages,
    Shift-JIS… When several explain the bytes equally well and Windows-1252 is one of them, Windows-1252 wins:
    it is what Excel writes here, and it keeps “ ” and € that Latin-1 would turn into control characters.
    """
    with path.open("rb") as handle:
        head = handle.read(SAMPLE_BYTES)
        if not head:
            return "utf-8"
        for mark, codec in _BOMS:
            if head.startswith(mark):
                return codec
        if head.startswith(_ARCHIVES):
            raise NotACsv(_("This is not a CSV file (it looks like an archive, a spreadsheet or an image)."))
        handle.seek(0)
        encoding = "utf-8" if b"\x00" not in head and _all_utf8(handle) else _detected(head)
    text = head.decode(encoding, errors="replace")
    noise = sum(1 for char in text if char < " " and char not in "\t\r\n") + text.count("\x7f")
    if noise > len(text) * NOISE:
        raise NotACsv(_("This is not a CSV file: it holds binary data."))
    return encoding


def _detected(head: bytes) -> str:
    more = len(head) == SAMPLE_BYTES  # the sample may end inside a character: cut it where one ends
    if b"\x00" in head:
        sample = head[: len(head) & ~1] if more else head  # UTF-16 comes in pairs of bytes
    else:
        sample = head[: head.rfind(b"\n") + 1] or head if more else head
    results = list(charset_normalizer.from_bytes(sample, cp_isolation=SPREADSHEET_ENCODINGS))
    if b"\x00" in head and not (results and results[0].encoding.startswith(("utf_16", "utf_32"))):
        raise NotACsv(_("This is not a CSV file: it holds binary data."))
    if not results:  # text, but too odd for the detector to be sure: the usual case (binary is caught after)
        return WESTERN
    best = results[0]
    for result in results:
        if result.chaos <= best.chaos and WESTERN in (result.encoding, *result.could_be_from_charset):
            return WESTERN
    return best.encoding


def _all_utf8(handle: IO[bytes]) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := handle.read(CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def sniff_delimiter(path: Path, encoding: str) -> str:
    """Comma, semicolon or tab: whichever the first line (outside quotes) holds most of; comma on a tie.

    A first line with none of them (a platform report's one-cell title, as Teams writes) defers to the next."""
    with path.open(encoding=encoding, errors="replace", newline="") as text:
        head = text.read(CHUNK)
    for line in head.split("\n")[:20]:
        unquoted = re.sub(r'"[^"]*"', "", line)
        counts = {",": unquoted.count(","), ";": unquoted.count(";"), "\t": unquoted.count("\t")}
        best = max(counts, key=lambda d: (counts[d], d == ","))
        if counts[best]:
            return best
    return ","


def open_text(path: Path, encoding: str) -> IO[str]:
    # The detector read the first 64 KB: a stray undecodable byte further on shows as � in its cell.
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
    """The header and an iterator over the data rows. Blank lines are skipped; unreadable rows carry an error.
    A header that cannot be read raises `NotACsv`: every row is read through it, so it is never skipped."""
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(text, delimiter=delimiter, strict=False)
    header: list[str] = []
    while not header:
        try:
            first = next(reader)
        except StopIteration:
            return [], iter(())
        except csv.Error:
            raise NotACsv(
                _("The header row cannot be read: one of its cells is longer than %(n)s characters.")
                % {"n": f"{MAX_FIELD:,}"}
            ) from None
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


def count_rows(path: Path, encoding: str, delimiter: str, *, stop_after: int) -> int:
    """How many data rows the stored CSV has, counted as `read_rows` yields them (blank lines are none, an
    unreadable row is one), streamed, and stopping once past `stop_after`. It skips what `read_rows` does per row,
    so it is several times quicker: about half a second for 500,000 rows."""
    csv.field_size_limit(MAX_FIELD)
    count, header_seen = 0, False
    with open_text(path, encoding) as text:
        reader = csv.reader(text, delimiter=delimiter, strict=False)
        while count <= stop_after:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error:
                count += header_seen
                continue
            if not "".join(cells).strip():
                continue
            if header_seen:
                count += 1
            header_seen = True
    return count


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
