"""The talk compliance of the monthly rule, rolled up per street and up the organisation tree (StreetTalkMonth,
AreaTalkMonth: counter tables of yushu_gov/counts), so that a node's figures cost its streets or its own rows
× months, not one row per officer.

What an officer adds, in a street (his terms there merged, whatever the number of his communities in it):
- `arrived` in the first month of each stretch of months he served there, `departed` in the month after its
  last one (none while the term runs): the officers serving in a month are the arrivals less the departures up
  to it;
- `held` in each month with at least one live talk with him in the street, in a year he served there (the
  grid counts no officer who did not serve in the year), and `held_serving` when he served in that month.

Both tables are kept in the writer's transaction by `kept(pairs)`: the talk counts' writes (counts.keep) and
the appointments' transitions (officers/services.py) take the (officer, street) pairs' contribution before and
after the write, two queries each time, and apply the difference. `manage.py rebuild_summaries` recounts them
from the terms and the talks' monthly counts, and so does a change of the tree's shape (both are roll-ups).

The figures read from them (`rolled_up`) are talk_months' for the monthly rule, month by month:
    serving  = arrivals − departures up to the month
    due      = held + (serving − held_serving)  in a month that has begun, else held
    overdue  = serving − held_serving           in a month that has passed, else 0
A scope where a level has set a longer period (TalkRule) is counted from the rows as before (`monthly_rule`).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from communities.rollups import path_ids, street_areas_above, to_areas
from officers.models import Appointment
from yushu_gov.counts import monthly
from yushu_gov.counts.monthly import Contribution, CounterTable

from .models import AreaTalkMonth, StreetTalkMonth, TalkMonth, TalkRule

Pair = tuple[int, int]  # (officer id, street id)
HELD_TERMS = (Appointment.Status.SERVING, Appointment.Status.ENDED)


def _index(year: int, month: int) -> int:
    return year * 12 + month - 1


def _month(index: int) -> tuple[int, int]:
    return index // 12, index % 12 + 1


def _stretches(terms: Iterable[tuple[date, date | None]]) -> list[tuple[int, int | None]]:
    """The month indexes served, merged: [(first, last or None while serving)], in order."""
    spans = sorted((_index(s.year, s.month), None if e is None else _index(e.year, e.month)) for s, e in terms)
    merged: list[list] = []
    for first, last in spans:
        if merged and (merged[-1][1] is None or first <= merged[-1][1] + 1):
            if merged[-1][1] is not None:
                merged[-1][1] = None if last is None else max(merged[-1][1], last)
            continue
        merged.append([first, last])
    return [(first, last) for first, last in merged]


def _add(rows: Contribution, key: tuple, field: str) -> None:
    row = rows.setdefault(key, {})
    row[field] = row.get(field, 0) + 1


def _pair_counts(street_id: int, terms, held_months, rows: Contribution) -> None:
    """One (officer, street) pair's contribution added to `rows` ({(street, year, month): amounts})."""
    stretches = _stretches(terms)
    for first, last in stretches:
        _add(rows, (street_id, *_month(first)), "arrived")
        if last is not None:
            _add(rows, (street_id, *_month(last + 1)), "departed")
    for year, month in held_months:
        index, january, december = _index(year, month), _index(year, 1), _index(year, 12)
        if not any(first <= december and (last is None or last >= january) for first, last in stretches):
            continue  # not serving in the street that year: the grid does not count him
        _add(rows, (street_id, year, month), "held")
        if any(first <= index and (last is None or index <= last) for first, last in stretches):
            _add(rows, (street_id, year, month), "held_serving")


def _terms(pairs: set[Pair] | None, streets=None):
    terms = Appointment.objects.filter(status__in=HELD_TERMS, started_on__isnull=False)
    held = TalkMonth.objects.filter(talks__gt=0)
    if streets is not None:  # every pair of these streets
        terms = terms.filter(community__street_id__in=streets)
        held = held.filter(community__street_id__in=streets)
    if pairs is not None:
        officers, streets = {o for o, _s in pairs}, {s for _o, s in pairs}
        terms = terms.filter(officer_id__in=officers, community__street_id__in=streets)
        held = held.filter(officer_id__in=officers, community__street_id__in=streets)
    terms = terms.values_list("officer_id", "community__street_id", "started_on", "ended_on").order_by()
    held = held.values_list("officer_id", "community__street_id", "year", "month").distinct().order_by()
    by_pair: dict[Pair, tuple[list, set]] = {}
    for officer_id, street_id, started_on, ended_on in terms.iterator(chunk_size=5000):
        by_pair.setdefault((officer_id, street_id), ([], set()))[0].append((started_on, ended_on))
    for officer_id, street_id, year, month in held.iterator(chunk_size=5000):
        by_pair.setdefault((officer_id, street_id), ([], set()))[1].add((year, month))
    return {pair: value for pair, value in by_pair.items() if pairs is None or pair in pairs}


def street_counts(pairs: set[Pair] | None = None, streets=None) -> Contribution:
    """The pairs' contribution to StreetTalkMonth (every pair's with None; of the given streets' pairs only, when
    given): two queries."""
    rows: Contribution = {}
    for (_officer_id, street_id), (terms, held_months) in _terms(pairs, streets).items():
        _pair_counts(street_id, terms, held_months, rows)
    return rows


def _recount_streets(streets=None):
    return sorted(street_counts(streets=streets).items())


def _recount_areas(streets=None):
    (rows,) = to_areas(street_counts(streets=streets), above=street_areas_above)
    return sorted(rows.items())


STREET_TABLE = CounterTable(
    model=StreetTalkMonth,
    key_fields=StreetTalkMonth.KEY_FIELDS,
    count_fields=StreetTalkMonth.COUNT_FIELDS,
    recount=_recount_streets,
    rollup=True,  # a community on another street changes its pairs: recounted with the tree
    recount_part=_recount_streets,
)
AREA_TABLE = CounterTable(
    model=AreaTalkMonth,
    key_fields=AreaTalkMonth.KEY_FIELDS,
    count_fields=AreaTalkMonth.COUNT_FIELDS,
    recount=_recount_areas,
    rollup=True,
    recount_part=_recount_areas,
)


@contextmanager
def kept(pairs: Iterable[Pair]):
    """Keeps both tables across a write that may change the pairs' terms or talks: their contribution before
    and after it, applied in the write's transaction (four queries, plus one UPDATE per row that changes)."""
    pairs = {pair for pair in pairs if None not in pair}
    before = street_counts(pairs) if pairs else {}
    yield
    if not pairs:
        return
    after = street_counts(pairs)
    if after == before:
        return
    monthly.apply(STREET_TABLE, added=after, removed=before)
    area_after, area_before = to_areas(after, before, above=street_areas_above)
    monthly.apply(AREA_TABLE, added=area_after, removed=area_before)


def monthly_rule(area_path: str | None) -> bool:
    """Whether a talk is due every month throughout the scope (the node at `area_path`, or the deployment with
    None): no level above, at or below the node sets a longer period. One query."""
    longer = TalkRule.objects.exclude(every_months=1)
    if area_path is not None:
        longer = longer.filter(
            Q(area__isnull=True) | Q(area_id__in=path_ids(area_path)) | Q(area__path__startswith=area_path)
        )
    return not longer.exists()


@dataclass
class Figures:
    """One unit's compliance, as talk_months counts it: (held, due, overdue) in the focus month and the year."""

    month: tuple[int, int, int] = (0, 0, 0)
    year: tuple[int, int, int] = (0, 0, 0)


def figures(rows, *, year: int, today: date) -> dict:
    """{unit: Figures} from roll-up rows (unit, year, month, arrived, departed, held, held_serving) of every
    month up to December of `year`, in any order."""
    past_end = 13 if year < today.year else 1 if year > today.year else today.month
    current = today.month if year == today.year else None
    focus = current or 12
    units: dict = {}
    for unit, y, m, arrived, departed, held, held_serving in rows:
        entry = units.setdefault(unit, [0, [0] * 13, [0] * 13, [0] * 13])
        change = (arrived or 0) - (departed or 0)
        if y < year:
            entry[0] += change
        else:
            entry[1][m] += change
            entry[2][m] += held or 0
            entry[3][m] += held_serving or 0
    result = {}
    for unit, (serving, changes, held, held_serving) in units.items():
        year_figures, month_figures, served = [0, 0, 0], (0, 0, 0), 0
        for m in range(1, 13):
            serving += changes[m]
            served = max(served, serving)
            missing = serving - held_serving[m]
            begun = m < past_end or m == current
            this = (held[m], held[m] + (missing if begun else 0), missing if m < past_end else 0)
            year_figures = [a + b for a, b in zip(year_figures, this, strict=True)]
            if m == focus:
                month_figures = this
        if served or any(held):
            result[unit] = Figures(month_figures, tuple(year_figures))
    return result


def _rows(queryset, *unit: str, year: int):
    return (
        queryset.filter(year__lte=year)
        .values_list(*unit, "year", "month")
        .annotate(Sum("arrived"), Sum("departed"), Sum("held"), Sum("held_serving"))
        .order_by()
    )


def node_figures(*, areas, year: int, today: date) -> Figures:
    """The figures of the areas' subtrees together (a node: itself; no node: the roots), from their own rows.
    One query."""
    rows = ((None, *row) for row in _rows(AreaTalkMonth.objects.filter(area__in=areas), year=year))
    return figures(rows, year=year, today=today).get(None, Figures())


def street_figures(*, streets, year: int, today: date) -> dict[tuple[int, str, int], Figures]:
    """{(street id, name, sort order): Figures} of the streets (a queryset of them). Two queries: the streets with
    the officers serving there as the year begins (the arrivals less the departures of the years before, added
    up in the database), and the year's rows."""
    before = (
        StreetTalkMonth.objects.filter(street=OuterRef("pk"), year__lt=year)
        .order_by()
        .values("street")
        .annotate(n=Sum(F("arrived") - F("departed")))
        .values("n")
    )
    heads = list(
        streets.annotate(serving=Coalesce(Subquery(before), 0)).values_list("pk", "name", "sort_order", "serving")
    )
    units = {pk: (pk, name, order) for pk, name, order, _serving in heads}
    # The serving count as the year begins stands as December of the year before (figures() adds it up).
    rows = [(units[pk], year - 1, 12, serving, 0, 0, 0) for pk, _name, _order, serving in heads if serving]
    year_rows = StreetTalkMonth.objects.filter(street__in=streets, year=year).order_by()
    fields = ("street_id", "year", "month", *StreetTalkMonth.COUNT_FIELDS)
    rows += [(units[row[0]], *row[1:]) for row in year_rows.values_list(*fields) if row[0] in units]
    return figures(rows, year=year, today=today)
