"""OAuth: authorize URL with state and PKCE, code exchange, refresh, token info, revoke (v1 and successors)."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from hsadmin.hubspot_client import (
    OAuthClient,
    OAuthError,
    RetryPolicy,
    ServerError,
    TokenSet,
    new_pkce,
    new_state,
    oauth_version_for,
)

from .fakes import BASE, FakeHubSpot, FakeSleep, reply

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
TOKENS = {
    "access_token": "at-1",
    "refresh_token": "rt-1",
    "expires_in": 1800,
    "token_type": "bearer",
    "token_use": "access_token",
    "hub_id": 62515,
    "user_id": 9,
    "scopes": ["oauth", "crm.lists.read"],
}


@pytest.fixture(params=["v1", "v3", "2026-03"])
def version(request: pytest.FixtureRequest) -> str:
    return request.param


def make_oauth(fake: FakeHubSpot, sleeps: FakeSleep, version: str = "v1") -> OAuthClient:
    return OAuthClient(
        client_id="cid",
        client_secret="csecret",
        base_url=BASE,
        auth_base="https://app.test",
        version=version,
        now=lambda: NOW,
        transport=httpx.MockTransport(fake.handler),
        sleep=sleeps,
        retry=RetryPolicy(random=lambda: 1.0),
    )


def test_the_authorize_url_carries_scopes_state_and_a_pkce_challenge(fake, sleeps) -> None:
    oauth = make_oauth(fake, sleeps)
    pkce = new_pkce()
    state = new_state()
    url = oauth.authorize_url(
        "https://dash.test/oauth/callback",
        ["crm.objects.marketing_events.read", "oauth"],
        optional_scopes=["crm.lists.read"],
        state=state,
        pkce=pkce,
    )
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://app.test/oauth/authorize"
    assert "scope=crm.objects.marketing_events.read%20oauth" in parts.query  # spaces as %20, never '+'
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query == {
        "client_id": "cid",
        "redirect_uri": "https://dash.test/oauth/callback",
        "scope": "crm.objects.marketing_events.read oauth",
        "optional_scope": "crm.lists.read",
        "state": state,
        "code_challenge": pkce.challenge,
        "code_challenge_method": "S256",
    }
    expected = base64.urlsafe_b64encode(hashlib.sha256(pkce.verifier.encode()).digest()).rstrip(b"=").decode()
    assert pkce.challenge == expected
    assert 43 <= len(pkce.verifier) <= 128
    assert pkce.verifier not in repr(pkce)
    assert new_state() != state


def test_it_exchanges_a_code_for_tokens_on_the_versions_token_route(fake, sleeps, version) -> None:
    fake.then(reply(200, TOKENS))
    tokens = make_oauth(fake, sleeps, version).exchange_code(
        "the-code", "https://dash.test/cb", code_verifier="v"
    )
    assert (fake.last.method, fake.last.url.path) == ("POST", f"/oauth/{version}/token")
    assert fake.last.headers["content-type"] == "application/x-www-form-urlencoded"
    assert fake.last.url.params == httpx.QueryParams()  # nothing secret in the query string
    assert fake.form() == {
        "grant_type": "authorization_code",
        "code": "the-code",
        "redirect_uri": "https://dash.test/cb",
        "code_verifier": "v",
        "client_id": "cid",
        "client_secret": "csecret",
    }
    assert "authorization" not in fake.last.headers
    assert tokens.access_token == "at-1" and tokens.hub_id == 62515
    assert tokens.expires_at == NOW + timedelta(seconds=1800)
    assert tokens.token_set() == TokenSet("at-1", "rt-1", NOW + timedelta(seconds=1800))
    assert "at-1" not in repr(tokens) and "rt-1" not in repr(tokens)


def test_it_refreshes_an_access_token(fake, sleeps, version) -> None:
    fake.then(reply(200, {**TOKENS, "access_token": "at-2"}))
    oauth = make_oauth(fake, sleeps, version)
    token_set = oauth.token_refresher()("rt-1")
    assert fake.form() == {
        "grant_type": "refresh_token",
        "refresh_token": "rt-1",
        "client_id": "cid",
        "client_secret": "csecret",
    }
    assert token_set.access_token == "at-2"


def test_a_bad_refresh_token_is_an_oauth_error_with_hubspots_code(fake, sleeps) -> None:
    fake.then(
        reply(
            400,
            {
                "status": "BAD_REFRESH_TOKEN",
                "message": "missing or invalid refresh token",
                "correlationId": "c-1",
            },
        )
    )
    with pytest.raises(OAuthError) as caught:
        make_oauth(fake, sleeps).refresh_access_token("nope")
    assert caught.value.category == "BAD_REFRESH_TOKEN"
    assert caught.value.correlation_id == "c-1"
    assert caught.value.operation == "oauth.refresh_access_token"


def test_a_code_exchange_is_not_replayed_after_a_server_error(fake, sleeps) -> None:
    fake.then(reply(503, {"message": "down"}), reply(200, TOKENS))
    with pytest.raises(ServerError):
        make_oauth(fake, sleeps).exchange_code("single-use", "https://dash.test/cb")
    assert len(fake.requests) == 1


def test_it_reads_access_and_refresh_token_info_on_the_v1_routes(fake, sleeps) -> None:
    fake.then(
        reply(
            200,
            {
                "token": "at-1",
                "hub_id": 62515,
                "app_id": 77,
                "user_id": 9,
                "scopes": ["oauth"],
                "token_type": "access",
                "expires_in": 1200,
                "user": "ada@example.com",
                "hub_domain": "d.test",
            },
        ),
        reply(
            200,
            {
                "token": "rt-1",
                "client_id": "cid",
                "hub_id": 62515,
                "user_id": 9,
                "scopes": ["oauth"],
                "token_type": "refresh",
            },
        ),
    )
    oauth = make_oauth(fake, sleeps)
    info = oauth.get_access_token_info("at-1")
    assert (fake.requests[0].method, fake.requests[0].url.path) == ("GET", "/oauth/v1/access-tokens/at-1")
    assert (info.hub_id, info.app_id, info.expires_in, info.user) == (62515, 77, 1200, "ada@example.com")
    refresh = oauth.get_refresh_token_info("rt-1")
    assert fake.last.url.path == "/oauth/v1/refresh-tokens/rt-1"
    assert refresh.client_id == "cid" and refresh.token_type == "refresh"


def test_it_revokes_a_refresh_token_with_a_delete(fake, sleeps) -> None:
    fake.then(reply(204))
    assert make_oauth(fake, sleeps).revoke_refresh_token("rt-1") is None
    assert (fake.last.method, fake.last.url.path) == ("DELETE", "/oauth/v1/refresh-tokens/rt-1")


@pytest.mark.parametrize(("version", "route"), [("v1", "v3"), ("v3", "v3"), ("2026-03", "2026-03")])
def test_it_introspects_and_revokes_on_the_successor_routes_with_a_form_body(
    fake, sleeps, version, route
) -> None:
    fake.then(
        reply(
            200,
            {
                "active": True,
                "client_id": "cid",
                "token_use": "access_token",
                "hub_id": 1,
                "user_id": 2,
                "scopes": ["oauth"],
                "expires_in": 100,
            },
        ),
        reply(200, {}),
    )
    oauth = make_oauth(fake, sleeps, version)
    info = oauth.introspect_token("at-1", token_type_hint="access_token")
    assert (fake.requests[0].method, fake.requests[0].url.path) == (
        "POST",
        f"/oauth/{route}/token/introspect",
    )
    assert fake.form(0) == {
        "token": "at-1",
        "client_id": "cid",
        "client_secret": "csecret",
        "token_type_hint": "access_token",
    }
    assert info.active is True and info.token_use == "access_token"
    oauth.revoke_token("rt-1", token_type_hint="refresh_token")
    assert fake.last.url.path == f"/oauth/{route}/token/revoke"
    assert fake.form()["token"] == "rt-1"


def test_the_oauth_routes_follow_the_api_version() -> None:
    assert oauth_version_for("v3") == "v1"
    assert oauth_version_for("2026-03") == "2026-03"
    with pytest.raises(ValueError):
        OAuthClient(
            client_id="c", client_secret="s", version="v2", transport=httpx.MockTransport(lambda r: reply())
        )


def test_the_client_secret_never_shows_in_repr() -> None:
    oauth = OAuthClient(
        client_id="c", client_secret="topsecret", transport=httpx.MockTransport(lambda r: reply())
    )
    assert "topsecret" not in repr(oauth)


def test_the_authorize_url_can_name_the_account(fake, sleeps) -> None:
    url = make_oauth(fake, sleeps).authorize_url("https://dash.test/cb", ["oauth"], hub_id=62515)
    assert url.startswith("https://app.test/oauth/62515/authorize?client_id=cid&")
