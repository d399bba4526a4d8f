"""Django-level errors (unknown path, bad request, crash) answer with HubSpot's standard error body."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from hsadmin.simulator.errors import ApiError, not_found


def not_found_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return not_found(f"No route for {request.method} {request.path}").response()


def bad_request_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return ApiError(400, "VALIDATION_ERROR", "The request could not be understood.").response()


def server_error_view(request: HttpRequest) -> HttpResponse:
    return ApiError(500, "INTERNAL_ERROR", "An internal error occurred.").response()
