"""The Jobs pages: the list, a job's page, the progress partial the pages poll, cancel/retry and downloads."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import trigger_client_event

from hsadmin.core.exports import safe_cell
from hsadmin.core.htmx import render_page_or_fragment
from hsadmin.core.http import AuthenticatedHttpRequest
from hsadmin.core.models import JobItem
from hsadmin.jobs import selectors, services
from hsadmin.jobs.forms import JobFilterForm, JobItemFilterForm

# Sent with the last progress answer of a job, so a page can refresh what depends on the job's outcome.
JOB_ENDED_EVENT = "hsadmin:job-ended"


def _query_without_page(request: AuthenticatedHttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_safe
def job_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = JobFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    jobs = selectors.job_list(user=request.user, filters=filters)
    page = Paginator(jobs, 25).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": _query_without_page(request),
        "any_active": any(job.is_active for job in page.object_list),
        "filtered": bool(filters.get("state") or filters.get("kind")),
    }
    return render_page_or_fragment(request, "core/jobs/list.html", "jobs-table", context)


@require_safe
def job_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_get(user=request.user, pk=pk)
    form = JobItemFilterForm(request.GET)
    outcome = form.cleaned_data["outcome"] if form.is_valid() else ""
    items = Paginator(selectors.job_item_list(job=job, outcome=outcome), 50).get_page(request.GET.get("page"))
    context = {
        "job": job,
        "form": form,
        "items": items,
        "query": _query_without_page(request),
        "may_manage": services.job_may_manage(user=request.user, job=job),
    }
    return render_page_or_fragment(request, "core/jobs/detail.html", "job-body", context)


@never_cache
@require_safe
def job_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """What the progress bar polls: the job's row, nothing else (one query beyond the session and user).

    Rendered without the request's context processors (the navigation would cost queries the poll must not
    spend); the partial needs nothing but the job.
    """
    job = selectors.job_progress_get(user=request.user, pk=pk)
    if not request.htmx:
        return redirect("jobs:detail", pk=job.pk)
    response = HttpResponse(render_to_string("core/jobs/detail.html#progress", {"job": job}))
    if job.is_ended:
        trigger_client_event(response, JOB_ENDED_EVENT, {"job": job.pk, "state": job.state})
    return response


@require_POST
def job_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_get(user=request.user, pk=pk)
    try:
        job = services.job_cancel(job=job, user=request.user)
    except services.JobError as error:
        messages.warning(request, str(error))
    else:
        if job.is_ended:
            messages.success(request, _("The job is cancelled."))
        else:
            messages.success(request, _("The job will stop after the chunk it is working on."))
    return redirect("jobs:detail", pk=job.pk)


@require_POST
def job_retry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_get(user=request.user, pk=pk)
    try:
        services.job_retry(job=job, user=request.user)
    except services.JobError as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, _("The job is queued again; it carries on from where it stopped."))
    return redirect("jobs:detail", pk=job.pk)


@require_safe
def job_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    job = selectors.job_get(user=request.user, pk=pk)
    if not job.file:
        raise Http404("This job has no file")
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404("The job's file is gone") from None
    return FileResponse(
        handle, as_attachment=True, filename=job.file_name or (job.file.name or "").rsplit("/", 1)[-1]
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _pairs(data: Any) -> list[tuple[str, Any]]:
    """An item's kept data in its original order: [name, value] pairs (a dict from older rows works too)."""
    if isinstance(data, dict):
        return list(data.items())
    return [(str(pair[0]), pair[1]) for pair in data or [] if isinstance(pair, list) and len(pair) == 2]


def _columns(items: QuerySet[JobItem]) -> list[str]:
    """Every name the items' kept data use, in order of first appearance: a first pass that holds the names
    only (items of one job may differ in shape, e.g. a report's hosts and its attendees)."""
    seen: dict[str, None] = {}
    for data in items.values_list("data", flat=True).iterator(chunk_size=2000):
        for name, _value in _pairs(data):
            seen.setdefault(name, None)
    return list(seen)


def _item_rows(items: QuerySet[JobItem], message_column: str) -> Iterator[str]:
    """Items as CSV rows, streamed in two passes over the database (the columns, then the rows)."""
    columns = _columns(items)
    writer = csv.writer(_Echo())
    # The header row too: for an import, its names are the uploaded file's own.
    yield writer.writerow(
        [safe_cell(c) for c in columns] + [message_column] if columns else [_("item"), message_column]
    )
    for ref, message, kept in items.values_list("ref", "message", "data").iterator(chunk_size=2000):
        data = dict(_pairs(kept))
        if columns:
            yield writer.writerow([safe_cell(data.get(c, "")) for c in columns] + [safe_cell(message)])
        else:
            yield writer.writerow([safe_cell(ref), safe_cell(message)])


def _items_csv(items: QuerySet[JobItem], message_column: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _item_rows(items, message_column), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def job_failed_csv(request: AuthenticatedHttpRequest, pk: int) -> StreamingHttpResponse:
    """The failed items as CSV, streamed: for an import, the original rows plus why each failed, ready to fix."""
    job = selectors.job_get(user=request.user, pk=pk)
    if not job.failed:
        raise Http404("No failed items")
    return _items_csv(selectors.job_failed_items(job=job), _("error"), f"job-{job.pk}-failed.csv")


@require_safe
def job_left_out_csv(request: AuthenticatedHttpRequest, pk: int) -> StreamingHttpResponse:
    """The items left out on purpose as CSV (a webinar's hosts, repeated rows), each with why."""
    job = selectors.job_get(user=request.user, pk=pk)
    if not job.skipped:
        raise Http404("No items left out")
    return _items_csv(selectors.job_left_out_items(job=job), _("why left out"), f"job-{job.pk}-left-out.csv")
