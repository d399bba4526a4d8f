"""hsadmin's HubSpot client: plain Python over httpx, never Django (design §1, §3, §5).

Build clients in one place (the Django factory `hubspot_client_for(portal)`)::

    oauth = OAuthClient(client_id=..., client_secret=..., base_url=API_BASE, auth_base=AUTH_BASE,
                        version=oauth_version_for(API_VERSION))
    auth = OAuthTokenAuth(TokenSet(access, refresh, expires_at), refresh=oauth.token_refresher(),
                          on_refresh=store_tokens, lock=portal_lock, reload=load_tokens)
    client = HubSpotClient(base_url=API_BASE, api_version=API_VERSION, auth=auth,
                           portal_key=f"portal:{hub_id}", limiter=shared_limiter,
                           developer_api_key=DEVELOPER_API_KEY, app_id=APP_ID)
    client.with_options(priority=Priority.BULK)  # for jobs: same pool, auth and limiter

- One method per HubSpot operation (docstrings give the verb and path); results are frozen dataclasses with
  aware datetimes; `iter_*` methods page lazily; batch methods chunk their input and return a `BatchOutcome`.
- Errors: `HubSpotError` and its subclasses (errors.py), each with status, category, correlation_id, context,
  operation.
- `RateLimiter` (limits.py) is the protocol a shared limiter implements: `acquire(key, priority)` before every
  attempt, `observe(key, info)` after it. `InProcessLimiter` is the one-process implementation.
"""

from ._api import DEFAULT_API_VERSION, settings_take_oauth
from .attendance import SubscriberResult
from .auth import BearerAuth, DeveloperKeyAuth, OAuthTokenAuth, TokenSet
from .batch import (
    DEFAULT_BATCH_SIZE,
    BatchError,
    BatchOutcome,
    BatchResult,
    ChunkOutcome,
    InputOutcome,
    InputStatus,
)
from .client import (
    DEFAULT_TIMEOUT,
    HUBSPOT_API_BASE,
    HubSpotClient,
    close_shared_clients,
    shared_http_client,
)
from .crm import ListSearchPage
from .errors import (
    AuthenticationError,
    AuthError,
    ExpiredTokenError,
    ForbiddenError,
    HubSpotError,
    HubSpotTimeoutError,
    LockedError,
    NotFoundError,
    OAuthError,
    RateLimitedError,
    ServerError,
    TransportError,
    ValidationError,
)
from .inputs import (
    ContactFilter,
    EmailSubscriber,
    EventCreate,
    EventUpdate,
    ExternalEventRef,
    ObjectIdUpdate,
    Subscriber,
    attendance_properties,
)
from .limits import InProcessLimiter, NullLimiter, Priority, RateLimiter, RateLimitInfo
from .models import (
    AppInfo,
    AttendanceCounters,
    BatchStatus,
    Contact,
    EventDetailSettings,
    EventIdentifier,
    HubSpotList,
    MarketingEvent,
    Page,
    Participation,
    ParticipationState,
    PropertyValue,
    SubscriberState,
)
from .oauth import (
    HUBSPOT_AUTH_BASE,
    OAuthClient,
    Pkce,
    TokenInfo,
    TokenResponse,
    new_pkce,
    new_state,
    oauth_version_for,
)
from .redact import RedactingFilter, redact_text, redact_url
from .retry import NO_RETRIES, RetryPolicy
from .signatures import (
    sign_v3,
    signature_v1,
    signature_v2,
    verify_signature,
    verify_v3,
)
from .times import from_epoch_ms, parse_iso, parse_time, to_epoch_ms, to_iso

__all__ = [
    "DEFAULT_API_VERSION",
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_TIMEOUT",
    "HUBSPOT_API_BASE",
    "HUBSPOT_AUTH_BASE",
    "NO_RETRIES",
    "AppInfo",
    "AttendanceCounters",
    "AuthError",
    "AuthenticationError",
    "BatchError",
    "BatchOutcome",
    "BatchResult",
    "BatchStatus",
    "BearerAuth",
    "ChunkOutcome",
    "Contact",
    "ContactFilter",
    "DeveloperKeyAuth",
    "EmailSubscriber",
    "EventCreate",
    "EventDetailSettings",
    "EventIdentifier",
    "EventUpdate",
    "ExpiredTokenError",
    "ExternalEventRef",
    "ForbiddenError",
    "HubSpotClient",
    "HubSpotError",
    "HubSpotList",
    "HubSpotTimeoutError",
    "InProcessLimiter",
    "InputOutcome",
    "InputStatus",
    "ListSearchPage",
    "LockedError",
    "MarketingEvent",
    "NotFoundError",
    "NullLimiter",
    "OAuthClient",
    "OAuthError",
    "OAuthTokenAuth",
    "ObjectIdUpdate",
    "Page",
    "Participation",
    "ParticipationState",
    "Pkce",
    "Priority",
    "PropertyValue",
    "RateLimitInfo",
    "RateLimitedError",
    "RateLimiter",
    "RedactingFilter",
    "RetryPolicy",
    "ServerError",
    "Subscriber",
    "SubscriberResult",
    "SubscriberState",
    "TokenInfo",
    "TokenResponse",
    "TokenSet",
    "TransportError",
    "ValidationError",
    "attendance_properties",
    "close_shared_clients",
    "from_epoch_ms",
    "new_pkce",
    "new_state",
    "oauth_version_for",
    "parse_iso",
    "parse_time",
    "redact_text",
    "redact_url",
    "settings_take_oauth",
    "shared_http_client",
    "sign_v3",
    "signature_v1",
    "signature_v2",
    "to_epoch_ms",
    "to_iso",
    "verify_signature",
    "verify_v3",
]
