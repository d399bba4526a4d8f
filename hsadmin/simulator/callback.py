"""The event-details call-back: HubSpot asks the app about an external event it has never seen.

When attendance arrives for an external event that does not exist and the app has an ``eventDetailsUrl``, the
simulator GETs ``eventDetailsUrl % externalEventId`` with ``?appId=…&externalAccountId=…``, signed with
``X-HubSpot-Signature-v3`` and ``X-HubSpot-Request-Timestamp`` (and the legacy v2 headers), creates the event
from the JSON answer, and the caller then records the attendance.

v3 signature: base64(HMAC-SHA256(client secret, method + URI + body + timestamp)), where the URI is the full URL
with only the reference's listed percent-sequences decoded and the timestamp is epoch milliseconds.

HubSpot demands https; the simulator also accepts http to loopback addresses so local apps can be tested.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import logging
import time
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import httpx

from hsadmin.simulator import clock
from hsadmin.simulator import serializers as ser
from hsadmin.simulator.models import App, MarketingEvent, Portal

logger = logging.getLogger(__name__)

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


def decode_uri(uri: str) -> str:
    """Decode only the sequences HubSpot's v3 procedure lists (either case of hex digits)."""
    for encoded, plain in _DECODE.items():
        uri = uri.replace(encoded, plain).replace(encoded.lower(), plain)
    return uri


def sign_v3(secret: str, method: str, uri: str, body: str, timestamp: str) -> str:
    source = f"{method}{decode_uri(uri)}{body}{timestamp}".encode()
    return base64.b64encode(hmac.new(secret.encode(), source, hashlib.sha256).digest()).decode()


def sign_v2(secret: str, method: str, uri: str, body: str) -> str:
    return hashlib.sha256(f"{secret}{method}{uri}{body}".encode()).hexdigest()


def url_allowed(url: str) -> bool:
    """https anywhere; http only to a loopback address."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def details_url(app: App, external_event_id: str, external_account_id: str) -> str:
    base = app.event_details_url.replace("%s", quote(external_event_id, safe=""))
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}{urlencode({'appId': app.app_id, 'externalAccountId': external_account_id})}"


def fetch_event(
    portal: Portal, app: App, external_account_id: str, external_event_id: str
) -> MarketingEvent | None:
    """Ask the app for the event and create it; None when there is no usable answer."""
    if not app.event_details_url or not external_account_id:
        return None
    url = details_url(app, external_event_id, external_account_id)
    if not url_allowed(url):
        return None
    timestamp = str(int(time.time() * 1000))
    headers = {
        "X-HubSpot-Signature-v3": sign_v3(app.client_secret, "GET", url, "", timestamp),
        "X-HubSpot-Request-Timestamp": timestamp,
        "X-HubSpot-Signature-Version": "v2",
        "X-HubSpot-Signature": sign_v2(app.client_secret, "GET", url, ""),
        "Accept": "application/json",
    }
    try:
        response = httpx.get(url, headers=headers, timeout=5)
        data: Any = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        logger.warning("event-details call-back to %s failed", urlsplit(url).netloc)
        return None
    if not isinstance(data, dict):
        return None
    try:
        fields = ser.event_fields(data)
    except Exception:
        return None
    current = clock.now()
    fields.setdefault("name", external_event_id)
    props = fields.pop("custom_properties", {})
    event, _ = MarketingEvent.objects.get_or_create(
        portal=portal,
        app=app,
        external_account_id=external_account_id,
        external_event_id=external_event_id,
        defaults={**fields, "custom_properties": props, "created_at": current, "updated_at": current},
    )
    return event
