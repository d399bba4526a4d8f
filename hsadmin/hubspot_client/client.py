"""The client core: the one request path, and `HubSpotClient` composed of the per-area parts.

`_request()` is the only place a request is sent. It takes a slot from the rate limiter, sends through the
shared httpx.Client with the request's auth, feeds the `X-HubSpot-RateLimit-*` headers back to the limiter,
maps failures to the error tree, and retries by the policy in retry.py.
"""

from __future__ import annotations

import copy
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Self

import httpx

from ._api import USE_DEFAULT_AUTH, ApiPart, Op, UseDefaultAuth, clean_params, validate_api_version
from .associations import ListAssociationsPart, SettingsPart
from .attendance import AttendancePart
from .batch import DEFAULT_BATCH_SIZE, REPLAYED
from .crm import CrmPart
from .errors import (
    ExpiredTokenError,
    HubSpotError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
    error_from_response,
    transport_error,
)
from .events import EventsPart
from .limits import NullLimiter, Priority, RateLimiter, RateLimitInfo
from .participations import ParticipationsPart
from .redact import RedactingFilter, quiet_httpx_logging, redact_url
from .retry import RetryPolicy

logger = logging.getLogger("hsadmin.hubspot_client")
logger.addFilter(RedactingFilter())  # belt and braces: every record of ours is redacted, whatever it carries

HUBSPOT_API_BASE = "https://api.hubapi.com"
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=10.0)
DEFAULT_LIMITS = httpx.Limits(max_connections=50, max_keepalive_connections=20, keepalive_expiry=30.0)
USER_AGENT = "hsadmin-hubspot-client/1.0"

_shared_clients: dict[tuple[int, str], httpx.Client] = {}
_shared_lock = threading.Lock()


def shared_http_client(base_url: str, *, timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> httpx.Client:
    """The process's one long-lived httpx.Client for `base_url` (keyed by pid too: never share across fork).

    Redirects are not followed (an API redirect is a misconfiguration, and following one could carry the token
    elsewhere); timeouts are explicit; httpx's own request logging is turned down."""
    key = (os.getpid(), base_url.rstrip("/"))
    client = _shared_clients.get(key)
    if client is None or client.is_closed:
        with _shared_lock:
            client = _shared_clients.get(key)
            if client is None or client.is_closed:
                client = _shared_clients[key] = new_http_client(base_url, timeout=timeout)
    return client


def new_http_client(
    base_url: str, *, timeout: httpx.Timeout = DEFAULT_TIMEOUT, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    quiet_httpx_logging()
    return httpx.Client(
        base_url=base_url.rstrip("/"),
        timeout=timeout,
        follow_redirects=False,
        limits=DEFAULT_LIMITS,
        transport=transport,
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
    )


def close_shared_clients() -> None:
    with _shared_lock:
        for client in _shared_clients.values():
            client.close()
        _shared_clients.clear()


@dataclass(frozen=True, slots=True)
class _Request:
    """What one call sends, the same on every attempt."""

    op: Op
    method: str
    path: str
    query: Mapping[str, Any] | None
    json: Any
    data: Mapping[str, Any] | None
    auth: httpx.Auth | None


@dataclass(frozen=True, slots=True)
class _Failed:
    """An attempt that failed: the typed error, and the answer's rate-limit headers (None: no answer came)."""

    error: HubSpotError
    info: RateLimitInfo | None

    @property
    def may_have_applied(self) -> bool:
        """Did HubSpot perhaps apply the request although the attempt failed (a 5xx, or a request that left)?"""
        return isinstance(self.error, ServerError) or (
            isinstance(self.error, TransportError) and self.error.sent
        )


class ClientCore(ApiPart):
    """Configuration and the request path, shared by `HubSpotClient` and `OAuthClient`."""

    def __init__(
        self,
        *,
        base_url: str = HUBSPOT_API_BASE,
        auth: httpx.Auth | None = None,
        api_version: str = "v3",
        portal_key: str = "default",
        limiter: RateLimiter | None = None,
        priority: Priority = Priority.INTERACTIVE,
        retry: RetryPolicy | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        timeout: httpx.Timeout | None = None,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.base_url = base_url.rstrip("/")
        self.api_version = validate_api_version(api_version)
        self.portal_key = portal_key
        self.priority = priority
        self.batch_size = batch_size
        self.retry = retry or RetryPolicy()
        self._auth = auth
        self._limiter: RateLimiter = limiter or NullLimiter()
        self._sleep = sleep
        self._clock = clock
        self._request_timeout: httpx.Timeout | None = None  # None: the httpx.Client's own timeouts
        if http_client is not None:
            self._http = http_client
        elif transport is not None:
            self._http = new_http_client(
                self.base_url, timeout=timeout or DEFAULT_TIMEOUT, transport=transport
            )
        else:
            self._http = shared_http_client(self.base_url, timeout=timeout or DEFAULT_TIMEOUT)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, portal_key={self.portal_key!r})"

    @property
    def http(self) -> httpx.Client:
        return self._http

    @property
    def limiter(self) -> RateLimiter:
        return self._limiter

    def with_options(
        self,
        *,
        priority: Priority | None = None,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout | None = None,
    ) -> Self:
        """A view of this client (same connection pool, auth and limiter) with another priority, retry policy
        or per-request timeout: `client.with_options(priority=Priority.BULK)` for jobs, or
        `client.with_options(retry=RetryPolicy(deadline=5), timeout=httpx.Timeout(4))` inside a web request."""
        other = copy.copy(self)
        if priority is not None:
            other.priority = priority
        if retry is not None:
            other.retry = retry
        if timeout is not None:
            other._request_timeout = timeout
        return other

    def _request(
        self,
        op: Op,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        auth: httpx.Auth | UseDefaultAuth | None = USE_DEFAULT_AUTH,
    ) -> httpx.Response:
        """Send until HubSpot answers with success, or the retry policy says to stop: then raise the typed
        error. Each attempt is `_attempt()`; the wait between two is `_wait_before_retry()`."""
        request_auth = self._auth if isinstance(auth, UseDefaultAuth) else auth
        request = _Request(
            op, method, path, clean_params(params) if params else None, json, data, request_auth
        )
        started = self._clock()
        ambiguous = False  # an earlier attempt may have been applied
        token_replays = 0
        attempt = 0
        while True:
            attempt += 1
            outcome = self._attempt(request, attempt=attempt, ambiguous=ambiguous)
            if isinstance(outcome, httpx.Response):
                return outcome
            delay, replay = self._wait_before_retry(
                request, outcome, attempt=attempt, started=started, token_replays=token_replays
            )
            if delay is None:
                raise outcome.error
            token_replays += replay
            ambiguous = ambiguous or outcome.may_have_applied
            logger.info(
                "hubspot %s attempt %d failed (%s); retrying in %.2fs", op.name, attempt, outcome.error, delay
            )
            self._sleep(delay)

    def _attempt(self, request: _Request, *, attempt: int, ambiguous: bool) -> httpx.Response | _Failed:
        """One attempt: a slot from the limiter, the request, and what the answer says about the rate limit.
        Returns the response on success, else the typed error (not raised: the caller decides)."""
        op = request.op
        key = self.portal_key + op.bucket
        if not op.oauth:
            self._limiter.acquire(key, self.priority)
        try:
            response = self._http.request(
                request.method,
                request.path,
                params=request.query,
                json=request.json,
                data=request.data,
                auth=request.auth,
                timeout=self._request_timeout or httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.TransportError as exc:
            self._observe(op, key, RateLimitInfo())
            return _Failed(transport_error(exc, operation=op.name, attempts=attempt), None)
        except HubSpotError:  # raised by the auth flow (a refresh that failed): the request never left
            self._observe(op, key, RateLimitInfo())
            raise
        status = response.status_code
        if status < 300 or (status == 404 and ambiguous and op.gone_ok_on_retry):
            if ambiguous:
                response.extensions[REPLAYED] = True
            self._observe(op, key, RateLimitInfo.from_headers(response.headers))
            self._log(op, response, attempt)
            return response
        error = error_from_response(response, operation=op.name, oauth=op.oauth, attempts=attempt)
        if status == 404 and ambiguous and isinstance(error, NotFoundError):
            error.message += " (an earlier attempt may have succeeded)"
        limited = error if isinstance(error, RateLimitedError) else None
        info = RateLimitInfo.from_headers(
            response.headers,
            rate_limited=status == 429,
            retry_after=limited.retry_after if limited else None,
            policy_name=limited.policy_name if limited else None,
        )
        self._observe(op, key, info)
        self._log(op, response, attempt)
        return _Failed(error, info)

    def _observe(self, op: Op, key: str, info: RateLimitInfo) -> None:
        if not op.oauth:  # OAuth endpoints are not under the portal's rate limit
            self._limiter.observe(key, info)

    def _wait_before_retry(
        self, request: _Request, failed: _Failed, *, attempt: int, started: float, token_replays: int
    ) -> tuple[float | None, bool]:
        """How long to wait before the next attempt (None: stop and raise), and whether the next attempt is
        one more round for an expired token."""
        error = failed.error
        delay = self.retry.delay_for(
            error,
            attempt=attempt,
            idempotent=request.op.idempotent,
            interval_ms=failed.info.interval_ms if failed.info is not None else None,
        )
        # The auth already refreshed once and the replay met another expired-token 401 (a refresh that raced a
        # revocation, or clock skew): try one more full round, then give up.
        replay = (
            isinstance(error, ExpiredTokenError)
            and hasattr(request.auth, "refresh")
            and token_replays < self.retry.max_token_replays
            and attempt < self.retry.max_attempts
        )
        if replay:
            delay = 0.0
        deadline = self.retry.deadline
        if delay is not None and deadline is not None and self._clock() + delay - started > deadline:
            delay = None
        return delay, replay

    def _log(self, op: Op, response: httpx.Response, attempt: int) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "hubspot %s %s %s -> %d (attempt %d)",
                op.name,
                response.request.method,
                redact_url(response.request.url),
                response.status_code,
                attempt,
            )

    def close(self) -> None:
        """Close the httpx.Client if this client owns it (never the process-wide shared one)."""
        if self._http not in _shared_clients.values():
            self._http.close()


class HubSpotClient(
    EventsPart,
    AttendancePart,
    ParticipationsPart,
    ListAssociationsPart,
    SettingsPart,
    CrmPart,
    ClientCore,
):
    """One portal's view of HubSpot: every Marketing Events operation, plus lists and contacts.

    Build one per portal (cheap: the connection pool is shared per base URL and process)::

        client = HubSpotClient(
            base_url=settings.HUBSPOT_API_BASE,
            api_version=settings.HUBSPOT_API_VERSION,        # "v3" or "2026-03"
            auth=OAuthTokenAuth(tokens, refresh=oauth.token_refresher(), on_refresh=save, lock=lock),
            portal_key=f"portal:{portal.hub_id}",
            limiter=shared_limiter,                           # implements limits.RateLimiter
            developer_api_key=settings.HUBSPOT_DEVELOPER_API_KEY,  # settings endpoints
            app_id=settings.HUBSPOT_APP_ID,
        )
    """

    def __init__(
        self,
        *,
        base_url: str = HUBSPOT_API_BASE,
        auth: httpx.Auth | None = None,
        api_version: str = "v3",
        portal_key: str = "default",
        limiter: RateLimiter | None = None,
        priority: Priority = Priority.INTERACTIVE,
        retry: RetryPolicy | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        developer_api_key: str | None = None,
        app_id: int | None = None,
        timeout: httpx.Timeout | None = None,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(
            base_url=base_url,
            auth=auth,
            api_version=api_version,
            portal_key=portal_key,
            limiter=limiter,
            priority=priority,
            retry=retry,
            batch_size=batch_size,
            timeout=timeout,
            http_client=http_client,
            transport=transport,
            sleep=sleep,
            clock=clock,
        )
        self._init_settings(developer_api_key=developer_api_key, app_id=app_id)
