"""A server-side GET of a URL a person typed, guarded against server-side request forgery (SSRF).

- https only (http only to loopback, and loopback itself only when HSADMIN_ALLOW_LOOPBACK_FETCH is on, and
  then only the simulator's port and hsadmin's own: `urlcheck.loopback_ports`);
- the host is resolved once and every address it resolves to must be public (`urlcheck.is_public_address`:
  not private, loopback, link- or site-local, multicast, reserved, unspecified, nor an IPv6 form of those); the request then goes to that resolved address (pinned),
  with the original host name in `Host` and for TLS (SNI and certificate check), so a DNS answer that changes
  between the check and the connection (DNS rebinding) cannot redirect it;
- no redirects, no proxies from the environment, no cookies; a 3 s limit on the DNS lookup, timeouts of at most
  5 s and an overall deadline;
- at most 64 KB of body is read.

httpx gives pinning through the `sni_hostname` request extension; no library we already use does the rest.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx
from django.utils.translation import gettext as _

from hsadmin.appsettings.urlcheck import allow_loopback, is_public_address, loopback_ports

TIMEOUT_SECONDS = 5.0
MAX_BODY_BYTES = 64 * 1024
USER_AGENT = "hsadmin-event-details-tester/1.0"

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchRefused(Exception):
    """hsadmin will not call this URL; `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FetchFailed(FetchRefused):
    """The call was made but did not give an answer hsadmin could read."""


@dataclass(frozen=True)
class Fetched:
    status: int
    content_type: str
    body: bytes
    address: str
    elapsed_ms: int


# getaddrinfo has no timeout of its own (the system resolver may wait 30 s or more): it runs on these threads,
# and the page stops waiting after DNS_TIMEOUT_SECONDS. A slow lookup then finishes in the background, alone.
DNS_TIMEOUT_SECONDS = 3.0
_resolver = ThreadPoolExecutor(max_workers=4, thread_name_prefix="fetch-dns")


def resolve(host: str, port: int) -> list[Address]:
    lookup = _resolver.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        infos = lookup.result(timeout=DNS_TIMEOUT_SECONDS)
    except FutureTimeout as error:
        lookup.cancel()
        raise FetchRefused(
            _("Looking up the host name %(host)s took too long; try again later.") % {"host": host}
        ) from error
    except (socket.gaierror, UnicodeError) as error:
        raise FetchRefused(_("The host name %(host)s could not be found.") % {"host": host}) from error
    addresses: list[Address] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise FetchRefused(_("The host name %(host)s could not be found.") % {"host": host})
    return addresses


def check_address(addresses: list[Address], *, loopback_ok: bool) -> Address:
    """The address to connect to, if every address is allowed; else FetchRefused."""
    for address in addresses:
        if is_public_address(address) or (loopback_ok and address.is_loopback):
            continue
        raise FetchRefused(
            _(
                "hsadmin does not call %(address)s: only public internet addresses may be called from here "
                "(private, loopback, link-local, site-local and reserved addresses are refused)."
            )
            % {"address": address}
        )
    return addresses[0]


def guarded_get(url: str, *, headers: dict[str, str] | None = None, own_port: int | None = None) -> Fetched:
    """GET `url` under the guard above. Raises FetchRefused before calling, FetchFailed after. `own_port` is
    the port hsadmin was reached on (in development the tester may call hsadmin itself there)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    loopback_ok = allow_loopback()
    if not host or parts.username is not None or parts.password is not None:
        raise FetchRefused(_("Give a full URL with a host name and no credentials."))
    if parts.scheme == "https":
        pass
    elif parts.scheme == "http" and loopback_ok:
        pass  # checked below: http is allowed only when every address is loopback
    else:
        raise FetchRefused(_("Only https URLs are called."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise FetchRefused(_("The port in the URL is not valid.")) from error
    address = check_address(resolve(host, port), loopback_ok=loopback_ok)
    if parts.scheme == "http" and not address.is_loopback:
        raise FetchRefused(_("Only https URLs are called."))
    if address.is_loopback and port not in loopback_ports(own_port):
        raise FetchRefused(
            _(
                "On this machine hsadmin calls only the simulator and hsadmin itself, not port %(port)s of "
                "%(address)s."
            )
            % {"port": port, "address": address}
        )
    pinned_host = f"[{address}]" if address.version == 6 else str(address)
    pinned = urlunsplit((parts.scheme, f"{pinned_host}:{port}", parts.path or "/", parts.query, ""))
    host_header = parts.netloc.rsplit("@", 1)[-1]
    # No compression: the 64 KB limit counts the bytes as they arrive (a small gzip could unpack to gigabytes).
    request_headers = {
        "User-Agent": USER_AGENT,
        **(headers or {}),
        "Host": host_header,
        "Accept-Encoding": "identity",
    }
    started = time.monotonic()
    timeout = httpx.Timeout(TIMEOUT_SECONDS, connect=min(TIMEOUT_SECONDS, 3.0))
    try:
        with (
            httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client,
            client.stream(
                "GET", pinned, headers=request_headers, extensions={"sni_hostname": host}
            ) as response,
        ):
            encoding = response.headers.get("content-encoding", "identity").strip().lower()
            if encoding not in ("", "identity"):
                raise FetchFailed(_("The answer came compressed although hsadmin asked for it plain."))
            body = bytearray()
            for chunk in response.iter_raw():
                body += chunk
                if len(body) > MAX_BODY_BYTES:
                    raise FetchFailed(
                        _("The answer is larger than %(kb)s KB; hsadmin stopped reading.")
                        % {"kb": MAX_BODY_BYTES // 1024}
                    )
                if time.monotonic() - started > TIMEOUT_SECONDS:
                    raise FetchFailed(
                        _("The answer took longer than %(s)s seconds.") % {"s": int(TIMEOUT_SECONDS)}
                    )
            status = response.status_code
            content_type = response.headers.get("content-type", "")
    except httpx.TimeoutException as error:
        raise FetchFailed(
            _("The URL did not answer within %(s)s seconds.") % {"s": int(TIMEOUT_SECONDS)}
        ) from error
    except httpx.HTTPError as error:
        raise FetchFailed(
            _("The URL could not be reached (%(error)s).") % {"error": type(error).__name__}
        ) from error
    return Fetched(
        status=status,
        content_type=content_type,
        body=bytes(body),
        address=str(address),
        elapsed_ms=int((time.monotonic() - started) * 1000),
    )
