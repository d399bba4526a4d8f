"""Authentication as httpx.Auth objects, applied per request (the httpx.Client is shared across portals).

- `BearerAuth`: a private-app or static token.
- `DeveloperKeyAuth`: the developer API key as `?hapikey=` (the settings endpoints).
- `OAuthTokenAuth`: an OAuth access token that refreshes itself a few minutes before it expires, and once more
  when HubSpot answers 401 EXPIRED_AUTHENTICATION (then replays the request). New tokens go to `on_refresh`
  (the Django side stores them, encrypted). `lock` and `reload` make the refresh single-flight across
  processes: under the lock the auth first reloads the stored tokens, and refreshes only if nobody else has.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Generator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from .errors import AuthenticationError, HubSpotError

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TokenSet:
    """An access token, its refresh token and when the access token expires (secrets hidden from repr)."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: datetime

    def expires_within(self, margin: timedelta, now: datetime) -> bool:
        return self.expires_at - margin <= now


type TokenRefresher = Callable[[str], TokenSet]
type LockFactory = Callable[[], AbstractContextManager[Any]]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class BearerAuth(httpx.Auth):
    """`Authorization: Bearer <token>` for a private-app or static token."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __repr__(self) -> str:
        return "BearerAuth(token=[redacted])"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


class DeveloperKeyAuth(httpx.Auth):
    """The developer API key in the query string (`hapikey`), which the settings endpoints take."""

    def __init__(self, api_key: str) -> None:
        self._key = api_key

    def __repr__(self) -> str:
        return "DeveloperKeyAuth(api_key=[redacted])"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        request.url = request.url.copy_merge_params({"hapikey": self._key})
        yield request


def is_expired_token_response(response: httpx.Response) -> bool:
    """A 401 whose body says EXPIRED_AUTHENTICATION (other 401s are not a reason to refresh)."""
    if response.status_code != 401:
        return False
    try:
        body = json.loads(response.content or b"{}")
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("category") == "EXPIRED_AUTHENTICATION"


class OAuthTokenAuth(httpx.Auth):
    """OAuth bearer auth with refresh ahead of expiry and one refresh-and-replay on an expired-token 401."""

    requires_response_body = True

    def __init__(
        self,
        tokens: TokenSet,
        *,
        refresh: TokenRefresher,
        on_refresh: Callable[[TokenSet], None] | None = None,
        lock: LockFactory | None = None,
        reload: Callable[[], TokenSet | None] | None = None,
        refresh_margin: timedelta = timedelta(minutes=5),
        now: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._tokens = tokens
        self._refresh_fn = refresh
        self._on_refresh = on_refresh
        self._thread_lock = threading.Lock()
        self._lock: LockFactory = lock or (lambda: self._thread_lock)
        self._reload = reload
        self._margin = refresh_margin
        self._now = now
        self.refresh_count = 0

    def __repr__(self) -> str:
        return f"OAuthTokenAuth(expires_at={self._tokens.expires_at.isoformat()})"

    @property
    def tokens(self) -> TokenSet:
        return self._tokens

    def _fresh(self, tokens: TokenSet) -> bool:
        return not tokens.expires_within(self._margin, self._now())

    def refresh(self, stale: TokenSet | None = None) -> TokenSet:
        """Refresh now (single-flight): unless, under the lock, someone already replaced the `stale` token."""
        stale = stale or self._tokens
        with self._lock():
            if self._reload is not None:
                stored = self._reload()
                if stored is not None and stored.access_token != stale.access_token and self._fresh(stored):
                    self._tokens = stored
                    return stored
            current = self._tokens
            if current.access_token != stale.access_token and self._fresh(current):
                return current
            if not current.refresh_token:
                raise AuthenticationError("the access token expired and there is no refresh token")
            new = self._refresh_fn(current.refresh_token)
            if not new.refresh_token:  # keep whatever refresh token HubSpot returns, else the old one
                new = replace(new, refresh_token=current.refresh_token)
            self._tokens = new
            self.refresh_count += 1
            if self._on_refresh is not None:
                self._on_refresh(new)
            return new

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        tokens = self._tokens
        if not self._fresh(tokens):
            try:
                tokens = self.refresh(tokens)
            except HubSpotError:
                if tokens.expires_at <= self._now():
                    raise
                # Refreshing early failed but the token still works: use it, and try again next request.
                logger.warning("early token refresh failed; using the current token until it expires")
        request.headers["Authorization"] = f"Bearer {tokens.access_token}"
        response = yield request
        if is_expired_token_response(response):
            tokens = self.refresh(tokens)
            request.headers["Authorization"] = f"Bearer {tokens.access_token}"
            yield request
