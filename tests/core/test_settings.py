"""Production settings: a missing secret stops start-up naming it, and `check --deploy` is clean."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-0123456789abcdefghijklmnop",
    "ALLOWED_HOSTS": "hsadmin.example.com",
    "HSADMIN_TOKEN_KEYS": "tFhx0tXQh5WJEMAAHLyfS0YQqGJqg5Q6o8JYc2J1mXk=",
    "HUBSPOT_APP_ID": "123456",
    "HUBSPOT_CLIENT_ID": "client-id",
    "HUBSPOT_CLIENT_SECRET": "client-secret",
}


def _manage(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    inherited = {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in inherited and not k.startswith(("HUBSPOT_", "HSADMIN_", "DATABASE_URL"))
    }
    clean["HSADMIN_DATA_DIR"] = str(tmp_path)
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


def test_production_without_a_secret_key_refuses_to_start_and_names_it(tmp_path: Path) -> None:
    result = _manage(tmp_path, {"DEBUG": "false", "ALLOWED_HOSTS": "x.example"}, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize("name", ["HSADMIN_TOKEN_KEYS", "HUBSPOT_CLIENT_SECRET"])
def test_production_without_another_secret_refuses_to_start_and_names_it(tmp_path: Path, name: str) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != name}
    result = _manage(tmp_path, env, "check")
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {name} is not set" in result.stderr


def test_check_deploy_is_clean_with_the_documented_production_values(tmp_path: Path) -> None:
    result = _manage(tmp_path, PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_demo_runs_with_no_environment_and_keeps_its_generated_secret(tmp_path: Path) -> None:
    result = _manage(tmp_path, {}, "check")
    assert result.returncode == 0, result.stderr
    key_file = tmp_path / "dev-secret_key"
    first = key_file.read_text()
    _manage(tmp_path, {}, "check")
    assert key_file.read_text() == first
    assert oct(key_file.stat().st_mode)[-3:] == "600"


def _variables_read_by_settings() -> set[str]:
    import re

    source = (ROOT / "hsadmin" / "settings.py").read_text()
    found = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z0-9_]+)"', source))
    found |= set(re.findall(r'_required_in_production\(\s*"([A-Z0-9_]+)"', source))
    return found


def test_settings_read_the_core_variables() -> None:
    assert {
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "TIME_ZONE",
    } <= _variables_read_by_settings()


@pytest.mark.parametrize("name", sorted(_variables_read_by_settings()))
def test_env_example_and_readme_document_every_variable_settings_read(name: str) -> None:
    assert f"\n{name}=" in (ROOT / ".env.example").read_text(), f"add {name} to .env.example"
    assert f"`{name}`" in (ROOT / "README.md").read_text(), f"add {name} to the README's settings table"
