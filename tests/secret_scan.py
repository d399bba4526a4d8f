"""A pytest plugin: no test may see a secret in a response hsadmin served or in a log record (design §3, rule 9).

Loaded from ``tests/conftest.py`` (``pytest_plugins``). For every test it watches:

- **responses**: a middleware, first in MIDDLEWARE for the whole session, reads each non-streaming response's
  body and headers, whether the test client or the live server (browser tests) served it;
- **log records**: a handler on the root logger keeps each record's message (and its exception text).

and fails the test (at teardown) when any of these appears in them: every portal access or refresh token the
test stored in or read from the database (seen as it passes through `hsadmin.portals.crypto`, so the scan
costs no query), ``SECRET_KEY``, ``HUBSPOT_CLIENT_SECRET``, ``HUBSPOT_DEVELOPER_API_KEY`` and each
``HSADMIN_TOKEN_KEYS`` key. A test that must show a secret on purpose (none should) can be marked
``@pytest.mark.secrets_allowed``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest

MIN_LENGTH = 8  # shorter values are test placeholders; matching them would only give false alarms
MIDDLEWARE = "tests.secret_scan.SecretScanMiddleware"

_lock = threading.Lock()
_tokens: set[str] = set()  # every token seen going through the cipher: stored ones stay secret for good
_findings: list[str] = []
_settings_seen: set[str] = set()


def remember_token(value: object) -> None:
    text = str(value or "")
    if len(text) >= MIN_LENGTH:
        with _lock:
            _tokens.add(text)


def settings_secrets() -> dict[str, str]:
    from django.conf import settings

    found = {
        "SECRET_KEY": str(getattr(settings, "SECRET_KEY", "") or ""),
        "HUBSPOT_CLIENT_SECRET": str(getattr(settings, "HUBSPOT_CLIENT_SECRET", "") or ""),
        "HUBSPOT_DEVELOPER_API_KEY": str(getattr(settings, "HUBSPOT_DEVELOPER_API_KEY", "") or ""),
    }
    for index, key in enumerate(getattr(settings, "HSADMIN_TOKEN_KEYS", []) or []):
        found[f"HSADMIN_TOKEN_KEYS[{index}]"] = str(key)
    return {name: value for name, value in found.items() if len(value) >= MIN_LENGTH}


def known_secrets() -> dict[str, str]:
    """Name → value of everything that must never show, as of now."""
    named = settings_secrets()
    with _lock:
        _settings_seen.update(named.values())
        tokens = list(_tokens)
    named.update({f"a portal token ({token[:4]}…)": token for token in tokens})
    return named


def leaks(text: str, secrets: dict[str, str] | None = None) -> list[str]:
    """The names of the secrets that appear in `text`."""
    secrets = known_secrets() if secrets is None else secrets
    return [name for name, value in secrets.items() if value in text]


class SecretScanMiddleware:
    """Reads every response on its way out; a finding fails the test at teardown (the response is untouched)."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        response = self.get_response(request)
        where = f"{request.method} {request.get_full_path()} → {response.status_code}"
        self._check(where, "\n".join(f"{k}: {v}" for k, v in response.items()))
        if getattr(response, "streaming", False):
            if not getattr(response, "is_async", False):
                response.streaming_content = self._watch(where, response.streaming_content)
            return response
        self._check(where, response.content.decode("utf-8", "replace"))
        return response

    @staticmethod
    def _check(where: str, text: str) -> None:
        found = leaks(text)
        if found:
            with _lock:
                _findings.append(f"{where}: {found}")

    def _watch(self, where: str, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """A streamed body (CSV exports, files), read as it goes; a secret split across two chunks is caught."""
        tail = ""
        for chunk in chunks:
            text = tail + (chunk.decode("utf-8", "replace") if isinstance(chunk, bytes) else str(chunk))
            self._check(where, text)
            tail = text[-200:]
            yield chunk


class _LogCatcher(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.texts: list[str] = []
        self._formatter = logging.Formatter()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = f"{record.name}: {record.getMessage()}"
            if record.exc_info:
                text += "\n" + self._formatter.formatException(record.exc_info)
        except Exception:  # a record that cannot format is not ours to judge
            return
        with _lock:
            self.texts.append(text)


def _install_cipher_hooks() -> None:
    from hsadmin.portals import crypto

    if getattr(crypto, "_secret_scan_installed", False):
        return
    encrypt, decrypt = crypto.encrypt, crypto.decrypt

    def watched_encrypt(value: str) -> str:
        remember_token(value)
        return encrypt(value)

    def watched_decrypt(value: str) -> str:
        clear = decrypt(value)
        remember_token(clear)
        return clear

    crypto.encrypt, crypto.decrypt = watched_encrypt, watched_decrypt
    crypto._secret_scan_installed = True  # type: ignore[attr-defined]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "secrets_allowed: the secret scanner does not judge this test")


@pytest.fixture(scope="session", autouse=True)
def _secret_scan_installed(django_test_environment: None) -> Iterator[None]:
    from django.conf import settings

    _install_cipher_hooks()
    if MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [MIDDLEWARE, *settings.MIDDLEWARE]
    yield


def _report(where: str, texts: Iterable[str]) -> list[str]:
    secrets = known_secrets()
    for value in list(_settings_seen):
        secrets.setdefault(f"a secret setting ({value[:4]}…)", value)
    return [f"{where}: {found} in {text[:300]!r}" for text in texts if (found := leaks(text, secrets))]


@pytest.fixture(autouse=True)
def _no_secrets_shown(request: pytest.FixtureRequest) -> Iterator[None]:
    catcher = _LogCatcher()
    root = logging.getLogger()
    root.addHandler(catcher)
    with _lock:
        _findings.clear()
        _settings_seen.clear()
    known_secrets()  # note this test's settings
    try:
        yield
    finally:
        root.removeHandler(catcher)
    with _lock:
        responses = list(_findings)
        _findings.clear()
    problems = [f"response {finding}" for finding in responses] + _report("log", catcher.texts)
    if problems and request.node.get_closest_marker("secrets_allowed") is None:
        pytest.fail("A secret was shown:\n" + "\n".join(problems), pytrace=False)
