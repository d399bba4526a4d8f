"""The Lists tab of an event, adding and removing a list, and tying one list to many selected events."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from hsadmin.core.exceptions import ActionFailed
from hsadmin.core.htmx import after_write, failure_returns_to, render_page_or_fragment
from hsadmin.core.http import AuthenticatedHttpRequest
from hsadmin.events.selectors import event_get
from hsadmin.jobs.services import job_start
from hsadmin.lists import selectors, services
from hsadmin.lists.forms import AssociatedListsForm, BulkSelectionForm, ListChoiceForm, ListSearchForm
from hsadmin.portals.models import Portal
from hsadmin.portals.permissions import portal_required
from hsadmin.portals.selectors import can

BULK_SESSION_KEY = "lists.bulk_selection"


def _tab_url(portal: Portal, object_id: str) -> str:
    return reverse("lists:event", args=[portal.hub_id, object_id])


def _search(request: AuthenticatedHttpRequest, portal: Portal) -> dict[str, object]:
    """The lists search (one HubSpot call): the form, one page of results and the offsets around it."""
    form = ListSearchForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    query, offset = (data.get("q") or "").strip(), data.get("offset") or 0
    context: dict[str, object] = {"search_form": form, "q": query, "offset": offset, "results": None}
    try:
        page = selectors.list_search(portal=portal, query=query, offset=offset)
    except ActionFailed as failure:
        context["search_error"] = failure.message
        return context
    context.update(
        results=page.lists,
        total=page.total,
        first=offset + 1 if page.lists else 0,
        last=offset + len(page.lists),
        next_offset=page.offset if page.has_more else None,
        previous_offset=max(offset - selectors.SEARCH_PAGE_SIZE, 0) if offset else None,
    )
    return context


@require_safe
@portal_required("view_events")
def event_lists(request: AuthenticatedHttpRequest, portal: Portal, object_id: str) -> HttpResponse:
    """The Lists tab: the lists tied to the event, read live from HubSpot (one call)."""
    event = event_get(portal=portal, object_id=object_id)
    form = AssociatedListsForm(request.GET)
    after = form.cleaned_data.get("after") if form.is_valid() else None
    context: dict[str, object] = {
        "portal": portal,
        "event": event,
        "can_change_lists": can(user=request.user, portal=portal, capability="change_lists"),
        "search_form": ListSearchForm(),
        "after": after,
    }
    if not event.is_draft:
        try:
            page = selectors.event_lists_page(event=event, after=after or None)
            context.update(lists=page.results, total=page.total, next_after=page.next_after)
        except ActionFailed as failure:
            context["error"] = failure.message
    return render(request, "lists/event_lists.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@failure_returns_to("lists:event")
@portal_required("change_lists")
def list_add(request: AuthenticatedHttpRequest, portal: Portal, object_id: str) -> HttpResponse:
    """GET: search the portal's lists by name (offset paging); POST: tie the chosen list to the event."""
    event = event_get(portal=portal, object_id=object_id)
    context: dict[str, object] = {"portal": portal, "event": event}
    status = 200
    if request.method == "POST":
        choice = ListChoiceForm(request.POST)
        if choice.is_valid():
            name = choice.cleaned_data["list_name"] or choice.cleaned_data["list_id"]
            services.list_associate(
                event=event,
                user=request.user,
                list_id=choice.cleaned_data["list_id"],
                list_name=name,
            )
            messages.success(request, _("“%(list)s” is now tied to this event.") % {"list": name})
            return after_write(request, _tab_url(portal, event.object_id))
        context["choice_error"] = _("Choose a list from the search results.")
        status = 422
    context.update(_search(request, portal))
    return render_page_or_fragment(
        request, "lists/add.html", "list-search", context, target="list-search", status=status
    )


@require_http_methods(["GET", "HEAD", "POST"])
@failure_returns_to("lists:event", using=("hub_id", "object_id"))
@portal_required("change_lists")
def list_remove(
    request: AuthenticatedHttpRequest, portal: Portal, object_id: str, list_id: str
) -> HttpResponse:
    """GET asks for confirmation; POST unties the list from the event in HubSpot."""
    event = event_get(portal=portal, object_id=object_id)
    choice = ListChoiceForm(
        {"list_id": list_id, "list_name": request.POST.get("list_name") or request.GET.get("name", "")}
    )
    if not choice.is_valid():
        return render(
            request, "lists/remove.html", {"portal": portal, "event": event, "invalid": True}, status=422
        )
    name = choice.cleaned_data["list_name"] or list_id
    if request.method != "POST":  # GET or HEAD: the confirmation page
        return render(
            request,
            "lists/remove.html",
            {"portal": portal, "event": event, "list_id": list_id, "list_name": name},
        )
    services.list_disassociate(event=event, user=request.user, list_id=list_id, list_name=name)
    messages.success(request, _("“%(list)s” is no longer tied to this event.") % {"list": name})
    return after_write(request, _tab_url(portal, event.object_id))


@require_http_methods(["GET", "HEAD", "POST"])
@portal_required("change_lists")
def bulk_associate(request: AuthenticatedHttpRequest, portal: Portal) -> HttpResponse:
    """Tie one list to the events selected on the event list.

    POST from the event list (object_ids, no list): keep the selection in the session and show the chooser.
    GET: the chooser (search lists by name). POST with a list: start the job, one HubSpot call per event.
    """
    events_url = reverse("events:list", args=[portal.hub_id])
    key = f"{BULK_SESSION_KEY}.{portal.hub_id}"
    if request.method == "POST" and "list_id" not in request.POST:
        selection = BulkSelectionForm(request.POST)
        if not selection.is_valid():
            for error in selection.non_field_errors():
                messages.error(request, str(error))
            return after_write(request, events_url)
        request.session[key] = selection.cleaned_data["object_ids"]
        return after_write(request, reverse("lists:bulk", args=[portal.hub_id]))
    selected: list[str] = request.session.get(key) or []
    if not selected:
        messages.info(request, _("Select events on the event list first, then choose “Associate a list”."))
        return after_write(request, events_url)
    context: dict[str, object] = {"portal": portal, "selected_count": len(selected)}
    status = 200
    if request.method == "POST":
        choice = ListChoiceForm(request.POST)
        if choice.is_valid():
            list_id = choice.cleaned_data["list_id"]
            name = choice.cleaned_data["list_name"] or list_id
            job = job_start(
                kind="lists.bulk_associate",
                portal=portal,
                user=request.user,
                params={"list_id": list_id, "list_name": name, "object_ids": selected},
                total=len(selected),
            )
            del request.session[key]
            messages.info(
                request,
                _("Tying “%(list)s” to %(n)s events; follow the progress here.")
                % {"list": name, "n": len(selected)},
            )
            return after_write(request, reverse("jobs:detail", args=[job.pk]))
        context["choice_error"] = _("Choose a list from the search results.")
        status = 422
    context.update(_search(request, portal))
    return render_page_or_fragment(
        request, "lists/bulk.html", "list-search", context, target="list-search", status=status
    )
