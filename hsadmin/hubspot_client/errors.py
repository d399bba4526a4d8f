"""One exception tree with one root, so callers can catch `HubSpotError` or one precise kind.

Every error carries what the audit log and the person need: the HTTP status, HubSpot's `category`
and `correlationId`, the `context` map, and the client operation that failed (its name, verb and the
redacted URL). Nothing here holds a token: URLs are redacted before they are stored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from .redact import redact_text, redact_url


class HubSpotError(Exception):
    """The root of every error the client raises."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        category: str | None = None,
        sub_category: str | None = None,
        correlation_id: str | None = None,
        context: Mapping[str, Sequence[str]] | None = None,
        details: Sequence[Mapping[str, Any]] = (),
        operation: str | None = None,
        method: str | None = None,
        url: str | None = None,
        attempts: int = 1,
    ) -> None:
        self.message = redact_text(message)
        self.status = status
        self.category = category
        self.sub_category = sub_category
        self.correlation_id = correlation_id
        self.context: dict[str, list[str]] = {k: list(v) for k, v in (context or {}).items()}
        self.details: tuple[Mapping[str, Any], ...] = tuple(details)
        self.operation = operation
        self.method = method
        self.url = redact_url(url) if url is not None else None
        self.attempts = attempts
        super().__init__(self.message)

    def __str__(self) -> str:
        parts = [self.message]
        if self.status is not None:
            parts.append(f"status={self.status}")
        if self.category:
            parts.append(f"category={self.category}")
        if self.operation:
            parts.append(f"operation={self.operation}")
        if self.correlation_id:
            parts.append(f"correlationId={self.correlation_id}")
        return " ".join(parts)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self!s})"

    @property
    def retryable(self) -> bool:
        """Whether a later identical request could succeed (the retry policy decides if it is safe)."""
        return False


class AuthError(HubSpotError):
    """The credentials were refused (401), lacked a scope (403), or OAuth refused a grant."""


class AuthenticationError(AuthError):
    """401: the token is missing, bogus or expired."""


class ExpiredTokenError(AuthenticationError):
    """401 with category EXPIRED_AUTHENTICATION: refreshing the token and replaying is the cure."""


class ForbiddenError(AuthError):
    """403, typically category MISSING_SCOPES."""

    @property
    def required_scopes(self) -> list[str]:
        scopes: list[str] = []
        for key in ("requiredGranularScopes", "missingScopes", "requiredScopes"):
            scopes.extend(self.context.get(key, []))
        return scopes


class OAuthError(AuthError):
    """The token endpoint refused a grant (400 BAD_REFRESH_TOKEN, BAD_AUTH_CODE, EXPIRED_AUTH_CODE…)."""


class NotFoundError(HubSpotError):
    """404: no such object, or (for external-ID endpoints) an event that another app created."""


class ValidationError(HubSpotError):
    """400/409/422 and other input errors: fix the request, never retry it."""


class RateLimitedError(HubSpotError):
    """429: the portal's (or the search endpoint's, or the day's) budget is spent."""

    def __init__(
        self, message: str, *, policy_name: str | None = None, retry_after: float | None = None, **kw: Any
    ) -> None:
        super().__init__(message, **kw)
        self.policy_name = policy_name
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.policy_name != "DAILY"


class ServerError(HubSpotError):
    """5xx: HubSpot failed; the request may or may not have been applied."""

    @property
    def retryable(self) -> bool:
        return True


class LockedError(ServerError):
    """423 Locked: the object is busy (e.g. being processed); a later attempt may succeed."""


class TransportError(HubSpotError):
    """No HTTP answer: connection refused or dropped, DNS, TLS, protocol errors."""

    def __init__(self, message: str, *, sent: bool, **kw: Any) -> None:
        super().__init__(message, **kw)
        #: False when the request certainly never reached HubSpot (so any request may be retried).
        self.sent = sent

    @property
    def retryable(self) -> bool:
        return True


class HubSpotTimeoutError(TransportError):
    """The connection, the write, the read or the pool wait timed out."""


def _status_class(status: int, category: str | None, oauth: bool) -> type[HubSpotError]:
    if status == 401:
        return ExpiredTokenError if category == "EXPIRED_AUTHENTICATION" else AuthenticationError
    if status == 403:
        return ForbiddenError
    if status == 404:
        return NotFoundError
    if status == 429:
        return RateLimitedError
    if status == 423:
        return LockedError
    if status >= 500:
        return ServerError
    if oauth and status == 400:
        return OAuthError
    if status in (400, 409, 422):
        return ValidationError
    return HubSpotError


def _as_context(raw: object) -> dict[str, list[str]]:
    if not isinstance(raw, Mapping):
        return {}
    context: dict[str, list[str]] = {}
    for key, value in raw.items():
        if isinstance(value, list | tuple):
            context[str(key)] = [str(v) for v in value]
        elif value is not None:
            context[str(key)] = [str(value)]
    return context


def error_from_response(
    response: httpx.Response, *, operation: str, oauth: bool = False, attempts: int = 1
) -> HubSpotError:
    """Map a non-success response and its HubSpot error body to the right exception."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, Mapping):
        body = {}
    category = body.get("category") or body.get("errorType")
    if oauth and isinstance(body.get("status"), str) and body["status"] != "error":
        category = body["status"]  # OAuth errors put their code in `status`: {"status": "BAD_REFRESH_TOKEN"}
    status = response.status_code
    message = str(body.get("message") or response.reason_phrase or f"HTTP {status}")
    cls = _status_class(status, category, oauth)
    common: dict[str, Any] = {
        "status": status,
        "category": category,
        "sub_category": body.get("subCategory") if isinstance(body.get("subCategory"), str) else None,
        "correlation_id": body.get("correlationId") or response.headers.get("x-hubspot-correlation-id"),
        "context": _as_context(body.get("context")),
        "details": [d for d in body.get("errors") or [] if isinstance(d, Mapping)],
        "operation": operation,
        "method": response.request.method,
        "url": str(response.request.url),
        "attempts": attempts,
    }
    if cls is RateLimitedError:
        return RateLimitedError(
            message, policy_name=body.get("policyName"), retry_after=parse_retry_after(response), **common
        )
    return cls(message, **common)


def parse_retry_after(response: httpx.Response) -> float | None:
    """`retry-after-ms` or `Retry-After` in seconds; HubSpot documents neither, the simulator may send one."""
    raw_ms = response.headers.get("retry-after-ms")
    if raw_ms:
        try:
            return max(0.0, float(raw_ms) / 1000)
        except ValueError:
            pass
    raw = response.headers.get("retry-after")
    if raw:
        try:
            return max(0.0, float(raw))
        except ValueError:
            return None
    return None


def transport_error(exc: httpx.TransportError, *, operation: str, attempts: int = 1) -> TransportError:
    """Wrap an httpx transport failure, noting whether the request could have reached HubSpot."""
    not_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
    cls = HubSpotTimeoutError if isinstance(exc, httpx.TimeoutException) else TransportError
    try:
        request = exc.request
        method, url = request.method, str(request.url)
    except RuntimeError:
        method, url = None, None
    error = cls(
        f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__,
        sent=not not_sent,
        operation=operation,
        method=method,
        url=url,
        attempts=attempts,
    )
    error.__cause__ = exc
    return error
