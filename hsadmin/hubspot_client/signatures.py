"""Request signatures HubSpot puts on calls to the app (webhooks, the event-details URL, CRM cards…).

v3: `X-HubSpot-Signature-v3` = base64(HMAC-SHA256(client_secret, method + uri + body + timestamp)), with
`X-HubSpot-Request-Timestamp` in epoch ms, rejected when older than 5 minutes, compared in constant time. The
URI is the full URL with a fixed set of percent-escapes decoded first (reference "Signatures", step 2).
Legacy: v1 = sha256_hex(secret + body); v2 = sha256_hex(secret + method + uri + body).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from collections.abc import Mapping

MAX_AGE_MS = 300_000

_DECODE = {
    "%3A": ":",
    "%2F": "/",
    "%3F": "?",
    "%40": "@",
    "%21": "!",
    "%24": "$",
    "%27": "'",
    "%28": "(",
    "%29": ")",
    "%2A": "*",
    "%2C": ",",
    "%3B": ";",
}
_ESCAPE = re.compile("|".join(re.escape(k) for k in _DECODE), re.IGNORECASE)


def _text(value: str | bytes) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def decode_uri_for_v3(uri: str) -> str:
    """Decode only the escapes HubSpot lists; every other escape (e.g. %20) stays as sent."""
    return _ESCAPE.sub(lambda m: _DECODE[m.group(0).upper()], uri)


def sign_v3(client_secret: str, method: str, uri: str, body: str | bytes, timestamp: str | int) -> str:
    """The X-HubSpot-Signature-v3 value for a request (also what the simulator-facing tests sign with)."""
    source = f"{method.upper()}{decode_uri_for_v3(uri)}{_text(body)}{timestamp}"
    digest = hmac.new(client_secret.encode("utf-8"), source.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_v3(
    client_secret: str,
    *,
    method: str,
    uri: str,
    body: str | bytes,
    signature: str,
    timestamp: str | int,
    now_ms: int | None = None,
    max_age_ms: int = MAX_AGE_MS,
) -> bool:
    """True when the v3 signature matches and the timestamp is within `max_age_ms` of now.

    Unlike HubSpot's SDKs, timestamps more than `max_age_ms` in the future are refused too."""
    try:
        sent_ms = int(str(timestamp).strip())
    except ValueError:
        return False
    now = int(time.time() * 1000) if now_ms is None else now_ms
    if abs(now - sent_ms) > max_age_ms:
        return False
    expected = sign_v3(client_secret, method, uri, body, str(timestamp).strip())
    return hmac.compare_digest(expected.encode("ascii"), signature.strip().encode("ascii", "replace"))


def signature_v1(client_secret: str, body: str | bytes) -> str:
    return hashlib.sha256(f"{client_secret}{_text(body)}".encode()).hexdigest()


def signature_v2(client_secret: str, method: str, uri: str, body: str | bytes) -> str:
    return hashlib.sha256(f"{client_secret}{method.upper()}{uri}{_text(body)}".encode()).hexdigest()


def verify_signature(
    client_secret: str,
    *,
    method: str,
    uri: str,
    body: str | bytes,
    headers: Mapping[str, str],
    now_ms: int | None = None,
    allow_legacy: bool = False,
) -> bool:
    """Verify a request from HubSpot by its headers: v3 when present; v1/v2 only with `allow_legacy`
    (they carry no timestamp, so they cannot stop a replay)."""
    lower = {k.lower(): v for k, v in headers.items()}
    v3 = lower.get("x-hubspot-signature-v3")
    if v3 is not None:
        return verify_v3(
            client_secret,
            method=method,
            uri=uri,
            body=body,
            signature=v3,
            timestamp=lower.get("x-hubspot-request-timestamp", ""),
            now_ms=now_ms,
        )
    if not allow_legacy:
        return False
    legacy = lower.get("x-hubspot-signature", "").strip().lower()
    version = lower.get("x-hubspot-signature-version", "").strip().lower()
    if version == "v1":
        expected = signature_v1(client_secret, body)
    elif version == "v2":
        expected = signature_v2(client_secret, method, uri, body)
    else:
        return False
    return hmac.compare_digest(expected.encode("ascii"), legacy.encode("ascii", "replace"))
