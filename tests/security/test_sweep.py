"""A sweep of every GET view, generated from the URL configuration, with extreme query values for each role:
no 500, and each answer a page or a clear 4xx. And every page that answers GET answers HEAD the same way.

The URLs, personas and their world come from the permission matrix (tests/test_permission_matrix.py), so a new
view is swept as soon as it is in the matrix.
"""

from __future__ import annotations

import pytest
from django.test import Client

from hsadmin.core.models import User
from tests.test_permission_matrix import ALL_URLS, EXPECTED, NOT_ALLOWED, PERSONAS, _url, world  # noqa: F401

pytestmark = pytest.mark.django_db

LONG = "x" * 5000
# Every query parameter a page of hsadmin reads (filters, sorting, paging, HTMX's "load more").
PARAMETERS = (
    "q", "page", "sort", "per_page", "status", "app", "type", "starts_from", "starts_to", "since", "until",
    "period", "portal", "person", "action", "state", "contact", "after", "show", "offset", "next", "kind",
)  # fmt: skip
EXTREMES: dict[str, dict[str, str]] = {
    "huge page": {"page": str(10**20), "per_page": str(10**20), "offset": str(10**20)},
    "negative page": {"page": "-1", "per_page": "-1", "offset": "-1", "portal": "-1"},
    "unknown sorts": {"sort": "password", "app": "nobody", "status": "gone", "period": "forever", "state": "x"},
    "year 1": {
        "period": "custom", "since": "0001-01-01", "until": "0001-01-02", "starts_from": "0001-01-01",
        "starts_to": "0001-01-01",
    },
    "year 9999": {
        "period": "custom", "since": "9999-12-30", "until": "9999-12-31", "starts_from": "9999-12-31",
        "starts_to": "9999-12-31",
    },
    "5,000 characters everywhere": dict.fromkeys(PARAMETERS, LONG),
    "odd characters": dict.fromkeys(PARAMETERS, "\x00'\"<script>%00../../\u202e\ud7ff"),
    "no values": dict.fromkeys(PARAMETERS, ""),
}  # fmt: skip
CLEAR = {200, 302, 400, 401, 403, 404, 405, 413, 422}

GET_URLS = [(name, pattern) for name, pattern in ALL_URLS if set(EXPECTED[name]) != {NOT_ALLOWED}]


def _people(world: dict[str, object], make_superuser: User) -> dict[str, User]:  # noqa: F811
    return {**world["people"], "superuser": make_superuser}  # type: ignore[dict-item]


@pytest.fixture
def make_superuser(django_user_model: type[User]) -> User:
    return django_user_model.objects.create_superuser("root", "root@example.com", "pw-not-used")


@pytest.mark.parametrize(("name", "pattern"), GET_URLS, ids=[name for name, _ in GET_URLS])
def test_no_extreme_query_breaks_a_page_for_any_role(
    name: str,
    pattern: object,
    world: dict[str, object],  # noqa: F811
    make_superuser: User,
    client: Client,
) -> None:
    url = _url(name, pattern, world)  # type: ignore[arg-type]
    failures = []
    for persona, person in _people(world, make_superuser).items():
        client.force_login(person)
        for case, query in EXTREMES.items():
            for htmx in (False, True):
                response = client.get(url, query, headers={"HX-Request": "true"} if htmx else {})
                if response.status_code not in CLEAR:
                    failures.append((persona, case, htmx, response.status_code))
    assert not failures, failures


@pytest.mark.parametrize(("name", "pattern"), GET_URLS, ids=[name for name, _ in GET_URLS])
def test_every_page_that_answers_get_answers_head_the_same(
    name: str,
    pattern: object,
    world: dict[str, object],  # noqa: F811
    make_superuser: User,
    client: Client,
) -> None:
    url = _url(name, pattern, world)  # type: ignore[arg-type]
    for persona, person in _people(world, make_superuser).items():
        client.force_login(person)
        get, head = client.get(url), client.head(url)
        assert head.status_code == get.status_code, (persona, get.status_code, head.status_code)
        assert (b"".join(head.streaming_content) if head.streaming else head.content) == b""
    assert PERSONAS  # the matrix's personas, and a superuser


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("events:delete", {}),
        ("events:cancel", {}),
        ("events:complete", {}),
        ("lists:remove", {"list_id": "5"}),
    ],
)
def test_head_on_a_confirmation_page_changes_nothing(
    name: str,
    kwargs: dict[str, str],
    world: dict[str, object],  # noqa: F811
    client: Client,
) -> None:
    from django.urls import reverse

    from hsadmin.core.models import AuditEntry, Job
    from hsadmin.events.models import Event

    event = world["event"]
    client.force_login(world["people"]["marketing"])  # type: ignore[index]
    url = reverse(name, kwargs={"hub_id": event.portal.hub_id, "object_id": event.object_id, **kwargs})  # type: ignore[attr-defined]
    audits, jobs = AuditEntry.objects.count(), Job.objects.count()
    assert client.head(url).status_code == 200
    assert Event.objects.filter(pk=event.pk, cancelled=False).exists()  # type: ignore[attr-defined]
    assert (AuditEntry.objects.count(), Job.objects.count()) == (audits, jobs)
