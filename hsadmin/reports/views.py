from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from hsadmin.core.exports import csv_response
from hsadmin.core.models import User
from hsadmin.jobs.services import job_start
from hsadmin.portals.models import Portal
from hsadmin.portals.permissions import capability_required
from hsadmin.portals.selectors import can, current_portal, portal_list
from hsadmin.reports import selectors
from hsadmin.reports.forms import ReportFilterForm
from hsadmin.reports.periods import PERIODS, Period, period_for

ALL = "all"
DEFAULT_PERIOD = "last_12_months"


def _report_portals(user: User) -> list[Portal]:
    return [p for p in portal_list(user=user) if can(user=user, portal=p, capability="view_reports")]


def _scope(request: HttpRequest) -> tuple[ReportFilterForm, list[Portal], dict[str, Any], Period]:
    """The form, the portals in scope, the filters and the period, all read from the URL."""
    user: User = request.user  # type: ignore[assignment]
    portals = _report_portals(user)
    choices = [(str(p.hub_id), p.name) for p in portals]
    if len(portals) > 1:
        choices.insert(0, (ALL, _("All my portals")))
    current = current_portal(user=user)
    default_portal = (
        str(current.hub_id) if current and current in portals else (choices[0][0] if choices else "")
    )
    # The form shows the portal and period the report uses, also when the URL names neither: otherwise its
    # selects would show their first choice, and pressing Show would silently change the report.
    data = request.GET.copy()
    for name, default in (("portal", default_portal), ("period", DEFAULT_PERIOD)):
        if not data.get(name):
            data[name] = default
    form = ReportFilterForm(data, portals=choices)
    filters = form.cleaned_data if form.is_valid() else {}
    chosen = filters.get("portal") or default_portal
    scope = portals if chosen == ALL else [p for p in portals if str(p.hub_id) == chosen]
    period = period_for(
        filters.get("period") or DEFAULT_PERIOD, since=filters.get("since"), until=filters.get("until")
    )
    return form, scope, {**filters, "portal": chosen}, period


@require_safe
@capability_required("view_reports")
def report(request: HttpRequest) -> HttpResponse:
    form, portals, filters, period = _scope(request)
    if not portals:
        return render(request, "reports/no_portal.html")
    events = selectors.scoped_events(portals=portals, filters=filters)
    sort = filters.get("sort") or "-starts"
    table = Paginator(selectors.event_table(events=events, period=period, sort=sort), 25).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    context = {
        "form": form,
        "portals": portals,
        "filters": filters,
        "period": period,
        "period_label": PERIODS.get(filters.get("period") or DEFAULT_PERIOD),
        "figures": selectors.headline(events=events, period=period),
        "table": table,
        "sort": sort,
        "query": query.urlencode(),
        "sort_query": sort_query.urlencode(),
        "single_portal": portals[0] if len(portals) == 1 else None,
    }
    if request.htmx and request.htmx.target == "report-table":
        return render(request, "reports/report.html#report-table", context, status=_status(form))
    months = selectors.monthly(events=events, period=period)
    types = selectors.by_type(events=events, period=period)
    side_by_side = selectors.by_portal(events=events, period=period) if len(portals) > 1 else []
    context |= {
        "months": months,
        "types": types,
        "side_by_side": side_by_side,
        "best": selectors.ranking(events=events, period=period, best=True),
        "worst": selectors.ranking(events=events, period=period, best=False),
        "chart_data": _chart_data(context["figures"], months, types, side_by_side),
    }
    return render(request, "reports/report.html", context, status=_status(form))


def _status(form: ReportFilterForm) -> int:
    return 200 if form.is_valid() else 422


def _form_errors(form: ReportFilterForm) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _chart_data(
    figures: dict[str, selectors.Figure], months: list[dict], types: list[dict], portals: list[dict]
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


EXPORTS = ("events", "months", "types", "portals", "headline")


@require_safe
@capability_required("view_reports")
def export(request: HttpRequest, table: str) -> HttpResponse:
    """Each table of the report as a CSV, streamed."""
    if table not in EXPORTS:
        raise PermissionDenied
    form, portals, filters, period = _scope(request)
    if not portals:
        raise PermissionDenied
    if not form.is_valid():  # the report page shows the same message beside its field
        return HttpResponse(_form_errors(form), status=422, content_type="text/plain; charset=utf-8")
    events = selectors.scoped_events(portals=portals, filters=filters)
    stamp = f"{period.start:%Y-%m-%d}_{period.last_day:%Y-%m-%d}"
    if table == "events":
        rows = (
            (
                e.portal.name,
                e.name,
                e.object_id,
                e.event_type,
                e.starts_at.isoformat() if e.starts_at else "",
                e.registrants,
                e.attendees,
                e.no_shows,
                e.cancellations,
                round(e.rate * 100, 1),
            )
            for e in selectors.event_table(
                events=events, period=period, sort=filters.get("sort") or "-starts"
            ).iterator(chunk_size=500)
        )
        header = [
            "portal",
            "event",
            "object_id",
            "type",
            "starts",
            "registrants",
            "attendees",
            "no_shows",
            "cancellations",
            "attendance_rate_pct",
        ]
    elif table == "months":
        rows = (
            (
                m["month"].isoformat(),
                m["events"],
                m["registrants"],
                m["attendees"],
                m["no_shows"],
                m["cancellations"],
            )
            for m in selectors.monthly(events=events, period=period)
        )
        header = ["month", "events", "registrants", "attendees", "no_shows", "cancellations"]
    elif table == "types":
        rows = (
            (
                t["event_type"],
                t["events"],
                t["registrants"],
                t["attendees"],
                t["no_shows"],
                t["cancellations"],
            )
            for t in selectors.by_type(events=events, period=period)
        )
        header = ["type", "events", "registrants", "attendees", "no_shows", "cancellations"]
    elif table == "portals":
        rows = (
            (
                p["portal__name"],
                p["portal__hub_id"],
                p["events"],
                p["registrants"],
                p["attendees"],
                p["no_shows"],
                p["cancellations"],
            )
            for p in selectors.by_portal(events=events, period=period)
        )
        header = ["portal", "hub_id", "events", "registrants", "attendees", "no_shows", "cancellations"]
    else:
        figures = selectors.headline(events=events, period=period)
        rows = (
            (key, f.value, f.previous, f.change if f.change is not None else "") for key, f in figures.items()
        )
        header = ["figure", "this_period", "previous_period", "change"]
    return csv_response(f"hsadmin-{table}-{stamp}.csv", header, rows)


@require_POST
@capability_required("view_reports")
def export_no_shows(request: HttpRequest) -> HttpResponse:
    """The no-shows of the period's events (one portal), built by a job from HubSpot's breakdown."""
    form, portals, filters, period = _scope(request)
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
    ids = list(events.values_list("object_id", flat=True)[:5000])
    if not ids:
        messages.info(request, _("No event in this selection has no-shows."))
        return redirect(f"{reverse('reports:index')}?{request.GET.urlencode()}")
    job = job_start(kind="reports.no_shows", portal=portals[0], user=request.user, params={"object_ids": ids})  # type: ignore[arg-type]
    messages.info(request, _("Building the no-shows list; download it from this page when it is ready."))
    return redirect("jobs:detail", pk=job.pk)
