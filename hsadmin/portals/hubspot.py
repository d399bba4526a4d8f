"""The one place Django builds HubSpot clients (design §1): `hubspot_client_for(portal)`.

It wires the plain-Python client to Django: settings, the shared rate limiter, and the portal's encrypted
tokens with a refresh that is single-flight across processes (a row lock on the portal) and keeps whatever
refresh token HubSpot returns. A refresh HubSpot refuses for good marks the portal "needs reconnecting".
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hsadmin.core.audit import audit_failure
from hsadmin.core.ratelimit import shared_limiter_for_settings
from hsadmin.hubspot_client import (
    HubSpotClient,
    OAuthClient,
    OAuthError,
    OAuthTokenAuth,
    Priority,
    RateLimiter,
    TokenSet,
    oauth_version_for,
    settings_take_oauth,
)
from hsadmin.portals.models import Portal, PortalStatus

logger = logging.getLogger(__name__)

# HubSpot's answers to a refresh that will never work again (the portal must be reconnected).
PERMANENT_REFRESH_FAILURES = {"BAD_REFRESH_TOKEN", "invalid_grant", "BAD_CLIENT_ID", "INVALID_REFRESH_TOKEN"}


class PortalNotConnected(Exception):
    """The portal has no usable tokens: it was disconnected or needs reconnecting."""

    def __init__(self, portal: Portal) -> None:
        super().__init__(f"Portal {portal.hub_id} is not connected ({portal.status}).")
        self.portal = portal


@cache
def shared_limiter() -> RateLimiter:
    return shared_limiter_for_settings()


def oauth_client() -> OAuthClient:
    return OAuthClient(
        client_id=settings.HUBSPOT_CLIENT_ID,
        client_secret=settings.HUBSPOT_CLIENT_SECRET,
        base_url=settings.HUBSPOT_API_BASE,
        auth_base=settings.HUBSPOT_AUTH_BASE,
        version=oauth_version_for(settings.HUBSPOT_API_VERSION),
    )


def portal_key(portal: Portal) -> str:
    return f"portal:{portal.hub_id}"


def _token_set(portal: Portal) -> TokenSet:
    return TokenSet(
        access_token=str(portal.access_token or ""),
        refresh_token=str(portal.refresh_token or ""),
        expires_at=portal.token_expires_at or datetime.fromtimestamp(0, UTC),
    )


def portal_store_tokens(portal: Portal, tokens: TokenSet) -> None:
    """Keep a new token set (encrypted); called under the portal's lock after a refresh."""
    portal.access_token = tokens.access_token
    if tokens.refresh_token:
        portal.refresh_token = tokens.refresh_token
    portal.token_expires_at = tokens.expires_at
    portal.token_refreshed_at = timezone.now()
    Portal.objects.filter(pk=portal.pk).update(
        access_token=portal.access_token,
        refresh_token=portal.refresh_token,
        token_expires_at=portal.token_expires_at,
        token_refreshed_at=portal.token_refreshed_at,
    )


def portal_mark_needs_reconnect(portal: Portal, error: Exception) -> None:
    Portal.objects.filter(pk=portal.pk).update(
        status=PortalStatus.NEEDS_RECONNECT,
        last_error={"message": str(error)[:300], "at": timezone.now().isoformat()},
    )
    portal.status = PortalStatus.NEEDS_RECONNECT
    audit_failure(action="portal.refresh_failed", portal=portal, target=str(portal.hub_id), error=error)


def _is_permanent(error: OAuthError) -> bool:
    return (error.category or "") in PERMANENT_REFRESH_FAILURES or error.status == 400


@contextmanager
def _redis_lock(portal: Portal) -> Iterator[None]:
    """With Redis, refreshes are serialised there too (the database lock alone suffices without it)."""
    if not settings.REDIS_URL:
        yield
        return
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    with client.lock(f"hsadmin:refresh:{portal.hub_id}", timeout=30, blocking_timeout=30):
        yield


class _PortalTokens:
    """The Django side of OAuthTokenAuth: a cross-process lock, reload from the database, and saving."""

    def __init__(self, portal: Portal) -> None:
        self.portal = portal

    @contextmanager
    def lock(self) -> Iterator[None]:
        try:
            with _redis_lock(self.portal), transaction.atomic():
                # PostgreSQL: a row lock; SQLite: the IMMEDIATE transaction already holds the write lock.
                Portal.objects.select_for_update().filter(pk=self.portal.pk).values_list("pk").first()
                yield
        except OAuthError as error:
            if _is_permanent(error):
                portal_mark_needs_reconnect(self.portal, error)
            raise

    def reload(self) -> TokenSet | None:
        fresh = Portal.objects.filter(pk=self.portal.pk).first()
        if fresh is None or not fresh.access_token:
            return None
        return _token_set(fresh)

    def save(self, tokens: TokenSet) -> None:
        portal_store_tokens(self.portal, tokens)


def hubspot_client_for(portal: Portal, *, priority: Priority = Priority.INTERACTIVE) -> HubSpotClient:
    """A client acting for this portal; `priority=Priority.BULK` for jobs. Services do not call it: they go
    through the gateway (`hsadmin.hubspot.gateway`), which also gives the client its time budget."""
    if portal.status != PortalStatus.CONNECTED or not portal.refresh_token:
        raise PortalNotConnected(portal)
    tokens = _PortalTokens(portal)
    auth = OAuthTokenAuth(
        _token_set(portal),
        refresh=oauth_client().token_refresher(),
        on_refresh=tokens.save,
        lock=tokens.lock,
        reload=tokens.reload,
        refresh_margin=timedelta(minutes=5),
    )
    return HubSpotClient(
        base_url=settings.HUBSPOT_API_BASE,
        api_version=settings.HUBSPOT_API_VERSION,
        auth=auth,
        portal_key=portal_key(portal),
        limiter=shared_limiter(),
        priority=priority,
        developer_api_key=settings.HUBSPOT_DEVELOPER_API_KEY or None,
        app_id=settings.HUBSPOT_APP_ID,
    )


# The app itself (not a portal): the settings endpoints (#35, #36) take the developer API key, no portal token.


class AppNotConfigured(Exception):
    """HUBSPOT_APP_ID or HUBSPOT_DEVELOPER_API_KEY is not set."""


# On 2026-03 the settings endpoints take an OAuth token with these scopes instead of the developer key.
SETTINGS_OAUTH_SCOPES = ("developers-read", "developers-write")


def app_configured() -> bool:
    if settings_take_oauth(settings.HUBSPOT_API_VERSION):
        return bool(settings.HUBSPOT_APP_ID)
    return bool(settings.HUBSPOT_APP_ID and settings.HUBSPOT_DEVELOPER_API_KEY)


def _settings_portal() -> Portal | None:
    """A connected portal whose token holds the settings scopes (2026-03)."""
    for portal in Portal.objects.filter(status=PortalStatus.CONNECTED).order_by("pk"):
        if all(scope in (portal.scopes or []) for scope in SETTINGS_OAUTH_SCOPES):
            return portal
    return None


def app_client() -> HubSpotClient:
    """A client for the app's settings (the gateway gives it its time budget)."""
    if not app_configured():
        raise AppNotConfigured
    if settings_take_oauth(settings.HUBSPOT_API_VERSION):
        portal = _settings_portal()
        if portal is None:
            raise AppNotConfigured(
                "On HubSpot API 2026-03 the app's settings need a connected portal whose token holds "
                "developers-read and developers-write: reconnect a portal."
            )
        return hubspot_client_for(portal)
    return HubSpotClient(
        base_url=settings.HUBSPOT_API_BASE,
        api_version=settings.HUBSPOT_API_VERSION,
        portal_key=f"app:{settings.HUBSPOT_APP_ID}",
        limiter=shared_limiter(),
        developer_api_key=settings.HUBSPOT_DEVELOPER_API_KEY,
        app_id=settings.HUBSPOT_APP_ID,
    )
