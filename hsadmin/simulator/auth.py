"""Who is calling: bearer access tokens (with scopes and expiry) and the developer API key (``hapikey``).

HubSpot's answers, reproduced here:

- no or unknown token: 401 ``INVALID_AUTHENTICATION`` ("Authentication credentials not found…");
- an expired token: 401 ``EXPIRED_AUTHENTICATION`` ("The OAuth token used to make this call expired N second(s)
  ago.") with ``context["expire time"]``;
- a token without the operation's scope: 403 ``MISSING_SCOPES`` with ``context.requiredGranularScopes``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from hsadmin.simulator import clock
from hsadmin.simulator.errors import ApiError
from hsadmin.simulator.models import AccessToken, App, Portal

READ = "crm.objects.marketing_events.read"
WRITE = "crm.objects.marketing_events.write"
LISTS_READ = "crm.lists.read"
CONTACTS_READ = "crm.objects.contacts.read"
# The settings endpoints of 2026-03 take an OAuth token with these (v3 and 2026-09 take the developer key).
DEVELOPERS_READ = "developers-read"
DEVELOPERS_WRITE = "developers-write"
ALL_SCOPES = [READ, WRITE, LISTS_READ, CONTACTS_READ, "oauth", DEVELOPERS_READ, DEVELOPERS_WRITE]

_NOT_FOUND_MESSAGE = (
    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more "
    "details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
)


@dataclass(frozen=True)
class Caller:
    """The portal and app an access token speaks for."""

    portal: Portal
    app: App
    token: str
    scopes: frozenset[str]


def bearer_token(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def invalid_authentication() -> ApiError:
    return ApiError(401, "INVALID_AUTHENTICATION", _NOT_FOUND_MESSAGE)


def expired_authentication(seconds_ago: int, expired_at: str | None) -> ApiError:
    return ApiError(
        401,
        "EXPIRED_AUTHENTICATION",
        f"The OAuth token used to make this call expired {seconds_ago} second(s) ago.",
        context={"expire time": [expired_at or ""]},
    )


def authenticate_bearer(request: HttpRequest) -> Caller:
    """The caller behind ``Authorization: Bearer …``, or the 401 HubSpot would answer."""
    token = bearer_token(request)
    if token is None:
        raise invalid_authentication()
    row = AccessToken.objects.select_related("portal", "app").filter(token=token).first()
    if row is None:
        raise invalid_authentication()
    current = clock.now()
    if row.expires_at <= current:
        raise expired_authentication(
            int((current - row.expires_at).total_seconds()), clock.iso(row.expires_at)
        )
    return Caller(portal=row.portal, app=row.app, token=token, scopes=frozenset(row.scopes))


def require_scopes(caller: Caller, *scopes: str) -> None:
    """403 ``MISSING_SCOPES`` unless the token holds every scope named."""
    missing = [scope for scope in scopes if scope not in caller.scopes]
    if missing:
        raise ApiError(
            403,
            "MISSING_SCOPES",
            "This app hasn't been granted all required scopes to make this call. Read more about required "
            "scopes here: https://developers.hubspot.com/scopes.",
            context={"requiredGranularScopes": list(scopes)},
            errors=[
                {
                    "message": "One or more of the following scopes are required.",
                    "context": {"requiredGranularScopes": list(scopes)},
                }
            ],
            links={"scopes": "https://developers.hubspot.com/scopes"},
        )


def authenticate_developer(request: HttpRequest) -> App:
    """The app whose developer API key is in ``?hapikey=``, or 401."""
    key = request.GET.get("hapikey", "")
    app = App.objects.filter(developer_api_key=key).first() if key else None
    if app is None:
        raise ApiError(
            401,
            "INVALID_AUTHENTICATION",
            "The API key provided is invalid. View or manage your API key here: "
            "https://app.hubspot.com/l/api-key/",
        )
    return app
