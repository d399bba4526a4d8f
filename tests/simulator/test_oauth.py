"""OAuth over HTTP: the consent page, code exchange, refresh, token information, revoke, and the 2026-03 routes."""

from __future__ import annotations

import base64
import hashlib
import uuid
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.simulator.conftest import V3
from tests.simulator.openapi_check import http

REDIRECT = "http://127.0.0.1:9/callback"


def oauth_error(response: httpx.Response, code: str) -> dict:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["status"] == code
    assert body["message"]
    uuid.UUID(body["correlationId"])
    return body


def consent(sim, decision="allow", state="xyz", scope="crm.objects.marketing_events.read", **extra) -> dict:
    """Post the consent form; returns the redirect's query parameters."""
    form = {
        "client_id": sim.app["client_id"],
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": state,
        "hub_id": str(sim.hub_id),
        "decision": decision,
        **extra,
    }
    response = http.post(f"{sim.base_url}/oauth/authorize", data=form)
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith(REDIRECT + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def exchange(sim, code, path="/oauth/v1/token", **extra) -> httpx.Response:
    return http.post(
        f"{sim.base_url}{path}",
        data={
            "grant_type": "authorization_code",
            "client_id": sim.app["client_id"],
            "client_secret": sim.app["client_secret"],
            "redirect_uri": REDIRECT,
            "code": code,
            **extra,
        },
    )


def test_the_consent_page_names_the_app_and_offers_each_portal(sim):
    response = http.get(
        f"{sim.base_url}/oauth/authorize",
        params={
            "client_id": sim.app["client_id"],
            "redirect_uri": REDIRECT,
            "scope": "oauth crm.lists.read",
            "state": "s1",
        },
    )
    assert response.status_code == 200
    assert "hsadmin" in response.text
    for portal in sim.info["portals"]:
        assert str(portal["hub_id"]) in response.text
    assert "value='allow'" in response.text
    assert "value='deny'" in response.text


def test_the_consent_page_refuses_an_unknown_client(sim):
    response = http.get(
        f"{sim.base_url}/oauth/authorize", params={"client_id": "nope", "redirect_uri": REDIRECT}
    )
    assert response.status_code == 400


def test_denying_redirects_with_access_denied_and_the_state(sim):
    assert consent(sim, decision="deny", state="abc") == {"error": "access_denied", "state": "abc"}


@pytest.mark.parametrize("path", ["/oauth/v1/token", "/oauth/v3/token", "/oauth/2026-03/token"])
def test_allowing_gives_a_code_that_exchanges_once_for_a_working_token_set(sim, path):
    params = consent(sim, state="st-1")
    assert params["state"] == "st-1"
    response = exchange(sim, params["code"], path)
    assert response.status_code == 200
    tokens = response.json()
    assert tokens["expires_in"] == 1800
    assert tokens["token_type"] == "bearer"
    assert tokens["hub_id"] == sim.hub_id
    assert tokens["scopes"] == ["crm.objects.marketing_events.read"]
    api = http.get(f"{sim.base_url}{V3}/", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert api.status_code == 200
    oauth_error(exchange(sim, params["code"], path), "BAD_AUTH_CODE")


def test_the_code_exchange_checks_client_secret_and_redirect_uri(sim):
    code = consent(sim)["code"]
    oauth_error(exchange(sim, code, client_secret="wrong"), "BAD_CLIENT_SECRET")
    oauth_error(exchange(sim, code, client_id="wrong"), "BAD_CLIENT_ID")
    oauth_error(exchange(sim, code, redirect_uri="http://127.0.0.1:9/other"), "BAD_REDIRECT_URI")
    oauth_error(exchange(sim, code, grant_type="password"), "BAD_GRANT_TYPE")
    assert exchange(sim, code).status_code == 200


def test_an_expired_code_is_refused(sim):
    code = consent(sim)["code"]
    sim.control.set_clock(601)
    oauth_error(exchange(sim, code), "EXPIRED_AUTH_CODE")


def test_pkce_is_checked_when_the_consent_carried_a_challenge(sim):
    verifier = "v" * 50
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    code = consent(sim, code_challenge=challenge, code_challenge_method="S256")["code"]
    oauth_error(exchange(sim, code, code_verifier="wrong"), "BAD_AUTH_CODE")
    code = consent(sim, code_challenge=challenge, code_challenge_method="S256")["code"]
    assert exchange(sim, code, code_verifier=verifier).status_code == 200


def test_refresh_gives_a_new_access_token_and_keeps_the_refresh_token(sim):
    tokens = exchange(sim, consent(sim)["code"]).json()
    response = http.post(
        f"{sim.base_url}/oauth/v1/token",
        data={
            "grant_type": "refresh_token",
            "client_id": sim.app["client_id"],
            "client_secret": sim.app["client_secret"],
            "refresh_token": tokens["refresh_token"],
        },
    )
    assert response.status_code == 200
    fresh = response.json()
    assert fresh["access_token"] != tokens["access_token"]
    assert fresh["refresh_token"] == tokens["refresh_token"]
    assert fresh["expires_in"] == 1800


def test_refresh_refuses_unknown_tokens_and_other_clients(sim):
    tokens = exchange(sim, consent(sim)["code"]).json()
    base = {"grant_type": "refresh_token"}
    bad = http.post(
        f"{sim.base_url}/oauth/v1/token",
        data=base
        | {
            "client_id": sim.app["client_id"],
            "client_secret": sim.app["client_secret"],
            "refresh_token": "nope",
        },
    )
    assert oauth_error(bad, "BAD_REFRESH_TOKEN")["message"] == "missing or invalid refresh token"
    other = http.post(
        f"{sim.base_url}/oauth/v1/token",
        data=base
        | {
            "client_id": sim.other_app["client_id"],
            "client_secret": sim.other_app["client_secret"],
            "refresh_token": tokens["refresh_token"],
        },
    )
    assert oauth_error(other, "BAD_REFRESH_TOKEN")["message"] == "refresh token was not issued to this client"


def test_access_token_information(sim):
    tokens = sim.control.token(sim.hub_id, sim.app_id, scopes="oauth crm.lists.read")
    info = http.get(f"{sim.base_url}/oauth/v1/access-tokens/{tokens['access_token']}").json()
    assert info["hub_id"] == sim.hub_id
    assert info["app_id"] == sim.app_id
    assert info["scopes"] == ["oauth", "crm.lists.read"]
    assert 1790 <= info["expires_in"] <= 1800
    assert info["token_type"] == "access"
    assert http.get(f"{sim.base_url}/oauth/v1/access-tokens/unknown").status_code == 404


def test_refresh_token_information_and_delete(sim):
    tokens = sim.control.token(sim.hub_id, sim.app_id)
    url = f"{sim.base_url}/oauth/v1/refresh-tokens/{tokens['refresh_token']}"
    info = http.get(url).json()
    assert info["client_id"] == sim.app["client_id"]
    assert info["hub_id"] == sim.hub_id
    assert info["token_type"] == "refresh"
    assert http.delete(url).status_code == 204
    assert http.get(url).status_code == 404
    still = http.get(f"{sim.base_url}{V3}/", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert still.status_code == 200, "deleting the refresh token leaves access tokens alone"


@pytest.mark.parametrize("version", ["v3", "2026-03"])
def test_introspect_and_revoke(sim, version):
    tokens = sim.control.token(sim.hub_id, sim.app_id)
    client = {"client_id": sim.app["client_id"], "client_secret": sim.app["client_secret"]}
    url = f"{sim.base_url}/oauth/{version}/token"
    active = http.post(f"{url}/introspect", data=client | {"token": tokens["access_token"]}).json()
    assert active["active"] is True
    assert active["token_use"] == "access_token"
    assert active["hub_id"] == sim.hub_id
    refresh = http.post(
        f"{url}/introspect",
        data=client | {"token": tokens["refresh_token"], "token_type_hint": "refresh_token"},
    ).json()
    assert refresh["token_use"] == "refresh_token"
    assert http.post(f"{url}/revoke", data=client | {"token": tokens["refresh_token"]}).status_code == 200
    gone = http.post(f"{url}/introspect", data=client | {"token": tokens["refresh_token"]}).json()
    assert gone == {"active": False}
    oauth_error(http.post(f"{url}/introspect", data={"token": "x", "client_id": "nope"}), "BAD_CLIENT_ID")


def test_access_tokens_expire_after_expires_in(sim):
    tokens = sim.control.token(sim.hub_id, sim.app_id)
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert http.get(f"{sim.base_url}{V3}/", headers=headers).status_code == 200
    sim.control.set_clock(1801)
    response = http.get(f"{sim.base_url}{V3}/", headers=headers)
    assert response.status_code == 401
    body = response.json()
    assert body["category"] == "EXPIRED_AUTHENTICATION"
    assert body["message"].startswith("The OAuth token used to make this call expired")
    assert "expire time" in body["context"]


def test_the_account_specific_consent_page_offers_only_that_portal(sim):
    response = http.get(
        f"{sim.base_url}/oauth/{sim.other_hub_id}/authorize",
        params={"client_id": sim.app["client_id"], "redirect_uri": REDIRECT, "scope": "oauth"},
    )
    assert response.status_code == 200
    assert str(sim.other_hub_id) in response.text
    assert str(sim.hub_id) not in response.text


def test_a_code_is_issued_for_the_chosen_portal(sim):
    code = consent(sim, hub_id=str(sim.other_hub_id))["code"]
    assert exchange(sim, code).json()["hub_id"] == sim.other_hub_id
