"""Batch envelopes and chunked batch outcomes.

HubSpot answers a batch with 200 (all done) or 207 (some inputs failed, listed in `errors` with `numErrors`).
Where HubSpot documents no partial failure, it may answer otherwise, and every form is read per input: 200 with
`errors` in the body; 200 whose `results` simply leave out what could not be applied (2026-09 `batch/update`
documents only 200): an input missing from the results failed; or a 400 for the whole batch: the inputs its
`context` names failed and, for operations safe to repeat, the others are sent again (`_api.py`).
The client splits large inputs into chunks (100 by default) and returns a `BatchOutcome`: every chunk with its
inputs and either HubSpot's envelope or the exception that sank the whole chunk, so no failure is raised away
or lost. `outcome.per_input()` says, for every input, whether it succeeded, failed (and why), is unknown, or was
never sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from itertools import islice
from typing import Any, Self

from .errors import HubSpotError, NotFoundError, ServerError, TransportError, ValidationError
from .models import BatchStatus, _enum
from .times import parse_time

DEFAULT_BATCH_SIZE = 100
NOT_FOUND_CATEGORIES = frozenset({"OBJECT_NOT_FOUND", "NOT_FOUND"})
REPLAYED = "hsadmin.replayed"  # response extension set when an earlier attempt may have been applied


def chunked[T](items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lazily cut an iterable into lists of at most `size` (constant memory for any input length)."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass(frozen=True, slots=True)
class BatchError:
    """One `StandardError` of a batch envelope: which inputs failed (in `context`) and why."""

    category: str | None
    message: str
    context: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    status: str | None = None
    sub_category: object = None
    id: str | None = None

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        raw = data.get("context") or {}
        context = {
            str(k): tuple(str(x) for x in v) if isinstance(v, list | tuple) else (str(v),)
            for k, v in raw.items()
        }
        return cls(
            category=data.get("category"),
            message=str(data.get("message", "")),
            context=context,
            status=data.get("status"),
            sub_category=data.get("subCategory"),
            id=None if data.get("id") is None else str(data["id"]),
        )

    @property
    def keys(self) -> frozenset[str]:
        """Every identifier the error names (ids, emails, vids…), lowercased for matching inputs."""
        return frozenset(value.lower() for values in self.context.values() for value in values)


@dataclass(frozen=True, slots=True)
class BatchResult[T]:
    """One batch response envelope, its results parsed; `http_status` is 200, 204 or 207."""

    status: BatchStatus | str | None
    results: tuple[T, ...]
    errors: tuple[BatchError, ...] = ()
    num_errors: int = 0
    requested_at: datetime | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    links: Mapping[str, str] = field(default_factory=dict)
    http_status: int = 200
    #: the answer came to a replay after an attempt that may have been applied
    replayed: bool = False

    @classmethod
    def from_api(
        cls,
        data: Mapping[str, Any] | None,
        parse: Callable[[Mapping[str, Any]], T],
        http_status: int,
        *,
        replayed: bool = False,
        gone_ok: bool = False,
    ) -> BatchResult[T]:
        """`gone_ok`: for deletes, a not-found error in the answer to a replay means the earlier attempt
        already deleted that input, so it is not an error."""
        data = data or {}
        errors = tuple(BatchError.from_api(e) for e in data.get("errors") or ())
        num_errors = int(data.get("numErrors", len(errors)))
        if replayed and gone_ok:
            kept = tuple(e for e in errors if e.category not in NOT_FOUND_CATEGORIES)
            num_errors -= len(errors) - len(kept)
            errors = kept
        return cls(
            status=_enum(BatchStatus, data.get("status")),
            results=tuple(parse(r) for r in data.get("results") or ()),
            errors=errors,
            num_errors=max(0, num_errors),
            requested_at=parse_time(data.get("requestedAt")),
            started_at=parse_time(data.get("startedAt")),
            completed_at=parse_time(data.get("completedAt")),
            links=dict(data.get("links") or {}),
            http_status=http_status,
            replayed=replayed,
        )


MISSING_FROM_RESULTS = "MISSING_FROM_RESULTS"


def missing_from_results() -> BatchError:
    """The reason for an input that HubSpot's 200/207 answer neither returned nor named in `errors`."""
    return BatchError(
        category=MISSING_FROM_RESULTS,
        message="HubSpot's answer did not include this one among its results, so it was not applied "
        "(it may not exist).",
    )


def whole_batch_error(error: HubSpotError) -> BatchError:
    """A 400 that refused a whole batch, as a batch error naming the inputs in its context."""
    return BatchError(
        category=error.category,
        message=error.message,
        context={k: tuple(v) for k, v in error.context.items()},
        status="error",
    )


class InputStatus(StrEnum):
    OK = "ok"
    FAILED = "failed"
    UNKNOWN = "unknown"  # the chunk reported errors we could not tie to an input, or its outcome is unknown
    NOT_SENT = "not_sent"


@dataclass(frozen=True, slots=True)
class InputOutcome[I]:
    input: I
    status: InputStatus
    error: BatchError | HubSpotError | None = None


@dataclass(frozen=True, slots=True)
class ChunkOutcome[I, T]:
    """One chunk: its inputs and HubSpot's envelope, or the error that failed the whole chunk."""

    inputs: tuple[I, ...]
    result: BatchResult[T] | None = None
    error: HubSpotError | None = None
    sent: bool = True

    @property
    def ok(self) -> bool:
        return self.sent and self.error is None and self.result is not None and not self.result.num_errors


def input_key(item: object) -> str:
    """The identifier HubSpot names an input by in error contexts (vid, email, objectId, external ID)."""
    for attr in ("key", "object_id", "external_event_id", "id"):
        value = getattr(item, attr, None)
        if value is not None:
            return str(value).lower()
    return str(item).lower()


@dataclass(frozen=True, slots=True)
class BatchOutcome[I, T]:
    """The whole chunked batch: every chunk, in order. `result_key`, where set, names the input each result
    stands for: an input of a 200/207 answer that is neither among the results nor in `errors` failed."""

    chunks: tuple[ChunkOutcome[I, T], ...]
    result_key: Callable[[Any], str | None] | None = None

    @property
    def results(self) -> list[T]:
        return [r for c in self.chunks if c.result is not None for r in c.result.results]

    @property
    def errors(self) -> list[BatchError]:
        return [e for c in self.chunks if c.result is not None for e in c.result.errors]

    @property
    def num_errors(self) -> int:
        return sum(c.result.num_errors for c in self.chunks if c.result is not None)

    @property
    def failed_chunks(self) -> list[ChunkOutcome[I, T]]:
        return [c for c in self.chunks if c.error is not None or not c.sent]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.chunks)

    def per_input(self) -> list[InputOutcome[I]]:
        """Each input's fate, matching batch errors to inputs through the identifiers in their context."""
        outcomes: list[InputOutcome[I]] = []
        for chunk in self.chunks:
            if not chunk.sent:
                outcomes.extend(InputOutcome(i, InputStatus.NOT_SENT, chunk.error) for i in chunk.inputs)
                continue
            if chunk.error is not None or chunk.result is None:
                # A 5xx or a dropped answer may have been applied; a 4xx or a 429 was not.
                unknown = isinstance(chunk.error, ServerError | TransportError)
                status = InputStatus.UNKNOWN if unknown else InputStatus.FAILED
                outcomes.extend(InputOutcome(i, status, chunk.error) for i in chunk.inputs)
                continue
            matched: set[int] = set()
            returned = self._returned(chunk.result)
            for item in chunk.inputs:
                key = input_key(item)
                error = next((e for e in chunk.result.errors if key in e.keys), None)
                if error is not None:
                    matched.add(id(error))
                    outcomes.append(InputOutcome(item, InputStatus.FAILED, error))
                elif returned is not None and key not in returned:
                    outcomes.append(InputOutcome(item, InputStatus.FAILED, missing_from_results()))
                else:
                    outcomes.append(InputOutcome(item, InputStatus.OK))
            errors = chunk.result.errors
            uncertain = any(id(e) not in matched for e in errors) or chunk.result.num_errors > len(errors)
            if uncertain:
                start = len(outcomes) - len(chunk.inputs)
                for n in range(start, len(outcomes)):
                    earlier = outcomes[n].error
                    missing = isinstance(earlier, BatchError) and earlier.category == MISSING_FROM_RESULTS
                    if outcomes[n].status is InputStatus.OK or missing:
                        outcomes[n] = InputOutcome(outcomes[n].input, InputStatus.UNKNOWN)
        return outcomes

    def _returned(self, result: BatchResult[T]) -> frozenset[str] | None:
        """The input keys the results stand for (None: results are not compared, e.g. a 204)."""
        if self.result_key is None or result.http_status == 204 or result.replayed:
            return None
        keys = (self.result_key(r) for r in result.results)
        return frozenset(k.lower() for k in keys if k)

    def failed_inputs(self) -> list[I]:
        return [o.input for o in self.per_input() if o.status is not InputStatus.OK]


def run_chunks[I, T](
    inputs: Iterable[I],
    size: int,
    send: Callable[[Sequence[I]], BatchResult[T]],
    on_chunk: Callable[[ChunkOutcome[I, T]], None] | None = None,
    result_key: Callable[[Any], str | None] | None = None,
) -> BatchOutcome[I, T]:
    """Send chunk after chunk. An input error (400/404) fails only its chunk; any other error (auth, rate
    limit spent, server, transport) also marks every later chunk not sent, since they would fail the same way.
    `on_chunk` sees each outcome as soon as it is known, so a job can checkpoint before the next chunk."""
    chunks: list[ChunkOutcome[I, T]] = []
    stopped: HubSpotError | None = None
    for chunk in chunked(inputs, size):
        if stopped is not None:
            outcome: ChunkOutcome[I, T] = ChunkOutcome(tuple(chunk), error=stopped, sent=False)
        else:
            try:
                outcome = ChunkOutcome(tuple(chunk), result=send(chunk))
            except (ValidationError, NotFoundError) as exc:
                outcome = ChunkOutcome(tuple(chunk), error=exc)
            except TransportError as exc:
                outcome = ChunkOutcome(tuple(chunk), error=exc, sent=exc.sent)
                stopped = exc
            except HubSpotError as exc:
                outcome = ChunkOutcome(tuple(chunk), error=exc)
                stopped = exc
        chunks.append(outcome)
        if on_chunk is not None:
            on_chunk(outcome)
    return BatchOutcome(tuple(chunks), result_key)
