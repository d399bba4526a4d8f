"""Check answers against the simulator's own OpenAPI document (``/_simulator/openapi.json``).

``check(response)`` finds the documented operation for the request (literal path segments win over
parameters), requires the status to be documented (or covered by ``default``), and validates a JSON body
against the documented schema with ``jsonschema_rs`` (formats included). ``http`` is an httpx client that checks
every answer it receives; ``Api`` clients in ``conftest.py`` do the same.
"""

from __future__ import annotations

import json
import re
import threading
from typing import Any
from urllib.parse import urlsplit

import httpx
import jsonschema_rs

_lock = threading.Lock()
_documents: dict[str, Document] = {}


class Document:
    """One simulator's OpenAPI document with compiled path matchers."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.routes: list[tuple[int, re.Pattern[str], str]] = []
        for template in spec["paths"]:
            pattern = re.sub(r"\{[^/]+\}", "[^/]+", template.rstrip("/"))
            literal = len([seg for seg in template.split("/") if seg and not seg.startswith("{")])
            self.routes.append((literal, re.compile(f"^{pattern}/?$"), template))
        self.routes.sort(key=lambda route: -route[0])
        self._validators: dict[str, Any] = {}

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        for _, pattern, template in self.routes:
            if pattern.match(path) and method.lower() in self.spec["paths"][template]:
                return template, self.spec["paths"][template][method.lower()]
        return None

    def validator(self, schema: dict[str, Any]) -> Any:
        key = json.dumps(schema, sort_keys=True)
        if key not in self._validators:
            root = {**schema, "components": self.spec["components"]}
            self._validators[key] = jsonschema_rs.Draft202012Validator(root, validate_formats=True)
        return self._validators[key]


def document_for(base_url: str) -> Document:
    with _lock:
        if base_url not in _documents:
            spec = httpx.get(f"{base_url}/_simulator/openapi.json", timeout=30).json()
            _documents[base_url] = Document(spec)
        return _documents[base_url]


def check(response: httpx.Response) -> None:
    """Raise AssertionError when the answer does not match the simulator's OpenAPI document."""
    url = urlsplit(str(response.request.url))
    if url.path.startswith("/_simulator/"):
        return
    doc = document_for(f"{url.scheme}://{url.netloc}")
    found = doc.operation(response.request.method, url.path)
    assert found is not None or response.status_code in {404, 405}, (
        f"undocumented operation {response.request.method} {url.path}"
    )
    if found is None:
        return
    template, op = found
    responses = op["responses"]
    documented = responses.get(str(response.status_code)) or responses.get("default")
    assert documented is not None, f"{response.status_code} is not documented for {template}"
    response.read()
    content = documented.get("content")
    if not content:
        assert response.content == b"", f"{template} {response.status_code} should have no body"
        return
    if "application/json" not in content:
        return
    assert response.headers.get("content-type", "").startswith("application/json"), template
    body = response.json()
    errors = list(doc.validator(content["application/json"]["schema"]).iter_errors(body))
    assert not errors, f"{response.request.method} {template} {response.status_code}: " + "; ".join(
        f"{error.message} at {list(error.instance_path)}" for error in errors[:5]
    )


def _hook(response: httpx.Response) -> None:
    check(response)


def validating_client(**kwargs: Any) -> httpx.Client:
    return httpx.Client(timeout=kwargs.pop("timeout", 30), event_hooks={"response": [_hook]}, **kwargs)


http = validating_client()
