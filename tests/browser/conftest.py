"""Browser tests: Playwright drives Debian's Chromium, headless, against pytest-django's live server.

Every page the test opens is watched: a console error or a Content Security Policy violation fails the test.
`looks_right()` checks what a person sees: no sideways scrolling, and axe-core (installed by `make test` with
npm, pinned in package-lock.json) finds no serious or critical accessibility violation.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page

# Playwright's sync API runs an event loop in this thread; the test itself still talks to the database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"laptop": (1280, 800), "phone": (390, 844)}


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
        self.expected_statuses: set[int] = set()
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))

    def ignore_origin(self, origin: str) -> None:
        """Pages of another site the journey passes through (HubSpot's consent page) are not ours to judge."""
        self.foreign.append(origin)

    def expect_status(self, status: int) -> None:
        """Answers with this status are part of the journey (a 422 for a refused filter): Chromium logs each one
        it loads as a console error, which is then not a problem of the page."""
        self.expected_statuses.add(status)

    def _console(self, message: ConsoleMessage) -> None:
        if any(self.page.url.startswith(origin) for origin in self.foreign):
            return
        if any(f"responded with a status of {status} " in message.text for status in self.expected_statuses):
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


@cache
def _axe_source() -> str:
    if not AXE.exists():
        raise RuntimeError(
            f"axe-core is missing at {AXE}. `make test` installs it; by hand: npm ci (npm is Debian's `npm`)."
        )
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line per rule and element.

    axe is evaluated through the DevTools protocol, which the page's Content Security Policy does not govern:
    the page keeps its strict CSP, and any violation of its own still fails the test."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.evaluate(_axe_source())
    found = page.evaluate(
        """async () => {
          const result = await window.axe.run(document, {resultTypes: ["violations"]});
          return result.violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .flatMap(v => v.nodes.map(n => `${v.impact} ${v.id}: ${v.help} at ${n.target.join(" ")}`));
        }"""
    )
    return list(found)


def sideways_scroll(page: Page) -> str | None:
    """How far the page scrolls sideways, if it does (None when it fits the window)."""
    extra = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if extra > 0:
        culprit = page.evaluate(
            """() => {
              const width = document.documentElement.clientWidth;
              const clipped = el => {
                if (getComputedStyle(el).position === "absolute") return false;  // may escape its scroller
                for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
                  if (getComputedStyle(up).overflowX !== "visible") return true;
                }
                return false;
              };
              const wide = [...document.querySelectorAll("body *")].filter(el => {
                const box = el.getBoundingClientRect();
                return box.right > width + 1 && getComputedStyle(el).position !== "fixed" && !clipped(el);
              });
              const outermost = wide.filter(el => !wide.includes(el.parentElement));
              return outermost.slice(0, 3).map(el => el.tagName.toLowerCase()
                + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string"
                ? "." + el.className.trim().split(/\\s+/).join(".") : "")).join(", ");
            }"""
        )
        return f"scrolls {extra}px sideways ({culprit})"
    return None


def looks_right(page: Page) -> list[str]:
    """What is wrong with the page as a person sees it: sideways scrolling and axe's serious violations."""
    problems = [f"axe {v}" for v in axe_violations(page)]
    leaked = page.evaluate(r"() => (document.body.innerText.match(/\{[{%#][^\n]{0,40}/) || [null])[0]")
    if leaked:
        problems.append(f"template syntax shown on the page: {leaked}")
    scroll = sideways_scroll(page)
    if scroll:
        problems.append(scroll)
    return problems


def assert_once(page: Page, selector: str) -> None:
    """A swapped region is on the page exactly once (a swap into itself would nest a second copy)."""
    count = page.locator(selector).count()
    assert count == 1, f"{selector} is on the page {count} times"
