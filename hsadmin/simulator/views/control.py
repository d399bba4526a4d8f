"""The control API under ``/_simulator/``: outside HubSpot's surface, no auth, for tests and operators.

- ``GET /_simulator/health``; ``GET /_simulator/info``; ``GET /_simulator/openapi.json``
- ``POST /_simulator/reset``: wipe all state, recreate the fixed fixture, faults off, rate limit and clock back
  to their start-up values, counters zeroed.
- ``POST /_simulator/seed`` ``{"events", "contacts", "lists", "random_seed", "hub_id"?, "participations"?}``: add
  demo data, split across the portals or all on ``hub_id``'s, with participations unless ``false``.
- ``POST /_simulator/tokens`` ``{"hub_id", "app_id", "scopes"?, "expires_in"?}``: a token set, installing the app.
- ``GET/PUT /_simulator/faults``; ``GET/PUT /_simulator/rate-limit``; ``GET/PUT /_simulator/clock``
  (``{"offset_seconds": n}``); ``GET /_simulator/stats``, ``POST /_simulator/stats/reset``.
- ``GET /_simulator/state/participations?hubId=&eventObjectId=``: every participation activity row.
- ``GET /_simulator/state/events?hubId=``: every event with its raw fields; ``GET /_simulator/state/contacts?hubId=``.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from hsadmin.simulator import auth, clock, fixture, tokens
from hsadmin.simulator.faults import faults
from hsadmin.simulator.limits import config_from_env, rate_limiter, search_limiter, stats
from hsadmin.simulator.models import App, Contact, MarketingEvent, Participation, Portal
from hsadmin.simulator.serializers import KNOWN_CUSTOM_PROPERTIES


def _json(request: HttpRequest) -> dict[str, Any]:
    if not request.body:
        return {}
    try:
        data = json.loads(request.body)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise _Bad("The body must be a JSON object.")
    return data


class _Bad(Exception):
    pass


def _control(view: Any) -> Any:
    @csrf_exempt
    def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, **kwargs)
        except (_Bad, ValueError, KeyError, TypeError) as error:
            return JsonResponse({"error": str(error)}, status=400)

    return wrapper


@_control
def health(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


@_control
def openapi(request: HttpRequest) -> HttpResponse:
    from hsadmin.simulator.openapi import document

    return JsonResponse(document())


@_control
def info(request: HttpRequest) -> HttpResponse:
    data = fixture.info()
    data["custom_properties"] = sorted(KNOWN_CUSTOM_PROPERTIES)
    data["scopes"] = auth.ALL_SCOPES
    return JsonResponse(data)


@_control
def reset(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return JsonResponse({"error": "Use POST."}, status=405)
    fixture.reset()
    faults.reset()
    rate_limiter.set(vars(config_from_env()))
    search_limiter.reset()
    clock.set_offset(0)
    stats.reset()
    return JsonResponse(fixture.info())


@_control
def seed(request: HttpRequest) -> HttpResponse:
    from hsadmin.simulator.seed import seed_demo

    body = _json(request)
    return JsonResponse(
        seed_demo(
            events=int(body.get("events", 200)),
            contacts=int(body.get("contacts", 1000)),
            lists=int(body.get("lists", 20)),
            random_seed=int(body.get("random_seed", 1)),
            hub_id=_hub_id(body.get("hub_id")),
            participations=_flag(body.get("participations", True), "participations"),
        )
    )


def _hub_id(value: Any) -> int | None:
    if value is None:
        return None
    hub_id = int(value)
    if not Portal.objects.filter(hub_id=hub_id).exists():
        raise _Bad(f"No portal has hub_id {hub_id}.")
    return hub_id


def _flag(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise _Bad(f"'{name}' must be true or false.")
    return value


@_control
def issue_token(request: HttpRequest) -> HttpResponse:
    body = _json(request)
    portal = Portal.objects.get(hub_id=int(body["hub_id"]))
    app = App.objects.get(app_id=int(body["app_id"]))
    scopes = body.get("scopes")
    if isinstance(scopes, str):
        scopes = scopes.split()
    scopes = scopes if scopes is not None else auth.ALL_SCOPES
    expires_in = int(body.get("expires_in", tokens.ACCESS_TOKEN_SECONDS))
    return JsonResponse(tokens.issue(portal, app, list(scopes), expires_in))


@_control
def fault_settings(request: HttpRequest) -> HttpResponse:
    if request.method == "PUT":
        body = _json(request)
        replace = bool(body.pop("replace", False))
        return JsonResponse(faults.set(body, replace=replace))
    return JsonResponse(faults.get())


@_control
def rate_limit(request: HttpRequest) -> HttpResponse:
    if request.method == "PUT":
        search_limiter.reset()
        return JsonResponse(rate_limiter.set({**rate_limiter.get(), **_json(request)}))
    return JsonResponse(rate_limiter.get())


@_control
def clock_view(request: HttpRequest) -> HttpResponse:
    if request.method in {"PUT", "POST"}:
        clock.set_offset(float(_json(request).get("offset_seconds", 0)))
    return JsonResponse({"offset_seconds": clock.offset_seconds(), "now": clock.iso(clock.now())})


@_control
def stats_view(request: HttpRequest) -> HttpResponse:
    return JsonResponse(stats.snapshot())


@_control
def stats_reset(request: HttpRequest) -> HttpResponse:
    stats.reset()
    return JsonResponse(stats.snapshot())


@_control
def participations(request: HttpRequest) -> HttpResponse:
    rows = Participation.objects.select_related("contact").order_by("id")
    if request.GET.get("hubId"):
        rows = rows.filter(event__portal_id=int(request.GET["hubId"]))
    if request.GET.get("eventObjectId"):
        rows = rows.filter(event_id=int(request.GET["eventObjectId"]))
    results = [
        {
            "id": row.pk,
            "eventObjectId": str(row.event_id),
            "contactId": str(row.contact_id),
            "email": row.contact.email,
            "state": row.state,
            "interactionDateTime": row.interaction_at,
            "properties": row.properties,
            "createdAt": clock.iso(row.created_at),
        }
        for row in rows
    ]
    return JsonResponse({"total": len(results), "results": results})


@_control
def events(request: HttpRequest) -> HttpResponse:
    rows = MarketingEvent.objects.order_by("id")
    if request.GET.get("hubId"):
        rows = rows.filter(portal_id=int(request.GET["hubId"]))
    results = [
        {
            "objectId": str(e.pk),
            "hubId": e.portal_id,
            "appId": e.app_id,
            "externalAccountId": e.external_account_id,
            "externalEventId": e.external_event_id,
            "eventName": e.name,
            "eventCancelled": e.cancelled,
            "eventCompleted": e.completed,
            "startDateTime": clock.iso(e.start),
            "endDateTime": clock.iso(e.end),
            "customProperties": e.custom_properties,
        }
        for e in rows
    ]
    return JsonResponse({"total": len(results), "results": results})


@_control
def contacts(request: HttpRequest) -> HttpResponse:
    rows = Contact.objects.order_by("id")
    if request.GET.get("hubId"):
        rows = rows.filter(portal_id=int(request.GET["hubId"]))
    results = [
        {
            "id": str(c.pk),
            "hubId": c.portal_id,
            "email": c.email,
            "firstname": c.firstname,
            "lastname": c.lastname,
        }
        for c in rows
    ]
    return JsonResponse({"total": len(results), "results": results})
