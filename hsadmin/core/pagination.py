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
    """

    object_list: QuerySet[Any]

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        listed = self.object_list
        keys = listed.values("pk")[bottom:top]
        rows = listed.model._base_manager.filter(pk__in=keys).order_by(*listed.query.order_by)
        rows.query.deferred_loading = listed.query.deferred_loading
        return self._get_page(rows, number, self)
