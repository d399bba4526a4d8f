"""The interface in English, German and Japanese, chosen per person, with dates, times and numbers to match.

Also keeps the translation catalogues honest: every message translated, nothing fuzzy, and the compiled `.mo`
files saying what the `.po` files say.
"""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from hsadmin.core.models import Job, User
from hsadmin.core.roles import Role
from hsadmin.events.models import Event
from hsadmin.portals.models import Membership, Portal

pytestmark = pytest.mark.django_db

TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]
STARTS = datetime(2026, 3, 1, 14, 30, tzinfo=UTC)


@pytest.fixture
def person(make_person: Callable[..., User]) -> Callable[..., User]:
    """A marketing person with the given language and time zone, member of one portal with one event."""

    def make(language: str, time_zone: str = "") -> User:
        user = make_person(f"p-{language or 'default'}", Role.MARKETING, first_name="Mara")
        user.language, user.time_zone = language, time_zone
        user.save(update_fields=["language", "time_zone"])
        portal, _created = Portal.objects.get_or_create(
            hub_id=4242, defaults={"name": "Demo portal", "status": "connected"}
        )
        Membership.objects.create(user=user, portal=portal, role=Role.MARKETING.value)
        Event.objects.get_or_create(
            portal=portal,
            object_id="1001",
            defaults={
                "name": "Spring webinar",
                "event_type": "WEBINAR",
                "starts_at": STARTS,
                "ends_at": STARTS.replace(hour=16),
                "hubspot_created_at": STARTS,
                "registrants": 1234,
            },
        )
        return user

    return make


def _events(client: Client) -> str:
    return client.get(reverse("events:list", args=[4242])).text


# The pages, per person.


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "de",
            [
                '<html lang="de">',
                "Willkommen, Mara",
                "Erste Schritte",
                "Persönliche Einstellungen",
                "Abmelden",
            ],
        ),
        ("ja", ['<html lang="ja">', "ようこそ、Mara さん", "はじめに", "個人設定", "ログアウト"]),
        ("en", ['<html lang="en">', "Welcome, Mara", "First steps", "Your preferences", "Sign out"]),
    ],
)
def test_the_home_page_speaks_the_persons_language(
    person: Callable[..., User], signed_in: Callable[[User], Client], language: str, expected: list[str]
) -> None:
    page = signed_in(person(language)).get(reverse("home")).text
    for text in expected:
        assert text in page


@pytest.mark.parametrize(
    ("language", "expected", "english"),
    [
        ("de", ["Marketing-Events", "Jetzt synchronisieren", "Sammelaktion", "Bevorstehend"], "Sync now"),
        ("ja", ["マーケティングイベント", "今すぐ同期", "一括操作", "開催予定"], "Sync now"),
    ],
)
def test_the_event_list_speaks_the_persons_language(
    person: Callable[..., User],
    signed_in: Callable[[User], Client],
    language: str,
    expected: list[str],
    english: str,
) -> None:
    page = _events(signed_in(person(language)))
    for text in expected:
        assert text in page
    assert english not in page


def test_two_people_see_the_same_page_each_in_their_own_language(
    person: Callable[..., User], client: Client
) -> None:
    german, japanese = person("de"), person("ja")
    client.force_login(german)
    assert "Jetzt synchronisieren" in _events(client)
    client.force_login(japanese)
    assert "今すぐ同期" in _events(client)
    client.force_login(german)
    assert "Jetzt synchronisieren" in _events(client)


def test_without_a_chosen_language_the_browsers_language_is_used(
    person: Callable[..., User], signed_in: Callable[[User], Client]
) -> None:
    page = signed_in(person("")).get(reverse("home"), headers={"Accept-Language": "ja,en;q=0.5"}).text
    assert "はじめに" in page


@pytest.mark.parametrize(
    ("language", "roles"),
    [
        ("de", "Ihre Rollen: Portal-Admin."),
        ("ja", "あなたのロール: ポータル管理者。"),
        ("en", "Your roles: Portal admin."),
    ],
)
def test_the_home_page_names_the_persons_roles_in_their_language(
    make_person: Callable[..., User], signed_in: Callable[[User], Client], language: str, roles: str
) -> None:
    admin = make_person("pat", Role.PORTAL_ADMIN, language=language)
    assert roles in signed_in(admin).get(reverse("home")).text


def test_portal_roles_are_named_in_the_language_of_whoever_reads_them(
    person: Callable[..., User],
) -> None:
    membership = Membership.objects.get(user=person("de"))
    membership.role = Role.PORTAL_ADMIN.value
    with translation.override("de"):
        assert membership.get_role_display() == "Portal-Admin"
    with translation.override("ja"):
        assert membership.get_role_display() == "ポータル管理者"


def test_event_action_confirmations_are_translated_for_each_request_not_once_at_start_up() -> None:
    from hsadmin.events.views import _ACTIONS

    with translation.override("de"):
        assert str(_ACTIONS["cancel"][1]) % {"name": "X"} == "„X“ ist abgesagt."
    with translation.override("ja"):
        assert str(_ACTIONS["cancel"][1]) % {"name": "X"} == "「X」をキャンセルしました。"


# Dates, times and numbers.


@pytest.mark.parametrize(
    ("language", "time_zone", "start"),
    [
        # One format per language everywhere (issue 17): the list speaks as the event's own page does.
        ("de", "Europe/Berlin", "1. März 2026 15:30"),
        ("ja", "Asia/Tokyo", "2026年3月1日23:30"),
        ("en", "America/New_York", "March 1, 2026, 9:30 a.m."),
        ("en", "", "March 1, 2026, 2:30 p.m."),  # the site's time zone, UTC
    ],
)
def test_event_start_times_show_in_the_persons_date_format_and_time_zone(
    person: Callable[..., User],
    signed_in: Callable[[User], Client],
    language: str,
    time_zone: str,
    start: str,
) -> None:
    assert start in _events(signed_in(person(language, time_zone)))


@pytest.mark.parametrize(
    ("language", "time_zone", "created"),
    [
        ("de", "Europe/Berlin", "1. März 2026 15:30"),
        ("ja", "Asia/Tokyo", "2026年3月1日23:30"),
        ("en", "America/New_York", "March 1, 2026, 9:30 a.m."),
    ],
)
def test_long_dates_spell_the_month_in_the_persons_language(
    person: Callable[..., User],
    signed_in: Callable[[User], Client],
    language: str,
    time_zone: str,
    created: str,
) -> None:
    page = signed_in(person(language, time_zone)).get(reverse("events:detail", args=[4242, "1001"])).text
    assert created in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", ["Events: 1.234 von 5.000", "12,3 Events/s", "dauerte 2 Minuten"]),
        ("ja", ["1,234 / 5,000件", "12.3件/秒", "所要時間 2 分"]),
        ("en", ["1,234 of 5,000 events", "12.3 events/s", "took 2 minutes"]),
    ],
)
def test_job_progress_counts_rates_and_durations_follow_the_language(
    language: str, expected: list[str]
) -> None:
    started = datetime(2026, 3, 1, 14, 30, tzinfo=UTC)
    job = Job(
        kind="events.sync",
        state="succeeded",
        total=5000,
        done=1234,
        started_at=started,
        finished_at=started + timedelta(seconds=100),
    )
    with translation.override(language):
        html = render_to_string("components/job_progress.html", {"job": job})
    for text in expected:
        assert text in html


def test_plain_counts_in_tables_are_not_grouped_in_any_language(
    person: Callable[..., User], signed_in: Callable[[User], Client]
) -> None:
    """USE_THOUSAND_SEPARATOR is off: a count such as 1234 registrants reads the same in every language."""
    assert settings.USE_THOUSAND_SEPARATOR is False
    for language in ("de", "ja"):
        assert re.search(r'<td class="num"[^>]*>1234</td>', _events(signed_in(person(language))))


# The preferences page.


@pytest.mark.parametrize("language", ["en", "de", "ja"])
def test_the_language_choice_names_each_language_in_its_own_words(
    person: Callable[..., User], signed_in: Callable[[User], Client], language: str
) -> None:
    page = signed_in(person(language)).get(reverse("core:preferences")).text
    for code, name in [("en", "English"), ("de", "Deutsch"), ("ja", "日本語")]:
        assert re.search(rf'<option value="{code}"[^>]*>{name}</option>', page)


def test_choosing_german_in_the_preferences_switches_the_interface(
    person: Callable[..., User], signed_in: Callable[[User], Client]
) -> None:
    user = person("en")
    client = signed_in(user)
    response = client.post(
        reverse("core:preferences"),
        {"first_name": "Mara", "last_name": "", "email": "", "time_zone": "Europe/Berlin", "language": "de"},
        follow=True,
    )
    assert "Ihre persönlichen Einstellungen sind gespeichert." in response.text
    user.refresh_from_db()
    assert (user.language, user.time_zone) == ("de", "Europe/Berlin")


# The catalogues: complete, not fuzzy, placeholders kept, and compiled.


@dataclass
class Message:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    def __str__(self) -> str:
        return repr(self.msgid)


def _read_po(path: Path) -> list[Message]:
    """A small .po reader: enough for the files makemessages writes (obsolete `#~` entries are skipped)."""
    messages: list[Message] = []
    current, target = Message(), ""
    lines = [*path.read_text(encoding="utf-8").splitlines(), ""]
    for line in lines:
        if not line.strip():
            if target:
                messages.append(current)
            current, target = Message(), ""
        elif line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(current, target, ast.literal_eval(line))
        else:
            keyword, _space, text = line.partition(" ")
            target = keyword
            if keyword == "msgctxt":
                current.msgctxt = ""
            _append(current, target, ast.literal_eval(text))
    return messages


def _append(message: Message, target: str, text: str) -> None:
    if target == "msgid":
        message.msgid += text
    elif target == "msgid_plural":
        message.msgid_plural += text
    elif target == "msgctxt":
        message.msgctxt = (message.msgctxt or "") + text
    else:  # msgstr or msgstr[n]
        index = int(target[7:-1]) if target.startswith("msgstr[") else 0
        message.msgstr[index] = message.msgstr.get(index, "") + text


def _catalogue(language: str) -> tuple[dict[str, str], list[Message]]:
    messages = _read_po(Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po")
    header = next(m for m in messages if m.msgid == "" and m.msgctxt is None)
    fields = dict(line.split(": ", 1) for line in header.msgstr[0].splitlines() if ": " in line)
    return fields, [m for m in messages if m is not header]


PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[-#0 +]*\d*(?:\.\d+)?[sdifr]|%%")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
NPLURALS = {"de": 2, "ja": 1}


def test_there_is_a_catalogue_for_every_language_but_english() -> None:
    assert sorted(TRANSLATED) == ["de", "ja"]
    for language in TRANSLATED:
        assert (Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po").exists()


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    _fields, messages = _catalogue(language)
    assert len(messages) > 500
    untranslated = [str(m) for m in messages if not m.msgstr or not all(m.msgstr.values())]
    fuzzy = [str(m) for m in messages if "fuzzy" in m.flags]
    assert untranslated == [], (
        f"{len(untranslated)} untranslated in {language}: run `make messages` and translate"
    )
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {language}: check each translation and remove the flag"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_header_names_the_language_and_its_plural_forms(language: str) -> None:
    fields, messages = _catalogue(language)
    assert fields["Language"] == language
    assert fields["Plural-Forms"].startswith(f"nplurals={NPLURALS[language]};")
    wrong = [
        str(m) for m in messages if m.msgid_plural and sorted(m.msgstr) != list(range(NPLURALS[language]))
    ]
    assert wrong == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder_and_tag(language: str) -> None:
    _fields, messages = _catalogue(language)
    broken = []
    for m in messages:
        wanted = set(PLACEHOLDER.findall(m.msgid)) | set(PLACEHOLDER.findall(m.msgid_plural))
        for text in m.msgstr.values():
            if set(PLACEHOLDER.findall(text)) != wanted or sorted(TAG.findall(text)) != sorted(
                TAG.findall(m.msgid)
            ):
                broken.append((m.msgid, text))
    assert broken == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_says_what_the_po_file_says(language: str) -> None:
    """The .mo files are committed (a clean clone works without gettext): they must not lag behind the .po."""
    _fields, messages = _catalogue(language)
    with (Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for m in messages:
        if m.msgid_plural:
            got = {
                i: compiled.npgettext(m.msgctxt, m.msgid, m.msgid_plural, n)
                if m.msgctxt is not None
                else compiled.ngettext(m.msgid, m.msgid_plural, n)
                for i, n in enumerate((1, 2)[: NPLURALS[language]])
            }
        else:
            got = {
                0: compiled.pgettext(m.msgctxt, m.msgid)
                if m.msgctxt is not None
                else compiled.gettext(m.msgid)
            }
        if got != m.msgstr:
            stale.append(m.msgid)
    assert stale == [], "run `manage.py compilemessages` after changing a .po file"
