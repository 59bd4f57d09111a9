"""Reads of the work ledger that need more than a queryset method: its monthly counts (WorkMonth, kept by the
ledger services), summed per unit for the dashboard and the briefing, and the latest year with records. Each
reads rows per community, officer and month at most, never the records themselves."""

from __future__ import annotations

import operator
from functools import reduce

from django.db.models import Max, Q, QuerySet, Sum

from yushu_gov.access.roles import AREA_ROLES, role_of

from .models import AreaWorkMonth, WorkMonth, WorkRecord

# The counted columns, summed (named after WorkRecord.Kind's values: `patrol`, `patrol_done`, …).
WORK_SUMS = WorkMonth.count_fields()

# The columns that say a row holds work records.
_HAS_WORK = reduce(operator.or_, (Q(**{f"{kind}__gt": 0}) for kind in WorkRecord.Kind.values))


def work_months_visible_to(user) -> QuerySet[WorkMonth]:
    """The monthly counts of the work records the user sees (the records' own scope)."""
    return WorkMonth.objects.visible_to(user)


def work_sums(months: QuerySet[WorkMonth], *, unit: str) -> dict:
    """One query: the counted columns of `months` (a WorkMonth queryset, already scoped and filtered) summed per
    `unit` (a field such as "community_id" or "community__street_id"): {unit value: {column: sum}}."""
    rows = months.values(unit).annotate(**{f"sum_{name}": Sum(name) for name in WORK_SUMS}).order_by()
    return {row[unit]: {name: row[f"sum_{name}"] or 0 for name in WORK_SUMS} for row in rows}


def latest_work_year(user) -> int | None:
    """The latest year with work records in the user's scope (one query): for the roles that stand on a node
    of the organisation tree, from its roll-up (the node's own, or the roots' for one bound to none: a dozen
    rows a year); for the others, from the monthly counts of their communities."""
    if role_of(user) in AREA_ROLES:
        rows = AreaWorkMonth.objects.of_own_node(user)
    else:
        rows = work_months_visible_to(user)
    return rows.filter(_HAS_WORK).order_by().aggregate(latest=Max("year"))["latest"]
