"""Limits on signing in and staying signed in: throttled failures (django-axes) and an idle timeout.

- `SignInThrottleBackend` is django-axes' backend (first in AUTHENTICATION_BACKENDS): after AXES_FAILURE_LIMIT
  failed sign-ins for one username from one address, that pair is locked out for AXES_COOLOFF_TIME.
- `lockout_response` is the page a locked-out person sees (AXES_LOCKOUT_CALLABLE): 403 in the product's look,
  saying how long to wait; each one is also written to the audit log.
- `IdleTimeoutMiddleware` signs a person out after HSADMIN_IDLE_TIMEOUT_MINUTES without a request.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hsadmin.core.audit import audit_record
from hsadmin.core.models import Outcome

Handler = Callable[[HttpRequest], HttpResponse]


class SignInThrottleBackend(AxesStandaloneBackend):
    """django-axes' check, except for `authenticate()` calls made without a request.

    Axes raises ValueError when there is no request (a script, `Client.login()` in a test, a management
    command). Such a call has no address to throttle and is not a sign-in from the web, so it is let through to
    the next backend; every sign-in through the sign-in page carries its request and is throttled.
    """

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return
        super().authenticate(
            request, *args, **kwargs
        )  # raises when the pair is locked out; else lets others decide


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """403 with the wait in minutes. Axes restarts the cool-off on every attempt during a lockout, so the
    full cool-off is exactly how long this person must now wait."""
    cool_off = get_cool_off(request)
    minutes = max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else None
    username = get_client_username(request, credentials) or ""
    audit_record(
        action="auth.locked_out",
        target=str(username)[:150],
        outcome=Outcome.DENIED,
        detail={"cool_off_minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        request=request,
    )
    if minutes is None:
        wait = _("Ask a portal admin to unlock your account.")
    else:
        wait = ngettext("Try again in %(minutes)d minute.", "Try again in %(minutes)d minutes.", minutes) % {
            "minutes": minutes
        }
    context = {"wait": wait, "minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "core/lockout.html", context, status=403)


LAST_SEEN = "_hsadmin_last_seen"


@receiver(user_logged_in)
def _stamp_sign_in(sender: type, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Signing in counts as activity (and spares the first page a session write)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[LAST_SEEN] = int(time.time())


class IdleTimeoutMiddleware:
    """Signs a person out after HSADMIN_IDLE_TIMEOUT_MINUTES without a request (0: never).

    The time of the last request is kept in the session but written at most once a minute, so almost every
    request costs no extra query. Signing out happens before the view runs: LoginRequiredMiddleware then sends
    the person to sign in (for HTMX, HtmxAuthRedirectMiddleware turns that into a whole-page redirect).
    """

    TOUCH_EVERY = 60  # seconds

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        idle = int(getattr(settings, "HSADMIN_IDLE_TIMEOUT_MINUTES", 0)) * 60
        # The session's own key, not request.user: no query for the person unless they must go.
        if idle > 0 and SESSION_KEY in request.session:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            if isinstance(last_seen, int) and now - last_seen > idle:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)d minutes without activity. Please sign in again.")
                    % {"minutes": idle // 60},
                )
            elif not isinstance(last_seen, int) or now - last_seen >= self.TOUCH_EVERY:
                request.session[LAST_SEEN] = now
        return self.get_response(request)
