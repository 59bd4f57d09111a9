"""Counter tables kept in the writer's transaction, and recounted from the records.

A counter table is a model with a unique key (several fields) and count fields (integers or decimals). The app
that owns it describes it once (`CounterTable`) and registers it (`register`, in its AppConfig.ready()).

Keeping it: a write service computes what its record adds to the table before and after the change
({key: {field: amount}}) and calls `apply(table, added=after, removed=before)` in the same transaction.
`apply` adds the difference with one UPDATE … SET field = field + n per key touched, and creates the row when
there is none yet; a row created at the same moment by another transaction (the unique constraint answers) is
then updated instead. That is correct on PostgreSQL (READ COMMITTED: the second UPDATE sees the row the other
transaction committed) and on SQLite (one writer at a time).

Recounting: the table's `recount()` yields (key, amounts) pairs from the records in key order (several pairs
may share a key; they come one after the other). `rebuild` and `differences` read it and the table as two
streams in key order, in chunks, and write in batches: the memory they take does not grow with the table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from django.db import IntegrityError, models, transaction
from django.db.models import F

Key = tuple
Amounts = dict[str, int | Decimal]
Contribution = dict[Key, Amounts]

CHUNK = 5000  # rows read per round trip


@dataclass(frozen=True)
class CounterTable:
    """A counter table: its model, the fields (attnames) of its unique key, in the order keys are given and
    sorted, the fields it counts, and how to recount them (pairs in key order)."""

    model: type[models.Model]
    key_fields: tuple[str, ...]
    count_fields: tuple[str, ...]
    recount: Callable[[], Iterable[tuple[Key, Amounts]]]
    # A roll-up of other counter tables along a hierarchy (the organisation tree): recounted after the tables
    # that are not.
    rollup: bool = False
    # A roll-up's recount restricted to a part of the records (the hierarchy's owner says which part), so that a
    # change of shape that touches that part moves only its counts.
    recount_part: Callable[[set], Iterable[tuple[Key, Amounts]]] | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label


_TABLES: dict[str, CounterTable] = {}


def register(table: CounterTable) -> CounterTable:
    """Makes the table known to `manage.py rebuild_summaries`; returns it (for the app's services)."""
    _TABLES[table.label] = table
    return table


def registered() -> list[CounterTable]:
    """The tables in the order they are recounted: the roll-ups last (they are recounted from the others)."""
    return sorted(_TABLES.values(), key=lambda table: (table.rollup, table.label))


def _nonzero(amounts: Amounts) -> Amounts:
    return {name: value for name, value in amounts.items() if value}


def difference(*, added: Contribution, removed: Contribution) -> Contribution:
    """What changes, per key: `added` minus `removed`, without the zeros."""
    rows: dict[Key, dict] = {}
    for sign, contribution in ((1, added), (-1, removed)):
        for key, amounts in contribution.items():
            row = rows.setdefault(key, {})
            for name, value in amounts.items():
                if value:
                    row[name] = row.get(name, 0) + sign * value
    return {key: kept for key, amounts in rows.items() if (kept := _nonzero(amounts))}


def _key_filter(table: CounterTable, key: Key) -> dict:
    return dict(zip(table.key_fields, key, strict=True))


def apply(table: CounterTable, *, added: Contribution | None = None, removed: Contribution | None = None) -> None:
    """Adds `added` and takes away `removed` (a record's contribution after and before a change). Call it
    inside the write's transaction. One UPDATE per key that changes (two queries more on a key's first
    record); nothing when the change does not touch what is counted."""
    manager = table.model._default_manager
    changes = difference(added=added or {}, removed=removed or {})
    for key, amounts in sorted(changes.items()):  # a fixed order: two writers lock rows in the same order
        increments = {name: F(name) + value for name, value in amounts.items()}
        if manager.filter(**_key_filter(table, key)).update(**increments):
            continue
        try:
            with transaction.atomic():
                manager.create(**_key_filter(table, key), **amounts)
        except IntegrityError:
            # Another transaction created the row in between: it is there now.
            manager.filter(**_key_filter(table, key)).update(**increments)


def merged(pairs: Iterable[tuple[Key, Amounts]]) -> Iterator[tuple[Key, Amounts]]:
    """The pairs in key order, those of one key added up, without zero amounts or empty rows. Raises ValueError
    when the pairs are not in key order (the streams could not be merged)."""
    previous = None
    for key, group in groupby(pairs, key=lambda pair: tuple(pair[0])):
        if previous is not None and key <= previous:
            raise ValueError(f"counts out of key order: {key} after {previous}")
        previous = key
        total: dict = {}
        for _key, amounts in group:
            for name, value in amounts.items():
                if value:
                    total[name] = total.get(name, 0) + value
        if kept := _nonzero(total):
            yield key, kept


def stored(table: CounterTable) -> Iterator[tuple[Key, Amounts]]:
    """The table as it holds the counts, in key order (no zero amounts, no rows left at zero)."""
    width = len(table.key_fields)
    rows = (
        table.model._default_manager.order_by(*table.key_fields)
        .values_list(*table.key_fields, *table.count_fields)
        .iterator(chunk_size=CHUNK)
    )
    return merged((values[:width], dict(zip(table.count_fields, values[width:], strict=True))) for values in rows)


def recounted(table: CounterTable) -> Iterator[tuple[Key, Amounts]]:
    """The counts as the records give them, in key order (no zero amounts, no empty rows)."""
    return merged(table.recount())


def differences(table: CounterTable) -> int:
    """How many keys the table and the records count differently (the two streams merged in key order)."""
    kept, counted = stored(table), recounted(table)
    end = object()
    a, b = next(kept, end), next(counted, end)
    differing = 0
    while a is not end or b is not end:
        if b is end or (a is not end and a[0] < b[0]):
            differing, a = differing + 1, next(kept, end)
        elif a is end or b[0] < a[0]:
            differing, b = differing + 1, next(counted, end)
        else:
            differing += a[1] != b[1]
            a, b = next(kept, end), next(counted, end)
    return differing


def count_rows(table: CounterTable) -> int:
    return table.model._default_manager.count()


@transaction.atomic
def rebuild(table: CounterTable, *, batch_size: int = 2000) -> int:
    """Recomputes the whole table from the records (after bulk inserts that bypass the services, such as the
    demo and scale data sets), reading the records in chunks and writing in batches. Returns the number of
    rows written."""
    model = table.model
    model._default_manager.all().delete()
    written, batch = 0, []
    for key, amounts in recounted(table):
        batch.append(model(**_key_filter(table, key), **amounts))
        if len(batch) >= batch_size:
            model._default_manager.bulk_create(batch)
            written, batch = written + len(batch), []
    if batch:
        model._default_manager.bulk_create(batch)
        written += len(batch)
    return written


def rebuild_all() -> int:
    """Every registered table rebuilt; the number of rows written."""
    return sum(rebuild(table) for table in registered())
