"""Counts per community rolled up the organisation tree: a community's figures belong to every area above it
(its city or county, its prefecture, the province), read from its street's area's materialised path.

The apps that keep a roll-up counter table (yushu_gov/counts) map the contribution of a write, keyed by
community first and (year, month) last, to the areas above each community (`to_areas`), and recount it by
adding up rows grouped by the street area's path (`expanded`). When the tree changes shape, in the change's
transaction: an area moved (area_move) takes its own rows, the sums of its subtree, from the ancestors it left to
those it joined (`subtree_moved`: its rows × a few ancestors); a street hung on another area or a community on
another street (the admin site) moves what those streets' records contribute (`streets_rehung`). Every roll-up
can also be recounted from the records (`manage.py rebuild_summaries`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db.models import Exists, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from yushu_gov.counts import monthly
from yushu_gov.counts.monthly import Amounts, Contribution, Key

from .models import PATH_SEPARATOR, Community, Street


def path_ids(path: str) -> list[int]:
    """The ids of the areas on a materialised path, from the root down: "1.5.9." gives [1, 5, 9]."""
    return [int(part) for part in path.split(PATH_SEPARATOR) if part]


def areas_above(community_ids: Iterable[int]) -> dict[int, list[int]]:
    """One query: each community's areas, from the root down to its street's area."""
    ids = set(community_ids)
    if not ids:
        return {}
    rows = Community.objects.filter(pk__in=ids).values_list("pk", "street__area__path")
    return {pk: path_ids(path) for pk, path in rows}


def street_areas_above(street_ids: Iterable[int]) -> dict[int, list[int]]:
    """One query: each street's areas, from the root down to its own."""
    ids = set(street_ids)
    if not ids:
        return {}
    return {pk: path_ids(path) for pk, path in Street.objects.filter(pk__in=ids).values_list("pk", "area__path")}


def _add(row: dict, amounts: Amounts) -> None:
    for name, value in amounts.items():
        row[name] = row.get(name, 0) + value


def to_areas(*contributions: Contribution, above=areas_above) -> list[Contribution]:
    """Each contribution (keys: community first, year and month last; with above=street_areas_above, street
    first) rolled up to the areas above its communities or streets (keys: area, year, month); one query for them
    all."""
    areas = above(key[0] for contribution in contributions for key in contribution)
    rolled = []
    for contribution in contributions:
        rows: dict[Key, dict] = {}
        for key, amounts in contribution.items():
            for area_id in areas.get(key[0], ()):
                _add(rows.setdefault((area_id, key[-2], key[-1]), {}), amounts)
        rolled.append(rows)
    return rolled


def expanded(rows: Iterable[tuple[str, int, int, Amounts]]) -> Iterator[tuple[Key, Amounts]]:
    """Rows grouped by (street area's path, year, month), added up for every area on each path: the roll-up's
    recount, in key order. Holds areas × months in memory, not communities."""
    totals: dict[Key, dict] = {}
    for path, year, month, amounts in rows:
        for area_id in path_ids(path):
            _add(totals.setdefault((area_id, year, month), {}), amounts)
    for key in sorted(totals):
        yield key, totals[key]


@contextmanager
def streets_rehung(streets: Iterable[int]):
    """Around a change that hangs streets, or communities of them, elsewhere in the tree (the admin site: a
    street on another city or county, a community on another street), in its transaction: every roll-up takes
    what the records of those streets contribute before and after the change (its recount of that part, from
    the tree as it stands), and the difference is applied. The cost follows those streets' records."""
    streets = set(streets)
    tables = [table for table in monthly.registered() if table.rollup and table.recount_part is not None]
    before = {table.label: dict(monthly.merged(table.recount_part(streets))) for table in tables}
    yield
    for table in tables:
        after = dict(monthly.merged(table.recount_part(streets)))
        monthly.apply(table, added=after, removed=before[table.label])


def subtree_moved(area_id: int, old_path: str, new_path: str) -> None:
    """After `area_id` was hung elsewhere (its path was `old_path`, now `new_path`), in the move's transaction:
    in every roll-up keyed by area, the area's own rows (the sums of its subtree, which the move leaves as they
    are) are taken from the ancestors it left and added to those it joined. A few statements per ancestor and
    table, whatever lies below the area: a province's prefecture moves in well under a second, where a recount
    reads everything."""
    old_above, new_above = set(path_ids(old_path)[:-1]), set(path_ids(new_path)[:-1])
    for table in monthly.registered():
        if table.rollup and table.key_fields[0] == "area_id":
            for ancestor in sorted(old_above - new_above):
                _shift(table, area_id, ancestor, -1)
            for ancestor in sorted(new_above - old_above):
                _shift(table, area_id, ancestor, 1)


def _shift(table: monthly.CounterTable, area_id: int, ancestor: int, sign: int) -> None:
    """Adds (sign 1) or takes away (-1) the area's rows to or from the ancestor's: the area's keys are read (nothing
    more when it has none), the keys the ancestor lacks are created (at zero), then one UPDATE adds each count
    field from the matching row."""
    manager, keys = table.model._default_manager, table.key_fields[1:]
    own = manager.filter(area_id=area_id)
    own_keys = list(own.values_list(*keys))
    if not own_keys:
        return
    if sign > 0:
        have = set(manager.filter(area_id=ancestor).values_list(*keys))
        missing = [key for key in own_keys if key not in have]
        zero = dict.fromkeys(table.count_fields, 0)
        manager.bulk_create(
            table.model(area_id=ancestor, **dict(zip(keys, key, strict=True)), **zero) for key in missing
        )
    matching = own.filter(**{key.removesuffix("_id"): OuterRef(key.removesuffix("_id")) for key in keys})
    changes = {}
    for name in table.count_fields:
        field = table.model._meta.get_field(name)
        value = Coalesce(Subquery(matching.values(name)[:1]), Value(0), output_field=field)
        changes[name] = F(name) + value if sign > 0 else F(name) - value
    manager.filter(area_id=ancestor).filter(Exists(matching)).update(**changes)
