"""Pagination that stays fast on deep pages of wide rows."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class LateRowPaginator(Paginator):
    """Finds a page's primary keys first, then reads only those rows (a "deferred join").

    With `OFFSET 5000` a plain query reads and throws away 5,000 whole rows. Here the offset walks a narrow
    index (the primary keys of the filtered, sorted rows) inside a subquery, and only the page's rows are read
    in full. Still one query for the page, and one for the count.

    The primary key ends the ordering, so the two reads agree on every page. A queryset this cannot rebuild
    faithfully (annotations, related rows loaded with it) is paged the plain way.
    """

    object_list: QuerySet[Any]

    def page(self, number: Any) -> Page:
        listed = self.object_list
        query = listed.query
        if query.annotations or query.select_related or listed._prefetch_related_lookups:
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
        return self._get_page(rows, number, self)
