"""The monthly summaries (MonthlySummary, so that the dashboard's cost does not grow with the records): kept
up to date by the write services, recomputed by `rebuild()` (manage.py rebuild_summaries).

A write service computes what its record adds to the summaries before and after the change (its app's
`summary_of(record)`: {key: {column: amount}}), and calls `apply(added=after, removed=before)` in the same
transaction. `apply` adds the difference with one UPDATE … SET column = column + n per key touched, and
creates the row when there is none yet; a row created at the same moment by another transaction (the unique
constraint answers) is then updated instead. That is correct on PostgreSQL (READ COMMITTED: the second UPDATE
sees the row the other transaction committed) and on SQLite (one writer at a time).

The apps above this floor register how to recount their records from scratch (`register_source`, in their
AppConfig.ready()), so that `rebuild()` and `recount()` need no import of theirs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import MonthlySummary

# (community_id, officer_key, year, month)
Key = tuple[int, int, int, int]
Amounts = dict[str, int | Decimal]
Contribution = dict[Key, Amounts]

_SOURCES: dict[str, Callable[[], Iterable[tuple[Key, Amounts]]]] = {}


def register_source(name: str, recount: Callable[[], Iterable[tuple[Key, Amounts]]]) -> None:
    """`recount()` yields (key, amounts) pairs computed from the raw records (several pairs may share a key)."""
    _SOURCES[name] = recount


def _merge(target: dict, key: Key, amounts: Amounts, sign: int = 1) -> None:
    row = target.setdefault(key, defaultdict(int))
    for name, value in amounts.items():
        if value:
            row[name] += sign * value


def _nonzero(rows: dict) -> dict[Key, Amounts]:
    result = {}
    for key, amounts in rows.items():
        kept = {name: value for name, value in amounts.items() if value}
        if kept:
            result[key] = kept
    return result


def difference(*, added: Contribution, removed: Contribution) -> dict[Key, Amounts]:
    """What changes, per key: `added` minus `removed`, without the zeros."""
    rows: dict = {}
    for key, amounts in added.items():
        _merge(rows, key, amounts)
    for key, amounts in removed.items():
        _merge(rows, key, amounts, -1)
    return _nonzero(rows)


def _key_filter(key: Key) -> dict:
    community_id, officer_key, year, month = key
    return {"community_id": community_id, "officer_key": officer_key, "year": year, "month": month}


def apply(*, added: Contribution | None = None, removed: Contribution | None = None) -> None:
    """Adds `added` and takes away `removed` (a record's contribution before and after a change). Call it
    inside the write's transaction. One UPDATE per key that changes (two queries more on the first record of
    a community, officer and month); nothing when the change does not touch what is counted."""
    changes = difference(added=added or {}, removed=removed or {})
    for key, amounts in sorted(changes.items()):  # a fixed order: two writers lock rows in the same order
        increments = {name: F(name) + value for name, value in amounts.items()}
        if MonthlySummary.objects.filter(**_key_filter(key)).update(**increments):
            continue
        try:
            with transaction.atomic():
                MonthlySummary.objects.create(**_key_filter(key), **amounts)
        except IntegrityError:
            # Another transaction created the row in between: it is there now.
            MonthlySummary.objects.filter(**_key_filter(key)).update(**increments)


def recount() -> dict[Key, Amounts]:
    """The summaries as the raw records give them (no zero amounts, no empty rows)."""
    rows: dict = {}
    for recount_source in _SOURCES.values():
        for key, amounts in recount_source():
            _merge(rows, key, amounts)
    return _nonzero(rows)


def stored() -> dict[Key, Amounts]:
    """The summaries as the table holds them (no zero amounts, no rows left at zero)."""
    names = MonthlySummary.value_fields()
    rows = {}
    for values in MonthlySummary.objects.order_by().values_list(*MonthlySummary.KEY_FIELDS, *names):
        rows[tuple(values[:4])] = dict(zip(names, values[4:], strict=True))
    return _nonzero(rows)


@transaction.atomic
def rebuild(*, batch_size: int = 2000) -> int:
    """Recomputes the whole table from the raw records (after bulk inserts that bypass the services, such as
    the demo and scale data sets). Returns the number of rows written."""
    rows = recount()
    MonthlySummary.objects.all().delete()
    MonthlySummary.objects.bulk_create(
        (MonthlySummary(**_key_filter(key), **amounts) for key, amounts in rows.items()), batch_size=batch_size
    )
    return len(rows)
