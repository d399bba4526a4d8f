"""The app's settings page and tester (portal admins), and the event-details endpoint HubSpot calls."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hsadmin.appsettings import drafts, services
from hsadmin.appsettings.forms import DetailsUrlTestForm, EventDetailsUrlForm
from hsadmin.core.exceptions import ActionFailed
from hsadmin.core.htmx import after_write, render_page_or_fragment, wants_fragment
from hsadmin.core.http import AuthenticatedHttpRequest
from hsadmin.core.roles import may_change_app_settings, perm
from hsadmin.events.models import Event
from hsadmin.hubspot_client.signatures import verify_v3
from hsadmin.portals.hubspot import app_configured
from hsadmin.portals.selectors import portal_list

logger = logging.getLogger(__name__)

ENDPOINT_PLACEHOLDER = "EXTERNALEVENTID"


def hsadmin_details_url(request: AuthenticatedHttpRequest) -> str:
    """This site's own event-details endpoint, as an eventDetailsUrl template (with %s)."""
    path = reverse("appsettings:event_details", args=[ENDPOINT_PLACEHOLDER])
    return request.build_absolute_uri(path).replace(ENDPOINT_PLACEHOLDER, "%s")


def _sample_external_id(request: AuthenticatedHttpRequest) -> str:
    """One of this person's drafts' external IDs (what HubSpot would ask about), else a made-up one."""
    drafts_here = Event.objects.filter(is_draft=True, portal__in=portal_list(user=request.user))
    draft = drafts_here.order_by("-pk").values_list("external_event_id", flat=True).first()
    return draft or "sample-event"


def _context(request: AuthenticatedHttpRequest, **extra: object) -> dict[str, object]:
    return {
        "may_change": may_change_app_settings(request.user),
        "app_id": settings.HUBSPOT_APP_ID,
        "configured": app_configured(),
        "has_secret": bool(settings.HUBSPOT_CLIENT_SECRET),
        "hsadmin_url": hsadmin_details_url(request),
        **extra,
    }


def _viewer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The settings page is for portal admins (to read) and for those who may change it (APP_ADMIN)."""

    @wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.user.has_perm(perm("manage_app_settings")) or may_change_app_settings(request.user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@require_http_methods(["GET", "HEAD", "POST"])
@_viewer_required
def settings_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the current eventDetailsUrl (read from HubSpot) and the forms; POST: change it in HubSpot."""
    error = ""
    if request.method == "POST":
        if not may_change_app_settings(request.user):
            raise PermissionDenied  # the page says who may (APP_ADMIN)
        form = EventDetailsUrlForm(request.POST)
        if form.is_valid():
            try:
                saved = services.app_settings_update(
                    user=request.user,
                    event_details_url=form.cleaned_data["event_details_url"],
                )
            except ActionFailed as failure:
                error = failure.message
            else:
                messages.success(request, _("HubSpot now calls %(url)s for event details.") % {"url": saved})
                return after_write(request, reverse("appsettings:index"))
        context = _context(request, form=form, error=error)
        return render_page_or_fragment(
            request, "appsettings/index.html", "settings-form", context, status=422
        )
    use_ours = request.GET.get("use") == "hsadmin"
    if wants_fragment(request, "settings-form"):
        # The one-click "use hsadmin": only the form changes, HubSpot is not asked again.
        initial = {"event_details_url": hsadmin_details_url(request)} if use_ours else {}
        return render(
            request,
            "appsettings/index.html#settings-form",
            _context(request, form=EventDetailsUrlForm(initial=initial)),
        )
    current, read_error = "", ""
    if app_configured():
        try:
            current = services.app_settings_read()
        except ActionFailed as failure:
            read_error = failure.message
    initial_url = hsadmin_details_url(request) if use_ours else current
    context = _context(
        request,
        current=current,
        read_error=read_error,
        form=EventDetailsUrlForm(initial={"event_details_url": initial_url}),
        test_form=DetailsUrlTestForm(
            initial={
                "event_details_url": current or initial_url,
                "external_event_id": _sample_external_id(request),
            }
        ),
    )
    return render(request, "appsettings/index.html", context)


@require_POST
@_viewer_required
def settings_test(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Call the saved URL, or the one about to be saved, for a sample external event as HubSpot would (signed
    with the client secret), and show whether the answer would do. Only for those who may save it."""
    if not may_change_app_settings(request.user):
        raise PermissionDenied
    form = DetailsUrlTestForm(request.POST)
    result = None
    if form.is_valid():
        result = services.details_url_test(
            user=request.user,
            url_template=form.cleaned_data["event_details_url"],
            external_event_id=form.cleaned_data["external_event_id"],
            own_port=int(request.get_port() or 0) or None,
        )
    context = _context(request, test_form=form, result=result)
    template = "appsettings/index.html#tester" if wants_fragment(request) else "appsettings/test.html"
    return render(request, template, context, status=200 if result is not None else 422)


def _unauthorized(reason: str) -> JsonResponse:
    logger.warning("event-details request refused: %s", reason)
    return JsonResponse(
        {"status": "error", "message": "The request signature could not be verified."}, status=401
    )


@login_not_required
@csrf_exempt
@never_cache
@require_safe
def event_details(request: HttpRequest, external_event_id: str) -> HttpResponse:
    """GET /hubspot/event-details/<externalEventId>?appId=…&externalAccountId=… — HubSpot asking about an event.

    Public (no sign-in) but authenticated: X-HubSpot-Signature-v3 must verify with the app's client secret over
    the full URL as received, and X-HubSpot-Request-Timestamp must be within 5 minutes (constant-time compare).
    """
    secret = settings.HUBSPOT_CLIENT_SECRET
    signature = request.headers.get("X-HubSpot-Signature-v3", "")
    timestamp = request.headers.get("X-HubSpot-Request-Timestamp", "")
    if not secret:
        return _unauthorized("no client secret is configured")
    if not signature or not timestamp:
        return _unauthorized("no v3 signature")
    raw = request.META.get("RAW_URI") or request.get_full_path()
    uri = request.build_absolute_uri(raw)
    if not verify_v3(
        secret, method="GET", uri=uri, body=request.body, signature=signature, timestamp=timestamp
    ):
        return _unauthorized("bad signature or stale timestamp")
    if not services.signature_first_use(signature):
        return _unauthorized("a signature already used (a replay)")
    app_id = request.GET.get("appId", "")
    account = request.GET.get("externalAccountId", "")
    if not account or (settings.HUBSPOT_APP_ID and app_id != str(settings.HUBSPOT_APP_ID)):
        return JsonResponse({"status": "error", "message": "Unknown event."}, status=404)
    event = drafts.details_event(external_event_id=external_event_id, external_account_id=account)
    if event is None:
        return JsonResponse({"status": "error", "message": "Unknown event."}, status=404)
    if event.is_draft:
        try:
            drafts.adoption_start(event=event)
        except Exception:  # answering HubSpot matters more; Publish or a sync still adopt the draft later
            logger.exception("could not queue the adoption of draft %s", event.pk)
    return JsonResponse(drafts.details_answer(event))
