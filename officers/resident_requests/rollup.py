"""The residents' requests' rates rolled up the organisation tree (AreaRequestMonth, AreaResolveTime: counter
tables of yushu_gov/counts), so that a node's rates cost its own and its children's rows × months, and its
open requests, not the year's tens of thousands of requests.

What a request adds, under its submission month (Asia/Shanghai) and every area above its community:
- to AreaRequestMonth: one received; one responded, and one responded in time (by its response deadline),
  once it has been responded to; one resolved once 已办结 or closed; one rated, and one satisfied for 满意 or
  基本满意;
- to AreaResolveTime, once resolved: one in the tenth of a day its resolution took (rounded down).

The two counts that depend on the hour (requests whose response is due though not yet given; overdue) are read
from the open requests alone (a partial index holds them). The median time to resolve is the histogram's: the
middle value(s) taken at the middle of their tenth of a day, within 0.05 day (1.2 hours) of the exact one.

The request services keep both tables in their transaction (`kept`: the requests' contribution before and after
the write, one query each); `manage.py rebuild_summaries` recounts them, and so does a change of the tree's
shape.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractMonth, ExtractYear, Floor
from django.utils import timezone

from communities.rollups import path_ids
from yushu_gov.counts import monthly
from yushu_gov.counts.monthly import Contribution, CounterTable
from yushu_gov.input.months import SHANGHAI
from yushu_gov.lists.aggregates import Seconds

from .models import AreaRequestMonth, AreaResolveTime, ResidentRequest

TENTH = 8640  # seconds in a tenth of a day
PATH = "community__street__area__path"
FIELDS = (PATH, "submitted_at", "responded_at", "respond_by", "resolved_at", "status", "rating")


def _counts(responded_at, respond_by, status, rating) -> dict:
    return {
        "received": 1,
        "responded": int(responded_at is not None),
        "responded_in_time": int(responded_at is not None and responded_at <= respond_by),
        "resolved": int(status in ResidentRequest.DONE),
        "rated": int(rating != ""),
        "satisfied": int(rating in ResidentRequest.SATISFIED_RATINGS),
    }


def _tenths(submitted_at, resolved_at) -> int:
    return max(0, math.floor((resolved_at - submitted_at).total_seconds() / TENTH))


def contributions(ids: Iterable[int]) -> tuple[Contribution, Contribution]:
    """The requests' contribution to each table as they stand in the database (one query)."""
    months: Contribution = {}
    times: Contribution = {}
    for path, submitted_at, responded_at, respond_by, resolved_at, status, rating in (
        ResidentRequest.objects.filter(pk__in=set(ids)).values_list(*FIELDS).order_by()
    ):
        local = timezone.localtime(submitted_at, SHANGHAI)
        counts = _counts(responded_at, respond_by, status, rating)
        done = status in ResidentRequest.DONE and resolved_at is not None
        for area_id in path_ids(path):
            row = months.setdefault((area_id, local.year, local.month), {})
            for name, value in counts.items():
                row[name] = row.get(name, 0) + value
            if done:
                key = (area_id, local.year, local.month, _tenths(submitted_at, resolved_at))
                times[key] = {"resolved": times.get(key, {}).get("resolved", 0) + 1}
    return months, times


def _requests(streets=None):
    found = ResidentRequest.objects.all()
    return found if streets is None else found.filter(community__street_id__in=streets)


def _grouped(*extra, streets=None):
    return (
        _requests(streets)
        .annotate(y=ExtractYear("submitted_at", tzinfo=SHANGHAI), m=ExtractMonth("submitted_at", tzinfo=SHANGHAI))
        .values(PATH, "y", "m", *extra)
        .order_by()
    )


def _expanded(rows, key_of, amounts_of) -> list:
    """Rows grouped by the street area's path, added up for every area on each path, in key order."""
    totals: dict = {}
    for row in rows.iterator(chunk_size=5000):
        for area_id in path_ids(row[PATH]):
            total = totals.setdefault(key_of(area_id, row), {})
            for name, value in amounts_of(row).items():
                total[name] = total.get(name, 0) + value
    return sorted(totals.items())


def _recount_months(streets=None):
    done, responded = Q(status__in=ResidentRequest.DONE), Q(responded_at__isnull=False)
    rows = _grouped(streets=streets).annotate(
        received=Count("pk"),
        responded=Count("pk", filter=responded),
        responded_in_time=Count("pk", filter=responded & Q(responded_at__lte=F("respond_by"))),
        resolved=Count("pk", filter=done),
        rated=Count("pk", filter=~Q(rating="")),
        satisfied=Count("pk", filter=Q(rating__in=ResidentRequest.SATISFIED_RATINGS)),
    )
    names = AreaRequestMonth.COUNT_FIELDS
    return _expanded(rows, lambda a, row: (a, row["y"], row["m"]), lambda row: {n: row[n] for n in names})


def _recount_times(streets=None):
    rows = (
        _requests(streets)
        .filter(status__in=ResidentRequest.DONE, resolved_at__isnull=False)
        .annotate(
            y=ExtractYear("submitted_at", tzinfo=SHANGHAI),
            m=ExtractMonth("submitted_at", tzinfo=SHANGHAI),
            t=Floor(Seconds("resolved_at", "submitted_at") / TENTH),
        )
        .values(PATH, "y", "m", "t")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _expanded(
        rows, lambda a, row: (a, row["y"], row["m"], max(0, int(row["t"]))), lambda row: {"resolved": row["n"]}
    )


MONTH_TABLE = CounterTable(
    model=AreaRequestMonth,
    key_fields=AreaRequestMonth.KEY_FIELDS,
    count_fields=AreaRequestMonth.COUNT_FIELDS,
    recount=_recount_months,
    rollup=True,
    recount_part=_recount_months,
)
TIME_TABLE = CounterTable(
    model=AreaResolveTime,
    key_fields=AreaResolveTime.KEY_FIELDS,
    count_fields=AreaResolveTime.COUNT_FIELDS,
    recount=_recount_times,
    rollup=True,
    recount_part=_recount_times,
)


@contextmanager
def kept(*requests: ResidentRequest):
    """Keeps both tables across a write to the requests (created or changed): their contribution before and
    after it, applied in the write's transaction (two queries, plus one UPDATE per row that changes)."""
    ids = {r.pk for r in requests if r.pk is not None}
    before = contributions(ids) if ids else ({}, {})
    yield
    after = contributions({r.pk for r in requests if r.pk is not None})
    if after == before:
        return
    monthly.apply(MONTH_TABLE, added=after[0], removed=before[0])
    monthly.apply(TIME_TABLE, added=after[1], removed=before[1])


# ---------------------------------------------------------------- reading


@dataclass
class Tally:
    """One unit's counts and its histogram ({tenths: resolved}), added up over months or areas."""

    counts: dict = field(default_factory=dict)
    times: dict = field(default_factory=dict)
    response_due_open: int = 0
    overdue: int = 0

    def add_counts(self, amounts: dict) -> None:
        for name, value in amounts.items():
            self.counts[name] = self.counts.get(name, 0) + (value or 0)

    def add_time(self, tenths: int, n: int) -> None:
        self.times[tenths] = self.times.get(tenths, 0) + n

    def median_hours(self) -> float | None:
        """The middle value (the mean of the two middle ones), each at the middle of its tenth of a day."""
        total = sum(self.times.values())
        if not total:
            return None
        wanted = sorted({(total + 1) // 2, total // 2 + 1})  # 1-based ranks of the middle value(s)
        values, seen = [], 0
        for tenths in sorted(self.times):
            seen += self.times[tenths]
            while wanted and wanted[0] <= seen:
                values.append(tenths + 0.5)
                wanted.pop(0)
        return sum(values) / len(values) * TENTH / 3600
