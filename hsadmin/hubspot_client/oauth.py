"""OAuth: the authorize URL (state + PKCE), code exchange, refresh, token info and revoke.

v1 routes (`/oauth/v1/token`, `/oauth/v1/access-tokens/{token}`, `/oauth/v1/refresh-tokens/{token}`) and the
successor routes (`/oauth/v3/token`, `/token/introspect`, `/token/revoke`, and their date-versioned twins such
as `/oauth/2026-03/…`), which take every parameter in the form body. The token endpoints spend no portal budget.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Self
from urllib.parse import quote, urlencode

from ._api import Op, seg
from .auth import TokenSet
from .client import HUBSPOT_API_BASE, ClientCore

HUBSPOT_AUTH_BASE = "https://app.hubspot.com"
_OAUTH_VERSION = re.compile(r"^(v1|v3|\d{4}-\d{2})$")


def oauth_version_for(api_version: str) -> str:
    """The OAuth routes that go with an API version: v1 beside the v3 paths, the same date otherwise."""
    return "v1" if api_version == "v3" else api_version


@dataclass(frozen=True, slots=True)
class Pkce:
    """A PKCE pair: keep `verifier` server-side (session), send `challenge` in the authorize URL."""

    verifier: str = field(repr=False)
    challenge: str
    method: str = "S256"


def new_pkce() -> Pkce:
    verifier = secrets.token_urlsafe(64)  # 86 characters from the unreserved set (RFC 7636: 43-128)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return Pkce(verifier=verifier, challenge=base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii"))


def new_state() -> str:
    """An unguessable `state` to tie the callback to the session that started the flow."""
    return secrets.token_urlsafe(32)


def _scopes(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return ()


@dataclass(frozen=True, slots=True)
class TokenResponse:
    """The token endpoint's answer; `expires_at` is computed when it arrived."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_in: int
    expires_at: datetime
    token_type: str | None = None
    token_use: str | None = None
    hub_id: int | None = None
    user_id: int | None = None
    scopes: tuple[str, ...] = ()
    id_token: str | None = field(default=None, repr=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any], now: datetime) -> Self:
        expires_in = int(data.get("expires_in", 0))
        return cls(
            access_token=str(data["access_token"]),
            refresh_token=data.get("refresh_token"),
            expires_in=expires_in,
            expires_at=now + timedelta(seconds=expires_in),
            token_type=data.get("token_type"),
            token_use=data.get("token_use"),
            hub_id=None if data.get("hub_id") is None else int(data["hub_id"]),
            user_id=None if data.get("user_id") is None else int(data["user_id"]),
            scopes=_scopes(data.get("scopes", data.get("scope"))),
            id_token=data.get("id_token"),
        )

    def token_set(self) -> TokenSet:
        return TokenSet(self.access_token, self.refresh_token, self.expires_at)


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """Token metadata: v1 access-/refresh-token info, or a v3/date introspection (`active` set)."""

    token_type: str | None
    hub_id: int | None
    user_id: int | None
    scopes: tuple[str, ...]
    app_id: int | None = None
    client_id: str | None = None
    expires_in: int | None = None
    user: str | None = None
    hub_domain: str | None = None
    active: bool | None = None
    token_use: str | None = None
    token: str | None = field(default=None, repr=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        def num(key: str) -> int | None:
            value = data.get(key)
            return None if value is None else int(value)

        return cls(
            token_type=data.get("token_type"),
            hub_id=num("hub_id"),
            user_id=num("user_id"),
            scopes=_scopes(data.get("scopes", data.get("scope"))),
            app_id=num("app_id"),
            client_id=None if data.get("client_id") is None else str(data["client_id"]),
            expires_in=num("expires_in"),
            user=data.get("user"),
            hub_domain=data.get("hub_domain"),
            active=data.get("active"),
            token_use=data.get("token_use"),
            token=data.get("token"),
        )


class OAuthClient(ClientCore):
    """The app's OAuth calls. One per process is enough; it carries the client secret, never a portal token."""

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        base_url: str = HUBSPOT_API_BASE,
        auth_base: str = HUBSPOT_AUTH_BASE,
        version: str = "v1",
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        **options: Any,
    ) -> None:
        super().__init__(base_url=base_url, **options)
        if not _OAUTH_VERSION.match(version):
            raise ValueError(f"unknown OAuth version {version!r}: use 'v1', 'v3' or a date like '2026-03'")
        self.client_id = client_id
        self._client_secret = client_secret
        self.auth_base = auth_base.rstrip("/")
        self.version = version
        self._now = now

    def __repr__(self) -> str:
        return f"OAuthClient(client_id={self.client_id!r}, version={self.version!r}, secret=[redacted])"

    def authorize_url(
        self,
        redirect_uri: str,
        scopes: Sequence[str],
        *,
        optional_scopes: Sequence[str] = (),
        state: str | None = None,
        pkce: Pkce | None = None,
        hub_id: int | None = None,
    ) -> str:
        """The browser URL {auth_base}/oauth/authorize?client_id=&redirect_uri=&scope=&optional_scope=&state=
        &code_challenge=&code_challenge_method=S256 (scopes space-separated, encoded as %20); with `hub_id`,
        the account-specific form /oauth/{hub_id}/authorize."""
        params: dict[str, str] = {"client_id": self.client_id, "redirect_uri": redirect_uri}
        if scopes:
            params["scope"] = " ".join(scopes)
        if optional_scopes:
            params["optional_scope"] = " ".join(optional_scopes)
        if state:
            params["state"] = state
        if pkce is not None:
            params["code_challenge"] = pkce.challenge
            params["code_challenge_method"] = pkce.method
        where = f"/oauth/{int(hub_id)}/authorize" if hub_id is not None else "/oauth/authorize"
        return f"{self.auth_base}{where}?{urlencode(params, quote_via=quote)}"

    @property
    def _token_path(self) -> str:
        return f"/oauth/{self.version}/token"

    @property
    def _successor(self) -> str:
        return "v3" if self.version == "v1" else self.version

    def _token(self, op: Op, form: dict[str, str]) -> TokenResponse:
        form = {**form, "client_id": self.client_id, "client_secret": self._client_secret}
        data = self._json(op, "POST", self._token_path, data=form, auth=None)
        return TokenResponse.from_api(data or {}, self._now())

    def exchange_code(
        self, code: str, redirect_uri: str, *, code_verifier: str | None = None
    ) -> TokenResponse:
        """POST /oauth/v1/token (or /oauth/{version}/token), grant_type=authorization_code. The code is
        single-use, so a failure after the request left is never retried."""
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        if code_verifier:
            form["code_verifier"] = code_verifier
        return self._token(Op("oauth.exchange_code", idempotent=False, oauth=True), form)

    def refresh_access_token(self, refresh_token: str) -> TokenResponse:
        """POST /oauth/v1/token (or /oauth/{version}/token), grant_type=refresh_token."""
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        return self._token(Op("oauth.refresh_access_token", oauth=True), form)

    def token_refresher(self) -> Callable[[str], TokenSet]:
        """The `refresh` callable that `OAuthTokenAuth` takes."""
        return lambda refresh_token: self.refresh_access_token(refresh_token).token_set()

    def get_access_token_info(self, access_token: str) -> TokenInfo:
        """GET /oauth/v1/access-tokens/{token}: hub, app, user, scopes, seconds left (deprecated by HubSpot)."""
        path = f"/oauth/v1/access-tokens/{seg(access_token)}"
        return TokenInfo.from_api(
            self._json(Op("oauth.access_token_info", oauth=True), "GET", path, auth=None)
        )

    def get_refresh_token_info(self, refresh_token: str) -> TokenInfo:
        """GET /oauth/v1/refresh-tokens/{token}."""
        path = f"/oauth/v1/refresh-tokens/{seg(refresh_token)}"
        data = self._json(Op("oauth.refresh_token_info", oauth=True), "GET", path, auth=None)
        return TokenInfo.from_api(data)

    def revoke_refresh_token(self, refresh_token: str) -> None:
        """DELETE /oauth/v1/refresh-tokens/{token}: 204; access tokens already issued keep working."""
        path = f"/oauth/v1/refresh-tokens/{seg(refresh_token)}"
        self._request(
            Op("oauth.revoke_refresh_token", oauth=True, gone_ok_on_retry=True), "DELETE", path, auth=None
        )

    def introspect_token(self, token: str, *, token_type_hint: str | None = None) -> TokenInfo:
        """POST /oauth/v3/token/introspect (or /oauth/{date}/token/introspect), form body."""
        form = {"token": token, "client_id": self.client_id, "client_secret": self._client_secret}
        if token_type_hint:
            form["token_type_hint"] = token_type_hint
        path = f"/oauth/{self._successor}/token/introspect"
        return TokenInfo.from_api(
            self._json(Op("oauth.introspect_token", oauth=True), "POST", path, data=form, auth=None)
        )

    def revoke_token(self, token: str, *, token_type_hint: str | None = None) -> None:
        """POST /oauth/v3/token/revoke (or /oauth/{date}/token/revoke), form body."""
        form = {"token": token, "client_id": self.client_id, "client_secret": self._client_secret}
        if token_type_hint:
            form["token_type_hint"] = token_type_hint
        path = f"/oauth/{self._successor}/token/revoke"
        self._request(Op("oauth.revoke_token", oauth=True), "POST", path, data=form, auth=None)
