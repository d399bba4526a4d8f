"""Recording participation: who registered, attended or cancelled (reference §2.5-§2.6, operations #18-#23).

Every method takes a `SubscriberState` verb and an iterable of subscribers, sends them in chunks, and returns a
`BatchOutcome` with each chunk's result or error. These writes are idempotent for the same contact and
`interactionDateTime`, so the client retries them; give each subscriber a fixed time (not "now" per attempt).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Self

from ._api import ApiPart, Op, seg
from .batch import BatchOutcome, ChunkOutcome
from .inputs import EmailSubscriber, Subscriber
from .models import SubscriberState


@dataclass(frozen=True, slots=True)
class SubscriberResult:
    """`SubscriberVidResponse` / `SubscriberEmailResponse`: the contact a row landed on."""

    vid: int | None
    email: str | None = None

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        vid = data.get("vid")
        return cls(vid=None if vid is None else int(vid), email=data.get("email"))

    @property
    def key(self) -> str:
        return self.email.lower() if self.email else str(self.vid)


def _ignore(_: Any) -> None:
    return None


def _result_key(result: SubscriberResult) -> str:
    """The input a result stands for: emails for the email endpoints, vids for the others."""
    return result.key


type IdChunkHook = Callable[[ChunkOutcome[Subscriber, SubscriberResult]], None] | None
type EmailChunkHook = Callable[[ChunkOutcome[EmailSubscriber, SubscriberResult]], None] | None


class AttendancePart(ApiPart):
    def _state(self, state: SubscriberState | str) -> str:
        return SubscriberState(str(state).lower()).value

    # -- by objectId (#22, #23) --------------------------------------------------------------------------

    def record_participation_by_contact_ids(
        self,
        object_id: str,
        state: SubscriberState,
        subscribers: Iterable[Subscriber],
        *,
        batch_size: int | None = None,
        on_chunk: IdChunkHook = None,
    ) -> BatchOutcome[Subscriber, SubscriberResult]:
        """POST /marketing/v3/marketing-events/{objectId}/attendance/{subscriberState}/create (#22)."""
        return self._batch(
            Op("record_participation_by_contact_ids"),
            f"{self._events}/{seg(object_id)}/attendance/{self._state(state)}/create",
            subscribers,
            parse=SubscriberResult.from_api,
            batch_size=batch_size,
            on_chunk=on_chunk,
            result_key=_result_key,
        )

    def record_participation_by_emails(
        self,
        object_id: str,
        state: SubscriberState,
        subscribers: Iterable[EmailSubscriber],
        *,
        batch_size: int | None = None,
        on_chunk: EmailChunkHook = None,
    ) -> BatchOutcome[EmailSubscriber, SubscriberResult]:
        """POST /marketing/v3/marketing-events/{objectId}/attendance/{subscriberState}/email-create (#23);
        creates contacts that do not exist."""
        return self._batch(
            Op("record_participation_by_emails"),
            f"{self._events}/{seg(object_id)}/attendance/{self._state(state)}/email-create",
            subscribers,
            parse=SubscriberResult.from_api,
            batch_size=batch_size,
            on_chunk=on_chunk,
            result_key=_result_key,
        )

    # -- by external IDs (#20, #21): externalAccountId is optional here ------------------------------------

    def record_external_participation_by_contact_ids(
        self,
        external_event_id: str,
        state: SubscriberState,
        subscribers: Iterable[Subscriber],
        *,
        external_account_id: str | None = None,
        batch_size: int | None = None,
        on_chunk: IdChunkHook = None,
    ) -> BatchOutcome[Subscriber, SubscriberResult]:
        """POST /marketing/v3/marketing-events/attendance/{externalEventId}/{subscriberState}/create (#20)."""
        return self._batch(
            Op("record_external_participation_by_contact_ids"),
            f"{self._events}/attendance/{seg(external_event_id)}/{self._state(state)}/create",
            subscribers,
            parse=SubscriberResult.from_api,
            params={"externalAccountId": external_account_id},
            batch_size=batch_size,
            on_chunk=on_chunk,
            result_key=_result_key,
        )

    def record_external_participation_by_emails(
        self,
        external_event_id: str,
        state: SubscriberState,
        subscribers: Iterable[EmailSubscriber],
        *,
        external_account_id: str | None = None,
        batch_size: int | None = None,
        on_chunk: EmailChunkHook = None,
    ) -> BatchOutcome[EmailSubscriber, SubscriberResult]:
        """POST /marketing/v3/marketing-events/attendance/{externalEventId}/{subscriberState}/email-create
        (#21); creates contacts that do not exist."""
        return self._batch(
            Op("record_external_participation_by_emails"),
            f"{self._events}/attendance/{seg(external_event_id)}/{self._state(state)}/email-create",
            subscribers,
            parse=SubscriberResult.from_api,
            params={"externalAccountId": external_account_id},
            batch_size=batch_size,
            on_chunk=on_chunk,
            result_key=_result_key,
        )

    # -- legacy upserts (#18, #19): never create contacts; no documented response body -------------------

    def upsert_external_participation_by_contact_ids(
        self,
        external_account_id: str,
        external_event_id: str,
        state: SubscriberState,
        subscribers: Iterable[Subscriber],
        *,
        batch_size: int | None = None,
        on_chunk: Callable[[ChunkOutcome[Subscriber, None]], None] | None = None,
    ) -> BatchOutcome[Subscriber, None]:
        """POST /marketing/v3/marketing-events/events/{externalEventId}/{subscriberState}/upsert
        ?externalAccountId= (#18)."""
        return self._batch(
            Op("upsert_external_participation_by_contact_ids"),
            f"{self._events}/events/{seg(external_event_id)}/{self._state(state)}/upsert",
            subscribers,
            parse=_ignore,
            params={"externalAccountId": external_account_id},
            batch_size=batch_size,
            on_chunk=on_chunk,
        )

    def upsert_external_participation_by_emails(
        self,
        external_account_id: str,
        external_event_id: str,
        state: SubscriberState,
        subscribers: Iterable[EmailSubscriber],
        *,
        batch_size: int | None = None,
        on_chunk: Callable[[ChunkOutcome[EmailSubscriber, None]], None] | None = None,
    ) -> BatchOutcome[EmailSubscriber, None]:
        """POST /marketing/v3/marketing-events/events/{externalEventId}/{subscriberState}/email-upsert
        ?externalAccountId= (#19)."""
        return self._batch(
            Op("upsert_external_participation_by_emails"),
            f"{self._events}/events/{seg(external_event_id)}/{self._state(state)}/email-upsert",
            subscribers,
            parse=_ignore,
            params={"externalAccountId": external_account_id},
            batch_size=batch_size,
            on_chunk=on_chunk,
        )
