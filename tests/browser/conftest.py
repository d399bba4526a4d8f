"""Browser tests: Playwright drives Debian's Chromium, headless, against pytest-django's live server.

Every page the test opens is watched: a console error or a Content Security Policy violation fails the test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page

# Playwright's sync API runs an event loop in this thread; the test itself still talks to the database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


class PageProblems:
    """Console errors and CSP violations seen on a page."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        self.page = page
        self.foreign: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))

    def ignore_origin(self, origin: str) -> None:
        """Pages of another site the journey passes through (HubSpot's consent page) are not ours to judge."""
        self.foreign.append(origin)

    def _console(self, message: ConsoleMessage) -> None:
        if any(self.page.url.startswith(origin) for origin in self.foreign):
            return
        if message.type == "error" or "Content Security Policy" in message.text:
            self.errors.append(f"{message.text} ({message.location.get('url', '')})")


@pytest.fixture
def problems(page: Page) -> Iterator[PageProblems]:
    """Use in every browser test; fails the test if the page logged an error or broke the CSP."""
    watcher = PageProblems(page)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    yield watcher
    assert watcher.errors == [], watcher.errors
