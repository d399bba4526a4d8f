"""LateRowPaginator gives the pages Django's Paginator gives, whatever the queryset."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.paginator import Paginator
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Concat

from hsadmin.core.models import AuditEntry
from hsadmin.core.pagination import LateRowPaginator

pytestmark = pytest.mark.django_db

Make = Callable[[], QuerySet[AuditEntry]]


@pytest.fixture(autouse=True)
def entries() -> None:
    AuditEntry.objects.bulk_create(
        AuditEntry(action=f"act.{i % 4}", target=f"t{i % 7}", outcome="success") for i in range(53)
    )


def _pages(paginator: Paginator) -> list[list[int]]:
    return [[e.pk for e in paginator.page(n).object_list] for n in range(1, paginator.num_pages + 1)]


@pytest.mark.parametrize(
    "make",
    [
        lambda: AuditEntry.objects.order_by("target", "action", "pk"),
        lambda: AuditEntry.objects.filter(action="act.1").only("id", "action").order_by("-pk"),
        lambda: AuditEntry.objects.filter(action="nothing").order_by("pk"),
        lambda: AuditEntry.objects.annotate(label=Concat(F("action"), Value("!"))).order_by("label", "pk"),
    ],
)
@pytest.mark.parametrize("orphans", [0, 3])
def test_with_a_unique_order_every_page_is_the_plain_offsets_page(make: Make, orphans: int) -> None:
    late, plain = LateRowPaginator(make(), 10, orphans=orphans), Paginator(make(), 10, orphans=orphans)
    assert late.count == plain.count
    assert _pages(late) == _pages(plain)


@pytest.mark.parametrize(
    "make",
    [lambda: AuditEntry.objects.order_by("-target"), lambda: AuditEntry.objects.all()],
    ids=["ties in the sort", "the model's own ordering"],
)
def test_with_ties_the_key_breaks_them_so_no_row_is_lost_or_repeated(make: Make) -> None:
    pages = _pages(LateRowPaginator(make(), 10))
    seen = [pk for page in pages for pk in page]
    assert sorted(seen) == sorted(e.pk for e in make())
    assert [len(page) for page in pages] == [10, 10, 10, 10, 10, 3]
