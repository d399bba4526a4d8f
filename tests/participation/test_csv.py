"""The CSV reader: encodings, separators, limits and every kind of bad row, with hypothesis looking for a crash
or a lost row."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hsadmin.core.models import User
from hsadmin.events.models import Event
from hsadmin.participation import csvio
from hsadmin.participation.models import Import
from hsadmin.portals.models import Portal

UTC_ZONE = UTC
OPTIONS = csvio.Options(mapping=["email", "state", "time", "prop:firstname"], default_at_ms=1_700_000_000_000)


def _read(tmp_path: Path, content: bytes, options: csvio.Options = OPTIONS) -> list[csvio.ParsedRow]:
    path = tmp_path / "upload.csv"
    stored = csvio.store_upload([content], path, max_bytes=10**8)
    delimiter = csvio.sniff_delimiter(path, stored.encoding)
    with csvio.open_text(path, stored.encoding) as text:
        header, rows = csvio.read_rows(text, delimiter)
        return [csvio.parse_row(raw, header, options) for raw in rows]


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("latin-1", b"")],
    ids=["UTF-8", "UTF-8 with BOM", "Latin-1"],
)
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_utf8_with_or_without_bom_and_latin1_with_commas_or_semicolons_all_read_the_same(
    tmp_path: Path, encoding: str, bom: bytes, delimiter: str
) -> None:
    text = f"email{delimiter}state{delimiter}time{delimiter}first name\r\n"
    text += f"Zoe@Example.com{delimiter}Attended{delimiter}2026-03-01 10:05{delimiter}Zoë\r\n"
    text += f"b@example.com{delimiter}cancelled{delimiter}{delimiter}\r\n"
    rows = _read(tmp_path, bom + text.encode(encoding))
    assert [(r.email, r.state, r.error) for r in rows] == [
        ("zoe@example.com", "attend", ""),
        ("b@example.com", "cancel", ""),
    ]
    assert rows[0].contact_properties == {"firstname": "Zoë"}
    assert rows[0].at_ms == int(datetime(2026, 3, 1, 10, 5, tzinfo=UTC).timestamp() * 1000)
    assert rows[1].at_ms == OPTIONS.default_at_ms


def test_the_encoding_is_found_while_the_file_is_stored(tmp_path: Path) -> None:
    assert csvio.store_upload([b"a,b\n"], tmp_path / "1", max_bytes=100).encoding == "utf-8"
    assert (
        csvio.store_upload([b"\xef\xbb", b"\xbfa\n"], tmp_path / "2", max_bytes=100).encoding == "utf-8-sig"
    )
    # A UTF-8 sequence cut between two chunks is still UTF-8; a lone Latin-1 byte is not.
    assert (
        csvio.store_upload(["é".encode()[:1], "é".encode()[1:]], tmp_path / "3", max_bytes=100).encoding
        == "utf-8"
    )
    # Not UTF-8: the detector's turn (test_encodings.py), Windows-1252 (a superset of Latin-1's letters) here.
    assert csvio.store_upload([b"caf\xe9\n"], tmp_path / "4", max_bytes=100).encoding == "cp1252"
    with pytest.raises(csvio.UploadTooLarge):
        csvio.store_upload([b"x" * 60, b"x" * 60], tmp_path / "5", max_bytes=100)
    assert not (tmp_path / "5").exists()


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("nobody,registered,,", "not an email"),
        (",registered,,", "neither an email nor a contact ID"),
        ("a@example.com,won,,", "not a state"),
        ("a@example.com,,,", "no state"),
        ("a@example.com,attended,yesterday,", "not a time"),
        ("a@example.com,attended,2026-13-45 10:00,", "not a time"),
        ("a@example.com,attended,31.02.2026,", "not a time"),
        ("a@example.com,attended,99999999999999999,", "not a time"),
        ('"a@example.com,attended', "not an email"),
    ],
)
def test_each_bad_row_says_why(tmp_path: Path, line: str, reason: str) -> None:
    (row,) = _read(tmp_path, f"email,state,time,first name\n{line}\n".encode())
    assert reason in row.error


def test_times_are_read_in_many_forms_and_naive_ones_in_the_persons_zone(tmp_path: Path) -> None:
    berlin = csvio.zone_for("Europe/Berlin")
    expected = int(datetime(2026, 3, 1, 9, 5, tzinfo=UTC).timestamp() * 1000)
    for text in ("2026-03-01 10:05", "01.03.2026 10:05", "2026-03-01T10:05:00", "2026/03/01 10:05"):
        assert csvio.parse_time(text, berlin) == expected, text
    assert csvio.parse_time("2026-03-01T09:05:00Z", berlin) == expected
    assert csvio.parse_time(str(expected), berlin) == expected
    assert csvio.parse_time(str(expected // 1000), berlin) == expected
    assert csvio.parse_time("", berlin) is None


def test_contact_ids_win_over_emails_and_joined_left_go_only_with_attendance(tmp_path: Path) -> None:
    options = csvio.Options(mapping=["contact_id", "email", "state", "joined", "left"])
    content = (
        b"id,email,state,joined,left\n"
        b"42,a@example.com,attended,2026-03-01 10:00,2026-03-01 11:00\n"
        b"43,,registered,2026-03-01 10:00,\n"
        b"44,,attended,2026-03-01 11:00,2026-03-01 10:00\n"
    )
    first, second, third = _read(tmp_path, content, options)
    assert (first.vid, first.email, first.identifier) == (42, "", "42")
    assert set(first.properties()) == {"joinedAt", "leftAt"}
    assert second.ok and second.properties() == {}
    assert "before the joined time" in third.error


def test_blank_lines_duplicate_and_blank_header_names_are_handled(tmp_path: Path) -> None:
    header, rows = csvio.read_rows(io.StringIO("email,,email\n\n\na@example.com,x,y\n,,\n"), ",")
    assert header == ["email", "column 2", "email (2)"]
    assert [r.cells for r in rows] == [["a@example.com", "x", "y"]]
    assert csvio.read_rows(io.StringIO(""), ",")[0] == []
    assert csvio.guess_mapping(["E-Mail", "Status", "Vorname", "Email"]) == ["email", "state", "", ""]


def test_an_overlong_cell_makes_only_its_row_invalid(tmp_path: Path) -> None:
    content = (
        f"email,state,time,name\na@example.com,registered,,{'x' * 200_000}\nb@example.com,registered,,\n"
    )
    rows = _read(tmp_path, content.encode())
    assert [r.ok for r in rows][-1] is True
    assert any("could not be read" in r.error for r in rows)
    assert [r.email for r in rows if r.ok] == ["b@example.com"]


# Hypothesis ----------------------------------------------------------------------------------------------

NAMES = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=0xFF, blacklist_categories=("Cc",)), max_size=12
)
EMAILS = st.from_regex(r"[a-z][a-z0-9.]{0,10}@[a-z]{1,8}\.(com|de|jp)", fullmatch=True).filter(
    lambda e: ".." not in e and ".@" not in e
)
STATES = st.sampled_from(["registered", "Attended", "CANCELLED", "register", "attend", "cancel"])
TIMES = st.one_of(st.none(), st.integers(min_value=10**12, max_value=4 * 10**12))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.tuples(EMAILS, STATES, TIMES, NAMES), min_size=1, max_size=15),
    delimiter=st.sampled_from([",", ";"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1"]),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_no_valid_row_is_lost_whatever_the_encoding_separator_or_quoting(
    tmp_path: Path, rows: list[tuple[str, str, int | None, str]], delimiter: str, encoding: str, newline: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(["email", "state", "time", "first name"])
    for email, state, at, name in rows:
        writer.writerow([email, state, "" if at is None else at, name])
    parsed = _read(tmp_path, buffer.getvalue().encode(encoding, errors="replace"))
    expected = [
        (email, csvio.parse_state(state), at if at is not None else OPTIONS.default_at_ms)
        for email, state, at, _name in rows
    ]
    assert [(r.email, r.state, r.at_ms) for r in parsed] == expected
    assert all(r.ok for r in parsed), [r.error for r in parsed]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=400) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_no_input_makes_the_reader_raise(tmp_path: Path, content: bytes) -> None:
    """Except `NotACsv`, which refuses the whole file with a message (test_encodings.py)."""
    try:
        rows = _read(tmp_path, content)
    except csvio.NotACsv as refused:
        assert refused.message
        return
    for row in rows:
        assert row.ok or row.error


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=300) | st.sampled_from([b"", b"\n\n", b"email\n", b'"', b"\xff\xfe\x00a"]))
def test_no_upload_gives_a_server_error(
    content: bytes,
    portal: Portal,
    marketing_user: User,
    signed_in: Callable[[User], Client],
    mirrored_event: Event,
) -> None:
    response = signed_in(marketing_user).post(
        reverse("participation:import-new", args=[portal.hub_id, mirrored_event.object_id]),
        {"file": SimpleUploadedFile("x.csv", content)},
    )
    assert response.status_code in (302, 422)
    if response.status_code == 302:
        imp = Import.objects.latest("id")
        page = signed_in(marketing_user).get(response.url)
        assert page.status_code == 200
        assert imp.header


@pytest.fixture
def mirrored_event(portal: Portal) -> Event:
    return Event.objects.create(portal=portal, object_id="999001", name="Mirrored only")
