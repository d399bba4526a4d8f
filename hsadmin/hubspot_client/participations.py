"""Participation read side: counters and breakdowns (reference §2.7, operations #24-#28)."""

from __future__ import annotations

from collections.abc import Iterator

from ._api import ApiPart, Op, follow_pages, page_from_api, seg
from .models import AttendanceCounters, Page, Participation, ParticipationState


class ParticipationsPart(ApiPart):
    def get_participation_counters_by_external_id(
        self, external_account_id: str, external_event_id: str
    ) -> AttendanceCounters:
        """GET /marketing/v3/marketing-events/participations/{externalAccountId}/{externalEventId} (#24)."""
        data = self._json(
            Op("get_participation_counters_by_external_id"),
            "GET",
            f"{self._events}/participations/{seg(external_account_id)}/{seg(external_event_id)}",
        )
        return AttendanceCounters.from_api(data or {})

    def get_participation_counters(self, marketing_event_id: str | int) -> AttendanceCounters:
        """GET /marketing/v3/marketing-events/participations/{marketingEventId} (#26)."""
        data = self._json(
            Op("get_participation_counters"),
            "GET",
            f"{self._events}/participations/{seg(marketing_event_id)}",
        )
        return AttendanceCounters.from_api(data or {})

    def _breakdown(
        self,
        op: str,
        path: str,
        *,
        state: ParticipationState | None,
        contact_identifier: str | None,
        limit: int,
        after: str | None,
    ) -> Page[Participation]:
        params = {
            "state": None if state is None else ParticipationState(state).value,
            "contactIdentifier": contact_identifier,
            "limit": limit,
            "after": after,
        }
        data = self._json(Op(op), "GET", path, params=params)
        return page_from_api(data, Participation.from_api)

    def participations_page_by_external_id(
        self,
        external_account_id: str,
        external_event_id: str,
        *,
        state: ParticipationState | None = None,
        contact_identifier: str | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Participation]:
        """GET /marketing/v3/marketing-events/participations/{externalAccountId}/{externalEventId}/breakdown
        (#25)."""
        path = f"{self._events}/participations/{seg(external_account_id)}/{seg(external_event_id)}/breakdown"
        return self._breakdown(
            "participations_by_external_id",
            path,
            state=state,
            contact_identifier=contact_identifier,
            limit=limit,
            after=after,
        )

    def iter_participations_by_external_id(
        self,
        external_account_id: str,
        external_event_id: str,
        *,
        state: ParticipationState | None = None,
        contact_identifier: str | None = None,
        limit: int = 100,
    ) -> Iterator[Participation]:
        """Every row of the breakdown by external IDs (#25), page by page."""
        return follow_pages(
            lambda after: self.participations_page_by_external_id(
                external_account_id,
                external_event_id,
                state=state,
                contact_identifier=contact_identifier,
                limit=limit,
                after=after,
            )
        )

    def participations_page(
        self,
        marketing_event_id: str | int,
        *,
        state: ParticipationState | None = None,
        contact_identifier: str | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Participation]:
        """GET /marketing/v3/marketing-events/participations/{marketingEventId}/breakdown (#27)."""
        return self._breakdown(
            "participations",
            f"{self._events}/participations/{seg(marketing_event_id)}/breakdown",
            state=state,
            contact_identifier=contact_identifier,
            limit=limit,
            after=after,
        )

    def iter_participations(
        self,
        marketing_event_id: str | int,
        *,
        state: ParticipationState | None = None,
        contact_identifier: str | None = None,
        limit: int = 100,
    ) -> Iterator[Participation]:
        """Every row of the breakdown by marketingEventId (#27), page by page."""
        return follow_pages(
            lambda after: self.participations_page(
                marketing_event_id,
                state=state,
                contact_identifier=contact_identifier,
                limit=limit,
                after=after,
            )
        )

    def contact_participations_page(
        self,
        contact_identifier: str,
        *,
        state: ParticipationState | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Participation]:
        """GET /marketing/v3/marketing-events/participations/contacts/{contactIdentifier}/breakdown (#28):
        one contact (email or id) across events."""
        return self._breakdown(
            "contact_participations",
            f"{self._events}/participations/contacts/{seg(contact_identifier)}/breakdown",
            state=state,
            contact_identifier=None,
            limit=limit,
            after=after,
        )

    def iter_contact_participations(
        self, contact_identifier: str, *, state: ParticipationState | None = None, limit: int = 100
    ) -> Iterator[Participation]:
        """Every participation of one contact (#28), page by page."""
        return follow_pages(
            lambda after: self.contact_participations_page(
                contact_identifier, state=state, limit=limit, after=after
            )
        )
