"""The CRM subset the dashboard needs: lists search and read, contact read, search and batch read."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from ._api import SEARCH, ApiPart, Op, follow_pages, page_from_api, seg
from .batch import BatchOutcome, ChunkOutcome
from .inputs import ContactFilter
from .models import Contact, HubSpotList, Page


@dataclass(frozen=True, slots=True)
class ListSearchPage:
    """`ListSearchResponse`: offset paging; `offset` is where the next page starts."""

    lists: tuple[HubSpotList, ...]
    total: int
    offset: int
    has_more: bool


class CrmPart(ApiPart):
    # -- lists -------------------------------------------------------------------------------------------

    def search_lists(
        self,
        query: str | None = None,
        *,
        count: int = 20,
        offset: int = 0,
        list_ids: Sequence[str] | None = None,
        processing_types: Sequence[str] | None = None,
        object_type_id: str | None = None,
        additional_properties: Sequence[str] | None = None,
        sort: str | None = None,
    ) -> ListSearchPage:
        """POST /crm/v3/lists/search: one page of lists whose name matches `query` (count ≤ 500)."""
        body: dict[str, object] = {"count": count, "offset": offset}
        optional = {
            "query": query,
            "listIds": None if list_ids is None else list(list_ids),
            "processingTypes": None if processing_types is None else list(processing_types),
            "objectTypeId": object_type_id,
            "additionalProperties": None if additional_properties is None else list(additional_properties),
            "sort": sort,
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        data = self._json(Op("search_lists"), "POST", "/crm/v3/lists/search", json=body) or {}
        return ListSearchPage(
            lists=tuple(HubSpotList.from_api(item) for item in data.get("lists") or ()),
            total=int(data.get("total", 0)),
            offset=int(data.get("offset", 0)),
            has_more=bool(data.get("hasMore", False)),
        )

    def iter_lists(
        self, query: str | None = None, *, count: int = 100, object_type_id: str | None = None
    ) -> Iterator[HubSpotList]:
        """Every list matching `query`, following the lists API's offset lazily."""
        offset = 0
        while True:
            page = self.search_lists(query, count=count, offset=offset, object_type_id=object_type_id)
            yield from page.lists
            if not page.has_more or not page.lists or page.offset <= offset:
                return
            offset = page.offset

    def get_list(self, list_id: str, *, include_filters: bool = False) -> HubSpotList:
        """GET /crm/v3/lists/{listId}?includeFilters= (the body is `{list: …}`)."""
        data = self._json(
            Op("get_list"), "GET", f"/crm/v3/lists/{seg(list_id)}", params={"includeFilters": include_filters}
        )
        return HubSpotList.from_api((data or {}).get("list") or {})

    # -- contacts ----------------------------------------------------------------------------------------

    def get_contact(
        self, contact_id: str, *, id_property: str | None = None, properties: Sequence[str] = ()
    ) -> Contact:
        """GET /crm/v3/objects/contacts/{contactId}?idProperty=&properties= (idProperty=email: by email)."""
        params = {"idProperty": id_property, "properties": ",".join(properties) or None}
        data = self._json(
            Op("get_contact"), "GET", f"/crm/v3/objects/contacts/{seg(contact_id)}", params=params
        )
        return Contact.from_api(data or {})

    def search_contacts_page(
        self,
        *,
        filters: Sequence[ContactFilter] | Sequence[Sequence[ContactFilter]] = (),
        query: str | None = None,
        properties: Sequence[str] = (),
        limit: int = 100,
        after: str | None = None,
        sorts: Sequence[str] = (),
    ) -> Page[Contact]:
        """POST /crm/v3/objects/contacts/search (limit ≤ 200; own rate limit, about 4 per second).

        `filters` is one AND-group, or a sequence of groups that are ORed."""
        groups: list[Sequence[ContactFilter]] = []
        for item in filters:
            if isinstance(item, ContactFilter):
                groups = [[f for f in filters if isinstance(f, ContactFilter)]]
                break
            groups.append(item)
        body: dict[str, object] = {
            "filterGroups": [{"filters": [f.to_api() for f in group]} for group in groups],
            "limit": limit,
        }
        if query is not None:
            body["query"] = query
        if properties:
            body["properties"] = list(properties)
        if after is not None:
            body["after"] = after
        if sorts:
            body["sorts"] = list(sorts)
        data = self._json(
            Op("search_contacts", bucket=SEARCH), "POST", "/crm/v3/objects/contacts/search", json=body
        )
        return page_from_api(data, Contact.from_api)

    def iter_search_contacts(
        self,
        *,
        filters: Sequence[ContactFilter] | Sequence[Sequence[ContactFilter]] = (),
        query: str | None = None,
        properties: Sequence[str] = (),
        limit: int = 100,
        sorts: Sequence[str] = (),
    ) -> Iterator[Contact]:
        """Every contact the search finds, page by page (POST /crm/v3/objects/contacts/search)."""
        return follow_pages(
            lambda after: self.search_contacts_page(
                filters=filters, query=query, properties=properties, limit=limit, after=after, sorts=sorts
            )
        )

    def batch_read_contacts(
        self,
        ids: Iterable[str],
        *,
        id_property: str | None = None,
        properties: Sequence[str] = (),
        batch_size: int | None = None,
        on_chunk: Callable[[ChunkOutcome[str, Contact]], None] | None = None,
    ) -> BatchOutcome[str, Contact]:
        """POST /crm/v3/objects/contacts/batch/read: 200, or 207 naming the ids that were not found."""
        params_body: dict[str, object] = {"properties": list(properties)}
        if id_property:
            params_body["idProperty"] = id_property
            params_body["properties"] = sorted({*properties, id_property})
        op = Op("batch_read_contacts")
        return self._batch(
            op,
            "/crm/v3/objects/contacts/batch/read",
            (str(i) for i in ids),
            parse=Contact.from_api,
            batch_size=batch_size,
            on_chunk=on_chunk,
            serialize=lambda value: {"id": value},
            extra_body=params_body,
        )
