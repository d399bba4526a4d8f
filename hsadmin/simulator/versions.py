"""Which Marketing Events API version a request is on, and what differs between versions.

HubSpot serves the same 36 operations under ``/marketing/v3/marketing-events/`` and the date-versioned
``/marketing/marketing-events/{YYYY-MM}/``; the simulator serves ``v3``, ``2026-03`` and ``2026-09`` (any other
version is HubSpot's 404, from the URLconf). What changes (reference, section "Versions", and HubSpot's
date-versioned specs):

- ``PropertyValue`` (V1 event answers' ``customProperties``): v3 has the fields of HubSpot's v3 SDK models;
  the date versions add ``sourceUpstreamDeployable``; ``2026-03`` also has ``maskedSubstrings``, which
  ``2026-09`` drops.
- settings (``/{appId}/settings``): ``2026-03`` takes an OAuth bearer token with ``developers-read`` /
  ``developers-write``; ``v3`` and ``2026-09`` take the developer API key (``hapikey``).
- ``batch/update``: ``2026-09`` documents only 200; the simulator answers 200 with the updated events and no
  ``errors``/``numErrors`` (inputs it could not apply are simply absent). v3 and ``2026-03`` answer 207 with
  ``errors`` when some inputs failed.
- ``vid`` is int32 in ``2026-09`` (int64 before): a larger vid in a request is 400.
"""

from __future__ import annotations

from django.http import HttpRequest

V3 = "v3"
V2026_03 = "2026-03"
V2026_09 = "2026-09"
VERSIONS = (V3, V2026_03, V2026_09)
DATED = (V2026_03, V2026_09)
INT32_MAX = 2**31 - 1


def request_version(request: HttpRequest) -> str:
    """The version in the request's path (v3 for the legacy prefix and for anything outside the API)."""
    parts = request.path.split("/")
    if len(parts) > 3 and parts[1] == "marketing" and parts[2] == "marketing-events" and parts[3] in DATED:
        return parts[3]
    return V3


def settings_use_oauth(version: str) -> bool:
    return version == V2026_03
