"""`{% page_query page "next" %}`: the query string of a page's neighbour for `components/pagination.html`."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def page_query(page: Any, which: str) -> str:
    """A keyset page names its neighbour by number and by the row it starts after (`next_query`); any other
    page by its number alone."""
    if which == "next":
        return getattr(page, "next_query", "") or f"page={page.next_page_number()}"
    return getattr(page, "previous_query", "") or f"page={page.previous_page_number()}"
