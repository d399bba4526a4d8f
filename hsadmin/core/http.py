"""The request our views get, typed: behind the sign-in (`LoginRequiredMiddleware`) `user` is always a `User`,
and django-htmx's middleware has set `htmx`. A view annotates `request: AuthenticatedHttpRequest`; views open to
signed-out visitors (`@login_not_required`) keep `HttpRequest`."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from hsadmin.core.models import User


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    user: User  # narrower than HttpRequest's `User | AnonymousUser`: LoginRequiredMiddleware sees to it
