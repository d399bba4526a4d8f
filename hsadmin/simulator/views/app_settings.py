"""The app's settings (operations 35-36): with the developer API key (``?hapikey=``) on v3 and 2026-09, with an
OAuth bearer token holding ``developers-read`` / ``developers-write`` on 2026-03 (each version's own sources).

``eventDetailsUrl`` must contain ``%s`` and be https (or http to a loopback address); otherwise 400
``VALIDATION_ERROR``. A key that does not own ``appId`` gets 403 (our decision). An app with no URL set answers
``eventDetailsUrl: ""``.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from hsadmin.simulator.callback import url_allowed
from hsadmin.simulator.errors import ApiError, validation
from hsadmin.simulator.models import App
from hsadmin.simulator.views.common import json_object, ok


def _own(app: App, app_id: str) -> App:
    if not app_id.isdigit() or int(app_id) != app.app_id:
        raise ApiError(403, "FORBIDDEN", f"These credentials do not belong to app {app_id}.")
    return app


def get_settings(request: HttpRequest, app: App, app_id: str) -> HttpResponse:
    app = _own(app, app_id)
    return ok({"appId": app.app_id, "eventDetailsUrl": app.event_details_url})


def update_settings(request: HttpRequest, app: App, app_id: str) -> HttpResponse:
    app = _own(app, app_id)
    url = json_object(request).get("eventDetailsUrl")
    if not isinstance(url, str) or "%s" not in url:
        raise validation("eventDetailsUrl must contain %s.", {"eventDetailsUrl": ["must contain %s"]})
    if not url_allowed(url.replace("%s", "x")):
        raise validation(
            "eventDetailsUrl must be an https URL (http is accepted only for loopback addresses).",
            {"eventDetailsUrl": ["must be https"]},
        )
    app.event_details_url = url
    app.save(update_fields=["event_details_url"])
    return ok({"appId": app.app_id, "eventDetailsUrl": url})
