"""Pagination that stays fast on deep pages of wide rows."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL


class LateRowPaginator(Paginator[Any]):
    """Finds a page's primary keys first, then reads only those rows (a "deferred join").

    With `OFFSET 5000` a plain query reads and throws away 5,000 whole rows. Here the offset walks a narrow
    index (the primary keys of the filtered, sorted rows) inside a subquery, and only the page's rows are read
    in full. Still one query for the page, and one for the count.

    The primary key ends the ordering, so the two reads agree on every page. A queryset this cannot rebuild
    faithfully (annotations, related rows loaded with it) is paged the plain way.
    """

    object_list: QuerySet[Any]

    def page(self, number: Any) -> Page[Any]:
        listed = self.object_list
        query = listed.query
        prefetches = listed._prefetch_related_lookups  # type: ignore[attr-defined]  # Django's own, not in the stubs
        if query.annotations or query.select_related or prefetches:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ordering = list(query.order_by or listed.model._meta.ordering)
        key = listed.model._meta.pk.name
        if not {"pk", "-pk", key, f"-{key}"} & {str(field) for field in ordering}:
            ordering.append("pk")
        keys = listed.order_by(*ordering).values("pk")[bottom:top]
        rows = listed.model._base_manager.using(listed.db).filter(pk__in=keys).order_by(*ordering)
        rows.query.deferred_loading = query.deferred_loading
        return Page(rows, number, self)


# Keyset ("seek") pagination ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """How many rows a list has, exact up to `cap`; beyond it, only that there are more than `cap`."""

    value: int
    capped: bool = False
    cap: int = 0

    @classmethod
    def of(cls, rows: QuerySet[Any], cap: int) -> Count:
        """Counts at most `cap + 1` rows: what it costs does not grow with the table beyond the cap."""
        value = rows.order_by()[: cap + 1].count()
        return cls(min(value, cap), capped=value > cap, cap=cap)


class SeekPaginator:
    """What a page says about the whole list: the count (perhaps capped) and, when it is exact, the pages."""

    def __init__(self, count: Count, per_page: int) -> None:
        self.count = count.value
        self.count_capped = count.capped
        self.per_page = per_page
        self.num_pages = max(1, math.ceil(count.value / per_page))
        if count.capped:
            self.num_pages += 1  # "more than": at least one page beyond the counted ones


@dataclass
class SeekPage:
    """One page, shaped like Django's `Page` for templates, with the query strings of its neighbours.

    `next_query` and `previous_query` name the page by its number and by the row it starts after (or ends
    before), so following them seeks through the index instead of counting rows off; a URL with only `page=N`
    still works (an offset, for links typed or kept from before).
    """

    object_list: list[Any]
    number: int
    paginator: SeekPaginator
    more_after: bool
    more_before: bool
    next_query: str = ""
    previous_query: str = ""
    # A list that opens at a place inside it (`seek_page`'s `home`) has no page numbers: its links name rows only.
    numbered: bool = True
    at_home: bool = False

    def __len__(self) -> int:
        return len(self.object_list)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def has_next(self) -> bool:
        return self.more_after

    def has_previous(self) -> bool:
        return self.more_before

    def has_other_pages(self) -> bool:
        return self.more_after or self.more_before

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


def _beyond(field: str, desc: bool, value: Any, nulls_largest: bool) -> Q:
    """Rows strictly later than `value` in this one field's order (the database's own place for NULL)."""
    later_is_greater = not desc
    nulls_after = nulls_largest == later_is_greater
    if value is None:
        return Q(pk__in=[]) if nulls_after else Q(**{f"{field}__isnull": False})
    beyond = Q(**{f"{field}__{'gt' if later_is_greater else 'lt'}": value})
    return beyond | Q(**{f"{field}__isnull": True}) if nulls_after else beyond


def seek_after(
    ordering: Sequence[str], anchor: dict[str, Any], nulls_largest: bool, nullable: bool = True
) -> list[Q]:
    """The rows that come after `anchor` in `ordering` (which ends in a unique field), as conditions that `_seek`
    reads together in one query.

    Each condition is a plain range on the sort's first field, so the database seeks in that field's index
    instead of walking it from the top. Where NULLs sort after the anchor's value (they sort last in SQLite's
    descending and PostgreSQL's ascending orders), "after" is "greater, or NULL": no index range says that,
    so those NULL rows are a second condition. `nullable=False` says the list has no NULL in its sort's first
    field: no such condition then.
    """
    fields = [(name.lstrip("-"), name.startswith("-")) for name in ordering]
    rest: Q | None = None
    for field, desc in reversed(fields[1:]):
        value = anchor[field]
        same = Q(**{f"{field}__isnull": True}) if value is None else Q(**{field: value})
        beyond = _beyond(field, desc, value, nulls_largest)
        rest = beyond if rest is None else beyond | (same & rest)
    assert rest is not None
    first, desc = fields[0]
    value = anchor[first]
    nulls_after = nulls_largest == (not desc)
    if value is None:
        this_null = Q(**{f"{first}__isnull": True}) & rest
        return [this_null] if nulls_after else [this_null, Q(**{f"{first}__isnull": False})]
    strictly = Q(**{f"{first}__{'lt' if desc else 'gt'}": value})
    bound = Q(**{f"{first}__{'lte' if desc else 'gte'}": value})
    parts = [bound & (strictly | (Q(**{first: value}) & rest))]
    return [*parts, Q(**{f"{first}__isnull": True})] if nulls_after and nullable else parts


def _flip(ordering: Sequence[str]) -> list[str]:
    return [name[1:] if name.startswith("-") else f"-{name}" for name in ordering]


def _seek(
    listed: QuerySet[Any] | Sequence[QuerySet[Any]],
    ordering: Sequence[str],
    anchor: dict[str, Any],
    nulls_largest: bool,
    limit: int,
    not_null: Collection[str] = (),
) -> list[Any]:
    """The first `limit` rows after `anchor`, in one query whatever the list's shape.

    `listed` is a queryset, or several disjoint ones whose union is the list (each answered by its own index:
    see `seek_page`'s `parts`). Each of them meets each condition of `seek_after` in a piece of its own, ordered
    and cut at `limit` from its own index range; the pieces' keys are put together (UNION ALL) and sorted once
    more. Reading every piece even when the first fills the page costs a NULL range of an index; asking for the
    next piece only when the first ran short cost a query more on some lists than on others.
    """
    parts = [listed] if isinstance(listed, QuerySet) else list(listed)
    nullable = ordering[0].lstrip("-") not in not_null
    conditions = seek_after(ordering, anchor, nulls_largest, nullable)
    pieces = [part.filter(condition) for part in parts for condition in conditions]
    if len(pieces) == 1:
        return _rows(pieces[0], ordering, 0, limit)
    selects, params = [], []
    for number, piece in enumerate(pieces):
        keys = piece.order_by(*ordering).values("pk")[:limit]
        sql, piece_params = keys.query.get_compiler(using=piece.db).as_sql()
        # PostgreSQL before 16 wants the alias; the SQL is what Django compiled, the values are parameters.
        selects.append(f"SELECT * FROM ({sql}) AS piece{number}")  # noqa: S608
        params.extend(piece_params)
    first = pieces[0]
    rows = (
        first.model._base_manager.using(first.db)
        .filter(pk__in=RawSQL(" UNION ALL ".join(selects), params))  # noqa: S611 - compiled by Django
        .order_by(*ordering)
    )
    rows.query.deferred_loading = first.query.deferred_loading
    return list(rows[:limit])


def _rows(listed: QuerySet[Any], ordering: Sequence[str], start: int, stop: int) -> list[Any]:
    """A slice of the ordered list: the keys from the (narrow) index first, then only those rows in full."""
    keys = listed.order_by(*ordering).values("pk")[start:stop]
    rows = listed.model._base_manager.using(listed.db).filter(pk__in=keys).order_by(*ordering)
    rows.query.deferred_loading = listed.query.deferred_loading
    return list(rows)


def seek_page(
    listed: QuerySet[Any],
    *,
    ordering: Sequence[str],
    per_page: int,
    count: Count,
    number: Any = None,
    after: Any = None,
    before: Any = None,
    home: dict[str, Any] | None = None,
    parts: Sequence[QuerySet[Any]] = (),
    not_null: Collection[str] = (),
) -> SeekPage:
    """The page of `listed` (sorted by `ordering`, which ends in the primary key) that the URL asks for.

    With `after` (the key of the row before the page) or `before` (the row after it), the page is found by
    seeking from that row's values: as fast on page 4,000 as on page 2. Without them, or when that row is gone,
    `number` is an offset. Always one query for the anchor row at most and one for the page.

    With `home` (values of the ordering's fields, a place in the list that need not be a row), a URL without a
    row or page number opens there: the rows from that place on, with *Previous* reaching the rows before it. The
    pages then have no numbers (where `home` falls among the rows is not counted), and their links name rows only.

    With `parts` (disjoint querysets whose union is `listed`), the seeks read each part from its own index range
    instead of `listed` as a whole: for a list that one index range cannot answer (the live events: started, and
    not ended), where a plain seek would walk the sort order past every row that is not in the list. `not_null`
    names fields that no row of `parts` leaves NULL: their NULL range is not read (each range read is one more
    piece for the database to plan).
    """
    from django.db import connections

    nulls_largest = connections[listed.db].features.nulls_order_largest
    numbered = home is None
    number_given = number not in (None, "")
    number = _positive(number)
    paginator = SeekPaginator(count, per_page)
    fields = [name.lstrip("-") for name in ordering]
    seekable: QuerySet[Any] | Sequence[QuerySet[Any]] = parts or listed
    forward = bool(after)
    anchor_pk = _positive(after if forward else before, default=0)
    anchor = listed.order_by().filter(pk=anchor_pk).values(*fields).first() if anchor_pk else None
    if anchor is not None and forward:
        rows = _seek(seekable, ordering, anchor, nulls_largest, per_page + 1, not_null)
        return _page(rows, max(2, number), paginator, per_page, more_before=True, numbered=numbered)
    if anchor is not None:
        rows = _seek(seekable, _flip(ordering), anchor, nulls_largest, per_page + 1, not_null)
        if len(rows) > per_page:
            rows = rows[:per_page][::-1]
            return _page(
                rows,
                max(2, number),
                paginator,
                per_page,
                more_before=True,
                more_after=True,
                numbered=numbered,
            )
        if rows and not numbered:  # the first rows, fewer than a page: no numbers to keep in step
            return _page(
                rows[::-1], 1, paginator, per_page, more_before=False, more_after=True, numbered=False
            )
        number = 1  # nothing before that page after all: the first page
    elif home is not None and not number_given:
        return _home_page(seekable, ordering, home, nulls_largest, paginator, per_page, not_null)
    # No anchor, or its row is gone (deleted, or no longer matching): the page number is an offset.
    start = (number - 1) * per_page
    rows = _rows(listed, ordering, start, start + per_page + 1)
    if not rows and number > 1:
        # Past the end (a stale or typed URL): the last page, as Django's `get_page` does.
        total = count.value if not count.capped else listed.order_by().count()
        number = max(1, math.ceil(total / per_page))
        start = (number - 1) * per_page
        rows = _rows(listed, ordering, start, start + per_page + 1)
    return _page(rows, number, paginator, per_page, more_before=number > 1, numbered=numbered)


def _home_page(
    listed: QuerySet[Any] | Sequence[QuerySet[Any]],
    ordering: Sequence[str],
    home: dict[str, Any],
    nulls_largest: bool,
    paginator: SeekPaginator,
    per_page: int,
    not_null: Collection[str] = (),
) -> SeekPage:
    """The page that starts at `home`, and whether any row comes before it: two seeks, each a range of the sort's
    index. When no row comes from `home` on, the last page before it, so a list with rows never opens empty."""
    rows = _seek(listed, ordering, home, nulls_largest, per_page + 1, not_null)
    earlier = _seek(listed, _flip(ordering), home, nulls_largest, 1 if rows else per_page + 1, not_null)
    if rows or not earlier:
        page = _page(rows, 1, paginator, per_page, more_before=bool(earlier), numbered=False)
    else:
        page = _page(
            earlier[:per_page][::-1],
            1,
            paginator,
            per_page,
            more_before=len(earlier) > per_page,
            more_after=False,
            numbered=False,
        )
    page.at_home = True
    return page


def _page(
    rows: list[Any],
    number: int,
    paginator: SeekPaginator,
    per_page: int,
    *,
    more_before: bool,
    more_after: bool | None = None,
    numbered: bool = True,
) -> SeekPage:
    if more_after is None:
        more_after = len(rows) > per_page
        rows = rows[:per_page]
    page = SeekPage(
        rows, number, paginator, more_after=more_after, more_before=more_before, numbered=numbered
    )
    if rows and more_after:
        page.next_query = urlencode(
            {"page": number + 1, "after": rows[-1].pk} if numbered else {"after": rows[-1].pk}
        )
    if rows and more_before:
        previous = number - 1
        if not numbered:
            page.previous_query = urlencode({"before": rows[0].pk})
        else:
            page.previous_query = urlencode(
                {"page": previous} if previous <= 1 else {"page": previous, "before": rows[0].pk}
            )
    return page


def _positive(value: Any, default: int = 1) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return default
    return number if 0 < number < 2**62 else default
