from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from hsadmin.core.exports import csv_response
from hsadmin.core.htmx import wants_fragment
from hsadmin.core.http import AuthenticatedHttpRequest
from hsadmin.core.progress import format_duration
from hsadmin.jobs.services import job_start
from hsadmin.portals.permissions import capability_required
from hsadmin.reports import exports, selectors
from hsadmin.reports.forms import ReportFilterForm
from hsadmin.reports.jobs import breakdown_calls, least_seconds
from hsadmin.reports.periods import PERIODS


@require_safe
@capability_required("view_reports")
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = selectors.report_scope(user=request.user, query=request.GET)
    form, portals, filters, period = scope.form, scope.portals, scope.filters, scope.period
    if not portals:
        return render(request, "reports/no_portal.html")
    events = selectors.scoped_events(portals=portals, filters=filters)
    sort = filters.get("sort") or "-starts"
    # One grouped pass gives the headline, the monthly, type and portal tables, and the table's row count.
    days = selectors.scoped_days(portals=portals, filters=filters)
    summed = selectors.totals(events=events, period=period, days=days)
    paginator = Paginator(selectors.event_table(events=events, period=period, sort=sort), 25)
    paginator.count = summed.events  # its cached property, already known: no COUNT query
    table = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    figures = selectors.headline(events=events, period=period, summed=summed)
    context = {
        "form": form,
        "portals": portals,
        "filters": filters,
        "period": period,
        "period_label": PERIODS.get(filters.get("period") or selectors.DEFAULT_PERIOD),
        "figures": figures,
        "table": table,
        "sort": sort,
        "query": query.urlencode(),
        "sort_query": sort_query.urlencode(),
        "single_portal": portals[0] if len(portals) == 1 else None,
    }
    if wants_fragment(request, "report-table"):
        return render(request, "reports/report.html#report-table", context, status=_status(form))
    months = selectors.monthly(events=events, period=period, summed=summed)
    types = selectors.by_type(events=events, period=period, summed=summed)
    side_by_side = (
        selectors.by_portal(events=events, period=period, summed=summed) if len(portals) > 1 else []
    )
    # A portal with many events in the period ranks them from its rate indexes; one with few sorts them.
    walk = summed.busy_portals()
    quiet = [p.id for p in portals if p.id not in walk]
    context |= {
        "months": months,
        "types": types,
        "side_by_side": side_by_side,
        "best": selectors.ranking(events=events, period=period, best=True, walk=walk, sort=quiet),
        "worst": selectors.ranking(events=events, period=period, best=False, walk=walk, sort=quiet),
        "chart_data": _chart_data(figures, months, types, side_by_side),
    }
    return render(request, "reports/report.html", context, status=_status(form))


def _status(form: ReportFilterForm) -> int:
    return 200 if form.is_valid() else 422


def _form_errors(form: ReportFilterForm) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _chart_data(
    figures: dict[str, selectors.Figure],
    months: list[dict[str, Any]],
    types: list[dict[str, Any]],
    portals: list[dict[str, Any]],
) -> dict[str, Any]:
    """Everything the charts draw, handed to static/js/reports.js with json_script (no inline script)."""
    return {
        "labels": {
            "registered": _("Registered"),
            "attended": _("Attended"),
            "no_shows": _("No-shows"),
            "cancellations": _("Cancellations"),
            "events": _("Events"),
            "rate": _("Attendance rate (%)"),
        },
        "funnel": [
            figures["registrants"].value,
            figures["attendees"].value,
            figures["no_shows"].value,
            figures["cancellations"].value,
        ],
        "months": {
            "labels": [m["month"].strftime("%Y-%m") for m in months],
            "registrants": [m["registrants"] for m in months],
            "attendees": [m["attendees"] for m in months],
            "events": [m["events"] for m in months],
        },
        "types": {
            "labels": [t["event_type"] or _("(no type)") for t in types],
            "registrants": [t["registrants"] for t in types],
            "attendees": [t["attendees"] for t in types],
        },
        "portals": {
            "labels": [p["portal__name"] for p in portals],
            "registrants": [p["registrants"] for p in portals],
            "attendees": [p["attendees"] for p in portals],
        },
    }


@require_safe
@capability_required("view_reports")
def export(request: AuthenticatedHttpRequest, table: str) -> HttpResponseBase:
    """Each table of the report as a CSV, streamed."""
    chosen = exports.EXPORTS.get(table)
    if chosen is None:
        raise Http404("No such table")
    scope = selectors.report_scope(user=request.user, query=request.GET)
    if not scope.portals:
        raise PermissionDenied
    if not scope.form.is_valid():  # the report page shows the same message beside its field
        return HttpResponse(_form_errors(scope.form), status=422, content_type="text/plain; charset=utf-8")
    events = selectors.scoped_events(portals=scope.portals, filters=scope.filters)
    days = selectors.scoped_days(portals=scope.portals, filters=scope.filters)
    period = scope.period
    stamp = f"{period.start:%Y-%m-%d}_{period.last_day:%Y-%m-%d}"
    return csv_response(
        f"hsadmin-{table}-{stamp}.csv", list(chosen.header), chosen.rows(events, days, period, scope.filters)
    )


@require_POST
@capability_required("view_reports")
def export_no_shows(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The no-shows of the period's events (one portal), built by a job from HubSpot's breakdown."""
    scope = selectors.report_scope(user=request.user, query=request.GET)
    form, portals, filters, period = scope.form, scope.portals, scope.filters, scope.period
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(f"{reverse('reports:index')}?{request.GET.urlencode()}")
    if len(portals) != 1:
        messages.error(request, _("Choose one portal to export its no-shows."))
        return redirect(f"{reverse('reports:index')}?{request.GET.urlencode()}")
    events = selectors.in_period(selectors.scoped_events(portals=portals, filters=filters), period).filter(
        no_shows__gt=0
    )
    object_id = request.POST.get("event")
    if object_id:
        events = events.filter(object_id=object_id)
    chosen = list(events.values_list("object_id", "no_shows")[:5000])
    if not chosen:
        messages.info(request, _("No event in this selection has no-shows."))
        return redirect(f"{reverse('reports:index')}?{request.GET.urlencode()}")
    ids = [object_id for object_id, _count in chosen]
    job = job_start(kind="reports.no_shows", portal=portals[0], user=request.user, params={"object_ids": ids})
    messages.info(
        request, _no_shows_started(len(ids), least_seconds(breakdown_calls(n for _id, n in chosen)))
    )
    return redirect("jobs:detail", pk=job.pk)


def _no_shows_started(events: int, seconds: float) -> str:
    """What the person is told when the export starts: how many events, and how long it takes at the least
    when HubSpot's rate limit, not hsadmin, sets the pace (each event is at least one call)."""
    text = ngettext(
        "Building the no-shows list of %(n)s event; download it from this page when it is ready.",
        "Building the no-shows list of %(n)s events; download it from this page when it is ready.",
        events,
    ) % {"n": events}
    if seconds < 1:
        return text
    return f"{text} " + _(
        "HubSpot answers %(calls)s calls per %(interval)s seconds and each event needs at least one, "
        "so this takes about %(duration)s."
    ) % {
        "calls": settings.HUBSPOT_RATE_LIMIT_MAX,
        "interval": f"{settings.HUBSPOT_RATE_LIMIT_INTERVAL_SECONDS:g}",
        "duration": format_duration(seconds),
    }
