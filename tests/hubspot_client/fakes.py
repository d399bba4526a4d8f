"""A scripted fake HubSpot on httpx.MockTransport and a fake sleep, for the unit tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

BASE = "https://api.test"

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def reply(status: int = 200, body: Any = None, headers: dict[str, str] | None = None) -> httpx.Response:
    if body is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


def error_body(category: str, message: str = "nope", **extra: Any) -> dict[str, Any]:
    return {
        "status": "error",
        "message": message,
        "correlationId": "aeb5f871-7f07-4993-9211-075dc63e7cbf",
        "category": category,
        **extra,
    }


class FakeHubSpot:
    """Answers requests from a queue (a default answer when empty) and records every request."""

    def __init__(self) -> None:
        self.queue: list[Reply] = []
        self.default: Reply | None = None
        self.requests: list[httpx.Request] = []

    def then(self, *replies: Reply) -> FakeHubSpot:
        self.queue.extend(replies)
        return self

    def handler(self, request: httpx.Request) -> httpx.Response:
        request.read()
        # a snapshot: an auth flow may mutate and resend the same request object
        self.requests.append(
            httpx.Request(
                request.method, request.url, headers=request.headers.copy(), content=request.content
            )
        )
        item = self.queue.pop(0) if self.queue else self.default
        if item is None:
            return reply(200, {})
        if isinstance(item, Exception):
            raise item
        if callable(item) and not isinstance(item, httpx.Response):
            return item(request)
        return item

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def body(self, n: int = -1) -> Any:
        content = self.requests[n].content
        return json.loads(content) if content else None

    def form(self, n: int = -1) -> dict[str, str]:
        return dict(httpx.QueryParams(self.requests[n].content.decode()))


class FakeSleep:
    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
