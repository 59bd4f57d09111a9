"""Pages of a list that cost the page, not the table.

Django's Paginator counts every row (COUNT(*)) before it shows a page; over 500,000 work records that is most
of the page's time. `paginate()` instead counts at most `COUNT_CAP` + 1 rows (SELECT COUNT(*) FROM (SELECT id
... LIMIT 1001)): below the cap the total and the page numbers are exact, as before; above it the list says
"约 N 条" with PostgreSQL's own row estimate for the query (EXPLAIN, no rows read), or "1,000 条以上" where no
estimate is at hand, and a page knows whether a next one exists by reading one row more than it shows.

Queries: one capped count, then the page's rows (none when the list is empty), plus one EXPLAIN on PostgreSQL
only when the count reaches the cap. Page numbers stop at `MAX_PAGE`, so an OFFSET stays bounded too; past it
the user narrows the filters.
"""

import json
import math
from collections.abc import Sequence

from django.conf import settings
from django.db import connections
from django.db.models import QuerySet

COUNT_CAP = 1000
MAX_PAGE = 2000


def _page_number(raw) -> int:
    """The page asked for: a whole number within 1..MAX_PAGE, else 1 (malformed) or the bound."""
    try:
        number = int(str(raw)[:8])
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def row_estimate(queryset: QuerySet) -> int | None:
    """PostgreSQL's planner estimate of the rows `queryset` returns (no rows read); None elsewhere or when
    the plan cannot be read."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    try:
        plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
        return int(plan[0]["Plan"]["Plan Rows"])
    except (ValueError, KeyError, IndexError, TypeError):
        return None


class BoundedPaginator:
    """What the templates read of a paginator: `count`, `num_pages`, and whether they are exact."""

    def __init__(self, queryset: QuerySet, per_page: int, *, cap: int = COUNT_CAP):
        self.per_page = per_page
        self.cap = cap
        counted = queryset.order_by().values("pk")[: cap + 1].count()
        self.count_exact = counted <= cap
        self.estimate = None if self.count_exact else row_estimate(queryset)
        if self.estimate is not None and self.estimate <= cap:
            self.estimate = None  # an estimate below what was counted is wrong: say "more than the cap"
        self.count = counted if self.count_exact else (self.estimate or cap)
        self.num_pages = max(math.ceil(counted / per_page), 1) if self.count_exact else None


class BoundedPage(Sequence):
    """One page of rows (a list), with Django's Page interface for the templates."""

    def __init__(self, rows: list, number: int, paginator: BoundedPaginator, has_next: bool):
        self.object_list = rows
        self.number = number
        self.paginator = paginator
        self._has_next = has_next

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def __repr__(self) -> str:
        return f"<Page {self.number}>"

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)

    @property
    def at_limit(self) -> bool:
        """The last page that may be asked for, with rows beyond it: narrow the filters to see them."""
        return self.number == MAX_PAGE and self._has_next


def paginate(request, queryset: QuerySet, per_page: int | None = None, *, cap: int = COUNT_CAP) -> BoundedPage:
    """The requested page of a queryset: malformed page numbers give the first page; beyond the last page,
    the last page when the total is exact, else an empty page whose "previous" link leads back."""
    per_page = per_page or settings.PAGE_SIZE
    paginator = BoundedPaginator(queryset, per_page, cap=cap)
    number = _page_number(request.GET.get("page"))
    if paginator.num_pages is not None:
        number = min(number, paginator.num_pages)
        if paginator.count == 0:
            return BoundedPage([], 1, paginator, False)
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])  # one more than shown: is there a next page?
    return BoundedPage(rows[:per_page], number, paginator, len(rows) > per_page)


def pick(request, options: Sequence, *, default_pk: int | None = None, param: str = "street"):
    """Of a page's sections (streets) the one shown: the one `?street=` names, else the user's own
    (`default_pk`), else the first; None when there are none. A value that names none of them is ignored."""
    by_pk = {option.pk: option for option in options}
    raw = str(request.GET.get(param, ""))[:12]
    if raw.isdigit() and int(raw) in by_pk:
        return by_pk[int(raw)]
    if default_pk in by_pk:
        return by_pk[default_pk]
    return options[0] if options else None
