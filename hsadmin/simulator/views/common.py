"""Shared plumbing for the HubSpot-surface views: method dispatch, authentication, JSON bodies and paging.

Each URL maps to one :func:`endpoint`, a table from HTTP method to (handler, auth). The handler receives the
request, the authenticated caller and the URL's keyword arguments, and returns a response or raises
:class:`~hsadmin.simulator.errors.ApiError`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from hsadmin.simulator import auth
from hsadmin.simulator.errors import ApiError, validation
from hsadmin.simulator.versions import request_version, settings_use_oauth

Handler = Callable[..., HttpResponse]

MAX_LIMIT = 100
DEFAULT_LIMIT = 10


@dataclass(frozen=True)
class Op:
    """One operation: the handler and how it authenticates: ``"bearer"`` (with ``scope``), ``"hapikey"``,
    ``"settings"`` (the version decides: an OAuth bearer with ``scope`` on 2026-03, else the developer key;
    the handler receives the app either way) or anything else for open."""

    handler: Handler
    scope: str | None = None
    auth: str = "bearer"


def endpoint(**methods: Op) -> Callable[..., HttpResponse]:
    """A Django view serving the given methods (``GET=Op(...)``); other methods get 405."""

    @csrf_exempt
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        op = methods.get(request.method or "")
        if op is None:
            raise ApiError(405, "METHOD_NOT_ALLOWED", f"Method {request.method} is not allowed on this path.")
        if op.auth == "bearer":
            caller = auth.authenticate_bearer(request)
            if op.scope:
                auth.require_scopes(caller, op.scope)
            return op.handler(request, caller, **kwargs)
        if op.auth == "hapikey":
            return op.handler(request, auth.authenticate_developer(request), **kwargs)
        if op.auth == "settings":
            if settings_use_oauth(request_version(request)):
                caller = auth.authenticate_bearer(request)
                auth.require_scopes(caller, op.scope or "")
                return op.handler(request, caller.app, **kwargs)
            return op.handler(request, auth.authenticate_developer(request), **kwargs)
        return op.handler(request, None, **kwargs)

    return view


def json_body(request: HttpRequest) -> Any:
    """The parsed JSON body, or 400 ``VALIDATION_ERROR``."""
    if not request.body:
        raise validation("A JSON request body is required.")
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as error:
        raise validation(f"Invalid JSON input: {error}") from error


def json_object(request: HttpRequest) -> dict[str, Any]:
    body = json_body(request)
    if not isinstance(body, dict):
        raise validation("The request body must be a JSON object.")
    return body


def batch_inputs(request: HttpRequest) -> list[dict[str, Any]]:
    """``{"inputs": [...]}`` with every input an object."""
    body = json_object(request)
    inputs = body.get("inputs")
    if not isinstance(inputs, list) or not all(isinstance(item, dict) for item in inputs):
        raise validation("'inputs' must be an array of objects.", {"inputs": ["required"]})
    return inputs


def ok(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False)


def no_content() -> HttpResponse:
    return HttpResponse(status=204)


def query_required(request: HttpRequest, name: str) -> str:
    value = request.GET.get(name)
    if not value:
        raise validation(f"Query parameter '{name}' is required.", {name: ["required"]})
    return value


def limit_param(request: HttpRequest) -> int:
    """``limit``: default 10; values above 100 are clamped to 100; below 1 or not a number is 400."""
    raw = request.GET.get("limit")
    if raw in (None, ""):
        return DEFAULT_LIMIT
    try:
        value = int(raw)
    except ValueError as error:
        raise validation("'limit' must be an integer.", {"limit": [raw]}) from error
    if value < 1:
        raise validation("'limit' must be at least 1.", {"limit": [raw]})
    return min(value, MAX_LIMIT)


def offset_cursor(request: HttpRequest) -> int:
    """An ``after`` cursor that is an offset written as a string."""
    raw = request.GET.get("after") or "0"
    if not raw.isdigit():
        raise validation("'after' is not a valid paging cursor.", {"after": [raw]})
    return int(raw)


def paging_next(request: HttpRequest, after: str) -> dict[str, Any]:
    """``{"next": {"after": …, "link": …}}`` with the link pointing at the next page."""
    params = request.GET.copy()
    params["after"] = after
    return {
        "next": {"after": after, "link": f"{request.build_absolute_uri(request.path)}?{params.urlencode()}"}
    }


def parse_int(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError as error:
        raise validation(f"'{name}' must be an integer.", {name: [value]}) from error
