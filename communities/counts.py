"""The police-call figures rolled up the organisation tree (AreaCallMonth, a counter table of yushu_gov/counts).

A figure (community, year, month) adds its count to `calls` and one to `figures`; when the same community has a
figure for the same month a year earlier, it also adds its count to `compared`, the earlier one to
`compared_before` and one to `compared_months` (the year-on-year change compares like with like). So a write
to one figure also changes what the figure a year later contributes: `counted` reads both. The services take
what the figures touched contribute before and after the write (`kept`), in the write's transaction."""

from collections.abc import Iterable
from contextlib import contextmanager

from django.db.models import Count, F, FilteredRelation, Q, Sum

from yushu_gov.counts import monthly
from yushu_gov.counts.monthly import Contribution, CounterTable

from .models import AreaCallMonth, PoliceCallCount
from .rollups import expanded, to_areas

CallKey = tuple[int, int, int]  # (community id, year, month)


def counted(keys: Iterable[CallKey]) -> Contribution:
    """What the figures at `keys`, and those a year after them, contribute as they stand now (one query)."""
    wanted = set()
    for community_id, year, month in keys:
        wanted |= {(community_id, year, month), (community_id, year + 1, month)}
    if not wanted:
        return {}
    communities = {key[0] for key in wanted}
    years = {key[1] for key in wanted} | {key[1] - 1 for key in wanted}
    months = {key[2] for key in wanted}
    figures = {
        (c, y, m): n
        for c, y, m, n in PoliceCallCount.objects.filter(
            community_id__in=communities, year__in=years, month__in=months
        ).values_list("community_id", "year", "month", "count")
    }
    contribution = {}
    for key in wanted:
        count = figures.get(key)
        if count is None:
            continue
        amounts = {"calls": count, "figures": 1}
        before = figures.get((key[0], key[1] - 1, key[2]))
        if before is not None:
            amounts.update(compared=count, compared_before=before, compared_months=1)
        contribution[key] = amounts
    return contribution


@contextmanager
def kept(keys: Iterable[CallKey]):
    """Around a write to the figures at `keys`: their roll-up kept, from what they contribute before and after."""
    keys = set(keys)
    before = counted(keys)
    yield
    added, removed = to_areas(counted(keys), before)
    monthly.apply(TABLE, added=added, removed=removed)


def recount(streets=None):
    """The figures added up per street area and month (one grouped query, each figure joined to the one a year
    earlier on the unique community, year and month), then for every area above it; those of the given streets'
    communities only, when given."""
    before = FilteredRelation(
        "community__police_call_counts",
        condition=Q(community__police_call_counts__year=F("year") - 1, community__police_call_counts__month=F("month")),
    )
    figures = PoliceCallCount.objects.all()
    if streets is not None:
        figures = figures.filter(community__street_id__in=streets)
    rows = (
        figures.annotate(before=before)
        .values("community__street__area__path", "year", "month")
        .annotate(
            calls=Sum("count"),
            figures=Count("pk"),
            compared=Sum("count", filter=Q(before__isnull=False)),
            compared_before=Sum("before__count"),
            compared_months=Count("before__pk"),
        )
        .order_by()
    )
    return expanded(
        (
            row["community__street__area__path"],
            row["year"],
            row["month"],
            {name: row[name] or 0 for name in AreaCallMonth.COUNT_FIELDS},
        )
        for row in rows.iterator(chunk_size=5000)
    )


TABLE = CounterTable(
    model=AreaCallMonth,
    key_fields=AreaCallMonth.KEY_FIELDS,
    count_fields=AreaCallMonth.COUNT_FIELDS,
    recount=recount,
    rollup=True,
    recount_part=recount,
)
