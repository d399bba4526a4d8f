"""Recording participation: the four attendance "create" endpoints and the two legacy upserts (operations 18-23).

- ``create`` endpoints answer 200 ``{status, results, startedAt, completedAt}``, or 207 with ``errors`` and
  ``numErrors`` when some inputs failed (an unknown ``vid``, or a simulated partial failure); failed inputs are
  not applied.
- ``email-create`` creates missing contacts (``contactProperties`` only for new contacts); the legacy
  ``upsert``/``email-upsert`` never create contacts, skip unknown ones, and answer 204 (our decision).
- Idempotent: the same contact, state and ``interactionDateTime`` is recorded once, however often it is sent.
- An unknown external event triggers the event-details call-back (``callback.py``) when the app has a URL.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from hsadmin.simulator import callback, clock
from hsadmin.simulator.auth import Caller
from hsadmin.simulator.errors import not_found, standard_error_item, validation
from hsadmin.simulator.faults import faults
from hsadmin.simulator.models import Contact, MarketingEvent, Participation
from hsadmin.simulator.participation import path_state
from hsadmin.simulator.versions import INT32_MAX, V2026_09, request_version
from hsadmin.simulator.views import lookup
from hsadmin.simulator.views.common import batch_inputs, no_content, ok, query_required

_CONTACT_FIELDS = ("email", "firstname", "lastname")


def _state(raw: str) -> str:
    state = path_state(raw)
    if state is None:
        raise validation(
            f"Unknown subscriberState '{raw}'. Use register, attend or cancel.", {"subscriberState": [raw]}
        )
    return state


def _int(item: dict[str, Any], key: str) -> int:
    value = item.get(key)
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).lstrip("-").isdigit():
        raise validation(f"Each input needs an integer '{key}'.", {key: [repr(value)]})
    return int(value)


def _map(item: dict[str, Any], key: str) -> dict[str, str]:
    value = item.get(key) or {}
    if not isinstance(value, dict):
        raise validation(f"'{key}' must be an object.", {key: [repr(value)]})
    return {str(k): "" if v is None else str(v) for k, v in value.items()}


def _external_event(
    request: HttpRequest, caller: Caller, external_event_id: str, *, required: bool
) -> MarketingEvent:
    account = (
        query_required(request, "externalAccountId") if required else request.GET.get("externalAccountId")
    )
    event = lookup.find_external(caller, account, external_event_id)
    if event is None and account:
        event = callback.fetch_event(caller.portal, caller.app, account, external_event_id)
    if event is None:
        raise not_found(f"No marketing event with externalEventId {external_event_id} exists for this app.")
    return event


def _envelope(
    results: list[dict[str, Any]], errors: list[dict[str, Any]], started: str | None
) -> HttpResponse:
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
    return ok(data)


def _failed_indices(request: HttpRequest, count: int) -> set[int]:
    if getattr(request, "simulator_partial_batch", False) and count:
        return faults.random_subset(count)
    return set()


def _save(event: MarketingEvent, state: str, rows: list[tuple[int, int, dict[str, str]]]) -> None:
    current = clock.now()
    Participation.objects.bulk_create(
        [
            Participation(
                event=event,
                contact_id=contact_id,
                state=state,
                interaction_at=at,
                properties=props,
                created_at=current,
            )
            for contact_id, at, props in rows
        ],
        ignore_conflicts=True,
    )


def _by_vid(request: HttpRequest, caller: Caller, event: MarketingEvent, state: str, *, strict: bool) -> Any:
    started = clock.iso(clock.now())
    inputs = batch_inputs(request)
    parsed = [(_int(i, "vid"), _int(i, "interactionDateTime"), _map(i, "properties")) for i in inputs]
    if request_version(request) == V2026_09:
        too_big = [str(vid) for vid, _, _ in parsed if not 0 < vid <= INT32_MAX]
        if too_big:
            raise validation("'vid' must be a 32-bit integer in this API version.", {"vid": too_big})
    known = set(
        Contact.objects.filter(portal=caller.portal, pk__in={vid for vid, _, _ in parsed}).values_list(
            "pk", flat=True
        )
    )
    failed = _failed_indices(request, len(parsed)) if strict else set()
    rows, results, errors = [], [], []
    for index, (vid, at, props) in enumerate(parsed):
        if index in failed:
            errors.append(
                standard_error_item("INTERNAL_ERROR", "Simulated partial failure.", {"vids": [str(vid)]})
            )
        elif vid not in known:
            errors.append(
                standard_error_item(
                    "OBJECT_NOT_FOUND", f"Contact {vid} does not exist.", {"vids": [str(vid)]}
                )
            )
        else:
            rows.append((vid, at, props))
            results.append({"vid": vid})
    with transaction.atomic(using="simulator"):
        _save(event, state, rows)
    return results, errors if strict else [], started


def _new_contact(caller: Caller, email: str, props: dict[str, str]) -> Contact:
    current = clock.now()
    extra = {k: v for k, v in props.items() if k not in _CONTACT_FIELDS}
    return Contact(
        portal=caller.portal,
        email=email,
        firstname=props.get("firstname", ""),
        lastname=props.get("lastname", ""),
        properties=extra,
        created_at=current,
        updated_at=current,
    )


def _by_email(
    request: HttpRequest, caller: Caller, event: MarketingEvent, state: str, *, create: bool
) -> Any:
    started = clock.iso(clock.now())
    inputs = batch_inputs(request)
    parsed = []
    for item in inputs:
        email = item.get("email")
        if not isinstance(email, str) or "@" not in email:
            raise validation("Each input needs a valid 'email'.", {"email": [repr(email)]})
        parsed.append(
            (
                email.strip().lower(),
                _int(item, "interactionDateTime"),
                _map(item, "properties"),
                _map(item, "contactProperties"),
            )
        )
    failed = _failed_indices(request, len(parsed)) if create else set()
    emails = {email for i, (email, _, _, _) in enumerate(parsed) if i not in failed}
    with transaction.atomic(using="simulator"):
        contacts = dict(
            Contact.objects.filter(portal=caller.portal, email__in=emails).values_list("email", "pk")
        )
        if create:
            new = {
                e: _new_contact(caller, e, cp)
                for i, (e, _, _, cp) in enumerate(parsed)
                if i not in failed and e not in contacts
            }
            if new:
                Contact.objects.bulk_create(new.values(), ignore_conflicts=True)
                contacts = dict(
                    Contact.objects.filter(portal=caller.portal, email__in=emails).values_list("email", "pk")
                )
        rows, results, errors = [], [], []
        for index, (email, at, props, _) in enumerate(parsed):
            if index in failed:
                errors.append(
                    standard_error_item("INTERNAL_ERROR", "Simulated partial failure.", {"emails": [email]})
                )
            elif email in contacts:
                rows.append((contacts[email], at, props))
                results.append({"vid": contacts[email], "email": email})
        _save(event, state, rows)
    return results, errors, started


def record_by_contact_ids(
    request: HttpRequest, caller: Caller, external_event_id: str, state: str
) -> HttpResponse:
    state = _state(state)
    event = _external_event(request, caller, external_event_id, required=False)
    return _envelope(*_by_vid(request, caller, event, state, strict=True))


def record_by_contact_emails(
    request: HttpRequest, caller: Caller, external_event_id: str, state: str
) -> HttpResponse:
    state = _state(state)
    event = _external_event(request, caller, external_event_id, required=False)
    return _envelope(*_by_email(request, caller, event, state, create=True))


def record_by_object_id(request: HttpRequest, caller: Caller, object_id: str, state: str) -> HttpResponse:
    state = _state(state)
    event = lookup.by_object_id(caller, object_id)
    return _envelope(*_by_vid(request, caller, event, state, strict=True))


def record_by_object_id_emails(
    request: HttpRequest, caller: Caller, object_id: str, state: str
) -> HttpResponse:
    state = _state(state)
    event = lookup.by_object_id(caller, object_id)
    return _envelope(*_by_email(request, caller, event, state, create=True))


def legacy_upsert(request: HttpRequest, caller: Caller, external_event_id: str, state: str) -> HttpResponse:
    state = _state(state)
    event = _external_event(request, caller, external_event_id, required=True)
    _by_vid(request, caller, event, state, strict=False)
    return no_content()


def legacy_email_upsert(
    request: HttpRequest, caller: Caller, external_event_id: str, state: str
) -> HttpResponse:
    state = _state(state)
    event = _external_event(request, caller, external_event_id, required=True)
    _by_email(request, caller, event, state, create=False)
    return no_content()
