"""The simulator's one middleware: counters, the rate limit, faults, and HubSpot's error bodies.

Order for a request on HubSpot's surface (everything but ``/_simulator/`` and the consent page):

1. the rate limit counts the request (429 when over, answered before any processing);
2. a refusing fault may answer instead (see ``faults.py``: nothing is applied);
3. a ``slow`` fault may delay, and a ``partial_batch`` fault is flagged for the batch views;
4. the view runs; an :class:`ApiError` becomes HubSpot's standard error body, any other exception a 500 with it.

Rate-limit headers go on every answer of the HubSpot surface. A dropped connection is signalled to
``wsgi.py`` with the ``simulator_drop`` attribute on the response; the WSGI wrapper closes the socket.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from hsadmin.simulator.auth import bearer_token
from hsadmin.simulator.errors import ApiError
from hsadmin.simulator.faults import faults
from hsadmin.simulator.limits import SEARCH_PATHS, rate_limit_body, rate_limiter, search_limiter, stats

logger = logging.getLogger(__name__)

_FAULT_ANSWERS: dict[str, tuple[int, str, str]] = {
    "500": (500, "INTERNAL_ERROR", "An internal error occurred."),
    "502": (502, "BAD_GATEWAY", "Bad gateway."),
    "503": (503, "SERVICE_UNAVAILABLE", "The service is temporarily unavailable."),
    "423": (423, "LOCKED", "The resource is locked; try again later."),
}


def path_family(path: str) -> str:
    if path.startswith("/_simulator/"):
        return "control"
    if path.startswith("/marketing/"):
        return "marketing-events"
    if path.startswith("/oauth/"):
        return "oauth"
    if path.startswith("/crm/"):
        return "crm"
    return "other"


def _is_hubspot_surface(path: str) -> bool:
    return not path.startswith("/_simulator/") and not path.rstrip("/").endswith("/authorize")


def _json_response(body: dict, status: int) -> HttpResponse:
    response = JsonResponse(body, status=status)
    response["Content-Length"] = str(len(response.content))
    return response


def _drop() -> HttpResponse:
    response = HttpResponse(status=499)
    response.simulator_drop = True  # type: ignore[attr-defined]  # a flag of our own on Django's response
    return response


class SimulatorMiddleware:
    """See the module docstring."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        family = path_family(request.path)
        request.simulator_partial_batch = False  # type: ignore[attr-defined]  # a flag of our own on the request
        if not _is_hubspot_surface(request.path):
            response = self._run(request)
            stats.record(family, response.status_code)
            return response
        token = bearer_token(request)
        key = token or request.GET.get("hapikey") or request.META.get("REMOTE_ADDR", "anonymous")
        search = request.path in SEARCH_PATHS
        if search:
            allowed, headers = search_limiter.hit(key, enabled=rate_limiter.config.enabled)
        else:
            allowed, headers = rate_limiter.hit(key)
        if not allowed:
            response: HttpResponse = _json_response(rate_limit_body(secondly=search), 429)
        else:
            response = self._with_faults(request, has_bearer=token is not None)
        for name, value in headers.items():
            response[name] = value
        if response.status_code == 429 and rate_limiter.config.retry_after:
            response["Retry-After"] = str(max(1, rate_limiter.config.interval_ms // 1000))
        stats.record(family, None if getattr(response, "simulator_drop", False) else response.status_code)
        return response

    def _with_faults(self, request: HttpRequest, *, has_bearer: bool) -> HttpResponse:
        kind = faults.pick_refusal(has_bearer=has_bearer)
        if kind is not None:
            stats.fault(kind)
            return self._refuse(kind)
        if faults.chance("slow"):
            stats.fault("slow")
            time.sleep(faults.settings["slow_seconds"])
        if faults.chance("partial_batch"):
            request.simulator_partial_batch = True  # type: ignore[attr-defined]  # a flag of our own on the request
        return self._run(request)

    @staticmethod
    def _refuse(kind: str) -> HttpResponse:
        if kind == "drop":
            return _drop()
        if kind == "timeout":
            time.sleep(faults.settings["timeout_seconds"])
            return _drop()
        if kind == "429":
            return _json_response(rate_limit_body(), 429)
        if kind == "expired_token":
            error = ApiError(
                401,
                "EXPIRED_AUTHENTICATION",
                "The OAuth token used to make this call expired 0 second(s) ago.",
                context={"expire time": [""]},
            )
            return _json_response(error.body(), 401)
        status, category, message = _FAULT_ANSWERS[kind]
        return _json_response(ApiError(status, category, message).body(), status)

    def _run(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except ApiError as error:
            response = error.response()
        if (
            response.status_code not in {204, 304}
            and not response.streaming
            and not response.has_header("Content-Length")
        ):
            response["Content-Length"] = str(len(response.content))
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ApiError):
            return exception.response()
        logger.exception("simulator error on %s %s", request.method, request.path)
        return ApiError(500, "INTERNAL_ERROR", "An internal error occurred.").response()
