"""Drafts: new, edit, publish and delete an event that exists only in hsadmin so far."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hsadmin.appsettings import drafts
from hsadmin.core.htmx import after_write, failure_returns_to, render_page_or_fragment
from hsadmin.core.http import AuthenticatedHttpRequest
from hsadmin.events.forms import EventForm
from hsadmin.events.models import COMMON_EVENT_TYPES, Event
from hsadmin.events.selectors import event_get
from hsadmin.portals.models import Portal
from hsadmin.portals.permissions import portal_required


def _draft(portal: Portal, object_id: str) -> Event:
    event = event_get(portal=portal, object_id=object_id)
    if not event.is_draft:
        raise Http404("Not a draft")
    return event


def _detail(portal: Portal, event: Event) -> str:
    return reverse("events:detail", args=[portal.hub_id, event.object_id])


def _form(request: AuthenticatedHttpRequest, portal: Portal, event: Event | None) -> HttpResponse:
    form = EventForm(
        request.POST if request.method == "POST" else None,
        initial=EventForm.initial_for(event),
        editing=True,  # drafts get their external ID when created
    )
    if request.method == "POST" and form.is_valid():
        if event is None:
            event = drafts.draft_create(portal=portal, user=request.user, data=form.event_data())
            messages.success(request, _("“%(name)s” is saved as a draft in hsadmin.") % {"name": event.name})
        else:
            drafts.draft_update(event=event, user=request.user, data=form.event_data())
            messages.success(request, _("The draft “%(name)s” is saved.") % {"name": event.name})
        return after_write(request, _detail(portal, event))
    context = {"portal": portal, "event": event, "form": form, "event_types": COMMON_EVENT_TYPES}
    return render_page_or_fragment(
        request, "appsettings/draft_form.html", "draft-form", context, status=422 if form.errors else 200
    )


@require_http_methods(["GET", "HEAD", "POST"])
@portal_required("change_events")
def draft_create(request: AuthenticatedHttpRequest, portal: Portal) -> HttpResponse:
    return _form(request, portal, None)


@require_http_methods(["GET", "HEAD", "POST"])
@portal_required("change_events")
def draft_edit(request: AuthenticatedHttpRequest, portal: Portal, object_id: str) -> HttpResponse:
    return _form(request, portal, _draft(portal, object_id))


@require_http_methods(["GET", "HEAD", "POST"])
@failure_returns_to("events:detail")
@portal_required("change_events")
def draft_publish(request: AuthenticatedHttpRequest, portal: Portal, object_id: str) -> HttpResponse:
    """GET asks for confirmation; POST creates the event in HubSpot (one upsert) and mirrors it."""
    event = _draft(portal, object_id)
    if request.method != "POST":  # GET or HEAD: the confirmation page
        return render(
            request, "appsettings/draft_confirm.html", {"portal": portal, "event": event, "action": "publish"}
        )
    published = drafts.draft_publish(event=event, user=request.user)
    messages.success(request, _("“%(name)s” is created in HubSpot.") % {"name": published.name})
    return after_write(request, _detail(portal, published))


@require_http_methods(["GET", "HEAD", "POST"])
@portal_required("change_events")
def draft_delete(request: AuthenticatedHttpRequest, portal: Portal, object_id: str) -> HttpResponse:
    event = _draft(portal, object_id)
    if request.method != "POST":  # GET or HEAD: the confirmation page
        return render(
            request, "appsettings/draft_confirm.html", {"portal": portal, "event": event, "action": "delete"}
        )
    name = event.name
    drafts.draft_delete(event=event, user=request.user)
    messages.success(request, _("The draft “%(name)s” is deleted.") % {"name": name})
    return after_write(request, reverse("events:list", args=[portal.hub_id]))
