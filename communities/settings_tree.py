"""Settings a level of the organisation tree sets for everything below it (issue 20).

A setting is a model with a nullable `area` foreign key to `communities.Area`: the row of an area applies to
that area and to every area below it that has no row of its own; the row with no area is the deployment's
default. What applies to an area is the row of the deepest area among the area itself and its ancestors (read
from its materialised path, no query), else the default row, else the model's defaults (no row at all).

Three ways to read it, one rule:
- `nearest(queryset, area)`: one query, for one area (a page, a service);
- `pick(rows, path)`: in Python, over rows read once (with their area), for many areas at a time;
- `nearest_value(queryset, path, field)`: a correlated subquery, for an annotation on a list (one query less).
`source_label(row, area)` says where a value comes from: 本级设置 / 继承自 <area> / 系统默认.
"""

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import StartsWith
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SYSTEM_DEFAULT = gettext_lazy("系统默认")


def chain_ids(area) -> list[int]:
    """The area's ancestors' ids and its own, from the top (none for the deployment)."""
    return [] if area is None else [*area.ancestor_ids, area.pk]


def nearest(queryset: QuerySet, area):
    """(row, the area it was set on, or None for the deployment's default) of the setting that applies to
    `area` (None: the deployment), or (None, None) when no row applies. One query."""
    rows = queryset.filter(Q(area__isnull=True) | Q(area_id__in=chain_ids(area))).select_related("area")
    row = rows.order_by(F("area__depth").desc(nulls_last=True)).first()
    return (row, row.area) if row is not None else (None, None)


def pick(rows, path: str | None):
    """Among `rows` (each with its `area` loaded, or None), the one that applies to the area with this path
    (None: the deployment): the deepest whose area's path begins the path, else the one with no area."""
    best = default = None
    for row in rows:
        if row.area_id is None:
            default = row
        elif path is not None and path.startswith(row.area.path):
            if best is None or row.area.depth > best.area.depth:
                best = row
    return best or default


def nearest_value(queryset: QuerySet, path, field: str) -> Subquery:
    """A subquery of `field` of the row that applies to the area whose path is `path` (an expression such as
    OuterRef("community__street__area__path")); NULL when no row applies."""
    if isinstance(path, str):
        path = OuterRef(path)
    rows = queryset.filter(Q(area__isnull=True) | StartsWith(path, F("area__path")))
    return Subquery(rows.order_by(F("area__depth").desc(nulls_last=True)).values(field)[:1])


def source_label(row, area) -> str:
    """Where the value of `row` (the row that applies to `area`, or None) comes from, as the pages say it."""
    if row is None or row.pk is None:
        return str(SYSTEM_DEFAULT)
    if row.area_id == (area.pk if area is not None else None):
        return _("本级设置")
    if row.area_id is None:
        return str(SYSTEM_DEFAULT)
    return _("继承自 %(area)s") % {"area": row.area.name}


def level_label(area) -> str:
    """The level a settings page edits: the administrator's area, or the deployment's default (bound to none)."""
    return area.name if area is not None else _("系统默认（全部区域）")
