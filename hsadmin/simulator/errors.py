"""HubSpot's error bodies.

Every error the simulator returns carries the standard body: ``status: "error"``, ``message``, a fresh
``correlationId`` (a UUID), a ``category`` and, where useful, ``context`` (a map of string lists), ``errors``
and ``links``. Views raise :class:`ApiError`; the middleware turns it into the response.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import JsonResponse


def correlation_id() -> str:
    return str(uuid.uuid4())


class ApiError(Exception):
    """An error answered with HubSpot's standard body."""

    def __init__(
        self,
        status: int,
        category: str,
        message: str,
        *,
        context: dict[str, list[str]] | None = None,
        errors: list[dict[str, Any]] | None = None,
        links: dict[str, str] | None = None,
        sub_category: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.category = category
        self.message = message
        self.context = context
        self.errors = errors
        self.links = links
        self.sub_category = sub_category
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "status": "error",
            "message": self.message,
            "correlationId": correlation_id(),
            "category": self.category,
        }
        if self.sub_category:
            body["subCategory"] = self.sub_category
        if self.context is not None:
            body["context"] = self.context
        if self.errors is not None:
            body["errors"] = self.errors
        if self.links is not None:
            body["links"] = self.links
        body.update(self.extra)
        return body

    def response(self) -> JsonResponse:
        return JsonResponse(self.body(), status=self.status)


def not_found(message: str = "Resource not found") -> ApiError:
    return ApiError(404, "OBJECT_NOT_FOUND", message)


def validation(message: str, context: dict[str, list[str]] | None = None) -> ApiError:
    return ApiError(400, "VALIDATION_ERROR", message, context=context)


def standard_error_item(category: str, message: str, context: dict[str, list[str]]) -> dict[str, Any]:
    """One item of a batch response's ``errors`` (HubSpot's StandardError)."""
    return {
        "status": "error",
        "category": category,
        "message": message,
        "context": context,
        "errors": [],
        "links": {},
    }
