"""The simulator's URLs: HubSpot's Marketing Events API under ``/marketing/v3/marketing-events/`` and the
date-versioned prefixes, OAuth, the CRM subset, and the control API under ``/_simulator/``.

Literal segments win over parameters (reference §2.11): every literal route is listed before the
``{objectId}``-style routes it could collide with, and Django tries routes in order.
"""

from __future__ import annotations

from django.urls import include, path

from hsadmin.simulator.auth import CONTACTS_READ, DEVELOPERS_READ, DEVELOPERS_WRITE, LISTS_READ, READ, WRITE
from hsadmin.simulator.views import (
    app_settings,
    associations,
    attendance,
    batch,
    control,
    events,
    participations,
)
from hsadmin.simulator.views import crm as crm_views
from hsadmin.simulator.views import oauth as oauth_views
from hsadmin.simulator.views.common import Op, endpoint
from hsadmin.simulator.views.errors import bad_request_view, not_found_view, server_error_view

VERSIONED_PREFIXES = (
    "marketing/v3/marketing-events/",
    "marketing/marketing-events/2026-03/",
    "marketing/marketing-events/2026-09/",
)

list_all = endpoint(GET=Op(events.list_all, READ))

E = "<str:external_event_id>"
S = "<str:state>"
EA = "<str:external_account_id>"
ME = "<str:marketing_event_id>"
LIST = "<str:list_id>"

marketing_events = [
    path("", list_all),
    path("events", endpoint(POST=Op(events.create, WRITE))),
    path("events/search", endpoint(GET=Op(events.search, READ))),
    path("events/upsert", endpoint(POST=Op(batch.upsert, WRITE))),
    path("events/delete", endpoint(POST=Op(batch.delete_by_external, WRITE))),
    path(
        f"events/{E}",
        endpoint(
            GET=Op(events.get_details, READ),
            PUT=Op(events.upsert, WRITE),
            PATCH=Op(events.update, WRITE),
            DELETE=Op(events.archive, WRITE),
        ),
    ),
    path(f"events/{E}/cancel", endpoint(POST=Op(events.cancel, WRITE))),
    path(f"events/{E}/complete", endpoint(POST=Op(events.complete, WRITE))),
    path(f"events/{E}/{S}/upsert", endpoint(POST=Op(attendance.legacy_upsert, WRITE))),
    path(f"events/{E}/{S}/email-upsert", endpoint(POST=Op(attendance.legacy_email_upsert, WRITE))),
    path("batch/archive", endpoint(POST=Op(batch.archive_by_object_id, WRITE))),
    path("batch/update", endpoint(POST=Op(batch.update_by_object_id, WRITE))),
    path(f"attendance/{E}/{S}/create", endpoint(POST=Op(attendance.record_by_contact_ids, WRITE))),
    path(f"attendance/{E}/{S}/email-create", endpoint(POST=Op(attendance.record_by_contact_emails, WRITE))),
    path(
        "participations/contacts/<str:contact_identifier>/breakdown",
        endpoint(GET=Op(participations.breakdown_by_contact, READ)),
    ),
    path(f"participations/{ME}/breakdown", endpoint(GET=Op(participations.breakdown_by_id, READ))),
    path(f"participations/{EA}/{E}/breakdown", endpoint(GET=Op(participations.breakdown_by_external, READ))),
    path(f"participations/{EA}/{E}", endpoint(GET=Op(participations.counters_by_external, READ))),
    path(f"participations/{ME}", endpoint(GET=Op(participations.counters_by_id, READ))),
    # HubSpot's quirk: the GET list-association endpoints take the write scope.
    path(f"associations/{ME}/lists", endpoint(GET=Op(associations.lists_by_id, WRITE))),
    path(
        f"associations/{ME}/lists/{LIST}",
        endpoint(
            PUT=Op(associations.associate_by_id, WRITE), DELETE=Op(associations.disassociate_by_id, WRITE)
        ),
    ),
    path(f"associations/{EA}/{E}/lists", endpoint(GET=Op(associations.lists_by_external, WRITE))),
    path(
        f"associations/{EA}/{E}/lists/{LIST}",
        endpoint(
            PUT=Op(associations.associate_by_external, WRITE),
            DELETE=Op(associations.disassociate_by_external, WRITE),
        ),
    ),
    path(
        "<str:app_id>/settings",
        endpoint(
            GET=Op(app_settings.get_settings, DEVELOPERS_READ, auth="settings"),
            POST=Op(app_settings.update_settings, DEVELOPERS_WRITE, auth="settings"),
        ),
    ),
    path(f"{E}/identifiers", endpoint(GET=Op(events.identifiers, READ))),
    path(f"<str:object_id>/attendance/{S}/create", endpoint(POST=Op(attendance.record_by_object_id, WRITE))),
    path(
        f"<str:object_id>/attendance/{S}/email-create",
        endpoint(POST=Op(attendance.record_by_object_id_emails, WRITE)),
    ),
    path(
        "<str:object_id>",
        endpoint(
            GET=Op(events.get_by_object_id, READ),
            PATCH=Op(events.patch_by_object_id, WRITE),
            DELETE=Op(events.delete_by_object_id, WRITE),
        ),
    ),
]

crm = [
    path("crm/v3/lists/search", endpoint(POST=Op(crm_views.lists_search, LISTS_READ))),
    path("crm/v3/lists/<str:list_id>", endpoint(GET=Op(crm_views.list_read, LISTS_READ))),
    path("crm/v3/objects/contacts/search", endpoint(POST=Op(crm_views.contact_search, CONTACTS_READ))),
    path(
        "crm/v3/objects/contacts/batch/read", endpoint(POST=Op(crm_views.contact_batch_read, CONTACTS_READ))
    ),
    path("crm/v3/objects/contacts/<str:contact_id>", endpoint(GET=Op(crm_views.contact_read, CONTACTS_READ))),
]

oauth = [
    path("oauth/authorize", oauth_views.authorize),
    path("oauth/<int:hub_id>/authorize", oauth_views.authorize),
    path("oauth/v1/token", oauth_views.token),
    path("oauth/v3/token", oauth_views.token),
    path("oauth/2026-03/token", oauth_views.token),
    path("oauth/2026-09/token", oauth_views.token),
    path("oauth/v1/access-tokens/<str:token_value>", oauth_views.access_token_info),
    path("oauth/v1/refresh-tokens/<str:token_value>", oauth_views.refresh_token_info),
    path("oauth/v3/token/introspect", oauth_views.introspect),
    path("oauth/2026-03/token/introspect", oauth_views.introspect),
    path("oauth/2026-09/token/introspect", oauth_views.introspect),
    path("oauth/v3/token/revoke", oauth_views.revoke),
    path("oauth/2026-03/token/revoke", oauth_views.revoke),
    path("oauth/2026-09/token/revoke", oauth_views.revoke),
]

control_api = [
    path("health", control.health),
    path("openapi.json", control.openapi),
    path("info", control.info),
    path("reset", control.reset),
    path("seed", control.seed),
    path("tokens", control.issue_token),
    path("faults", control.fault_settings),
    path("rate-limit", control.rate_limit),
    path("clock", control.clock_view),
    path("stats", control.stats_view),
    path("stats/reset", control.stats_reset),
    path("state/participations", control.participations),
    path("state/events", control.events),
    path("state/contacts", control.contacts),
]

urlpatterns = [
    path("_simulator/", include(control_api)),
    *oauth,
    *crm,
    path("marketing/v3/marketing-events", list_all),
    path("marketing/marketing-events/v3", list_all),
    *[path(prefix.rstrip("/"), list_all) for prefix in VERSIONED_PREFIXES[1:]],
    *[path(prefix, include(marketing_events)) for prefix in VERSIONED_PREFIXES],
]

handler400 = bad_request_view
handler404 = not_found_view
handler500 = server_error_view
