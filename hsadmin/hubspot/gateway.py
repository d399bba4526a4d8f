"""The gateway: the only door from Django services to the HubSpot client (design §1).

A service opens it for a portal or an event, as a person, for an action, and calls one method:

    remote = open_event(event, user=user, action="event.cancel").cancel()

The gateway decides, once for every service:

- the time budget: a web request (a person waits) gets about 5 seconds and three attempts (design rule 7);
  a job gets the client's patient defaults and the bulk priority, so people go first;
- the endpoint family for an event: external IDs only for events hsadmin's own app created (HubSpot answers
  404 to any other app there), the objectId for every other event;
- the audit entry of every write: who, portal, action, target, outcome and HubSpot's correlationId;
- the one application error: in a web request a client error or a disconnected portal becomes `ActionFailed`,
  with the person's message and HubSpot's correlationId. A job keeps the typed client errors: they decide
  whether it retries a row, records it as refused, or pauses for a reconnect.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any, Protocol, TypeVar

import httpx

from hsadmin.core.audit import audit_failure, audit_record
from hsadmin.core.exceptions import ActionFailed
from hsadmin.core.models import Outcome, User
from hsadmin.hubspot.messages import describe
from hsadmin.hubspot_client import (
    AttendanceCounters,
    BatchOutcome,
    Contact,
    EmailSubscriber,
    EventUpdate,
    HubSpotClient,
    HubSpotError,
    HubSpotList,
    ListSearchPage,
    MarketingEvent,
    NotFoundError,
    Page,
    Participation,
    ParticipationState,
    Priority,
    RetryPolicy,
    Subscriber,
    SubscriberResult,
    SubscriberState,
)
from hsadmin.portals.hubspot import AppNotConfigured, PortalNotConnected, app_client, hubspot_client_for
from hsadmin.portals.models import Portal

T = TypeVar("T")


class Budget(enum.Enum):
    """How long a caller can wait for HubSpot."""

    WEB = "web"  # a person waits for the page: one short call
    JOB = "job"  # a worker waits: patient retries, behind people in the rate limit


# Inside a web request: about 5 seconds in all, at most three attempts, no long wait for a rate-limit window.
WEB_RETRY = RetryPolicy(max_attempts=3, deadline=5.0, max_rate_limit_wait=2.0)
WEB_TIMEOUT = httpx.Timeout(5.0)

# The errors that mean "HubSpot could not do it": the gateway turns them into ActionFailed in a web request.
FAILURES = (HubSpotError, PortalNotConnected, AppNotConfigured)


def _with_budget(client: HubSpotClient, budget: Budget) -> HubSpotClient:
    if budget is Budget.JOB:
        return client.with_options(priority=Priority.BULK)
    return client.with_options(retry=WEB_RETRY, timeout=WEB_TIMEOUT)


class EventAddress(Protocol):
    """What the gateway needs of an event (the mirror's `Event`; the gateway sits below `events`)."""

    @property
    def portal(self) -> Portal: ...
    @property
    def name(self) -> str: ...
    @property
    def object_id(self) -> str: ...
    @property
    def external_account_id(self) -> str: ...
    @property
    def external_event_id(self) -> str: ...
    @property
    def owned_by_us(self) -> bool: ...


@dataclass(frozen=True)
class Purpose:
    """Who calls HubSpot and why: with an `action` every call is a write and leaves an audit entry."""

    user: User | None = None
    action: str = ""
    target: str = ""
    detail: dict[str, Any] | None = None


class Gateway:
    """HubSpot for one portal (or the app itself), as one person, for one action, within one budget."""

    def __init__(
        self,
        connect: Callable[[], HubSpotClient],
        *,
        portal: Portal | None,
        purpose: Purpose,
        budget: Budget,
    ) -> None:
        self._connect = connect
        self.portal = portal
        self.purpose = purpose
        self.budget = budget

    @cached_property
    def client(self) -> HubSpotClient:
        """The client within this gateway's budget. Jobs use it for portal-wide calls (list pages, batches);
        in a web request prefer `call()`, which turns failures into `ActionFailed`."""
        return _with_budget(self._connect(), self.budget)

    @property
    def writes(self) -> bool:
        return bool(self.purpose.action)

    def call(self, operation: Callable[[HubSpotClient], T], *, audit_success: bool = True) -> T:
        """Make one call. A write is audited either way (`audit_success=False` when the caller records the
        outcome itself, from what HubSpot answered); in a web request a failure becomes `ActionFailed`."""
        try:
            result = operation(self.client)
        except FAILURES as error:
            if self.writes:
                audit_failure(error=error, **self._entry())
            if self.budget is Budget.JOB:
                raise
            raise ActionFailed(
                describe(error, write=self.writes), correlation_id=getattr(error, "correlation_id", "") or ""
            ) from error
        if self.writes and audit_success:
            self.audit()
        return result

    def audit(
        self,
        *,
        outcome: str = Outcome.SUCCESS,
        correlation_id: str = "",
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Record this write's outcome (the gateway does it for every call; this is for outcomes that only
        HubSpot's answer tells, such as an item refused inside a 200)."""
        entry = self._entry()
        if detail:
            entry["detail"] = {**(entry["detail"] or {}), **detail}
        audit_record(outcome=outcome, correlation_id=correlation_id, **entry)

    def _entry(self) -> dict[str, Any]:
        return {
            "action": self.purpose.action,
            "actor": self.purpose.user,
            "portal": self.portal,
            "target": self.purpose.target,
            "detail": dict(self.purpose.detail or {}),
        }

    def event(self, event: EventAddress, *, purpose: Purpose | None = None) -> EventGateway:
        """The same client and budget, addressing one of the portal's events (a job's loop over events)."""
        return EventGateway(
            lambda: self.client, event=event, purpose=purpose or self.purpose, budget=self.budget
        )

    # Portal-wide reads a person waits for ------------------------------------------------------------------

    def contact_by_email(self, email: str, *, properties: Sequence[str] = ("email",)) -> Contact | None:
        """The contact with this email, or None when HubSpot has none. Finding it is not audited (a lookup); a
        failure is, as the failure of the write it serves."""

        def lookup(client: HubSpotClient) -> Contact | None:
            try:
                return client.get_contact(email, id_property="email", properties=list(properties))
            except NotFoundError:
                return None

        return self.call(lookup, audit_success=False)

    def search_lists(self, query: str, *, count: int, offset: int, object_type_id: str) -> ListSearchPage:
        return self.call(
            lambda c: c.search_lists(query or None, count=count, offset=offset, object_type_id=object_type_id)
        )

    def contact_history_page(self, contact: str, *, limit: int, after: str | None) -> Page[Participation]:
        return self.call(lambda c: c.contact_participations_page(contact, limit=limit, after=after))


class EventGateway(Gateway):
    """One event, addressed by the endpoint family it allows: its external IDs when hsadmin's app created it,
    else its objectId. Every method is one HubSpot call."""

    def __init__(
        self, connect: Callable[[], HubSpotClient], *, event: EventAddress, purpose: Purpose, budget: Budget
    ) -> None:
        super().__init__(connect, portal=event.portal, purpose=purpose, budget=budget)
        self.addressed = event

    @property
    def by_external_id(self) -> bool:
        return self.addressed.owned_by_us

    @property
    def family(self) -> str:
        """The endpoint family, as the audit log names it."""
        return "external" if self.by_external_id else "objectId"

    def _entry(self) -> dict[str, Any]:
        entry = super()._entry()
        entry["detail"].setdefault("by", self.family)  # which endpoint family the write went through
        return entry

    @property
    def _ids(self) -> tuple[str, str]:
        return self.addressed.external_account_id, self.addressed.external_event_id

    # The event itself --------------------------------------------------------------------------------------

    def get(self) -> MarketingEvent:
        """Read the event again (by objectId: every app may, and it carries the counters)."""
        return self.call(lambda c: c.get_event(self.addressed.object_id))

    def update(self, update: EventUpdate) -> MarketingEvent:
        if self.by_external_id:
            return self.call(lambda c: c.update_event_by_external_id(*self._ids, update))
        return self.call(lambda c: c.update_event(self.addressed.object_id, update))

    def cancel(self) -> MarketingEvent:
        if self.by_external_id:
            return self.call(lambda c: c.cancel_event(*self._ids))
        return self.call(
            lambda c: c.update_event(self.addressed.object_id, EventUpdate(event_cancelled=True))
        )

    def complete(self, *, starts_at: datetime, ends_at: datetime) -> MarketingEvent:
        """HubSpot completes events only by external IDs: the caller checks `by_external_id` first."""
        return self.call(
            lambda c: c.complete_event(*self._ids, start_date_time=starts_at, end_date_time=ends_at)
        )

    def delete(self) -> None:
        if self.by_external_id:
            self.call(lambda c: c.delete_event_by_external_id(*self._ids))
        else:
            self.call(lambda c: c.delete_event(self.addressed.object_id))

    # Lists -------------------------------------------------------------------------------------------------

    def lists_page(self, *, after: str | None = None) -> Page[HubSpotList]:
        if self.by_external_id:
            return self.call(lambda c: c.event_lists_page_by_external_id(*self._ids, after=after))
        return self.call(lambda c: c.event_lists_page(self.addressed.object_id, after=after))

    def associate_list(self, list_id: str) -> None:
        if self.by_external_id:
            self.call(lambda c: c.associate_list_by_external_id(*self._ids, list_id))
        else:
            self.call(lambda c: c.associate_list(self.addressed.object_id, list_id))

    def disassociate_list(self, list_id: str) -> None:
        if self.by_external_id:
            self.call(lambda c: c.disassociate_list_by_external_id(*self._ids, list_id))
        else:
            self.call(lambda c: c.disassociate_list(self.addressed.object_id, list_id))

    # Participation -----------------------------------------------------------------------------------------

    def participations_page(
        self,
        *,
        state: ParticipationState | None = None,
        contact: str | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Participation]:
        if self.by_external_id:
            return self.call(
                lambda c: c.participations_page_by_external_id(
                    *self._ids, state=state, contact_identifier=contact, limit=limit, after=after
                )
            )
        return self.call(
            lambda c: c.participations_page(
                self.addressed.object_id, state=state, contact_identifier=contact, limit=limit, after=after
            )
        )

    def counters(self) -> AttendanceCounters:
        if self.by_external_id:
            return self.call(lambda c: c.get_participation_counters_by_external_id(*self._ids))
        return self.call(lambda c: c.get_participation_counters(self.addressed.object_id))

    def record_by_contact_ids(
        self, state: SubscriberState, subscribers: Sequence[Subscriber], *, audit_success: bool = True
    ) -> BatchOutcome[Subscriber, SubscriberResult]:
        event = self.addressed
        if self.by_external_id:
            return self.call(
                lambda c: c.record_external_participation_by_contact_ids(
                    event.external_event_id,
                    state,
                    subscribers,
                    external_account_id=event.external_account_id,
                ),
                audit_success=audit_success,
            )
        return self.call(
            lambda c: c.record_participation_by_contact_ids(event.object_id, state, subscribers),
            audit_success=audit_success,
        )

    def record_by_emails(
        self, state: SubscriberState, subscribers: Sequence[EmailSubscriber], *, audit_success: bool = True
    ) -> BatchOutcome[EmailSubscriber, SubscriberResult]:
        event = self.addressed
        if self.by_external_id:
            return self.call(
                lambda c: c.record_external_participation_by_emails(
                    event.external_event_id,
                    state,
                    subscribers,
                    external_account_id=event.external_account_id,
                ),
                audit_success=audit_success,
            )
        return self.call(
            lambda c: c.record_participation_by_emails(event.object_id, state, subscribers),
            audit_success=audit_success,
        )


# Opening the gateway ---------------------------------------------------------------------------------------


def open_portal(
    portal: Portal,
    *,
    user: User | None = None,
    action: str = "",
    target: str = "",
    detail: dict[str, Any] | None = None,
    budget: Budget = Budget.WEB,
) -> Gateway:
    """HubSpot for this portal. With `action`, each call is an audited write."""
    return Gateway(
        lambda: hubspot_client_for(portal),
        portal=portal,
        purpose=Purpose(user=user, action=action, target=target, detail=detail),
        budget=budget,
    )


def open_event(
    event: EventAddress,
    *,
    user: User | None = None,
    action: str = "",
    target: str = "",
    detail: dict[str, Any] | None = None,
    budget: Budget = Budget.WEB,
) -> EventGateway:
    """HubSpot for one event, by the endpoint family it allows. The audit target defaults to the event."""
    return EventGateway(
        lambda: hubspot_client_for(event.portal),
        event=event,
        purpose=Purpose(
            user=user,
            action=action,
            target=target or f"{event.name} ({event.object_id})",
            detail=detail,
        ),
        budget=budget,
    )


def open_app(*, user: User | None = None, action: str = "", target: str = "", **detail: Any) -> Gateway:
    """HubSpot for the app itself (its settings take the developer API key, no portal): always a web call."""
    return Gateway(
        app_client,
        portal=None,
        purpose=Purpose(user=user, action=action, target=target, detail=detail or None),
        budget=Budget.WEB,
    )
