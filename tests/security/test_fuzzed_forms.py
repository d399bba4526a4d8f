"""Fuzzed input never gives a 500 (design §5): random data posted to every view that takes a POST.

The views come from the URL configuration, as in the permission matrix (whose `world` and URL filling this
reuses). Each is posted to as the first persona it does not refuse, with field names from its own form (when it
has a page), from every form in hsadmin, and made up; values are random text, numbers, dates, lists, files.
The portal is connected but holds no tokens, so nothing reaches HubSpot. Bounded: a few examples per view.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_permission_matrix import ALL_URLS, PERSONAS, _url
from tests.test_permission_matrix import world as world

pytestmark = [pytest.mark.django_db]

FORM_MODULES = ("core", "events", "lists", "participation", "portals", "reports", "appsettings")
REFUSED = {403, 404, 405}
NAME = re.compile(r'\bname="([^"]+)"')


def _all_form_fields() -> list[str]:
    for app in FORM_MODULES:
        importlib.import_module(f"hsadmin.{app}.forms")
    names: set[str] = set()
    pending: list[type] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls.__module__.startswith("hsadmin."):
            names |= set(getattr(cls, "base_fields", {}))
    return sorted(names)


FIELDS = _all_form_fields()
NASTY = [
    "",
    "0",
    "-1",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "2026-13-45",
    "2026-02-30T25:61",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\x00",
    "x" * 5000,
    "🙂",
    "on",
    "true",
]
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
value = st.one_of(
    st.sampled_from(NASTY),
    text,
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(str),
    st.lists(st.one_of(text, st.sampled_from(NASTY)), max_size=4),
    st.binary(max_size=300).map(lambda data: SimpleUploadedFile("upload.csv", data, "text/csv")),
)


def _choose_persona(client: Client, url: str, people: dict[str, Any]) -> tuple[str | None, list[str]]:
    """The first persona the view does not refuse, and the field names its page's forms have."""
    for persona in PERSONAS:
        client.force_login(people[persona])
        response = client.post(url, {})
        assert response.status_code < 500, (persona, response.status_code)
        if response.status_code not in REFUSED:
            page = client.get(url)
            names = NAME.findall(page.text) if page.status_code == 200 else []
            return persona, sorted(set(names) - {"csrfmiddlewaretoken"})
    return None, []


POSTABLE = [(name, pattern) for name, pattern in ALL_URLS if name not in {"logout"}]


@pytest.mark.parametrize(("name", "pattern"), POSTABLE, ids=[name for name, _ in POSTABLE])
def test_random_posts_to_each_view_never_give_a_server_error(
    name: str, pattern: URLPattern, world: dict[str, Any], client: Client
) -> None:
    url = _url(name, pattern, world)
    persona, own_fields = _choose_persona(client, url, world["people"])
    if persona is None:
        pytest.skip("every persona is refused, or the view takes no POST")
    keys = st.one_of(st.sampled_from(own_fields or FIELDS), st.sampled_from(FIELDS), text)
    user = world["people"][persona]

    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.dictionaries(keys, value, max_size=8), htmx=st.booleans())
    def post(data: dict[str, Any], htmx: bool) -> None:
        for item in data.values():
            if isinstance(item, SimpleUploadedFile):
                item.seek(0)
        client.force_login(user)
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.post(url, data, headers=headers)
        assert response.status_code < 500, f"{name} as {persona}: {response.status_code} for {data!r}"

    post()


def test_logout_takes_random_data_too(client: Client, world: dict[str, Any]) -> None:
    client.force_login(world["people"]["marketing"])
    response = client.post("/sign-out/", {"next": "https://evil.example/", "x": "\x00"})
    assert response.status_code == 302 and not response.url.startswith("https://evil")
