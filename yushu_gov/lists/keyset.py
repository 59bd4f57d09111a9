"""Keyset paging: a deep page of a long list costs what the first page costs.

An OFFSET makes the database read and throw away every row before the page: page 2,000 of the audit log reads
100,000 rows to show 50. Here "next page" carries the last row's sort key instead (`?after=<cursor>`), and the
page is the rows after it: `WHERE (at, id) < (last at, last id) ORDER BY at DESC, id DESC LIMIT 51`, which an
index on (at, id) serves by starting where the previous page stopped. "Previous page" does the same backwards
from the page's first row (`?before=<cursor>`); "first page" drops the cursor.

- The order is the queryset's own (`order_by`, else the model's `Meta.ordering`), which must end with the
  primary key, the unique tie-breaker (`sort_by` adds it), so that no row falls between two pages or shows on
  both. Every field of it must be non-null: a NULL compares as nothing, and the two databases put it at
  different ends.
- The cursor is the last (first) row's values of those fields, the page's number (for "第 N 页") and a
  fingerprint of the order, as base64 JSON. It is not a secret: it only narrows a queryset that is already the
  user's scope. A cursor that is malformed, too long, or made for another order (the user sorted by another
  column) gives the first page, like a malformed page number.
- The condition is written as `a <= x AND (a < x OR (a = x AND id < y))`: the same rows as the row comparison
  `(a, id) < (x, y)`, whichever direction each field has, and the leading `a <= x` is what lets PostgreSQL
  start the index scan at the cursor instead of filtering from the first row.
- The first page and the filters are as before (`pagination.BoundedPaginator`: the total counted up to
  `COUNT_CAP` rows, an estimate beyond). There are no page numbers to jump to and no "last page" link: a deep
  page is reached by "next page", or by narrowing the filters.

Queries: one capped count (plus PostgreSQL's EXPLAIN when the count reaches the cap), then the page's rows
(none when the list is empty); never an OFFSET.
"""

import base64
import binascii
import hashlib
import json
import operator
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import reduce

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from yushu_gov.lists.pagination import COUNT_CAP, BoundedPaginator

AFTER = "after"
BEFORE = "before"
MAX_CURSOR = 600  # characters of a cursor in the query string; longer ones are ignored


def _order(queryset: QuerySet) -> list[str]:
    """The queryset's order as field paths ("-at", "id"), `pk` spelled as the primary key's name. Raises
    ValueError when it is not keyset-pageable (an expression, a nullable field, no primary key at the end)."""
    model = queryset.model
    fields = list(queryset.query.order_by or model._meta.ordering)
    order = []
    for field in fields:
        if not isinstance(field, str):
            raise ValueError(f"keyset paging needs field names, not {field!r}")
        descending = field.startswith("-")
        path = field.removeprefix("-")
        if path == "pk":
            path = model._meta.pk.name
        _field_at(model, path)  # raises on a nullable field
        order.append(f"-{path}" if descending else path)
    if not order or order[-1].removeprefix("-") != model._meta.pk.name:
        raise ValueError(f"keyset paging needs the primary key last in the order, not {fields!r}")
    return order


def _field_at(model, path: str):
    """The model field at the end of `path` ("community__street__sort_order"); ValueError when it, or a
    relation on the way, may be NULL."""
    field = None
    for part in path.split("__"):
        field = model._meta.get_field(part)
        if getattr(field, "null", False):
            raise ValueError(f"keyset paging needs non-null fields: {path} may be NULL")
        model = field.related_model if field.is_relation else model
    return field


def _value_of(row, path: str):
    """The row's value of a field path, through the related objects the queryset selected."""
    value = row
    for part in path.split("__"):
        value = getattr(value, part)
    return value


def _encoded(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()  # to the microsecond: the next page starts exactly after this row
    if isinstance(value, Decimal):
        return str(value)
    return value


def _fingerprint(order: list[str]) -> str:
    return hashlib.sha256(",".join(order).encode()).hexdigest()[:8]


def make_cursor(order: list[str], row, number: int) -> str:
    values = [_encoded(_value_of(row, path.removeprefix("-"))) for path in order]
    raw = json.dumps([_fingerprint(order), number, values], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def read_cursor(model, order: list[str], raw: str) -> tuple[int, list] | None:
    """(page number, the row's values as Python values) of a cursor made for this order; None otherwise."""
    raw = str(raw or "")
    if not raw or len(raw) > MAX_CURSOR:
        return None
    try:
        decoded = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        fingerprint, number, values = decoded
        if fingerprint != _fingerprint(order) or len(values) != len(order):
            return None
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 10**7:
            return None
        fields = [_field_at(model, path.removeprefix("-")) for path in order]
        fields = [f.target_field if f.is_relation else f for f in fields]
        values = [field.to_python(value) for field, value in zip(fields, values, strict=True)]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, ValidationError):
        return None
    if any(value is None for value in values):
        return None
    return number, values


def beyond(order: list[str], values: list, *, backwards: bool = False) -> Q:
    """The rows after (`backwards`: before) the row with these values, in this order."""
    steps = []
    for i, field in enumerate(order):
        later = "lt" if field.startswith("-") != backwards else "gt"
        equal = {p.removeprefix("-"): v for p, v in zip(order[:i], values[:i], strict=True)}
        steps.append(Q(**equal, **{f"{field.removeprefix('-')}__{later}": values[i]}))
    first = order[0]
    bound = "lte" if first.startswith("-") != backwards else "gte"
    return Q(**{f"{first.removeprefix('-')}__{bound}": values[0]}) & reduce(operator.or_, steps)


def _flipped(order: list[str]) -> list[str]:
    return [f.removeprefix("-") if f.startswith("-") else f"-{f}" for f in order]


class KeysetPage(Sequence):
    """One page of rows, with what the templates read: the counted total (`paginator`), the page's number, and
    the cursors of the "next" and "previous" links (None when there is no such page)."""

    def __init__(self, rows, *, number, paginator, next_cursor=None, previous_cursor=None, first_link=False):
        self.object_list = rows
        self.number = number
        self.paginator = paginator
        self.next_cursor = next_cursor
        self.previous_cursor = previous_cursor
        self.first_link = first_link  # "first page": this is a later page

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def __repr__(self) -> str:
        return f"<KeysetPage {self.number}>"

    def has_next(self) -> bool:
        return self.next_cursor is not None

    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous() or self.first_link


def keyset_paginate(request, queryset: QuerySet, per_page: int | None = None, *, cap: int = COUNT_CAP) -> KeysetPage:
    """The page of `queryset` that `?after=` or `?before=` names, else the first page (see the module)."""
    per_page = per_page or settings.PAGE_SIZE
    order = _order(queryset)
    paginator = BoundedPaginator(queryset, per_page, cap=cap)
    after = read_cursor(queryset.model, order, request.GET.get(AFTER))
    before = None if after else read_cursor(queryset.model, order, request.GET.get(BEFORE))
    if paginator.count == 0:
        return KeysetPage([], number=1, paginator=paginator)
    ordered = queryset.order_by(*order)
    if before:
        number = max(before[0] - 1, 1)
        rows = list(ordered.filter(beyond(order, before[1], backwards=True)).order_by(*_flipped(order))[: per_page + 1])
        more_before = len(rows) > per_page
        rows = rows[:per_page][::-1]
        if not more_before:
            number = 1
        return KeysetPage(
            rows,
            number=number,
            paginator=paginator,
            next_cursor=make_cursor(order, rows[-1], number) if rows else None,
            previous_cursor=make_cursor(order, rows[0], number) if more_before else None,
            first_link=more_before,
        )
    if after:
        number = after[0] + 1
        rows = list(ordered.filter(beyond(order, after[1]))[: per_page + 1])
    else:
        number = 1
        rows = list(ordered[: per_page + 1])
    shown = rows[:per_page]
    return KeysetPage(
        shown,
        number=number,
        paginator=paginator,
        next_cursor=make_cursor(order, shown[-1], number) if len(rows) > per_page else None,
        previous_cursor=make_cursor(order, shown[0], number) if after and shown else None,
        first_link=after is not None,
    )
