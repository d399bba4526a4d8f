"""Writes about portals: connect (OAuth), disconnect, access grants, the current portal."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hsadmin.core.audit import audit_failure, audit_record
from hsadmin.core.exceptions import ActionFailed
from hsadmin.core.http import AuthenticatedHttpRequest
from hsadmin.core.models import Outcome, User
from hsadmin.core.roles import Role
from hsadmin.hubspot_client import HubSpotError, TokenInfo, TokenResponse, new_pkce, settings_take_oauth
from hsadmin.portals.hubspot import SETTINGS_OAUTH_SCOPES, oauth_client
from hsadmin.portals.models import REQUIRED_SCOPES, Membership, Portal, PortalStatus
from hsadmin.portals.signals import portal_connected

logger = logging.getLogger(__name__)

SESSION_KEY = "hsadmin.oauth"
STATE_MAX_AGE_SECONDS = 15 * 60


class ConnectError(Exception):
    """A connection attempt that failed, with what happened and what to do, in words for a person."""

    def __init__(self, title: str, advice: str, *, correlation_id: str = "") -> None:
        super().__init__(title)
        self.title = title
        self.advice = advice
        self.correlation_id = correlation_id


def redirect_uri(request: HttpRequest) -> str:
    return settings.HUBSPOT_REDIRECT_URI or request.build_absolute_uri(reverse("portals:callback"))


def connect_start(*, request: HttpRequest) -> str:
    """Remember a fresh `state` and PKCE verifier in the session; return HubSpot's authorize URL."""
    state = secrets.token_urlsafe(32)
    pkce = new_pkce()
    request.session[SESSION_KEY] = {
        "state": state,
        "verifier": pkce.verifier,
        "started": timezone.now().timestamp(),
        "redirect_uri": redirect_uri(request),
    }
    # 2026-03's settings endpoints take the OAuth token (developers-read/-write): ask for those scopes too.
    optional = SETTINGS_OAUTH_SCOPES if settings_take_oauth(settings.HUBSPOT_API_VERSION) else ()
    return oauth_client().authorize_url(
        redirect_uri(request), REQUIRED_SCOPES, optional_scopes=optional, state=state, pkce=pkce
    )


@dataclass(frozen=True)
class Connected:
    portal: Portal
    created: bool


def connect_finish(*, request: AuthenticatedHttpRequest, params: dict[str, str]) -> Connected:
    """HubSpot sent the person back: check its answer and our `state`, exchange the code, check the scopes and
    which portal it is, then keep the portal (its first sync starts through the `portal_connected` signal)."""
    user: User = request.user
    pending = request.session.pop(SESSION_KEY, None)
    code = _answer_checked(params, pending, user=user)
    tokens, info = _code_exchanged(code, pending, user=user, request=request)
    granted = _scopes_checked(info, tokens, user=user)
    hub_id = info.hub_id or tokens.hub_id
    if hub_id is None:
        raise ConnectError(
            _("HubSpot did not say which portal was connected."), _("Start the connection again.")
        )
    portal, created = _portal_kept(hub_id, tokens, info, granted, user=user)
    audit_record(
        action="portal.connect",
        actor=user,
        portal=portal,
        target=str(hub_id),
        request=request,
        detail={"scopes": granted, "app_id": info.app_id, "created": created},
    )
    portal_connected.send(sender=Portal, portal=portal, created=created)
    return Connected(portal=portal, created=created)


def _refused(user: User, detail: dict[str, Any], portal: Portal | None = None) -> None:
    audit_record(action="portal.connect", actor=user, portal=portal, outcome=Outcome.DENIED, detail=detail)


def _answer_checked(params: dict[str, str], pending: dict[str, Any] | None, *, user: User) -> str:
    """The authorization code, once HubSpot's answer, our `state` and the time taken are all right."""
    if params.get("error"):
        _refused(user, {"error": params["error"]})
        if params["error"] == "access_denied":
            raise ConnectError(
                _("The connection was cancelled in HubSpot."),
                _("Nothing was connected. Start again and choose “Allow” on HubSpot's consent page."),
            )
        raise ConnectError(
            _("HubSpot did not authorize the connection (%(error)s).") % {"error": params["error"][:100]},
            _("Start again; if it keeps happening, check the app's settings in HubSpot."),
        )
    if (
        not pending
        or not params.get("state")
        or not secrets.compare_digest(pending["state"], params["state"])
    ):
        _refused(user, {"error": "bad state"})
        raise ConnectError(
            _("This connection link is not one hsadmin started for you."),
            _(
                "It may be old, already used, or from another browser. Nothing was connected: start the "
                "connection again from the Portals page."
            ),
        )
    if timezone.now().timestamp() - pending["started"] > STATE_MAX_AGE_SECONDS:
        raise ConnectError(
            _("The connection took too long."),
            _("For safety a connection must finish within 15 minutes. Start it again from the Portals page."),
        )
    code = params.get("code", "")
    if not code:
        raise ConnectError(_("HubSpot sent no authorization code."), _("Start the connection again."))
    return code


def _code_exchanged(
    code: str, pending: dict[str, Any], *, user: User, request: HttpRequest
) -> tuple[TokenResponse, TokenInfo]:
    """Exchange the code for tokens (with the PKCE verifier) and read what the access token is for."""
    oauth = oauth_client()
    try:
        tokens = oauth.exchange_code(code, pending["redirect_uri"], code_verifier=pending["verifier"])
        return tokens, oauth.get_access_token_info(tokens.access_token)
    except HubSpotError as error:
        audit_failure(action="portal.connect", actor=user, error=error, request=request)
        raise ConnectError(
            _("HubSpot refused the authorization code."),
            _("Codes are single-use and short-lived. Start the connection again."),
            correlation_id=error.correlation_id or "",
        ) from error


def _scopes_checked(info: TokenInfo, tokens: TokenResponse, *, user: User) -> list[str]:
    """The scopes HubSpot granted, once they hold every scope hsadmin needs."""
    granted = list(info.scopes or tokens.scopes)
    missing = [scope for scope in REQUIRED_SCOPES if scope not in granted]
    if missing:
        _refused(user, {"missing_scopes": missing})
        raise ConnectError(
            _("HubSpot did not grant every permission hsadmin needs."),
            _("Missing: %(scopes)s. Reconnect and accept all the requested permissions.")
            % {"scopes": ", ".join(missing)},
        )
    return granted


def _portal_kept(
    hub_id: int, tokens: TokenResponse, info: TokenInfo, granted: list[str], *, user: User
) -> tuple[Portal, bool]:
    """Create or update the portal with its new tokens, make the person its admin and their current portal.
    A portal connected through another HubSpot app is refused: events of one app cannot be managed by another."""
    with transaction.atomic():
        portal = Portal.objects.select_for_update().filter(hub_id=hub_id).first()
        if (
            portal is not None
            and portal.app_id
            and info.app_id
            and portal.app_id != info.app_id
            and portal.status == PortalStatus.CONNECTED
        ):
            _refused(user, {"error": "connected by another app", "app_id": info.app_id}, portal)
            raise ConnectError(
                _("Portal %(hub)s is already connected through another HubSpot app.") % {"hub": hub_id},
                _(
                    "Events created by one app cannot be managed through another. Disconnect it first, or "
                    "connect with the same app."
                ),
            )
        created = portal is None
        portal = portal or Portal(hub_id=hub_id)
        portal.name = info.hub_domain or portal.name or f"Portal {hub_id}"
        portal.hub_domain = info.hub_domain or ""
        portal.app_id = info.app_id
        portal.scopes = granted
        portal.status = PortalStatus.CONNECTED
        portal.access_token = tokens.access_token
        portal.refresh_token = tokens.refresh_token
        portal.token_expires_at = tokens.expires_at
        portal.token_refreshed_at = timezone.now()
        portal.installing_user_email = info.user or ""
        portal.connected_by = user
        portal.connected_at = timezone.now()
        portal.last_error = {}
        portal.save()
        Membership.objects.get_or_create(
            user=user, portal=portal, defaults={"role": Role.PORTAL_ADMIN.value, "granted_by": user}
        )
        User.objects.filter(pk=user.pk).update(current_portal=portal)
    return portal, created


def portal_disconnect(*, portal: Portal, user: User, purge: bool, request: HttpRequest | None = None) -> str:
    """Revoke the refresh token at HubSpot, forget the tokens; with `purge`, forget the portal entirely.

    Returns a warning for the person when HubSpot could not be told (the tokens are forgotten anyway).
    """
    warning = ""
    refresh_token = portal.refresh_token
    if refresh_token:
        try:
            oauth_client().revoke_refresh_token(str(refresh_token))
        except HubSpotError as error:
            audit_failure(action="portal.revoke", actor=user, portal=portal, error=error, request=request)
            warning = _(
                "HubSpot could not be told to revoke the token (%(error)s); hsadmin forgot it anyway. You can "
                "also uninstall the app in HubSpot's settings."
            ) % {"error": error.category or error.status or "no answer"}
    hub_id = portal.hub_id
    if purge:
        audit_record(action="portal.purge", actor=user, portal=portal, target=str(hub_id), request=request)
        portal.delete()
    else:
        portal.access_token = None
        portal.refresh_token = None
        portal.token_expires_at = None
        portal.status = PortalStatus.DISCONNECTED
        portal.save()
        audit_record(
            action="portal.disconnect", actor=user, portal=portal, target=str(hub_id), request=request
        )
    return warning


def membership_grant(*, portal: Portal, user: User, role: Role, by: User) -> Membership:
    membership, created = Membership.objects.update_or_create(
        user=user, portal=portal, defaults={"role": role.value, "granted_by": by}
    )
    audit_record(
        action="access.grant" if created else "access.change",
        actor=by,
        portal=portal,
        target=user.get_username(),
        detail={"role": role.value},
    )
    return membership


def membership_revoke(*, membership: Membership, by: User) -> None:
    """Take away a person's access to a portal. A portal admin cannot take away their own access while they are
    its only admin: someone must be left to manage it."""
    if membership.user_id == by.pk and membership.role == Role.PORTAL_ADMIN.value:
        others = Membership.objects.filter(portal=membership.portal, role=Role.PORTAL_ADMIN.value).exclude(
            pk=membership.pk
        )
        if not others.exists():
            raise ActionFailed(_("You are this portal's only admin; grant someone else admin access first."))
    portal, user, role = membership.portal, membership.user, membership.role
    membership.delete()
    if user.current_portal_id == portal.pk:
        User.objects.filter(pk=user.pk).update(current_portal=None)
    audit_record(
        action="access.revoke", actor=by, portal=portal, target=user.get_username(), detail={"role": role}
    )


def current_portal_set(*, user: User, portal: Portal) -> None:
    User.objects.filter(pk=user.pk).update(current_portal=portal)
    user.current_portal = portal
