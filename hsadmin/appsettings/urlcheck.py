"""What HubSpot refuses in an eventDetailsUrl, each with a reason a person can act on (reference §2.9)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

PLACEHOLDER = "%s"
MAX_LENGTH = 2000


def allow_loopback() -> bool:
    """Development only: the simulator and hsadmin itself on 127.0.0.1 may be called (default: DEBUG)."""
    return bool(getattr(settings, "HSADMIN_ALLOW_LOOPBACK_FETCH", settings.DEBUG))


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def event_details_url_problem(url: str) -> str | None:
    """Why HubSpot would refuse this eventDetailsUrl, or None when it is acceptable."""
    if not url or len(url) > MAX_LENGTH:
        return _("Give a URL of at most %(n)s characters.") % {"n": MAX_LENGTH}
    if any(c.isspace() for c in url):
        return _("Take the spaces out of the URL.")
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host:
        return _("Give a full URL with a host name, for example https://events.example.com/details/%s.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return _(
            "Take the user name and password out of the URL: HubSpot refuses credentials in it, and anyone "
            "who can read the app's settings would see them."
        )
    if parts.scheme != "https" and not (
        parts.scheme == "http" and is_loopback_host(host) and allow_loopback()
    ):
        return _("HubSpot calls only https URLs: start the URL with https://.")
    count = url.count(PLACEHOLDER)
    if count == 0:
        return _(
            "Put %s where the event's ID goes (for example https://events.example.com/details/%s): HubSpot "
            "replaces it with the external event ID."
        )
    if count > 1:
        return _("Use %s only once: HubSpot replaces a single %s with the external event ID.")
    if PLACEHOLDER in parts.netloc:
        return _("Put %s in the path or the query, not in the host name.")
    if parts.fragment or url.endswith("#"):
        return _("Remove the part from # on: HubSpot adds its query parameters after the URL.")
    return None


def details_url(template: str, *, external_event_id: str, app_id: object, external_account_id: str) -> str:
    """The URL HubSpot calls: %s replaced by the (escaped) external event ID, then appId and externalAccountId."""
    from urllib.parse import quote, urlencode

    base = template.replace(PLACEHOLDER, quote(external_event_id, safe=""))
    query = urlencode({"appId": app_id, "externalAccountId": external_account_id})
    return f"{base}{'&' if '?' in base else '?'}{query}"
