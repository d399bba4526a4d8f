"""OAuth against the live simulator: consent with state and PKCE, code exchange, refresh, info, revoke; and the
auth refreshing an expiring or expired token by itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from hsadmin.hubspot_client import (
    HubSpotClient,
    NotFoundError,
    OAuthError,
    OAuthTokenAuth,
    TokenSet,
    new_pkce,
    new_state,
)

from .conftest import FAST_RETRIES

REDIRECT = "https://dash.test/oauth/callback"


def consent(live, authorize_url: str) -> tuple[str, str]:
    """Play the person on the consent page: POST the form back with decision=allow; return (code, state)."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
    response = httpx.post(
        f"{live.base_url}/oauth/authorize", data={**query, "decision": "allow", "hub_id": str(live.hub_id)}
    )
    assert response.status_code == 302
    back = {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}
    return back["code"], back.get("state", "")


@pytest.mark.parametrize("version", ["v1", "v3", "2026-03"])
def test_the_code_flow_with_state_and_pkce_ends_in_working_tokens(live, oauth, version) -> None:
    client = oauth(version)
    pkce, state = new_pkce(), new_state()
    url = client.authorize_url(
        REDIRECT,
        ["crm.objects.marketing_events.read", "oauth"],
        optional_scopes=["crm.lists.read"],
        state=state,
        pkce=pkce,
    )
    assert httpx.get(url).status_code == 200  # the consent page
    code, returned_state = consent(live, url)
    assert returned_state == state

    tokens = client.exchange_code(code, REDIRECT, code_verifier=pkce.verifier)
    assert tokens.access_token and tokens.refresh_token and tokens.expires_in == 1800
    assert tokens.hub_id == live.hub_id
    assert "crm.objects.marketing_events.read" in tokens.scopes

    with pytest.raises(OAuthError) as caught:  # a code works once
        client.exchange_code(code, REDIRECT, code_verifier=pkce.verifier)
    assert caught.value.category == "BAD_AUTH_CODE" and caught.value.correlation_id

    refreshed = client.refresh_access_token(tokens.refresh_token)
    assert refreshed.access_token != tokens.access_token


def test_a_wrong_pkce_verifier_is_refused(live, oauth) -> None:
    client = oauth()
    url = client.authorize_url(REDIRECT, ["oauth"], pkce=new_pkce())
    code, _ = consent(live, url)
    with pytest.raises(OAuthError) as caught:
        client.exchange_code(code, REDIRECT, code_verifier=new_pkce().verifier)
    assert caught.value.category == "BAD_AUTH_CODE"


def test_v1_token_info_and_refresh_token_revoke(live, oauth) -> None:
    client = oauth()
    issued = live.control.token(live.hub_id, live.app_id)
    info = client.get_access_token_info(issued["access_token"])
    assert (info.hub_id, info.app_id) == (live.hub_id, live.app_id)
    assert 0 < info.expires_in <= 1800 and info.token_type == "access"
    refresh = client.get_refresh_token_info(issued["refresh_token"])
    assert refresh.client_id == live.app["client_id"] and refresh.hub_id == live.hub_id
    client.revoke_refresh_token(issued["refresh_token"])
    with pytest.raises(NotFoundError):
        client.get_refresh_token_info(issued["refresh_token"])
    with pytest.raises(OAuthError) as caught:
        client.refresh_access_token(issued["refresh_token"])
    assert caught.value.category == "BAD_REFRESH_TOKEN"


@pytest.mark.parametrize("version", ["v3", "2026-03"])
def test_introspect_and_revoke_on_the_successor_routes(live, oauth, version) -> None:
    client = oauth(version)
    issued = live.control.token(live.hub_id, live.app_id)
    info = client.introspect_token(issued["access_token"], token_type_hint="access_token")
    assert info.active is True and info.hub_id == live.hub_id and info.client_id == live.app["client_id"]
    client.revoke_token(issued["refresh_token"], token_type_hint="refresh_token")
    assert client.introspect_token(issued["refresh_token"], token_type_hint="refresh_token").active is False


def _auth(live, oauth, *, expires_in: int, stored: list[TokenSet]) -> OAuthTokenAuth:
    issued = live.control.token(live.hub_id, live.app_id, expires_in=expires_in)
    tokens = TokenSet(
        issued["access_token"], issued["refresh_token"], datetime.now(UTC) + timedelta(seconds=expires_in)
    )
    return OAuthTokenAuth(tokens, refresh=oauth().token_refresher(), on_refresh=stored.append)


def test_a_token_about_to_expire_is_refreshed_before_the_call(live, oauth, api_version) -> None:
    stored: list[TokenSet] = []
    auth = _auth(live, oauth, expires_in=60, stored=stored)
    original = auth.tokens
    client = HubSpotClient(base_url=live.base_url, api_version=api_version, auth=auth, retry=FAST_RETRIES)
    client.search_lists(count=1)
    assert len(stored) == 1 and stored[0].access_token != original.access_token
    assert stored[0].refresh_token == original.refresh_token  # HubSpot's refresh token is kept
    assert auth.tokens == stored[0] and stored[0].expires_at > original.expires_at


def test_an_expired_token_is_refreshed_once_and_the_call_replayed(live, oauth, api_version) -> None:
    stored: list[TokenSet] = []
    auth = _auth(live, oauth, expires_in=1800, stored=stored)
    client = HubSpotClient(base_url=live.base_url, api_version=api_version, auth=auth, retry=FAST_RETRIES)
    live.control.set_clock(
        1900
    )  # HubSpot's clock: the token expired 100 s ago; ours still thinks it is fresh
    try:
        page = client.search_lists(count=1)
    finally:
        live.control.set_clock(0)
    assert page.total >= 1
    assert auth.refresh_count == 1 and len(stored) == 1
