"""The app's settings: read and change eventDetailsUrl in HubSpot, and test a URL the way HubSpot calls it."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hsadmin.appsettings.fetch import FetchRefused, guarded_get
from hsadmin.appsettings.urlcheck import details_url, event_details_url_problem
from hsadmin.core.audit import audit_record
from hsadmin.core.exceptions import ActionFailed
from hsadmin.core.models import Outcome, UsedSignature, User
from hsadmin.hubspot.gateway import open_app
from hsadmin.hubspot.messages import not_configured_message
from hsadmin.hubspot_client.signatures import MAX_AGE_MS, sign_v3
from hsadmin.hubspot_client.times import parse_iso
from hsadmin.portals.hubspot import app_configured


def app_settings_read() -> str:
    """The app's current eventDetailsUrl, read from HubSpot (one call; "" when none is set)."""
    return open_app().call(lambda client: client.get_event_settings().event_details_url)


def app_settings_update(*, user: User, event_details_url: str) -> str:
    """Change the app's eventDetailsUrl in HubSpot (audited). Returns the URL HubSpot kept."""
    problem = event_details_url_problem(event_details_url)
    if problem:
        raise ActionFailed(problem)
    if not app_configured():
        raise ActionFailed(not_configured_message())
    hubspot = open_app(
        user=user,
        action="appsettings.update",
        target=_("app %(id)s") % {"id": settings.HUBSPOT_APP_ID},
        url=event_details_url,
    )
    saved = hubspot.call(lambda client: client.update_event_settings(event_details_url), audit_success=False)
    hubspot.audit(detail={"url": saved.event_details_url})
    return saved.event_details_url


# The tester ----------------------------------------------------------------------------------------------

REQUIRED_FIELDS = ("eventName", "eventOrganizer")
STRING_FIELDS = ("eventName", "eventOrganizer", "eventType", "eventDescription", "eventUrl")
TIME_FIELDS = ("startDateTime", "endDateTime")
BOOLEAN_FIELDS = ("eventCancelled", "eventCompleted")


@dataclass(frozen=True)
class Check:
    ok: bool
    text: str


@dataclass
class TestResult:
    url: str
    status: int | None = None
    elapsed_ms: int | None = None
    checks: list[Check] = field(default_factory=list)
    refused: str = ""
    excerpt: str = ""

    @property
    def ok(self) -> bool:
        return not self.refused and bool(self.checks) and all(c.ok for c in self.checks)


def check_answer(data: Any) -> list[Check]:
    """Does an event-details answer have what HubSpot needs to create the event, with the right types?"""
    if not isinstance(data, dict):
        return [Check(False, _("The answer is not a JSON object."))]
    checks = [Check(True, _("The answer is a JSON object."))]
    for name in REQUIRED_FIELDS:
        value = data.get(name)
        ok = isinstance(value, str) and bool(value.strip())
        checks.append(
            Check(ok, _("%(f)s is a non-empty string (required).") % {"f": name})
            if ok
            else Check(
                False, _("%(f)s is missing or not a non-empty string; HubSpot requires it.") % {"f": name}
            )
        )
    for name in STRING_FIELDS[2:]:
        if name in data and data[name] is not None:
            ok = isinstance(data[name], str)
            checks.append(
                Check(ok, (_("%(f)s is a string.") if ok else _("%(f)s must be a string.")) % {"f": name})
            )
    for name in TIME_FIELDS:
        if name in data and data[name] is not None:
            ok = isinstance(data[name], str)
            if ok:
                try:
                    parse_iso(data[name])
                except ValueError:
                    ok = False
            checks.append(
                Check(
                    ok,
                    (
                        _("%(f)s is an ISO-8601 date-time.")
                        if ok
                        else _("%(f)s must be an ISO-8601 date-time string.")
                    )
                    % {"f": name},
                )
            )
    for name in BOOLEAN_FIELDS:
        if name in data and data[name] is not None:
            ok = isinstance(data[name], bool)
            checks.append(
                Check(
                    ok,
                    (_("%(f)s is true or false.") if ok else _("%(f)s must be true or false.")) % {"f": name},
                )
            )
    if "customProperties" in data and data["customProperties"] is not None:
        props = data["customProperties"]
        ok = isinstance(props, list) and all(
            isinstance(p, dict) and isinstance(p.get("name"), str) for p in props
        )
        checks.append(
            Check(
                ok,
                _("customProperties is a list of {name, value}.")
                if ok
                else _("customProperties must be a list of {name, value} objects."),
            )
        )
    return checks


def signed_headers(url: str) -> dict[str, str]:
    """The headers HubSpot sends: a v3 signature over GET + the URL + an empty body + the timestamp."""
    headers = {"Accept": "application/json"}
    secret = settings.HUBSPOT_CLIENT_SECRET
    if secret:
        timestamp = str(int(time.time() * 1000))
        headers["X-HubSpot-Signature-v3"] = sign_v3(secret, "GET", url, "", timestamp)
        headers["X-HubSpot-Request-Timestamp"] = timestamp
    return headers


def details_url_test(
    *, user: User, url_template: str, external_event_id: str, own_port: int | None = None
) -> TestResult:
    """Call the URL for a sample external event ID as HubSpot would, and check the answer.

    Only for people who may change the app's settings (the view checks): the call is signed with the client
    secret, so it tests only a URL this person could save as the eventDetailsUrl (same checks as saving)."""
    url = details_url(
        url_template,
        external_event_id=external_event_id,
        app_id=settings.HUBSPOT_APP_ID or 0,
        external_account_id=settings.HUBSPOT_EXTERNAL_ACCOUNT_ID,
    )
    result = TestResult(url=url)
    problem = event_details_url_problem(url_template)
    if problem:
        result.refused = problem
        return result
    try:
        fetched = guarded_get(url, headers=signed_headers(url), own_port=own_port)
    except FetchRefused as refusal:
        result.refused = refusal.message
        audit_record(
            action="appsettings.test_url",
            actor=user,
            target=url_template,
            outcome=Outcome.DENIED,
            detail={"reason": refusal.message},
        )
        return result
    result.status, result.elapsed_ms = fetched.status, fetched.elapsed_ms
    result.excerpt = fetched.body[:2000].decode("utf-8", "replace")
    if fetched.status != 200:
        result.checks.append(
            Check(False, _("The URL answered %(status)s; HubSpot needs 200.") % {"status": fetched.status})
        )
    else:
        result.checks.append(Check(True, _("The URL answered 200.")))
        try:
            data = json.loads(fetched.body)
        except ValueError:
            result.checks.append(Check(False, _("The answer is not JSON.")))
        else:
            result.checks.extend(check_answer(data))
    audit_record(
        action="appsettings.test_url",
        actor=user,
        target=url_template,
        outcome=Outcome.SUCCESS if result.ok else Outcome.FAILURE,
        detail={"status": fetched.status, "address": fetched.address},
    )
    return result


def signature_first_use(signature: str) -> bool:
    """True the first time a (verified) signature is seen. It is remembered in the database for as long as its
    timestamp is accepted (5 minutes, plus the same again for clocks that differ), so a captured call cannot be
    replayed within its window, whichever process or machine it reaches (the primary key makes it atomic)."""
    now = timezone.now()
    UsedSignature.objects.filter(used_at__lt=now - timedelta(milliseconds=2 * MAX_AGE_MS)).delete()
    try:
        with transaction.atomic():
            UsedSignature.objects.create(digest=hashlib.sha256(signature.encode()).hexdigest(), used_at=now)
    except IntegrityError:
        return False
    return True
