"""Counts per community rolled up the organisation tree: a community's figures belong to every area above it
(its city or county, its prefecture, the province), read from its street's area's materialised path.

The apps that keep a roll-up counter table (yushu_gov/counts) map the contribution of a write, keyed by
community first and (year, month) last, to the areas above each community (`to_areas`), and recount it by
adding up rows grouped by the street area's path (`expanded`). When the tree changes shape (an area moved, a
street hung on another area, a community on another street), `tree_changed` recounts the roll-ups in the same
transaction: they are small (areas × months) and recounted from the monthly counts, not from the records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from yushu_gov.counts import monthly
from yushu_gov.counts.monthly import Amounts, Contribution, Key

from .models import PATH_SEPARATOR, Community


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


def _add(row: dict, amounts: Amounts) -> None:
    for name, value in amounts.items():
        row[name] = row.get(name, 0) + value


def to_areas(*contributions: Contribution) -> list[Contribution]:
    """Each contribution (keys: community first, year and month last) rolled up to the areas above its
    communities (keys: area, year, month); one query for them all."""
    areas = areas_above(key[0] for contribution in contributions for key in contribution)
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


def tree_changed() -> int:
    """The roll-ups recounted after the tree changed shape; call it in the change's transaction."""
    return monthly.rebuild_rollups()
