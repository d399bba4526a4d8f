from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import RequestDataTooBig
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_htmx.http import trigger_client_event

from hsadmin.core import selectors
from hsadmin.core.forms import ActivityFilterForm, PreferencesForm
from hsadmin.core.http import AuthenticatedHttpRequest
from hsadmin.core.middleware import TOAST_EVENT
from hsadmin.core.roles import role_label


@require_safe
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    roles = [role_label(group.name) for group in request.user.groups.all()]
    return render(request, "core/home.html", {"roles": roles})


@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        # Say so in the language just chosen (blank: the browser's), not the one this request began in.
        translation.activate(request.user.language or translation.get_language_from_request(request))
        messages.success(request, _("Your preferences are saved."))
        return redirect("core:preferences")
    status = 422 if form.errors else 200
    return render(request, "core/preferences.html", {"form": form}, status=status)


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and `make run`: answers 200 when the app and its database answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form or HTMX request arrived without a valid CSRF token (often: a page left open too long)."""
    message = _(
        "This page was open too long or was opened in another window, so hsadmin could not be sure the "
        "request came from you. Reload the page and try again; nothing was changed."
    )
    if getattr(request, "htmx", False):
        response = HttpResponse(message, status=403, content_type="text/plain; charset=utf-8")
        trigger_client_event(response, TOAST_EVENT, {"messages": [{"level": "error", "text": message}]})
        return response
    return render(request, "core/csrf_failure.html", {"message": message}, status=403)


def too_large(
    request: HttpRequest, view: Callable[..., HttpResponse] | None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """The answer to a request body over `DATA_UPLOAD_MAX_MEMORY_SIZE` (a long paste): a message a person can act
    on. A view with its own way to say so (`view.too_large`, such as the CSV import's form) renders it; other
    pages get a 413 page. Django refused the body, so nothing of the request is acted upon."""
    hook = getattr(view, "too_large", None)
    user = getattr(request, "user", None)
    if hook is not None and user is not None and user.is_authenticated:
        response: HttpResponse = hook(request, *args, **kwargs)
        return response
    limit_mb = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024):.3g}"
    message = _("What you sent is larger than %(mb)s MB, more than one request may carry.") % {"mb": limit_mb}
    return render(request, "413.html", {"message": message}, status=413)


@login_not_required
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400, except for a body over the request limit that reached a view (see `too_large`)."""
    if not isinstance(exception, RequestDataTooBig):
        return defaults.bad_request(request, exception)
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return too_large(request, None)
    return too_large(request, match.func, *match.args, **match.kwargs)


@require_safe
@permission_required("core.view_activity", raise_exception=True)
def activity(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ActivityFilterForm(request.GET, portals=selectors.activity_portals(user=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entry_list(user=request.user, filters=filters)
    page = Paginator(entries.select_related("portal"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "core/activity.html#activity-table" if request.htmx else "core/activity.html"
    return render(request, template, context, status=200 if form.is_valid() else 422)
