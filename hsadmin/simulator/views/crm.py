"""The CRM subset the dashboard needs: lists search and read, contact read, contact search and batch read.

- Lists (``crm.lists.read``): ``POST /crm/v3/lists/search`` pages by ``offset``/``count`` (default 20, at most
  500) and answers ``{lists, total, offset, hasMore}``; ``GET /crm/v3/lists/{listId}`` answers ``{list}``.
- Contacts (``crm.objects.contacts.read``): read by id or ``idProperty=email``; search with ``filterGroups``
  (EQ, NEQ, IN, NOT_IN, CONTAINS_TOKEN, HAS_PROPERTY, NOT_HAS_PROPERTY; filters in a group AND, groups OR), an
  optional free-text ``query``, ``limit`` (default 10, at most 200) and an offset ``after``; batch read answers
  200, or 207 with ``errors`` naming ids that were not found.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from hsadmin.simulator import clock
from hsadmin.simulator.auth import Caller
from hsadmin.simulator.errors import not_found, standard_error_item, validation
from hsadmin.simulator.models import Contact, ContactList
from hsadmin.simulator.views.associations import public_list
from hsadmin.simulator.views.common import json_object, ok

DEFAULT_PROPERTIES = ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"]


def _int(body: dict[str, Any], key: str, default: int, maximum: int) -> int:
    value = body.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise validation(f"'{key}' must be a non-negative integer.", {key: [repr(value)]})
    return min(value, maximum)


def lists_search(request: HttpRequest, caller: Caller) -> HttpResponse:
    body = json_object(request)
    count, offset = _int(body, "count", 20, 500), _int(body, "offset", 0, 10**9)
    lists = ContactList.objects.filter(portal=caller.portal).order_by("pk")
    if body.get("query"):
        lists = lists.filter(name__icontains=str(body["query"]))
    if body.get("listIds"):
        lists = lists.filter(pk__in=[int(i) for i in body["listIds"] if str(i).isdigit()])
    if body.get("processingTypes"):
        lists = lists.filter(processing_type__in=body["processingTypes"])
    if body.get("objectTypeId"):
        lists = lists.filter(object_type_id=body["objectTypeId"])
    total = lists.count()
    page = list(lists[offset : offset + count])
    results = []
    for item in page:
        data = public_list(item)
        data["additionalProperties"] = {"hs_list_size": str(data.pop("size")), "hs_list_reference_count": "0"}
        results.append(data)
    return ok(
        {
            "lists": results,
            "total": total,
            "offset": offset + len(page),
            "hasMore": offset + len(page) < total,
        }
    )


def list_read(request: HttpRequest, caller: Caller, list_id: str) -> HttpResponse:
    item = (
        ContactList.objects.filter(portal=caller.portal, pk=int(list_id)).first()
        if list_id.isdigit()
        else None
    )
    if item is None:
        raise not_found(f"List {list_id} not found.")
    return ok({"list": public_list(item)})


def _properties(contact: Contact) -> dict[str, Any]:
    return {
        **contact.properties,
        "email": contact.email,
        "firstname": contact.firstname or None,
        "lastname": contact.lastname or None,
        "createdate": clock.iso(contact.created_at),
        "lastmodifieddate": clock.iso(contact.updated_at),
        "hs_object_id": str(contact.pk),
    }


def contact_object(contact: Contact, wanted: list[str] | None) -> dict[str, Any]:
    """``SimplePublicObject``: only the requested properties (a missing one is null)."""
    props = _properties(contact)
    names = wanted or DEFAULT_PROPERTIES
    return {
        "id": str(contact.pk),
        "properties": {name: props.get(name) for name in names},
        "createdAt": clock.iso(contact.created_at),
        "updatedAt": clock.iso(contact.updated_at),
        "archived": False,
    }


def _find(caller: Caller, value: str, id_property: str | None) -> Contact | None:
    contacts = Contact.objects.filter(portal=caller.portal)
    if id_property == "email":
        return contacts.filter(email=value.strip().lower()).first()
    return contacts.filter(pk=int(value)).first() if value.isdigit() else None


def contact_read(request: HttpRequest, caller: Caller, contact_id: str) -> HttpResponse:
    contact = _find(caller, contact_id, request.GET.get("idProperty"))
    if contact is None:
        raise not_found(f"Contact {contact_id} not found.")
    wanted = [p for p in request.GET.get("properties", "").split(",") if p]
    return ok(contact_object(contact, wanted))


def _matches(props: dict[str, Any], spec: dict[str, Any]) -> bool:
    name, operator = spec.get("propertyName"), str(spec.get("operator", "EQ")).upper()
    value = props.get(name) if isinstance(name, str) else None
    text = "" if value is None else str(value).lower()
    target = str(spec.get("value", "")).lower()
    values = [str(v).lower() for v in spec.get("values") or []]
    checks = {
        "EQ": lambda: text == target,
        "NEQ": lambda: text != target,
        "IN": lambda: text in values,
        "NOT_IN": lambda: text not in values,
        "CONTAINS_TOKEN": lambda: target.strip("*") in text,
        "HAS_PROPERTY": lambda: bool(text),
        "NOT_HAS_PROPERTY": lambda: not text,
    }
    if operator not in checks:
        raise validation(f"Unsupported operator {operator}.", {"operator": [operator]})
    return checks[operator]()


def contact_search(request: HttpRequest, caller: Caller) -> HttpResponse:
    body = json_object(request)
    limit = _int(body, "limit", 10, 200) or 10
    after = str(body.get("after") or "0")
    if not after.isdigit():
        raise validation("'after' is not a valid paging cursor.", {"after": [after]})
    groups = body.get("filterGroups") or []
    query = str(body.get("query") or "").lower()
    matched = []
    for contact in Contact.objects.filter(portal=caller.portal).order_by("pk"):
        props = _properties(contact)
        if query and not any(
            query in str(props.get(k) or "").lower() for k in ("email", "firstname", "lastname")
        ):
            continue
        if groups and not any(all(_matches(props, f) for f in g.get("filters", [])) for g in groups):
            continue
        matched.append(contact)
    start = int(after)
    page = matched[start : start + limit]
    wanted = [p for p in body.get("properties") or [] if isinstance(p, str)]
    data: dict[str, Any] = {"total": len(matched), "results": [contact_object(c, wanted) for c in page]}
    if start + limit < len(matched):
        data["paging"] = {"next": {"after": str(start + limit)}}
    return ok(data)


def contact_batch_read(request: HttpRequest, caller: Caller) -> HttpResponse:
    started = clock.iso(clock.now())
    body = json_object(request)
    inputs = body.get("inputs")
    if not isinstance(inputs, list):
        raise validation("'inputs' must be an array.", {"inputs": ["required"]})
    id_property = body.get("idProperty")
    wanted = [p for p in body.get("properties") or [] if isinstance(p, str)]
    results, missing = [], []
    for item in inputs:
        value = str(item.get("id", "")) if isinstance(item, dict) else ""
        contact = _find(caller, value, id_property)
        if contact is None:
            missing.append(value)
        else:
            results.append(contact_object(contact, wanted))
    data: dict[str, Any] = {
        "status": "COMPLETE",
        "results": results,
        "startedAt": started,
        "completedAt": clock.iso(clock.now()),
    }
    if missing:
        data["numErrors"] = 1
        data["errors"] = [
            standard_error_item(
                "OBJECT_NOT_FOUND",
                "Could not get some CONTACT objects, they may be deleted or not exist.",
                {"ids": missing},
            )
        ]
        return ok(data, status=207)
    return ok(data)
