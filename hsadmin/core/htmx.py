"""HTMX plumbing, written once (design rules 3 and 5): go to a page after a write, show a refusal and go back,
and answer a page or one of its fragments.

Built on django-htmx's `request.htmx` and response helpers; no view writes an `HX-*` header itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from hsadmin.core.exceptions import ActionFailed
from hsadmin.core.http import AuthenticatedHttpRequest, HtmxHttpRequest

View = Callable[..., HttpResponseBase]


def after_write(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """After a write: HTMX is asked to load `url` as a whole page; a plain form gets a redirect."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def failure_returns_to(url_name: str, *, using: tuple[str, ...] | None = None) -> Callable[[View], View]:
    """When the view raises `ActionFailed`, show its message as a toast and take the person to `url_name`,
    reversed with the view's own URL arguments (all, or those named in `using`; so put this decorator above
    the access decorators, which turn `hub_id` into a portal). One place for "HubSpot refused; here is why"
    on every write that is not a form (a form shows the reason inside itself instead)."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                return view(request, *args, **kwargs)
            except ActionFailed as failure:
                messages.error(request, failure.message)
                back = kwargs if using is None else {name: kwargs[name] for name in using}
                return after_write(request, reverse(url_name, args=args, kwargs=back))

        return wrapper

    return decorate


def wants_fragment(request: HtmxHttpRequest, target: str | None = None) -> bool:
    """Did HTMX ask for a fragment: any (no `target`), or the one swapped into the element `target`?"""
    return bool(request.htmx) and (target is None or request.htmx.target == target)


def render_page_or_fragment(
    request: HtmxHttpRequest,
    page: str,
    fragment: str,
    context: Mapping[str, Any],
    *,
    target: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page, or its partial `fragment` (`{% partialdef %}` in the page's template) when HTMX asked for it
    (for `target`, when given)."""
    template = f"{page}#{fragment}" if wants_fragment(request, target) else page
    return render(request, template, context, status=status)
