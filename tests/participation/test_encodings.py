"""CSV files as spreadsheets really write them: UTF-16, Windows-1252, byte-order marks; and files that are no CSV
at all (archives, binaries), a header too long to read, and uploads or pastes past the limits. Every fixture is
written by the test itself."""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hsadmin.core.models import Job, User
from hsadmin.events.models import Event
from hsadmin.participation import csvio
from hsadmin.participation.models import Import
from hsadmin.portals.models import Portal

OPTIONS = csvio.Options(mapping=["email", "state", "prop:firstname", "prop:company"])
# Excel's usual export on Windows: typographic quotes and the euro sign live in 0x80-0x9F of Windows-1252.
WESTERN_TEXT = (
    "email;state;first name;company\r\n"
    "zoe@example.com;attended;Zoë;“Müller & Söhne” – 5 €\r\n"
    "jorg@example.com;registered;Jörg;Café Crème\r\n"
)


def _read(tmp_path: Path, content: bytes) -> list[csvio.ParsedRow]:
    path = tmp_path / "upload.csv"
    stored = csvio.store_upload(
        [content[i : i + 7] for i in range(0, len(content), 7)], path, max_bytes=10**8
    )
    delimiter = csvio.sniff_delimiter(path, stored.encoding)
    with csvio.open_text(path, stored.encoding) as text:
        header, rows = csvio.read_rows(text, delimiter)
        return [csvio.parse_row(raw, header, OPTIONS) for raw in rows]


@pytest.mark.parametrize(
    "content",
    [
        WESTERN_TEXT.encode("utf-16"),  # with its byte-order mark (Excel's "Unicode text")
        WESTERN_TEXT.encode("utf-16-le"),
        WESTERN_TEXT.encode("utf-16-be"),
        WESTERN_TEXT.encode("utf-8-sig"),
        WESTERN_TEXT.encode("utf-8"),
        WESTERN_TEXT.encode("cp1252"),
        WESTERN_TEXT.encode("utf-32"),
    ],
    ids=["UTF-16 with BOM", "UTF-16 LE", "UTF-16 BE", "UTF-8 with BOM", "UTF-8", "Windows-1252", "UTF-32"],
)
def test_every_encoding_a_spreadsheet_saves_in_reads_the_same_letters(tmp_path: Path, content: bytes) -> None:
    rows = _read(tmp_path, content)
    assert [(r.email, r.state, r.error) for r in rows] == [
        ("zoe@example.com", "attend", ""),
        ("jorg@example.com", "register", ""),
    ]
    assert rows[0].contact_properties == {"firstname": "Zoë", "company": "“Müller & Söhne” – 5 €"}
    assert rows[1].contact_properties == {"firstname": "Jörg", "company": "Café Crème"}


def test_a_long_windows_1252_file_keeps_its_quotes_and_euros(tmp_path: Path) -> None:
    """Longer than the detector's sample, which is cut inside the file."""
    names = ["Zoë", "Jörg", "François", "Ève", "Anna", "Peter", "Sören", "Chloé", "Jürgen", "Renée", "Björn"]
    companies = ["Café Crème", "“Müller & Söhne”", "Acme – Europe", "Bäckerei Größe", "Smith’s Ltd", "10 €"]
    body = "".join(
        f"p{i}@example.com;registered;{names[i % len(names)]};{companies[i * 7 % len(companies)]}\r\n"
        for i in range(5000)
    )
    rows = _read(tmp_path, ("email;state;first name;company\r\n" + body).encode("cp1252"))
    assert len(rows) == 5000 and all(r.ok for r in rows)
    assert {r.contact_properties["company"] for r in rows} == set(companies)
    assert {r.contact_properties["firstname"] for r in rows} == set(names)


def test_other_code_pages_are_left_to_the_detector(tmp_path: Path) -> None:
    text = (
        "email;first name;company\r\na@example.com;Иван;Петров и сыновья\r\nb@example.com;Мария;Сидорова\r\n"
    )
    path = tmp_path / "cyrillic.csv"
    path.write_bytes(text.encode("cp1251"))
    assert csvio.detect_encoding(path) == "cp1251"
    japanese = "email,name,company\na@example.com,山田太郎,株式会社テスト\nb@example.com,佐藤花子,東京商事\n"
    path.write_bytes(japanese.encode("shift_jis"))
    assert path.read_bytes().decode(csvio.detect_encoding(path)) == japanese


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("people.csv", "email,state\na@example.com,registered\n")
    return buffer.getvalue()


NOT_CSV = {
    "zip": _zip(),
    "gzip": gzip.compress(b"email,state\na@example.com,registered\n"),
    "binary": bytes(range(256)) * 8,
    "PNG": b"\x89PNG\r\n\x1a\n" + bytes(64),
    "binary without NULs": bytes(range(1, 32)) * 40,
}


@pytest.mark.parametrize("content", NOT_CSV.values(), ids=NOT_CSV.keys())
def test_archives_and_binary_files_are_not_a_csv(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(csvio.NotACsv, match="not a CSV"):
        csvio.store_upload([content], tmp_path / "x.csv", max_bytes=10**6)
    assert not (tmp_path / "x.csv").exists()


def test_a_header_longer_than_the_field_limit_is_refused_not_skipped() -> None:
    text = io.StringIO(f"email,{'x' * (csvio.MAX_FIELD + 10)}\nsecret@example.com,registered\n")
    with pytest.raises(csvio.NotACsv, match="header row cannot be read"):
        csvio.read_rows(text, ",")


# Through the page ------------------------------------------------------------------------------------------


@pytest.fixture
def upload_url(portal: Portal) -> str:
    event = Event.objects.create(portal=portal, object_id="999002", name="Mirrored only")
    return reverse("participation:import-new", args=[portal.hub_id, event.object_id])


@pytest.mark.django_db
@pytest.mark.parametrize("content", NOT_CSV.values(), ids=NOT_CSV.keys())
def test_the_upload_page_says_an_archive_or_binary_is_not_a_csv(
    content: bytes, upload_url: str, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    response = signed_in(marketing_user).post(upload_url, {"file": SimpleUploadedFile("people.csv", content)})
    assert response.status_code == 422
    assert "This is not a CSV file" in response.text
    assert not Import.objects.exists()


@pytest.mark.django_db
def test_the_upload_page_refuses_an_unreadable_header(
    upload_url: str, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    content = f"email,{'x' * 200_000}\na@example.com,registered\n".encode()
    response = signed_in(marketing_user).post(upload_url, {"file": SimpleUploadedFile("people.csv", content)})
    assert response.status_code == 422
    assert "The header row cannot be read" in response.text
    assert not Import.objects.exists()


@pytest.mark.django_db
def test_a_cp1252_upload_shows_its_quotes_and_euros_in_the_first_rows(
    upload_url: str, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    response = signed_in(marketing_user).post(
        upload_url, {"file": SimpleUploadedFile("people.csv", WESTERN_TEXT.encode("cp1252"))}
    )
    assert response.status_code == 302
    imp = Import.objects.get()
    assert imp.encoding == "cp1252"
    assert imp.sample[0][3] == "“Müller & Söhne” – 5 €"


@pytest.mark.django_db
def test_a_file_with_more_rows_than_allowed_is_refused_at_upload_before_any_lookup(
    settings: pytest.FixtureRequest,
    upload_url: str,
    marketing_user: User,
    signed_in: Callable[[User], Client],
) -> None:
    settings.HSADMIN_IMPORT_MAX_ROWS = 3
    client = signed_in(marketing_user)
    four = b"email,state\n" + b"".join(b"p%d@example.com,registered\n" % i for i in range(4))
    response = client.post(upload_url, {"file": SimpleUploadedFile("people.csv", four)})
    assert response.status_code == 422
    assert "more than 3 rows" in response.text
    assert not Import.objects.exists() and not Job.objects.exists()
    # Blank lines are not rows; three rows are allowed.
    three = b"email,state\n\n" + b"".join(b"p%d@example.com,registered\n\n" % i for i in range(3))
    assert client.post(upload_url, {"file": SimpleUploadedFile("people.csv", three)}).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True], ids=["production", "DEBUG"])
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "HTMX"])
def test_a_paste_over_the_request_limit_gets_the_same_message_as_a_large_file(
    htmx: bool,
    debug: bool,
    settings: pytest.FixtureRequest,
    upload_url: str,
    marketing_user: User,
    signed_in: Callable[[User], Client],
) -> None:
    settings.DEBUG = debug  # with DEBUG, Django would show its technical 400 page
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    client = signed_in(marketing_user)
    pasted = "email,state\n" + "someone@example.com,registered\n" * 40_000
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(upload_url, {"text": pasted}, headers=headers)
    assert response.status_code == 422
    assert "The file is larger than 1 MB. Split it into smaller files and import each." in response.text
    assert ("<html" in response.text) is not htmx
    assert not Import.objects.exists()


@pytest.mark.django_db
def test_a_body_over_the_request_limit_elsewhere_gets_a_page_not_a_bare_400(
    settings: pytest.FixtureRequest, marketing_user: User, signed_in: Callable[[User], Client]
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = signed_in(marketing_user).post(reverse("core:preferences"), {"x": "y" * 5000})
    assert response.status_code == 413
    assert "larger than" in response.text and "<html" in response.text
    signed_out = Client().post(reverse("login"), {"username": "y" * 5000})
    assert signed_out.status_code == 413 and "larger than" in signed_out.text


def test_counting_rows_agrees_with_reading_them(tmp_path: Path) -> None:
    content = (
        "\n  \n email,state,note\n\n"
        'a@example.com,registered,"two\nlines"\n'
        " , ,\n"
        f"b@example.com,registered,{'x' * (csvio.MAX_FIELD + 1)}\n"
        "c@example.com,attended,\n\n"
    )
    path = tmp_path / "rows.csv"
    path.write_text(content, encoding="utf-8")
    with csvio.open_text(path, "utf-8") as text:
        _header, rows = csvio.read_rows(text, ",")
        read = list(rows)
    assert len(read) == 3 and read[1].error  # the overlong cell's row is one row, unreadable
    assert csvio.count_rows(path, "utf-8", ",", stop_after=10) == 3
    assert csvio.count_rows(path, "utf-8", ",", stop_after=1) == 2  # stops once past the limit
