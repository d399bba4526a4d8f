"""Issuing and installing: the one place tokens are minted (OAuth, the control API and ``simulator token``)."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta
from typing import Any

from django.db import transaction

from hsadmin.simulator import clock
from hsadmin.simulator.models import AccessToken, App, Installation, Portal, RefreshToken

ACCESS_TOKEN_SECONDS = 1800


def install(portal: Portal, app: App, scopes: list[str]) -> Installation:
    """Install ``app`` on ``portal`` (or widen an existing install's scopes)."""
    installation, _ = Installation.objects.get_or_create(portal=portal, app=app, defaults={"scopes": scopes})
    merged = sorted(set(installation.scopes) | set(scopes))
    if merged != installation.scopes:
        installation.scopes = merged
        installation.save(update_fields=["scopes"])
    return installation


def new_access_token(
    portal: Portal, app: App, scopes: list[str], refresh_token: str, expires_in: int = ACCESS_TOKEN_SECONDS
) -> AccessToken:
    return AccessToken.objects.create(
        token="sim-" + secrets.token_urlsafe(48),
        portal=portal,
        app=app,
        scopes=scopes,
        expires_at=clock.now() + timedelta(seconds=expires_in),
        refresh_token=refresh_token,
    )


def token_response(access: AccessToken, expires_in: int) -> dict[str, Any]:
    """HubSpot's ``AccessTokenResponse`` (snake_case)."""
    return {
        "access_token": access.token,
        "refresh_token": access.refresh_token,
        "expires_in": expires_in,
        "token_type": "bearer",
        "token_use": "access_token",
        "hub_id": access.portal_id,
        "user_id": access.portal.user_id,
        "scopes": access.scopes,
    }


def issue(
    portal: Portal, app: App, scopes: list[str], expires_in: int = ACCESS_TOKEN_SECONDS
) -> dict[str, Any]:
    """Install if needed, then a fresh refresh token and access token, as the token endpoint answers them."""
    with transaction.atomic(using="simulator"):
        install(portal, app, scopes)
        refresh = RefreshToken.objects.create(
            token=str(uuid.uuid4()), portal=portal, app=app, scopes=scopes, created_at=clock.now()
        )
        access = new_access_token(portal, app, scopes, refresh.token, expires_in)
    return token_response(access, expires_in) | {"app_id": app.app_id}
