"""Middleware for the person's preferences and for HTMX requests (messages as toasts, sign-in redirects)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils import timezone, translation
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

Handler = Callable[[HttpRequest], HttpResponse]

TOAST_EVENT = "hsadmin:toasts"


class RequestTooLargeMiddleware:
    """A POST body over `DATA_UPLOAD_MAX_MEMORY_SIZE` (a long paste) gets a page that says so, instead of Django's
    bare "Bad Request (400)" (or, with DEBUG, its technical page). It reads the body just before the CSRF check,
    which would read it anyway; it must come before `CsrfViewMiddleware` in MIDDLEWARE."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., HttpResponse],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if request.method != "POST":
            return None
        try:
            request.POST  # noqa: B018 - parsing it is the check
        except RequestDataTooBig:
            from hsadmin.core.views import too_large

            return too_large(request, view, *args, **kwargs)
        return None


class PersonPreferencesMiddleware:
    """Shows dates in the signed-in person's time zone and the interface in their language."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if user.time_zone:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class HtmxAuthRedirectMiddleware:
    """An HTMX request whose session expired must not swap the sign-in page into a fragment.

    Instead the whole page goes to the sign-in page, which brings the person back where they were.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        htmx = getattr(request, "htmx", None)
        if not htmx or response.status_code != 302:
            return response
        login_path = resolve_url(settings.LOGIN_URL)
        if not response.get("Location", "").startswith(login_path):
            return response
        back_to = htmx.current_url_abs_path or "/"
        return HttpResponseClientRedirect(f"{login_path}?{urlencode({'next': back_to})}")


class HtmxMessagesMiddleware:
    """After an HTMX request, Django's messages travel in an `HX-Trigger` event and show as toasts.

    A full page renders them itself (base.html); a redirect keeps them for the page it leads to.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not getattr(request, "htmx", False):
            return response
        if 300 <= response.status_code < 400 or "HX-Redirect" in response or "HX-Location" in response:
            return response
        toasts = [{"level": m.level_tag, "text": str(m)} for m in messages.get_messages(request)]
        if toasts:
            trigger_client_event(response, TOAST_EVENT, {"messages": toasts})
        return response
