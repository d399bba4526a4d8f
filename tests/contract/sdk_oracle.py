"""An independent oracle: HubSpot's official Python SDK (`hubspot-api-client`, a test-only dependency).

The SDK's marketing-events package is generated from HubSpot's v3 OpenAPI file. Each generated model lists its
fields (`openapi_types`, `attribute_map`) and marks a field required by refusing `None` in its setter when
client-side validation is on; each generated API method names its path, its method and the model of each
success status (`response_types_map`). This module reads all of that from the SDK itself, so neither the
simulator nor hsadmin's client (which never import it) can influence what "right" means here.

The SDK knows one version, v3. For `2026-03` and `2026-09` it has no models: there `VERSION_DELTAS` applies
the differences HubSpot's own date-versioned specs publish (reference, section "Versions"), on top of the SDK's
models. Every delta says where it comes from.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from typing import Any

from hubspot.marketing.events import api as sdk_api
from hubspot.marketing.events import models as sdk_models
from hubspot.marketing.events.configuration import Configuration

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
V3_PREFIX = "/marketing/v3/marketing-events"
VERSIONS = ("v3", "2026-03", "2026-09")


@dataclass(frozen=True)
class Field:
    """One JSON field of a model: its SDK type string (`str`, `int`, `list[X]`, `dict[str, X]`, a model name,
    or `int32` where a version narrows an integer) and whether the model requires it."""

    type: str
    required: bool


Model = Mapping[str, Field]


def _validating() -> Configuration:
    config = Configuration()
    config.client_side_validation = True
    return config


@cache
def sdk_model(name: str) -> dict[str, Field]:
    """The SDK's model `name` as {json name: Field}; required = its setter refuses None."""
    cls = getattr(sdk_models, name)
    probe = cls.__new__(cls)
    probe.local_vars_configuration = _validating()
    fields: dict[str, Field] = {}
    for attr, type_ in cls.openapi_types.items():
        try:
            setattr(probe, attr, None)
            required = False
        except ValueError:
            required = True
        fields[cls.attribute_map[attr]] = Field(type_, required)
    return fields


def enum_problem(model: str, json_name: str, value: Any) -> str | None:
    """The SDK setter's own check of an enum value (`status`, `attendanceState`, `source`…), if any."""
    cls = getattr(sdk_models, model, None)
    if cls is None:
        return None
    attr = next((a for a, j in cls.attribute_map.items() if j == json_name), None)
    if attr is None:
        return None
    probe = cls.__new__(cls)
    probe.local_vars_configuration = _validating()
    try:
        setattr(probe, attr, value)
    except ValueError as error:
        return str(error)
    return None


# -- the date versions: HubSpot's date-versioned specs, where they differ from the SDK's v3 models ----------

_MASKED = {"substrings": Field("list[MaskedSubstring]", True)}
_MASKED_ONE = {"start": Field("int32", True), "end": Field("int32", True)}
# The date specs (2026-03 and 2026-09 marketingEvents.json) require every PropertyValue field, and add
# sourceUpstreamDeployable (string); 2026-03 also requires maskedSubstrings, which 2026-09 drops.
_PROPERTY_VALUE_DATED = {
    "persistenceTimestamp": Field("int", True),
    "updatedByUserId": Field("int32", True),
    "useTimestampAsPersistenceTimestamp": Field("bool", True),
    "isLargeValue": Field("bool", True),
    "sourceUpstreamDeployable": Field("str", True),
}

# Every version: HubSpot's gateway errors carry "status": "error", which no model lists (reference §4, from
# real 401 bodies); the simulator sends it, so the oracle allows it (optional) rather than forbid it.
_OBSERVED: dict[str, dict[str, Field | None]] = {"Error": {"status": Field("str", False)}}

VERSION_DELTAS: dict[str, dict[str, dict[str, Field | None]]] = {
    "v3": {**_OBSERVED},
    "2026-03": {
        **_OBSERVED,
        "PropertyValue": {**_PROPERTY_VALUE_DATED, "maskedSubstrings": Field("MaskedSubstrings", True)},
        "MaskedSubstrings": _MASKED,
        "MaskedSubstring": _MASKED_ONE,
    },
    "2026-09": {
        **_OBSERVED,
        "PropertyValue": _PROPERTY_VALUE_DATED,
        # vid is int32 in 2026-09 (int64 before).
        "SubscriberVidResponse": {"vid": Field("int32", True)},
        "SubscriberEmailResponse": {"vid": Field("int32", True)},
        # batch/update documents only 200 in 2026-09; its envelope lists errors/numErrors as optional fields
        # (the 2026-09 spec folds the v3 "WithErrors" envelope into the plain one).
        "BatchResponseMarketingEventPublicDefaultResponseV2": {
            "errors": Field("list[StandardError]", False),
            "numErrors": Field("int32", False),
        },
    },
}


def model(name: str, version: str) -> dict[str, Field]:
    """The model for one version: the SDK's, with that version's published differences applied."""
    delta = VERSION_DELTAS[version].get(name, {})
    base = dict(sdk_model(name)) if hasattr(sdk_models, name) else {}
    if not base and not delta:
        raise KeyError(f"no model {name} for {version}")
    for key, override in delta.items():
        if override is None:
            base.pop(key, None)
        else:
            base[key] = replace(override)
    return base


# -- validation ---------------------------------------------------------------------------------------------

_LIST = re.compile(r"^list\[(.+)\]$")
_DICT = re.compile(r"^dict\[str, (.+)\]$")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_value(
    value: Any, type_: str, version: str, where: str, owner: str = "", key: str = ""
) -> list[str]:
    """Problems with one JSON value against an SDK type string (empty when it fits)."""
    if value is None:
        return [f"{where}: null where {type_} is expected"]
    if match := _LIST.match(type_):
        if not isinstance(value, list):
            return [f"{where}: {type(value).__name__} where a list is expected"]
        return [
            p for n, item in enumerate(value) for p in check_value(item, match[1], version, f"{where}[{n}]")
        ]
    if match := _DICT.match(type_):
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__} where an object is expected"]
        return [p for k, item in value.items() for p in check_value(item, match[1], version, f"{where}.{k}")]
    if type_ == "str":
        if not isinstance(value, str):
            return [f"{where}: {type(value).__name__} where a string is expected"]
        problem = enum_problem(owner, key, value) if owner else None
        return [f"{where}: {problem}"] if problem else []
    if type_ in ("int", "int32"):
        limit = INT32_MAX if type_ == "int32" else INT64_MAX
        if not _is_int(value):
            return [f"{where}: {type(value).__name__} where an integer is expected"]
        return [] if -limit - 1 <= value <= limit else [f"{where}: {value} does not fit {type_}"]
    if type_ == "float":
        return [] if _is_int(value) or isinstance(value, float) else [f"{where}: not a number"]
    if type_ == "bool":
        return (
            []
            if isinstance(value, bool)
            else [f"{where}: {type(value).__name__} where a boolean is expected"]
        )
    if type_ in ("datetime", "date"):
        if not isinstance(value, str):
            return [f"{where}: {type(value).__name__} where an ISO-8601 string is expected"]
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return [f"{where}: {value!r} is not an ISO-8601 date-time"]
        return []
    if type_ == "object":
        return []
    return check(value, type_, version, where)


def check(body: Any, model_name: str, version: str, where: str = "$") -> list[str]:
    """Every way `body` departs from the model: a missing required field, a field the model lacks, a wrong
    JSON type or enum value, recursively."""
    if not isinstance(body, dict):
        return [f"{where}: {type(body).__name__} where {model_name} (an object) is expected"]
    fields = model(model_name, version)
    problems = [
        f"{where}: missing required {name!r} ({model_name})"
        for name, f in fields.items()
        if f.required and name not in body
    ]
    problems += [
        f"{where}: {name!r} is not a field of {model_name} in {version}"
        for name in body
        if name not in fields
    ]
    for name, value in body.items():
        if name in fields:
            problems += check_value(value, fields[name].type, version, f"{where}.{name}", model_name, name)
    return problems


# -- the operations, as the SDK's generated API methods declare them ---------------------------------------


@dataclass(frozen=True)
class Operation:
    """One SDK operation: method, v3 path template, success models by status and auth settings."""

    name: str
    method: str
    path: str
    responses: Mapping[int, str]
    auth: tuple[str, ...]

    def path_for(self, version: str) -> str:
        if version == "v3":
            return self.path
        dated = f"/marketing/marketing-events/{version}"
        return dated if self.path == f"{V3_PREFIX}/" else dated + self.path.removeprefix(V3_PREFIX)

    def regex(self, version: str) -> re.Pattern[str]:
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(self.path_for(version)))
        return re.compile(f"^{pattern}$")


class _Recorder:
    """Stands in for the SDK's ApiClient: records what an API method would call instead of calling."""

    client_side_validation = False

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def call_api(self, path: str, method: str, *args: Any, **kwargs: Any) -> None:
        self.calls.append({"path": path, "method": method, **kwargs})

    def select_header_accept(self, accepts: list[str]) -> str:
        return accepts[0] if accepts else ""

    def select_header_content_type(self, types: list[str], *args: Any, **kwargs: Any) -> str:
        return types[0] if types else ""


@cache
def operations() -> tuple[Operation, ...]:
    """Every marketing-events operation of the SDK (36), read from its generated API classes."""
    found: list[Operation] = []
    for class_name, cls in inspect.getmembers(sdk_api, inspect.isclass):
        if not class_name.endswith("Api"):
            continue
        for method_name, function in inspect.getmembers(cls, inspect.isfunction):
            if method_name.startswith("_") or method_name.endswith("_with_http_info"):
                continue
            recorder = _Recorder()
            instance = cls(api_client=recorder)
            params = [
                p
                for p in inspect.signature(function).parameters.values()
                if p.kind is p.POSITIONAL_OR_KEYWORD
            ]
            getattr(instance, method_name)(*["x" for p in params[1:]])
            (call,) = recorder.calls
            found.append(
                Operation(
                    name=f"{class_name}.{method_name}",
                    method=call["method"].upper(),
                    path=call["path"],
                    responses=dict(call.get("response_types_map") or {}),
                    auth=tuple(call.get("auth_settings") or ()),
                )
            )
    return tuple(sorted(found, key=lambda op: (op.path, op.method)))


def operation_for(method: str, path: str, version: str) -> Operation:
    """The SDK operation a concrete request is; literal segments win, as on HubSpot (reference §2.11)."""
    matches = [op for op in operations() if op.method == method and op.regex(version).match(path)]
    if not matches:
        raise LookupError(f"no SDK operation for {method} {path} ({version})")
    return min(matches, key=lambda op: op.path.count("{"))


def response_model(op: Operation, status: int, version: str) -> str | None:
    """The model of a success body: the SDK's for this status (207 falls back to the 200 model where the SDK
    declares no 207, as for the attendance endpoints, whose 207 HubSpot does not document)."""
    if version == "2026-09" and op.name == "BatchApi.update_by_object_id":
        return op.responses.get(200)
    return op.responses.get(status) or (op.responses.get(200) if status == 207 else None)
