"""Every page needs a sign-in unless it is marked public; each role sees only its own navigation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hsadmin.core.models import User
from hsadmin.core.nav import NAV

pytestmark = pytest.mark.django_db

# The only URLs anyone may open signed out.
PUBLIC = {"login", "healthz"}


def _named_patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            found += _named_patterns(entry, ns)
        elif entry.name:
            found.append((prefix + entry.name, entry))
    return found


def _concrete_url(name: str, pattern: URLPattern) -> str | None:
    if pattern.pattern.regex.groups:
        return None  # views with arguments are covered by their feature's permission tests
    return reverse(name)


def test_every_page_except_the_public_ones_sends_a_signed_out_visitor_to_sign_in(client: Client) -> None:
    checked = 0
    for name, pattern in _named_patterns(get_resolver()):
        url = _concrete_url(name, pattern)
        if url is None or name.startswith("admin:") or name in PUBLIC:
            continue
        response = client.get(url)
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("login")), name
        checked += 1
    assert checked >= 2


def test_the_public_pages_open_without_signing_in(client: Client) -> None:
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("healthz")).json() == {"status": "ok"}


def test_the_django_admin_stays_for_superusers_only(client: Client, marketing_user: User) -> None:
    client.force_login(marketing_user)
    assert client.get("/admin/").status_code == 302
    boss = User.objects.create_superuser("boss", password="x-long-enough-password")
    client.force_login(boss)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("marketing_user", {"Events", "Contacts", "Jobs"}),
        ("portal_admin_user", {"Portals", "People", "Activity", "Settings", "Jobs"}),
        ("manager_user", {"Events", "Contacts", "Reports", "Jobs"}),
    ],
)
def test_each_role_sees_only_its_own_navigation(
    request: pytest.FixtureRequest, signed_in: Callable[[User], Client], persona: str, expected: set[str]
) -> None:
    user = request.getfixturevalue(persona)
    links = signed_in(user).get(reverse("home")).context["nav_links"]
    shown = {str(link.label) for link in links}
    # Items appear only once their feature exists; whatever appears must belong to this role.
    existing = {str(item.label) for item in NAV if _resolves(item.url_name)}
    assert shown == expected & existing


def _resolves(url_name: str) -> bool:
    from django.urls import NoReverseMatch

    try:
        reverse(url_name)
    except NoReverseMatch:
        return False
    return True


def test_a_person_without_a_role_sees_no_feature_navigation(
    make_person: Callable[..., User], client: Client
) -> None:
    client.force_login(make_person("norole"))
    response = client.get(reverse("home"))
    assert response.context["nav_links"] == []
    assert "no role yet" in response.text


def test_navigation_filters_items_by_capability_and_leaves_out_features_not_built(
    monkeypatch: pytest.MonkeyPatch,
    signed_in: Callable[[User], Client],
    marketing_user: User,
    manager_user: User,
) -> None:
    from hsadmin.core import nav

    monkeypatch.setattr(
        nav,
        "NAV",
        (
            nav.NavItem("Write", "core:preferences", ("change_events",)),
            nav.NavItem("Read", "home", ("view_reports",)),
            nav.NavItem("Not built yet", "nowhere:index", ("view_events",)),
        ),
    )
    assert [str(link.label) for link in signed_in(marketing_user).get("/").context["nav_links"]] == ["Write"]
    assert [str(link.label) for link in signed_in(manager_user).get("/").context["nav_links"]] == ["Read"]


@pytest.mark.parametrize(
    ("persona", "path", "current"),
    [
        ("portal_admin_user", "/portals/people/", "People"),
        ("portal_admin_user", "/portals/", "Portals"),
        ("marketing_user", "/p/1/events/", "Events"),
        ("marketing_user", "/p/1/events/9/participation/breakdown/", "Events"),
        ("marketing_user", "/p/1/contacts/", "Contacts"),
        ("marketing_user", "/jobs/3/", "Jobs"),
        ("marketing_user", "/me/preferences/", None),
    ],
)
def test_the_navigation_marks_exactly_the_section_a_page_belongs_to(
    request: pytest.FixtureRequest, persona: str, path: str, current: str | None
) -> None:
    from django.test import RequestFactory

    from hsadmin.core.nav import nav_for

    page = RequestFactory().get(path)
    page.user = request.getfixturevalue(persona)
    marked = [str(link.label) for link in nav_for(page) if link.active]
    assert marked == ([current] if current else [])
