"""Shared fixtures: the personas of design §8, and test-speed settings."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from hsadmin.core.models import User
from hsadmin.core.roles import Role

# The live HubSpot simulator (a real HTTP server in a subprocess): fixtures `live_simulator` and `sim`; and
# the secret scanner, which fails any test whose responses or logs show a token or a secret setting.
pytest_plugins = ["tests.live_simulator", "tests.secret_scan"]

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache (ids are reused once a test's rows are rolled back)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _no_language_leaks() -> Iterator[None]:
    """A request in German leaves German active in the thread (LocaleMiddleware does not switch back): each
    test starts and ends in the site's language, so a later test never reads another language by accident."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


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
def workers(env: dict[str, str], tmp_path: Path) -> Iterator[Callable[[str], subprocess.Popen[bytes]]]:
    """Start real `manage.py db_worker` processes with the test module's `env` fixture (a file database);
    every one is killed when the test ends, whatever happens."""
    started: list[subprocess.Popen[bytes]] = []

    def start(worker_id: str) -> subprocess.Popen[bytes]:
        out = (tmp_path / f"{worker_id}.log").open("wb")
        command = [
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
            "--worker-id",
            worker_id,
        ]
        proc = subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, str(ROOT / "manage.py"), *command],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


@pytest.fixture
def signed_in(client: Client) -> Callable[[User], Client]:
    """Sign a persona in on the test client: `signed_in(marketing_user).get(...)`."""

    def sign_in(user: User) -> Client:
        client.force_login(user)
        return client

    return sign_in
