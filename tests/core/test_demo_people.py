from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from hsadmin.core.models import User

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("demo_people", *args, stdout=out)
    return out.getvalue()


def test_it_creates_one_person_per_role_and_prints_generated_passwords_once() -> None:
    first = _run()
    found = dict(re.findall(r"username: (\w+)\s+password: (\S+)", first))
    assert set(found) == {"marketing", "portaladmin", "manager"}
    assert len(set(found.values())) == 3  # generated, not fixed
    for username, password in found.items():
        assert authenticate(username=username, password=password) is not None
    assert {g.name for g in User.objects.get(username="manager").groups.all()} == {"Manager"}
    second = _run()
    assert "password:" not in second


def test_reset_passwords_prints_new_working_passwords() -> None:
    old = dict(re.findall(r"username: (\w+)\s+password: (\S+)", _run()))
    new = dict(re.findall(r"username: (\w+)\s+password: (\S+)", _run("--reset-passwords")))
    assert old["marketing"] != new["marketing"]
    assert authenticate(username="marketing", password=new["marketing"]) is not None
    assert authenticate(username="marketing", password=old["marketing"]) is None
