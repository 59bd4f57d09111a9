"""Sortable columns for every list: `?sort=name` sorts by a column ascending, `?sort=-name` descending. Only
the columns a view names can be sorted by, so a query string never reaches `order_by` unchecked."""

from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class Sorting:
    key: str  # the column sorted by ("" when the list keeps its default order)
    descending: bool
    columns: frozenset[str]

    def state(self, column: str) -> str:
        """ "ascending", "descending" or "" (aria-sort)."""
        if column != self.key:
            return ""
        return "descending" if self.descending else "ascending"

    def next_value(self, column: str) -> str:
        """The ?sort= value of the column's header link: ascending first, then the other way round."""
        return f"-{column}" if column == self.key and not self.descending else column


def _flip(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"


def sort_by(request, queryset: QuerySet, columns: dict[str, tuple[str, ...]]) -> tuple[QuerySet, Sorting]:
    """The queryset in the order ?sort= asks for, if it names one of `columns` ({column: order_by fields});
    otherwise its own order. The primary key breaks ties, so that pages never overlap."""
    raw = str(request.GET.get("sort", ""))[:40]
    descending = raw.startswith("-")
    key = raw.removeprefix("-")
    if key not in columns:
        return queryset, Sorting("", False, frozenset(columns))
    fields = [(_flip(f) if descending else f) for f in columns[key]]
    tie = "-pk" if descending else "pk"
    return queryset.order_by(*fields, tie), Sorting(key, descending, frozenset(columns))
