"""Issue 14's rule for `type: ignore`: few of them in the application, and each says why beside it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "hsadmin"
IGNORE = re.compile(r"#\s*type:\s*ignore(\[[^\]]*\])?(?P<rest>.*)$")


def _ignores() -> list[tuple[str, str]]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = IGNORE.search(line)
            if match:
                found.append((f"{path.relative_to(ROOT.parent)}:{number}", match["rest"]))
    return found


def test_every_type_ignore_in_the_application_says_why_beside_it() -> None:
    unexplained = [where for where, rest in _ignores() if not re.match(r"\s*#\s*\S", rest)]
    assert unexplained == []


def test_the_application_keeps_fewer_than_fifteen_type_ignores() -> None:
    assert len(_ignores()) < 15
