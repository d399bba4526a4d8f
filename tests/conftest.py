"""Shared fixtures: the personas of design §8, and test-speed settings."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from hsadmin.core.models import User
from hsadmin.core.roles import Role

# The live HubSpot simulator (a real HTTP server in a subprocess): fixtures `live_simulator` and `sim`; and
# the secret scanner, which fails any test whose responses or logs show a token or a secret setting.
pytest_plugins = ["tests.live_simulator", "tests.secret_scan"]

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache (ids are reused once a test's rows are rolled back)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def make_person(db: None) -> Callable[..., User]:
    def make(username: str, *roles: Role, **fields: object) -> User:
        user = User.objects.create_user(username=username, password=PASSWORD, **fields)
        for role in roles:
            user.groups.add(Group.objects.get(name=role.value))
        return user

    return make


@pytest.fixture
def marketing_user(make_person: Callable[..., User]) -> User:
    return make_person("mara", Role.MARKETING, first_name="Mara")


@pytest.fixture
def portal_admin_user(make_person: Callable[..., User]) -> User:
    return make_person("pat", Role.PORTAL_ADMIN, first_name="Pat")


@pytest.fixture
def manager_user(make_person: Callable[..., User]) -> User:
    return make_person("max", Role.MANAGER, first_name="Max")


@pytest.fixture
def signed_in(client: Client) -> Callable[[User], Client]:
    """Sign a persona in on the test client: `signed_in(marketing_user).get(...)`."""

    def sign_in(user: User) -> Client:
        client.force_login(user)
        return client

    return sign_in
