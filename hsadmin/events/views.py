from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.formats import date_format, get_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from hsadmin.core.exceptions import ActionFailed
from hsadmin.core.htmx import after_write, failure_returns_to, render_page_or_fragment, wants_fragment
from hsadmin.core.http import AuthenticatedHttpRequest
from hsadmin.core.models import Job
from hsadmin.core.pagination import SeekPage
from hsadmin.events import selectors, services
from hsadmin.events.forms import BULK_FIELD_CHOICES, BulkForm, EventFilterForm, EventForm
from hsadmin.events.models import COMMON_EVENT_TYPES, Event
from hsadmin.jobs.services import job_start
from hsadmin.portals.models import Portal
from hsadmin.portals.permissions import capability_required, portal_required
from hsadmin.portals.selectors import can, current_portal


def _active_sync(portal: Portal) -> Job | None:
    return Job.objects.filter(
        portal=portal, kind="events.sync", state__in=["queued", "running", "paused"]
    ).first()


def _list_rows(portal: Portal, events: list[Event]) -> list[Event]:
    """The row's link, start time and checkbox label, made here: in the template they cost a URL reversal, a
    date filter and a blocktranslate per row, a third of a 100-row table's time."""
    placeholder = "0-row-object-id-0"
    link = reverse("events:detail", args=[portal.hub_id, placeholder])
    starts_format = get_format("DATETIME_FORMAT")  # the person's language, looked up once
    for event in events:
        vars(event).update(  # extra attributes for the row's template only
            detail_url=link.replace(placeholder, quote(event.object_id, safe="")),
            select_label=_("Select %(name)s") % {"name": event.name},
            starts_label=format_date(timezone.localtime(event.starts_at), starts_format)
            if event.starts_at
            else "",
        )
    return events


def _page_span(page: SeekPage) -> str:
    """What a page without numbers says of itself: the days its events start on, and the list's count."""
    total = number_format(page.paginator.count, force_grouping=True)
    if page.paginator.count_capped:
        count = _("more than %(count)s events") % {"count": total}
    else:
        count = ngettext("%(count)s event", "%(count)s events", page.paginator.count) % {"count": total}
    starts = [event.starts_at for event in page.object_list if event.starts_at]
    if not starts:
        return count
    first = date_format(timezone.localtime(min(starts)), "DATE_FORMAT")  # the long date, as the rows show it
    last = date_format(timezone.localtime(max(starts)), "DATE_FORMAT")  # the long date, as the rows show it
    if first == last:
        return _("Starting %(first)s, of %(count)s") % {"first": first, "count": count}
    return _("Starting %(first)s to %(last)s, of %(count)s") % {"first": first, "last": last, "count": count}


@require_safe
@capability_required("view_events")
def events_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    portal = current_portal(user=request.user)
    if portal is None:
        return render(request, "events/no_portal.html")
    return redirect("events:list", hub_id=portal.hub_id)


@require_safe
@vary_on_headers("HX-Request", "HX-Target")  # one URL, a page or a fragment: caches must keep them apart
@portal_required("view_events")
def event_list(request: AuthenticatedHttpRequest, portal: Portal) -> HttpResponse:
    form = EventFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    page = selectors.event_list_page(
        portal=portal,
        filters=filters,
        number=request.GET.get("page"),
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    rows = _list_rows(portal, page.object_list)
    query = request.GET.copy()
    for where in ("page", "after", "before"):
        query.pop(where, None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    context = {
        "portal": portal,
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "sort_query": sort_query.urlencode(),
        "sort": filters.get("sort") or selectors.list_default_sort(filters),
        "chosen_sort": filters.get("sort") or "",
        "span": _page_span(page) if not page.numbered else "",
        "can_change": can(user=request.user, portal=portal, capability="change_events"),
    }
    status = 200 if form.is_valid() else 422  # the table, unfiltered, says which filter is wrong
    if wants_fragment(request, "events-table"):
        return render(request, "events/list.html#events-table", context, status=status)
    context["event_types"] = selectors.event_types(portal=portal)
    context["sync_job"] = _active_sync(portal)
    return render(request, "events/list.html", context, status=status)


@require_safe
@portal_required("view_events")
def event_detail(request: AuthenticatedHttpRequest, portal: Portal, object_id: str) -> HttpResponse:
    event = selectors.event_get(portal=portal, object_id=object_id)
    context = {
        "portal": portal,
        "event": event,
        "can_change": can(user=request.user, portal=portal, capability="change_events"),
    }
    return render(request, "events/detail.html", context)


def _detail_url(portal: Portal, object_id: str) -> str:
    return reverse("events:detail", args=[portal.hub_id, object_id])


@require_POST
@failure_returns_to("events:detail")
@portal_required("view_events")
def event_refresh(request: AuthenticatedHttpRequest, portal: Portal, object_id: str) -> HttpResponse:
    event = selectors.event_in_hubspot(portal=portal, object_id=object_id)
    services.event_refresh(event=event)
    messages.success(request, _("Refreshed from HubSpot."))
    return after_write(request, _detail_url(portal, event.object_id))


def _event_form(request: AuthenticatedHttpRequest, portal: Portal, event: Event | None) -> HttpResponse:
    form = EventForm(
        request.POST if request.method == "POST" else None,
        initial=EventForm.initial_for(event),
        editing=event is not None,
    )
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            if event is None:
                event = services.event_create(
                    portal=portal,
                    user=request.user,
                    data=form.event_data(),
                    external_event_id=form.cleaned_data.get("external_event_id", ""),
                )
                messages.success(request, _("“%(name)s” is created in HubSpot.") % {"name": event.name})
            else:
                services.event_update(event=event, user=request.user, data=form.event_data())
                messages.success(request, _("“%(name)s” is saved in HubSpot.") % {"name": event.name})
            return after_write(request, _detail_url(portal, event.object_id))
        except ActionFailed as failure:
            error = failure.message
    status = 422 if (form.errors or error) else 200
    context = {
        "portal": portal,
        "event": event,
        "form": form,
        "error": error,
        "event_types": COMMON_EVENT_TYPES,
    }
    return render_page_or_fragment(request, "events/form.html", "event-form", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@portal_required("change_events")
def event_create(request: AuthenticatedHttpRequest, portal: Portal) -> HttpResponse:
    return _event_form(request, portal, None)


@require_http_methods(["GET", "HEAD", "POST"])
@portal_required("change_events")
def event_edit(request: AuthenticatedHttpRequest, portal: Portal, object_id: str) -> HttpResponse:
    return _event_form(request, portal, selectors.event_in_hubspot(portal=portal, object_id=object_id))


# One row per action on one event: its service and what the person is told once it is done.
_ACTIONS = {
    "cancel": (services.event_cancel, gettext_lazy("“%(name)s” is cancelled.")),
    "complete": (
        services.event_complete,
        gettext_lazy("“%(name)s” is completed; HubSpot now computes attendance durations."),
    ),
    "delete": (services.event_delete, gettext_lazy("“%(name)s” is deleted from HubSpot.")),
}


def _confirm_or_do(
    request: AuthenticatedHttpRequest, portal: Portal, object_id: str, action: str
) -> HttpResponse:
    """GET asks for confirmation; POST does it and goes to the event (or, once deleted, to the list)."""
    event = selectors.event_in_hubspot(portal=portal, object_id=object_id)
    if request.method != "POST":  # GET or HEAD: the confirmation page
        return render(request, "events/confirm.html", {"portal": portal, "event": event, "action": action})
    service, done = _ACTIONS[action]
    name = event.name
    service(event=event, user=request.user)
    messages.success(request, str(done) % {"name": name})
    if action == "delete":
        return after_write(request, reverse("events:list", args=[portal.hub_id]))
    return after_write(request, _detail_url(portal, object_id))


@require_http_methods(["GET", "HEAD", "POST"])
@failure_returns_to("events:detail")
@portal_required("change_events")
def event_cancel(request: AuthenticatedHttpRequest, portal: Portal, object_id: str) -> HttpResponse:
    return _confirm_or_do(request, portal, object_id, "cancel")


@require_http_methods(["GET", "HEAD", "POST"])
@failure_returns_to("events:detail")
@portal_required("change_events")
def event_complete(request: AuthenticatedHttpRequest, portal: Portal, object_id: str) -> HttpResponse:
    return _confirm_or_do(request, portal, object_id, "complete")


@require_http_methods(["GET", "HEAD", "POST"])
@failure_returns_to("events:detail")
@portal_required("change_events")
def event_delete(request: AuthenticatedHttpRequest, portal: Portal, object_id: str) -> HttpResponse:
    return _confirm_or_do(request, portal, object_id, "delete")


@require_POST
@portal_required("change_events")
def event_bulk(request: AuthenticatedHttpRequest, portal: Portal) -> HttpResponse:
    form = BulkForm(request.POST)
    if not form.is_valid():
        for name in ("action", "__all__", "field", "value"):
            for error in form.errors.get(name, []):
                messages.error(request, str(error))
        back = form.cleaned_data.get("next") or reverse("events:list", args=[portal.hub_id])
        return after_write(request, back)
    data = form.cleaned_data
    if not data.get("confirm"):
        # Asked in the page (not the browser's confirm()): what will happen, to which events, then a yes.
        chosen = Event.objects.filter(portal=portal, object_id__in=data["object_ids"]).order_by("name")
        context = {
            "portal": portal,
            "data": data,
            "names": list(chosen.values_list("name", flat=True)[:20]),
            "count": len(data["object_ids"]),
            "back": data.get("next") or reverse("events:list", args=[portal.hub_id]),
            "field_label": dict(BULK_FIELD_CHOICES).get(data.get("field") or "", ""),
        }
        return render(request, "events/bulk_confirm.html", context)
    params = {
        "action": data["action"],
        "object_ids": data["object_ids"],
        "field": data.get("field"),
        "value": data.get("value"),
    }
    job = job_start(
        kind="events.bulk", portal=portal, user=request.user, params=params, total=len(data["object_ids"])
    )
    messages.info(
        request, _("Working on %(n)s events; follow the progress here.") % {"n": len(data["object_ids"])}
    )
    return after_write(request, reverse("jobs:detail", args=[job.pk]))


@require_POST
@portal_required("view_events")
def sync_now(request: AuthenticatedHttpRequest, portal: Portal) -> HttpResponse:
    job = _active_sync(portal)
    if job is None:
        job = job_start(kind="events.sync", portal=portal, user=request.user)
        messages.info(request, _("Syncing events from HubSpot…"))
    else:
        messages.info(request, _("A sync is already running for this portal."))
    return after_write(request, reverse("events:list", args=[portal.hub_id]))
