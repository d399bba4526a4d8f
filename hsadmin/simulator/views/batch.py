"""Batch operations on events (operations 12-15).

- ``events/upsert``: 200 with the upserted events (V1 public default shape); inputs failing validation make the
  whole request 400; a simulated partial failure answers 207 with ``errors`` and applies only the results.
- ``events/delete``: deletes the calling app's events named by ``{appId, externalAccountId, externalEventId}``;
  others' and unknown ones are skipped. 204 (our decision; no 2xx is documented).
- ``batch/archive``: 204 when every objectId existed, else 207 with an ``errors`` entry naming the missing ids.
- ``batch/update``: 200 with V2 results, or 207 with ``errors`` for unknown objectIds (v3, 2026-03). 2026-09
  documents only 200: unknown or failed objectIds are left out of ``results``, with no ``errors``/``numErrors``
  (our decision, undocumented by HubSpot; the client infers the missing inputs).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from hsadmin.simulator import clock
from hsadmin.simulator import serializers as ser
from hsadmin.simulator.auth import Caller
from hsadmin.simulator.errors import standard_error_item
from hsadmin.simulator.faults import faults
from hsadmin.simulator.models import MarketingEvent
from hsadmin.simulator.versions import V2026_09, request_version
from hsadmin.simulator.views.common import batch_inputs, no_content, ok
from hsadmin.simulator.views.events import CREATE_REQUIRED, apply_fields, upsert_one


def _failed(request: HttpRequest, count: int) -> set[int]:
    if getattr(request, "simulator_partial_batch", False) and count:
        return faults.random_subset(count)
    return set()


def _envelope(
    results: list[Any], errors: list[dict[str, Any]], started: str | None, *, status: int = 200
) -> Any:
    data: dict[str, Any] = {
        "status": "COMPLETE",
        "results": results,
        "startedAt": started,
        "completedAt": clock.iso(clock.now()),
    }
    if errors:
        data["numErrors"] = len(errors)
        data["errors"] = errors
        return ok(data, status=207)
    return ok(data, status=status)


def _partial(ids: list[str], key: str = "ids") -> dict[str, Any]:
    return standard_error_item("INTERNAL_ERROR", "Simulated partial failure.", {key: ids})


def upsert(request: HttpRequest, caller: Caller) -> HttpResponse:
    started = clock.iso(clock.now())
    version = request_version(request)
    inputs = batch_inputs(request)
    for item in inputs:
        ser.event_fields(item, required=CREATE_REQUIRED)  # validate everything before applying anything
    failed = _failed(request, len(inputs))
    results, errors = [], []
    with transaction.atomic(using="simulator"):
        for index, item in enumerate(inputs):
            if index in failed:
                errors.append(_partial([str(item["externalEventId"])], "externalEventIds"))
                continue
            results.append(ser.v1_public_default(upsert_one(caller, item), version))
    return _envelope(results, errors, started)


def delete_by_external(request: HttpRequest, caller: Caller) -> HttpResponse:
    inputs = batch_inputs(request)
    with transaction.atomic(using="simulator"):
        for item in inputs:
            if str(item.get("appId")) != str(caller.app.app_id):
                continue
            MarketingEvent.objects.filter(
                portal=caller.portal,
                app=caller.app,
                external_account_id=str(item.get("externalAccountId", "")),
                external_event_id=str(item.get("externalEventId", "")),
            ).delete()
    return no_content()


def archive_by_object_id(request: HttpRequest, caller: Caller) -> HttpResponse:
    started = clock.iso(clock.now())
    ids = [str(item.get("objectId", "")) for item in batch_inputs(request)]
    failed = _failed(request, len(ids))
    wanted = [int(i) for n, i in enumerate(ids) if i.isdigit() and n not in failed]
    with transaction.atomic(using="simulator"):
        existing = set(
            MarketingEvent.objects.filter(portal=caller.portal, pk__in=wanted).values_list("pk", flat=True)
        )
        MarketingEvent.objects.filter(pk__in=existing).delete()
    missing = [
        i for n, i in enumerate(ids) if n not in failed and (not i.isdigit() or int(i) not in existing)
    ]
    errors = []
    if missing:
        errors.append(
            standard_error_item(
                "OBJECT_NOT_FOUND", "Some objectIds do not match any marketing event.", {"ids": missing}
            )
        )
    if failed:
        errors.append(_partial([ids[n] for n in sorted(failed)]))
    if not errors:
        return no_content()
    return _envelope([], errors, started)


def update_by_object_id(request: HttpRequest, caller: Caller) -> HttpResponse:
    started = clock.iso(clock.now())
    inputs = batch_inputs(request)
    parsed = [
        (str(item.get("objectId", "")), ser.event_fields(item, allow_completed=False)) for item in inputs
    ]
    failed = _failed(request, len(parsed))
    results, errors = [], []
    with transaction.atomic(using="simulator"):
        ids = [int(i) for i, _ in parsed if i.isdigit()]
        events = MarketingEvent.objects.select_related("app").filter(portal=caller.portal).in_bulk(ids)
        missing = []
        for index, (object_id, fields) in enumerate(parsed):
            event = events.get(int(object_id)) if object_id.isdigit() else None
            if index in failed:
                errors.append(_partial([object_id]))
            elif event is None:
                missing.append(object_id)
            else:
                apply_fields(event, fields)
                event.save()
                results.append(ser.v2_default(event))
        if missing:
            errors.append(
                standard_error_item(
                    "OBJECT_NOT_FOUND", "Some objectIds do not match any marketing event.", {"ids": missing}
                )
            )
    if request_version(request) == V2026_09:
        errors = []  # 2026-09: 200 only; what could not be applied is just absent from the results
    return _envelope(results, errors, started)
