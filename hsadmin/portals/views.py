from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hsadmin.core.htmx import failure_returns_to
from hsadmin.core.http import AuthenticatedHttpRequest
from hsadmin.core.ratelimit import rate_limit_state
from hsadmin.core.roles import Role
from hsadmin.portals import selectors, services
from hsadmin.portals.forms import DisconnectForm, GrantAccessForm, PeopleFilterForm, SwitchPortalForm
from hsadmin.portals.hubspot import portal_key
from hsadmin.portals.models import REQUIRED_SCOPES, Portal
from hsadmin.portals.permissions import capability_required, portal_required


@require_safe
@capability_required("manage_portals")
def portal_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    portals = selectors.admin_portal_list(user=request.user)
    return render(request, "portals/list.html", {"portals": portals, "required_scopes": REQUIRED_SCOPES})


@require_safe
@capability_required("manage_portals")
def connect(request: AuthenticatedHttpRequest) -> HttpResponse:
    return HttpResponseRedirect(services.connect_start(request=request))


@require_safe
@capability_required("manage_portals")
def callback(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        result = services.connect_finish(request=request, params=request.GET.dict())
    except services.ConnectError as error:
        return render(request, "portals/connect_failed.html", {"error": error}, status=400)
    if result.created:
        messages.success(
            request,
            _("%(portal)s is connected. Its first sync has started: its events come in below.")
            % {"portal": result.portal.name},
        )
    else:
        messages.success(request, _("%(portal)s is reconnected.") % {"portal": result.portal.name})
    return redirect("portals:detail", hub_id=result.portal.hub_id)


@require_safe
@portal_required("manage_portals")
def portal_detail(request: AuthenticatedHttpRequest, portal: Portal) -> HttpResponse:
    context = {
        "portal": portal,
        "required_scopes": [(scope, scope in (portal.scopes or [])) for scope in REQUIRED_SCOPES],
        "extra_scopes": [s for s in portal.scopes or [] if s not in REQUIRED_SCOPES],
        "rate": rate_limit_state(portal_key(portal)),
        "recent_errors": portal.audit_entries.exclude(outcome="success")[:10],
        "members": portal.memberships.select_related("user").order_by("user__username"),
        "api_version": settings.HUBSPOT_API_VERSION,
        "api_notices": selectors.api_version_notices(settings.HUBSPOT_API_VERSION),
        # The events the portal brought: the latest sync, how many are in the mirror, and a way to see them.
        "sync_job": portal.jobs.filter(kind="events.sync").order_by("-created_at", "-id").first(),
        "event_count": portal.events.count(),
        "recent_events": portal.events.filter(is_draft=False).order_by("-synced_at", "-id")[:5],
        "can_view_events": selectors.can(user=request.user, portal=portal, capability="view_events"),
    }
    return render(request, "portals/detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@portal_required("manage_portals")
def disconnect(request: AuthenticatedHttpRequest, portal: Portal) -> HttpResponse:
    form = DisconnectForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        name = portal.name
        warning = services.portal_disconnect(
            portal=portal,
            user=request.user,
            purge=form.cleaned_data["purge"],
            request=request,
        )
        if warning:
            messages.warning(request, warning)
        messages.success(request, _("%(portal)s is disconnected.") % {"portal": name})
        return redirect("portals:list")
    return render(request, "portals/disconnect.html", {"portal": portal, "form": form})


@require_POST
def switch(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SwitchPortalForm(request.POST, portals=selectors.portal_list(user=request.user))
    if form.is_valid():
        services.current_portal_set(user=request.user, portal=form.cleaned_data["portal"])
    else:
        messages.error(request, _("That portal is not one of yours."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    return redirect(back)


@require_http_methods(["GET", "HEAD", "POST"])
@capability_required("manage_access")
def people(request: AuthenticatedHttpRequest) -> HttpResponse:
    portals = selectors.admin_portal_list(user=request.user)
    grant = GrantAccessForm(
        request.POST if request.method == "POST" else None, portals=portals, prefix="grant"
    )
    if request.method == "POST" and grant.is_valid():
        services.membership_grant(
            portal=grant.cleaned_data["portal"],
            user=grant.cleaned_data["user"],
            role=Role(grant.cleaned_data["role"]),
            by=request.user,
        )
        messages.success(
            request,
            _("%(person)s now has access to %(portal)s as %(role)s.")
            % {
                "person": grant.cleaned_data["user"],
                "portal": grant.cleaned_data["portal"].name,
                "role": Role(grant.cleaned_data["role"]).label,
            },
        )
        return redirect(request.get_full_path())
    search = PeopleFilterForm(request.GET)
    memberships = selectors.membership_list(
        user=request.user,
        filters=search.cleaned_data if search.is_valid() else {},
    )
    page = Paginator(memberships, 50).get_page(request.GET.get("page"))
    status = 422 if grant.errors else 200
    context = {"grant": grant, "search": search, "page": page, "portals": portals}
    return render(request, "portals/people.html", context, status=status)


@require_POST
@failure_returns_to("portals:people", using=())
@capability_required("manage_access")
def membership_revoke(request: AuthenticatedHttpRequest, membership_id: int) -> HttpResponse:
    membership = selectors.membership_get(user=request.user, pk=membership_id)
    services.membership_revoke(membership=membership, by=request.user)
    messages.success(
        request,
        _("%(person)s no longer has access to %(portal)s.")
        % {"person": membership.user, "portal": membership.portal.name},
    )
    return redirect("portals:people")
