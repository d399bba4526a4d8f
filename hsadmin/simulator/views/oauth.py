"""OAuth: the consent page, the token endpoint (v1, v3 and 2026-03), token information, revoke and introspect.

Token endpoint errors use HubSpot's OAuth bodies: HTTP 400 with ``status`` holding the error code
(``BAD_CLIENT_ID``, ``BAD_CLIENT_SECRET``, ``BAD_GRANT_TYPE``, ``BAD_AUTH_CODE``, ``EXPIRED_AUTH_CODE``,
``BAD_REDIRECT_URI``, ``BAD_REFRESH_TOKEN``), a ``message``, a fresh ``correlationId`` and ``category``.
Authorization codes live 10 minutes and work once; PKCE (``S256`` or ``plain``) is checked when the consent
request carried a ``code_challenge``.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.html import format_html, format_html_join
from django.views.decorators.csrf import csrf_exempt

from hsadmin.simulator import clock, tokens
from hsadmin.simulator.errors import ApiError, not_found
from hsadmin.simulator.models import AccessToken, App, AuthCode, Portal, RefreshToken
from hsadmin.simulator.views.common import no_content, ok

CODE_SECONDS = 600


def oauth_error(code: str, message: str) -> ApiError:
    return ApiError(400, "VALIDATION_ERROR", message, extra={"status": code})


def _page(title: str, body: str, status: int = 200) -> HttpResponse:
    html = format_html(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{}</title></head>"
        "<body><main><h1>{}</h1>{}</main></body></html>",
        title,
        title,
        body,
    )
    return HttpResponse(html, status=status)


def _split_scopes(value: str) -> list[str]:
    return [scope for scope in value.replace("+", " ").split(" ") if scope]


@csrf_exempt
def authorize(request: HttpRequest, hub_id: int | None = None) -> HttpResponse:
    """GET shows the consent page; POST (``decision=allow|deny``, ``hub_id``) redirects back to the app."""
    params = request.POST if request.method == "POST" else request.GET
    app = App.objects.filter(client_id=params.get("client_id", "")).first()
    redirect_uri = params.get("redirect_uri", "")
    if app is None or not redirect_uri:
        return _page("Authorization failed", "Unknown client_id or missing redirect_uri.", status=400)
    state = params.get("state")
    if request.method == "POST":
        return _decide(params, app, redirect_uri, state)
    portals = Portal.objects.order_by("hub_id")
    if hub_id is not None:
        portals = portals.filter(hub_id=hub_id)
    hidden = format_html_join(
        "",
        "<input type='hidden' name='{}' value='{}'>",
        [
            (name, params[name])
            for name in (
                "client_id",
                "redirect_uri",
                "scope",
                "optional_scope",
                "state",
                "code_challenge",
                "code_challenge_method",
            )
            if params.get(name)
        ],
    )
    choices = format_html_join(
        "",
        "<p><label><input type='radio' name='hub_id' value='{}' {}> {} ({})</label></p>",
        [(p.hub_id, "checked" if i == 0 else "", p.name, p.hub_id) for i, p in enumerate(portals)],
    )
    scopes = ", ".join(
        _split_scopes(params.get("scope", "")) + _split_scopes(params.get("optional_scope", ""))
    )
    body = format_html(
        "<p>{} would like to connect to your HubSpot account. Requested scopes: {}</p>"
        "<form method='post' action='{}'>{}<fieldset><legend>Choose an account</legend>{}</fieldset>"
        "<button type='submit' name='decision' value='allow'>Connect app</button> "
        "<button type='submit' name='decision' value='deny'>Cancel</button></form>",
        app.name,
        scopes or "none",
        request.path,
        hidden,
        choices,
    )
    return _page("Connect an app", body)


def _decide(params: Any, app: App, redirect_uri: str, state: str | None) -> HttpResponse:
    extra = {"state": state} if state else {}
    separator = "&" if "?" in redirect_uri else "?"
    if params.get("decision") != "allow":
        return HttpResponseRedirect(
            f"{redirect_uri}{separator}{urlencode({'error': 'access_denied', **extra})}"
        )
    portal = Portal.objects.filter(hub_id=params.get("hub_id") or 0).first()
    if portal is None:
        return _page("Authorization failed", "Choose an account.", status=400)
    scopes = sorted(
        set(_split_scopes(params.get("scope", "")) + _split_scopes(params.get("optional_scope", "")))
    )
    challenge = params.get("code_challenge", "")
    if challenge and params.get("code_challenge_method", "plain") == "plain":
        challenge = "plain:" + challenge
    code = AuthCode.objects.create(
        code=secrets.token_urlsafe(24),
        portal=portal,
        app=app,
        redirect_uri=redirect_uri,
        scopes=scopes,
        expires_at=clock.now() + timedelta(seconds=CODE_SECONDS),
        code_challenge=challenge,
    )
    return HttpResponseRedirect(f"{redirect_uri}{separator}{urlencode({'code': code.code, **extra})}")


def _client(params: Any) -> App:
    app = App.objects.filter(client_id=params.get("client_id", "")).first()
    if app is None:
        raise oauth_error("BAD_CLIENT_ID", "missing or invalid client id")
    if not secrets.compare_digest(params.get("client_secret", ""), app.client_secret):
        raise oauth_error("BAD_CLIENT_SECRET", "missing or invalid client secret")
    return app


def _pkce_ok(challenge: str, verifier: str) -> bool:
    if challenge.startswith("plain:"):
        return secrets.compare_digest(challenge[6:], verifier)
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return secrets.compare_digest(challenge, digest)


def _exchange_code(params: Any, app: App) -> dict[str, Any]:
    with transaction.atomic(using="simulator"):
        code = AuthCode.objects.select_related("portal").filter(code=params.get("code", ""), app=app).first()
        if code is None or code.used:
            raise oauth_error("BAD_AUTH_CODE", "missing or unknown auth code")
        if code.expires_at <= clock.now():
            raise oauth_error("EXPIRED_AUTH_CODE", "auth code is expired")
        if params.get("redirect_uri", "") != code.redirect_uri:
            raise oauth_error(
                "BAD_REDIRECT_URI", "redirect_uri does not match the one used for authorization"
            )
        if code.code_challenge and not _pkce_ok(code.code_challenge, params.get("code_verifier", "")):
            raise oauth_error("BAD_AUTH_CODE", "code_verifier does not match the code challenge")
        code.used = True
        code.save(update_fields=["used"])
    return tokens.issue(code.portal, app, code.scopes)


def _refresh(params: Any, app: App) -> dict[str, Any]:
    refresh = (
        RefreshToken.objects.select_related("portal", "app")
        .filter(token=params.get("refresh_token", ""))
        .first()
    )
    if refresh is None:
        raise oauth_error("BAD_REFRESH_TOKEN", "missing or invalid refresh token")
    if refresh.app_id != app.app_id:
        raise oauth_error("BAD_REFRESH_TOKEN", "refresh token was not issued to this client")
    access = tokens.new_access_token(refresh.portal, app, refresh.scopes, refresh.token)
    return tokens.token_response(access, tokens.ACCESS_TOKEN_SECONDS)


@csrf_exempt
def token(request: HttpRequest) -> HttpResponse:
    """``POST /oauth/v1/token`` (and the v3 and 2026-03 forms): form-encoded grants."""
    if request.method != "POST":
        raise ApiError(405, "METHOD_NOT_ALLOWED", "Use POST.")
    params = request.POST
    grant = params.get("grant_type", "")
    if grant not in {"authorization_code", "refresh_token"}:
        raise oauth_error("BAD_GRANT_TYPE", "missing or unsupported grant_type")
    app = _client(params)
    if grant == "authorization_code":
        data = _exchange_code(params, app)
        data.pop("app_id", None)
        return ok(data)
    return ok(_refresh(params, app))


def _access_info(row: AccessToken) -> dict[str, Any]:
    return {
        "token": row.token,
        "user": row.portal.user_email,
        "hub_domain": row.portal.domain,
        "scopes": row.scopes,
        "hub_id": row.portal_id,
        "app_id": row.app_id,
        "expires_in": max(0, int((row.expires_at - clock.now()).total_seconds())),
        "user_id": row.portal.user_id,
        "token_type": "access",
        "is_private_distribution": False,
    }


def _refresh_info(row: RefreshToken) -> dict[str, Any]:
    return {
        "token": row.token,
        "user": row.portal.user_email,
        "hub_domain": row.portal.domain,
        "scopes": row.scopes,
        "hub_id": row.portal_id,
        "client_id": row.app.client_id,
        "user_id": row.portal.user_id,
        "token_type": "refresh",
    }


def access_token_info(request: HttpRequest, token_value: str) -> HttpResponse:
    """Unknown or expired tokens: 404 (our decision)."""
    if request.method != "GET":
        raise ApiError(405, "METHOD_NOT_ALLOWED", "Use GET.")
    row = AccessToken.objects.select_related("portal").filter(token=token_value).first()
    if row is None or row.expires_at <= clock.now():
        raise not_found("Access token not found or expired.")
    return ok(_access_info(row))


@csrf_exempt
def refresh_token_info(request: HttpRequest, token_value: str) -> HttpResponse:
    row = RefreshToken.objects.select_related("portal", "app").filter(token=token_value).first()
    if row is None:
        raise not_found("Refresh token not found.")
    if request.method == "DELETE":
        row.delete()
        return no_content()
    if request.method != "GET":
        raise ApiError(405, "METHOD_NOT_ALLOWED", "Use GET or DELETE.")
    return ok(_refresh_info(row))


def _find_for_client(params: Any, app: App) -> AccessToken | RefreshToken | None:
    value = params.get("token", "")
    kinds: list[type[AccessToken] | type[RefreshToken]] = [AccessToken, RefreshToken]
    if params.get("token_type_hint") == "refresh_token":
        kinds.reverse()
    for model in kinds:
        row = model.objects.select_related("portal", "app").filter(token=value, app=app).first()
        if row is not None:
            return row
    return None


@csrf_exempt
def introspect(request: HttpRequest) -> HttpResponse:
    """``POST /oauth/v3/token/introspect``: ``{"active": false}`` for unknown, expired or other clients' tokens."""
    if request.method != "POST":
        raise ApiError(405, "METHOD_NOT_ALLOWED", "Use POST.")
    app = _client(request.POST)
    row = _find_for_client(request.POST, app)
    if isinstance(row, AccessToken) and row.expires_at > clock.now():
        return ok(
            {"active": True, "client_id": app.client_id, "token_use": "access_token", **_access_info(row)}
        )
    if isinstance(row, RefreshToken):
        return ok({"active": True, "token_use": "refresh_token", **_refresh_info(row)})
    return ok({"active": False})


@csrf_exempt
def revoke(request: HttpRequest) -> HttpResponse:
    """``POST /oauth/v3/token/revoke``: 200 with an empty body (RFC 7009), also for unknown tokens."""
    if request.method != "POST":
        raise ApiError(405, "METHOD_NOT_ALLOWED", "Use POST.")
    app = _client(request.POST)
    row = _find_for_client(request.POST, app)
    if row is not None:
        row.delete()
    return HttpResponse(status=200)
