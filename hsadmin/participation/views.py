"""Participation pages: an event's breakdown and counts, recording one contact, CSV imports, contact history.

Each page makes at most one HubSpot call (a breakdown page, a history page, one record); the rest are jobs.
Form errors come back as the form's fragment with status 422.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from hsadmin.core.exceptions import ActionFailed
from hsadmin.core.htmx import after_write, failure_returns_to, render_page_or_fragment, wants_fragment
from hsadmin.core.http import AuthenticatedHttpRequest
from hsadmin.events.models import Event
from hsadmin.events.selectors import event_in_hubspot
from hsadmin.participation import imports, reports, selectors, services
from hsadmin.participation.forms import (
    BreakdownFilterForm,
    ConfirmForm,
    ContactSearchForm,
    ExportForm,
    MappingForm,
    RecordForm,
    ReportForm,
    UploadForm,
)
from hsadmin.participation.models import Import
from hsadmin.portals.models import Portal
from hsadmin.portals.permissions import capability_required, portal_required
from hsadmin.portals.selectors import can, current_portal


def _event_url(portal: Portal, event: Event, name: str = "participation:event") -> str:
    return reverse(name, args=[portal.hub_id, event.object_id])


# Contacts ------------------------------------------------------------------------------------------------


@require_safe
@capability_required("view_contacts")
def contacts_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    portal = current_portal(user=request.user)
    if portal is None:
        return render(request, "events/no_portal.html")
    return redirect("participation:contact-history", hub_id=portal.hub_id)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@require_safe
@portal_required("view_contacts")
def contact_history(request: AuthenticatedHttpRequest, portal: Portal) -> HttpResponse:
    form = ContactSearchForm(request.GET)
    context: dict[str, object] = {"portal": portal, "form": form, "rows": [], "next_after": None, "error": ""}
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        try:
            page = selectors.contact_history_page(
                portal=portal, contact=query, after=form.cleaned_data["after"] or None
            )
        except ActionFailed as failure:
            context["error"] = failure.message
        else:
            events = selectors.events_by_object_id(
                portal=portal, object_ids=[p.marketing_event_id for p in page.results if p.marketing_event_id]
            )
            # Newest first within the page HubSpot sent (it pages in its own order).
            results = sorted(page.results, key=lambda p: p.occurred_at or _EPOCH, reverse=True)
            context.update(
                rows=[(p, events.get(p.marketing_event_id or "")) for p in results],
                next_after=page.next_after,
                total=page.total,
                query=query,
            )
    if wants_fragment(request) and form.is_valid() and form.cleaned_data["after"]:
        return render(request, "participation/contacts.html#history-rows", context)
    return render_page_or_fragment(
        request, "participation/contacts.html", "history", context, status=200 if form.is_valid() else 422
    )


# An event's participation --------------------------------------------------------------------------------


def _breakdown_context(portal: Portal, event: Event, form: BreakdownFilterForm) -> dict[str, object]:
    context: dict[str, object] = {"rows": [], "next_after": None, "error": "", "total": None}
    if not form.is_valid():
        return context
    data = form.cleaned_data
    try:
        page = selectors.breakdown_page(
            event=event, state=data["state"], contact=data["contact"], after=data["after"] or None
        )
    except ActionFailed as failure:
        context["error"] = failure.message
        return context
    rows = list(page.results)
    reported = selectors.reported_attendance(event=event, emails=[p.email or "" for p in rows])
    context.update(rows=rows, next_after=page.next_after, total=page.total, reported=reported)
    return context


@require_safe
@vary_on_headers("HX-Request", "HX-Target")  # one URL, a page or a fragment: caches must keep them apart
@portal_required("view_events")
def event_participation(request: AuthenticatedHttpRequest, portal: Portal, object_id: str) -> HttpResponse:
    event = event_in_hubspot(portal=portal, object_id=object_id)
    form = BreakdownFilterForm(request.GET)
    context: dict[str, object] = {
        "portal": portal,
        "event": event,
        "form": form,
        "query": _filter_query(form),
    }
    status = 200 if form.is_valid() else 422
    # HTMX asks for the next 100 rows ("load more"), or for the whole breakdown (filters, the page's lazy load).
    more_rows = wants_fragment(request) and form.is_valid() and bool(form.cleaned_data["after"])
    fragment = more_rows or wants_fragment(request, "breakdown")
    # The page itself comes from the mirror at once; the breakdown (a HubSpot call, which can take a while on
    # a big event or while an import uses the rate limit) follows by HTMX. Without JavaScript, `?show=1` or a
    # "load more" link renders it in the page.
    lazy = not fragment and not request.GET.get("show") and not request.GET.get("after")
    if not lazy:
        context.update(_breakdown_context(portal, event, form))
    if more_rows:
        return render(request, "participation/event.html#breakdown-rows", context)
    if fragment:
        return render(request, "participation/event.html#breakdown", context, status=status)
    context.update(
        breakdown_lazy=lazy,
        counts=selectors.reconciled_counts(event=event),
        counts_job=selectors.active_job(event=event, kind="participation.counts"),
        export_job=selectors.latest_export(event=event),
        imports=selectors.import_list(event=event),
        can_record=can(user=request.user, portal=portal, capability="record_participation"),
    )
    return render(request, "participation/event.html", context, status=status)


def _filter_query(form: BreakdownFilterForm) -> str:
    if not form.is_valid():
        return ""
    return urlencode({k: v for k, v in form.cleaned_data.items() if v and k != "after"})


@require_POST
@portal_required("view_events")
def recount(request: AuthenticatedHttpRequest, portal: Portal, object_id: str) -> HttpResponse:
    event = event_in_hubspot(portal=portal, object_id=object_id)
    if selectors.active_job(event=event, kind="participation.counts") is None:
        services.counts_start(event=event, user=request.user)
        messages.info(request, _("Counting in HubSpot; the numbers update in a few seconds."))
    return after_write(request, _event_url(portal, event))


@require_POST
@portal_required("view_events")
def export(request: AuthenticatedHttpRequest, portal: Portal, object_id: str) -> HttpResponse:
    event = event_in_hubspot(portal=portal, object_id=object_id)
    form = ExportForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    job = services.export_start(
        event=event,
        user=request.user,
        state=data.get("state") or "",
        contact=data.get("contact") or "",
    )
    messages.info(request, _("Exporting; the file is ready to download on this page when the job ends."))
    return after_write(request, reverse("jobs:detail", args=[job.pk]))


# Recording one contact -----------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@portal_required("record_participation")
def record(request: AuthenticatedHttpRequest, portal: Portal, object_id: str) -> HttpResponse:
    event = event_in_hubspot(portal=portal, object_id=object_id)
    # When: now, or the event's start for an event that is over (attendance is usually recorded afterwards).
    when = event.starts_at if event.ended and event.starts_at else timezone.now()
    initial = {
        "interaction_at": timezone.localtime(when).replace(second=0, microsecond=0),
        "state": "attend" if event.ended else "register",
        "never_create": True,
    }
    form = RecordForm(request.POST if request.method == "POST" else None, initial=initial)
    outcome: services.RecordOutcome | None = None
    error = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            confirmed = request.POST.get("confirm_create") == "on"
            try:
                outcome = services.participation_record(
                    event=event,
                    user=request.user,
                    data=form.record_data(create_confirmed=confirmed),
                )
            except ActionFailed as failure:
                error = failure.message
            if outcome is not None and outcome.recorded:
                # Said once, in a toast; the form is ready for the next person, with the same state and time.
                messages.success(request, outcome.message)
                form = RecordForm(
                    initial={**initial, **{k: form.cleaned_data[k] for k in ("state", "interaction_at")}}
                )
        if form.errors or error or (outcome is not None and not outcome.recorded):
            status = 422
    context = {"portal": portal, "event": event, "form": form, "outcome": outcome, "error": error}
    return render_page_or_fragment(
        request, "participation/record.html", "record-form", context, status=status
    )


# CSV import ----------------------------------------------------------------------------------------------


def _chunks_of(text: str) -> Iterator[bytes]:
    data = text.encode("utf-8")
    for start in range(0, len(data), 64 * 1024):
        yield data[start : start + 64 * 1024]


@require_http_methods(["GET", "HEAD", "POST"])
@portal_required("record_participation")
def import_new(request: AuthenticatedHttpRequest, portal: Portal, object_id: str) -> HttpResponse:
    event = event_in_hubspot(portal=portal, object_id=object_id)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            if upload:
                imp = services.import_create(
                    event=event,
                    user=request.user,
                    name=upload.name,
                    chunks=upload.chunks(),
                )
            else:
                imp = services.import_create(
                    event=event,
                    user=request.user,
                    name="pasted.csv",
                    chunks=_chunks_of(form.cleaned_data["text"]),
                )
        except ActionFailed as refused:
            error = refused.message
        else:
            return after_write(
                request, reverse("participation:import", args=[portal.hub_id, event.object_id, imp.pk])
            )
    status = 422 if request.method == "POST" else 200
    return _upload_page(request, portal, event, form, error, status)


def _upload_page(
    request: AuthenticatedHttpRequest, portal: Portal, event: Event, form: UploadForm, error: str, status: int
) -> HttpResponse:
    context = {
        "portal": portal,
        "event": event,
        "form": form,
        "error": error,
        "max_mb": imports.max_bytes() // (1024 * 1024),
        "max_rows": imports.max_rows(),
    }
    return render_page_or_fragment(
        request, "participation/import_new.html", "upload-form", context, status=status
    )


@portal_required("record_participation")
def _import_too_large(request: AuthenticatedHttpRequest, portal: Portal, object_id: str) -> HttpResponse:
    """A paste past `DATA_UPLOAD_MAX_MEMORY_SIZE`: Django refused the body, so say it as for a large file."""
    event = event_in_hubspot(portal=portal, object_id=object_id)
    error = imports.too_large_message(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return _upload_page(request, portal, event, UploadForm(), error, 422)


import_new.too_large = _import_too_large  # type: ignore[attr-defined]  # see core.views.too_large


@require_http_methods(["GET", "HEAD", "POST"])
@portal_required("record_participation")
def import_detail(
    request: AuthenticatedHttpRequest, portal: Portal, object_id: str, import_id: int
) -> HttpResponse:
    event = event_in_hubspot(portal=portal, object_id=object_id)
    imp = selectors.import_get(event=event, pk=import_id)
    editable = selectors.import_editable(imp=imp)
    initial = {
        "mapping": imp.mapping,
        "default_state": imp.default_state,
        "default_interaction_at": timezone.localtime(imp.default_interaction_at),
        "never_create": imp.never_create,
    }
    if imp.report:  # a platform's own report: no columns to map (see reports.py)
        return _report_detail(request, portal, event, imp, editable=editable)
    mapping_form = MappingForm(
        request.POST if request.method == "POST" else None, header=imp.header, initial=initial
    )
    status = 200
    if request.method == "POST":
        if editable and imp.path.exists() and mapping_form.is_valid():
            data = mapping_form.cleaned_data
            services.import_preview_start(
                imp=imp,
                user=request.user,
                mapping=data["mapping"],
                default_state=data["default_state"],
                default_interaction_at=data["default_interaction_at"],
                never_create=data["never_create"],
            )
            return after_write(request, request.path)
        status = 422
        if not imp.path.exists():
            messages.error(
                request, _("This upload's file is gone (it was kept for a limited time). Upload it again.")
            )
    confirm_form = ConfirmForm(initial={"never_create": imp.never_create}, counts=imp.counts or {})
    context = {
        "portal": portal,
        "event": event,
        "imp": imp,
        "mapping_form": mapping_form,
        "confirm_form": confirm_form,
        "editable": editable,
    }
    if wants_fragment(request, "import-body"):
        return render(request, "participation/import.html#import-body", context, status=status)
    template = (
        "participation/import.html#mapping"
        if wants_fragment(request) and status == 422
        else "participation/import.html"
    )
    return render(request, template, context, status=status)


def _report_summary(imp: Import) -> dict[str, str]:
    if not imp.report:
        return {}
    understood = reports.sentence(imp.report) if imp.report.get("summary") else ""
    return {"understood": understood, "report_label": reports.label(imp.report)}


def _report_detail(
    request: AuthenticatedHttpRequest, portal: Portal, event: Event, imp: Import, *, editable: bool
) -> HttpResponse:
    """A platform report's import page: what was understood, the zone and the flagged addresses, the confirm."""
    flags = list((imp.report or {}).get("flags") or [])
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        flags=flags,
        initial={"time_zone": imp.time_zone},
    )
    status = 200
    if request.method == "POST" and request.POST.get("as_csv") and editable:
        services.import_as_csv(imp=imp)  # not the report it looked like: map its columns instead
        return after_write(request, request.path)
    if request.method == "POST":
        if editable and imp.path.exists() and form.is_valid():
            services.import_report_preview(
                imp=imp,
                user=request.user,
                time_zone=form.cleaned_data["time_zone"],
                never_create=imp.never_create,
                corrections=form.corrections(dict(imp.report.get("corrections") or {})),
            )
            return after_write(request, request.path)
        status = 422
        if not imp.path.exists():
            messages.error(
                request, _("This upload's file is gone (it was kept for a limited time). Upload it again.")
            )
    context = {
        "portal": portal,
        "event": event,
        "imp": imp,
        "report_form": form,
        **_report_summary(imp),
        "confirm_form": ConfirmForm(initial={"never_create": imp.never_create}, counts=imp.counts or {}),
        "editable": editable,
        "mapping_form": None,
    }
    if wants_fragment(request, "import-body"):
        return render(request, "participation/import.html#import-body", context, status=status)
    return render(request, "participation/import.html", context, status=status)


@require_POST
@failure_returns_to("participation:import")
@portal_required("record_participation")
def import_confirm(
    request: AuthenticatedHttpRequest, portal: Portal, object_id: str, import_id: int
) -> HttpResponse:
    event = event_in_hubspot(portal=portal, object_id=object_id)
    imp = selectors.import_get(event=event, pk=import_id)
    form = ConfirmForm(request.POST, counts=imp.counts or {})
    url = reverse("participation:import", args=[portal.hub_id, event.object_id, imp.pk])
    if form.is_valid():
        services.import_confirm(imp=imp, user=request.user, never_create=form.cleaned_data["never_create"])
        return after_write(request, url)
    context = {
        "portal": portal,
        "event": event,
        "imp": imp,
        "confirm_form": form,
        "editable": False,
        "mapping_form": None,
        **_report_summary(imp),
    }
    return render_page_or_fragment(request, "participation/import.html", "confirm", context, status=422)
