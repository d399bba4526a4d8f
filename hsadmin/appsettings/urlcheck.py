"""What HubSpot refuses in an eventDetailsUrl, each with a reason a person can act on (reference §2.9)."""

from __future__ import annotations

import ipaddress
import socket
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


Address = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Names that never lead to the public internet (RFC 6761, 6762, 8375; ICANN's .internal).
PRIVATE_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa", ".lan", ".intranet", ".corp")


def is_public_address(address: Address) -> bool:
    """On the public internet: `is_global`, and not multicast, reserved, unspecified, link- or site-local.

    An IPv6 address that carries an IPv4 one (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d, 6to4 2002:…) is
    judged by the IPv4 address it reaches. `is_global` alone lets fec0::/10 (site-local) and multicast through.
    """
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        elif address in _NAT64:
            address = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        elif address.sixtofour is not None:
            address = address.sixtofour
        elif address.teredo is not None or address.is_site_local:
            return False
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_unspecified or address.is_link_local
    )


def literal_address(host: str) -> Address | None:
    """The address a host that is an IP literal means, in any notation a resolver accepts (2852039166,
    0xa9fea9fe, 0251.0376.0251.0376, a trailing dot), or None for a name."""
    host = host.rstrip(".")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if host and all(c in "0123456789abcdefxABCDEFX." for c in host) and host[0].isdigit():
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def host_problem(host: str) -> str | None:
    """Why HubSpot (or hsadmin's tester) must not be sent to this host, or None. Names are resolved only when
    called (fetch.py checks every address then); here, literal addresses and private-use names."""
    name = host.rstrip(".").lower()
    if allow_loopback() and is_loopback_host(name):
        return None
    address = literal_address(name)
    private_name = name == "localhost" or name.endswith(PRIVATE_SUFFIXES)
    if (address is not None and not is_public_address(address)) or (address is None and private_name):
        return _(
            "%(host)s is not on the public internet: HubSpot calls only public addresses, and hsadmin refuses "
            "private, loopback, link-local, site-local, cloud-metadata and reserved ones."
        ) % {"host": host}
    return None


def loopback_ports(own_port: int | None = None) -> set[int]:
    """In development, the loopback ports the tester may call: the simulator's, and hsadmin's own."""
    ports = set(getattr(settings, "HSADMIN_LOOPBACK_PORTS", ()))
    simulator = urlsplit(getattr(settings, "HUBSPOT_API_BASE", ""))
    if simulator.hostname and is_loopback_host(simulator.hostname):
        ports.add(simulator.port or (443 if simulator.scheme == "https" else 80))
    if own_port:
        ports.add(own_port)
    return ports


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
    problem = host_problem(host)
    if problem:
        return problem
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
