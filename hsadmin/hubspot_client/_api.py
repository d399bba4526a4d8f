"""What every per-area part needs from the client core (declared here so the parts never import client.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, cast
from urllib.parse import quote

import httpx

from .batch import (
    REPLAYED,
    BatchOutcome,
    BatchResult,
    ChunkOutcome,
    input_key,
    run_chunks,
    whole_batch_error,
)
from .errors import ValidationError
from .limits import SEARCH_SUFFIX
from .models import Page

_DATE_VERSION = re.compile(r"^\d{4}-\d{2}$")


#: The Marketing Events versions hsadmin knows; the current one is the default (v1-v3 are unsupported from
#: September 2027).
API_VERSIONS = ("2026-09", "2026-03", "v3")
DEFAULT_API_VERSION = "2026-09"


def validate_api_version(version: str) -> str:
    """`v3` (the legacy paths) or a date version such as `2026-09`."""
    if version == "v3" or _DATE_VERSION.match(version):
        return version
    raise ValueError(f"unknown HubSpot API version {version!r}: use 'v3' or a date version like '2026-09'")


def settings_take_oauth(version: str) -> bool:
    """2026-03's settings endpoints take an OAuth token (`developers-read`/`-write`); v3 and 2026-09 the
    developer API key, as each version's own sources say."""
    return version == "2026-03"


def seg(value: object) -> str:
    """One path segment, percent-encoded (external IDs and emails may hold '/', '@', spaces…)."""
    return quote(str(value), safe="")


class _Serializable(Protocol):
    """An input model: it knows its own JSON (the models in inputs.py)."""

    def to_api(self) -> Any: ...


class UseDefaultAuth:
    """Marker: use the client's own auth for this request."""


USE_DEFAULT_AUTH = UseDefaultAuth()


@dataclass(frozen=True, slots=True)
class Op:
    """An operation as the request path sees it: its name (for errors and logs) and whether a retry is safe."""

    name: str
    idempotent: bool = True
    #: a 404 on a retry of this operation means an earlier attempt already did it (deletes)
    gone_ok_on_retry: bool = False
    #: suffix of the limiter key: CRM search has its own bucket
    bucket: str = ""
    #: OAuth token endpoints: 400 means OAuthError; no portal budget is spent
    oauth: bool = False


SEARCH = SEARCH_SUFFIX


class ApiPart:
    """Base of the per-area parts: the request path and the settings they read."""

    api_version: str
    batch_size: int

    def _request(
        self,
        op: Op,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        auth: httpx.Auth | UseDefaultAuth | None = USE_DEFAULT_AUTH,
    ) -> httpx.Response:
        raise NotImplementedError

    def _json(
        self,
        op: Op,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        auth: httpx.Auth | UseDefaultAuth | None = USE_DEFAULT_AUTH,
    ) -> Any:
        response = self._request(op, method, path, params=params, json=json, data=data, auth=auth)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    def _batch[I, T](
        self,
        op: Op,
        path: str,
        inputs: Iterable[I],
        *,
        parse: Callable[[Mapping[str, Any]], T],
        params: Mapping[str, Any] | None = None,
        batch_size: int | None = None,
        on_chunk: Callable[[ChunkOutcome[I, T]], None] | None = None,
        serialize: Callable[[I], Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        result_key: Callable[[T], str | None] | None = None,
    ) -> BatchOutcome[I, T]:
        """POST `inputs` in chunks as `{"inputs": [...]}`; each input's `to_api()` (or `serialize`) is its JSON.

        `result_key` names the input a result stands for, so an input left out of a 200 answer counts as failed.
        A 400 refusing the whole chunk while naming some of its inputs (HubSpot documents no partial failure
        for several batch endpoints, so it may answer so) fails those inputs; when the operation is safe to
        repeat, the others are sent again, so each input gets its own outcome."""

        def send(chunk: Sequence[I]) -> BatchResult[T]:
            try:
                return send_once(chunk)
            except ValidationError as error:
                named = {str(v).lower() for values in error.context.values() for v in values}
                rest = [item for item in chunk if input_key(item) not in named]
                if not op.idempotent or not named or not rest or len(rest) == len(chunk):
                    raise
                again = send(rest)
                first = whole_batch_error(error)
                return BatchResult(
                    status=again.status,
                    results=again.results,
                    errors=(first, *again.errors),
                    num_errors=again.num_errors + len(chunk) - len(rest),
                    requested_at=again.requested_at,
                    started_at=again.started_at,
                    completed_at=again.completed_at,
                    links=again.links,
                    http_status=again.http_status,
                    replayed=again.replayed,
                )

        def send_once(chunk: Sequence[I]) -> BatchResult[T]:
            if serialize is not None:
                items = [serialize(item) for item in chunk]
            else:
                items = [cast(_Serializable, item).to_api() for item in chunk]
            body = {**(extra_body or {}), "inputs": items}
            response = self._request(op, "POST", path, params=params, json=body)
            data = response.json() if response.content and response.status_code != 204 else None
            replayed = bool(response.extensions.get(REPLAYED))
            return BatchResult.from_api(
                data, parse, response.status_code, replayed=replayed, gone_ok=op.gone_ok_on_retry
            )

        return run_chunks(inputs, batch_size or self.batch_size, send, on_chunk, result_key)

    @property
    def _events(self) -> str:
        """The marketing-events prefix for the configured version."""
        if self.api_version == "v3":
            return "/marketing/v3/marketing-events"
        return f"/marketing/marketing-events/{self.api_version}"


def clean_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Drop None values and turn enums and bools into what HubSpot expects in a query string."""
    cleaned: dict[str, Any] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            cleaned[key] = "true" if value else "false"
        else:
            cleaned[key] = str(value)
    return cleaned


def follow_pages[T](fetch: Callable[[str | None], Page[T]]) -> Iterator[T]:
    """Yield every item, fetching the next page only when the previous one is used up (constant memory)."""
    after: str | None = None
    seen: set[str] = set()
    while True:
        page = fetch(after)
        yield from page.results
        if not page.next_after or not page.results or page.next_after in seen:
            return
        seen.add(page.next_after)
        after = page.next_after


def page_from_api[T](data: Mapping[str, Any] | None, parse: Callable[[Mapping[str, Any]], T]) -> Page[T]:
    """A collection response (`results`, optional `paging.next.after`, optional `total`) as a Page."""
    data = data or {}
    next_info = (data.get("paging") or {}).get("next") or {}
    after = next_info.get("after")
    total = data.get("total")
    return Page(
        results=tuple(parse(item) for item in data.get("results") or ()),
        next_after=None if after in (None, "") else str(after),
        total=None if total is None else int(total),
    )
