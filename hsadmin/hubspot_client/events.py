"""Marketing events: read, write, status, batch and identifiers (reference §2.1-§2.4, operations #1-#17)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

from ._api import ApiPart, Op, follow_pages, page_from_api, seg
from .batch import BatchOutcome, ChunkOutcome
from .inputs import EventCreate, EventUpdate, ExternalEventRef, ObjectIdUpdate
from .models import EventIdentifier, MarketingEvent, Page
from .times import to_iso

NOT_IDEMPOTENT = False


def _ignore(_: Any) -> None:
    return None


def _object_id(event: MarketingEvent) -> str | None:
    return event.object_id


class EventsPart(ApiPart):
    # -- by objectId ---------------------------------------------------------------------------------------

    def list_events_page(self, *, after: str | None = None, limit: int = 100) -> Page[MarketingEvent]:
        """GET /marketing/v3/marketing-events/ (#1): one page of every event on the portal, by objectId."""
        path = f"{self._events}/" if self.api_version == "v3" else self._events
        data = self._json(Op("list_events"), "GET", path, params={"after": after, "limit": limit})
        return page_from_api(data, MarketingEvent.from_api)

    def iter_events(self, *, limit: int = 100) -> Iterator[MarketingEvent]:
        """Every event on the portal, following paging.next.after lazily (GET …/marketing-events/, #1)."""
        return follow_pages(lambda after: self.list_events_page(after=after, limit=limit))

    def get_event(self, object_id: str) -> MarketingEvent:
        """GET /marketing/v3/marketing-events/{objectId} (#2), with counters and eventStatus."""
        data = self._json(Op("get_event"), "GET", f"{self._events}/{seg(object_id)}")
        return MarketingEvent.from_api(data)

    def update_event(self, object_id: str, update: EventUpdate) -> MarketingEvent:
        """PATCH /marketing/v3/marketing-events/{objectId} (#3); cannot set eventCompleted."""
        body = update.to_api(by_object_id=True)
        data = self._json(Op("update_event"), "PATCH", f"{self._events}/{seg(object_id)}", json=body)
        return MarketingEvent.from_api(data)

    def delete_event(self, object_id: str) -> None:
        """DELETE /marketing/v3/marketing-events/{objectId} (#4): 204."""
        op = Op("delete_event", gone_ok_on_retry=True)
        self._request(op, "DELETE", f"{self._events}/{seg(object_id)}")

    # -- by external IDs (only the app that created the event) --------------------------------------------

    def create_event(self, event: EventCreate) -> MarketingEvent:
        """POST /marketing/v3/marketing-events/events (#5): 200 with no id/timestamps.

        Never retried after it may have reached HubSpot (a replay could create a duplicate); use
        `upsert_event` when a safe retry matters."""
        op = Op("create_event", idempotent=NOT_IDEMPOTENT)
        data = self._json(op, "POST", f"{self._events}/events", json=event.to_api())
        return MarketingEvent.from_api(data)

    def get_event_by_external_id(self, external_account_id: str, external_event_id: str) -> MarketingEvent:
        """GET /marketing/v3/marketing-events/events/{externalEventId}?externalAccountId= (#6)."""
        data = self._json(
            Op("get_event_by_external_id"),
            "GET",
            f"{self._events}/events/{seg(external_event_id)}",
            params={"externalAccountId": external_account_id},
        )
        return MarketingEvent.from_api(data)

    def upsert_event(self, event: EventCreate) -> MarketingEvent:
        """PUT /marketing/v3/marketing-events/events/{externalEventId} (#7): create or replace; the
        externalAccountId travels in the body."""
        path = f"{self._events}/events/{seg(event.external_event_id)}"
        data = self._json(Op("upsert_event"), "PUT", path, json=event.to_api())
        return MarketingEvent.from_api(data)

    def update_event_by_external_id(
        self, external_account_id: str, external_event_id: str, update: EventUpdate
    ) -> MarketingEvent:
        """PATCH /marketing/v3/marketing-events/events/{externalEventId}?externalAccountId= (#8)."""
        data = self._json(
            Op("update_event_by_external_id"),
            "PATCH",
            f"{self._events}/events/{seg(external_event_id)}",
            params={"externalAccountId": external_account_id},
            json=update.to_api(),
        )
        return MarketingEvent.from_api(data)

    def delete_event_by_external_id(self, external_account_id: str, external_event_id: str) -> None:
        """DELETE /marketing/v3/marketing-events/events/{externalEventId}?externalAccountId= (#9): 204."""
        self._request(
            Op("delete_event_by_external_id", gone_ok_on_retry=True),
            "DELETE",
            f"{self._events}/events/{seg(external_event_id)}",
            params={"externalAccountId": external_account_id},
        )

    # -- status ------------------------------------------------------------------------------------------

    def cancel_event(self, external_account_id: str, external_event_id: str) -> MarketingEvent:
        """POST /marketing/v3/marketing-events/events/{externalEventId}/cancel?externalAccountId= (#10)."""
        data = self._json(
            Op("cancel_event"),
            "POST",
            f"{self._events}/events/{seg(external_event_id)}/cancel",
            params={"externalAccountId": external_account_id},
        )
        return MarketingEvent.from_api(data)

    def complete_event(
        self,
        external_account_id: str,
        external_event_id: str,
        *,
        start_date_time: datetime,
        end_date_time: datetime,
    ) -> MarketingEvent:
        """POST /marketing/v3/marketing-events/events/{externalEventId}/complete?externalAccountId= (#11)."""
        data = self._json(
            Op("complete_event"),
            "POST",
            f"{self._events}/events/{seg(external_event_id)}/complete",
            params={"externalAccountId": external_account_id},
            json={"startDateTime": to_iso(start_date_time), "endDateTime": to_iso(end_date_time)},
        )
        return MarketingEvent.from_api(data)

    # -- batch -------------------------------------------------------------------------------------------

    def upsert_events(
        self,
        events: Iterable[EventCreate],
        *,
        batch_size: int | None = None,
        on_chunk: Callable[[ChunkOutcome[EventCreate, MarketingEvent]], None] | None = None,
    ) -> BatchOutcome[EventCreate, MarketingEvent]:
        """POST /marketing/v3/marketing-events/events/upsert (#12), in chunks."""
        return self._batch(
            Op("upsert_events"),
            f"{self._events}/events/upsert",
            events,
            parse=MarketingEvent.from_api,
            batch_size=batch_size,
            on_chunk=on_chunk,
        )

    def delete_events_by_external_id(
        self,
        refs: Iterable[ExternalEventRef],
        *,
        batch_size: int | None = None,
        on_chunk: Callable[[ChunkOutcome[ExternalEventRef, None]], None] | None = None,
    ) -> BatchOutcome[ExternalEventRef, None]:
        """POST /marketing/v3/marketing-events/events/delete (#13), in chunks; only this app's events."""
        return self._batch(
            Op("delete_events_by_external_id", gone_ok_on_retry=True),
            f"{self._events}/events/delete",
            refs,
            parse=_ignore,
            batch_size=batch_size,
            on_chunk=on_chunk,
        )

    def delete_events(
        self,
        object_ids: Iterable[str],
        *,
        batch_size: int | None = None,
        on_chunk: Callable[[ChunkOutcome[str, None]], None] | None = None,
    ) -> BatchOutcome[str, None]:
        """POST /marketing/v3/marketing-events/batch/archive (#14): 204, or 207 naming unknown objectIds."""
        return self._batch(
            Op("delete_events", gone_ok_on_retry=True),
            f"{self._events}/batch/archive",
            (str(object_id) for object_id in object_ids),
            parse=_ignore,
            serialize=lambda object_id: {"objectId": object_id},
            batch_size=batch_size,
            on_chunk=on_chunk,
        )

    def update_events(
        self,
        updates: Iterable[ObjectIdUpdate],
        *,
        batch_size: int | None = None,
        on_chunk: Callable[[ChunkOutcome[ObjectIdUpdate, MarketingEvent]], None] | None = None,
    ) -> BatchOutcome[ObjectIdUpdate, MarketingEvent]:
        """POST /marketing/v3/marketing-events/batch/update (#15): 200, or 207 with errors."""
        return self._batch(
            Op("update_events"),
            f"{self._events}/batch/update",
            updates,
            parse=MarketingEvent.from_api,
            result_key=_object_id,
            batch_size=batch_size,
            on_chunk=on_chunk,
        )

    # -- identifiers -------------------------------------------------------------------------------------

    def search_events_by_external_id(self, external_event_id: str) -> list[EventIdentifier]:
        """GET /marketing/v3/marketing-events/events/search?q= (#16): this app's events with that external ID."""
        data = self._json(
            Op("search_events_by_external_id"),
            "GET",
            f"{self._events}/events/search",
            params={"q": external_event_id},
        )
        return [EventIdentifier.from_api(item) for item in (data or {}).get("results") or ()]

    def event_identifiers_page(
        self, external_event_id: str, *, after: str | None = None
    ) -> Page[EventIdentifier]:
        """GET /marketing/v3/marketing-events/{externalEventId}/identifiers (#17): every app's matches."""
        data = self._json(
            Op("event_identifiers"),
            "GET",
            f"{self._events}/{seg(external_event_id)}/identifiers",
            params={"after": after},
        )
        return page_from_api(data, EventIdentifier.from_api)

    def iter_event_identifiers(self, external_event_id: str) -> Iterator[EventIdentifier]:
        """Every match of GET …/{externalEventId}/identifiers (#17), following paging lazily."""
        return follow_pages(lambda after: self.event_identifiers_page(external_event_id, after=after))
