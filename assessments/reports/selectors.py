"""Selectors for the dashboard and the year-end briefing (DOMAIN.md §5). Every figure is computed from
the records in the user's scope with a constant number of queries, and each query reads rows per community
and month at most, never the records themselves (so the cost follows communities × months, not the records):

1. the streets in scope (the level switch), and 2. the community asked for, if one is;
3. the communities of the level, each with whether a deputy secretary serves there and who (at city level,
   two counts per street);
4. the year's work records, summed per street or community from the ledger's monthly counts
   (officers/ledger/selectors.py, on WorkMonth, kept by the ledger's services);
5. the police-call figures of the year and the year before, summed per street or community and month, and
6. the part of them compared year on year (same community and month in both years), summed per unit;
7–8. the talks' compliance figures (officers/talks/selectors.py, on the talks' own monthly counts).

Everything else (levels, totals, percentages) is arithmetic in Python over those results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, Subquery, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.messages import COMMUNITY_LABEL, STREET_LABEL
from communities.models import Area, AreaCallMonth, Community, PoliceCallCount, Street, subtree_of
from officers.ledger.models import AreaWorkMonth, WorkRecord
from officers.ledger.selectors import latest_work_year, work_months_visible_to, work_sums
from officers.models import Appointment
from officers.talks.selectors import node_compliance, talk_months
from yushu_gov.access.roles import AREA_ROLES, role_of

KINDS = WorkRecord.Kind
CHILDREN_PER_PAGE = 20  # the children of a node compared side by side, one page at a time
AREA_PATH = "community__street__area__path"  # from a community's row to its area's path
SEVERITIES = WorkRecord.Severity


@dataclass
class CallFigures:
    """Police calls of a unit: this year and last year over the months both years have figures for."""

    this_year: int = 0  # all months of the year with figures
    last_year: int = 0  # all months of last year with figures
    this_compared: int = 0  # this year, months that last year also has
    last_compared: int = 0  # last year, the same months
    months_compared: int = 0  # community-months compared

    @property
    def change_percent(self) -> Decimal | None:
        """(this − last) / last × 100, rounded to 2 places; None when last year has no figures to compare."""
        if not self.months_compared or not self.last_compared:
            return None
        change = Decimal(self.this_compared - self.last_compared) * 100 / Decimal(self.last_compared)
        return change.quantize(Decimal("0.01"))

    def add(self, other: CallFigures) -> None:
        self.this_year += other.this_year
        self.last_year += other.last_year
        self.this_compared += other.this_compared
        self.last_compared += other.last_compared
        self.months_compared += other.months_compared


@dataclass
class Outcomes:
    """The work records of a unit, counted."""

    by_kind: dict = field(default_factory=lambda: dict.fromkeys(KINDS.values, 0))
    done_by_kind: dict = field(default_factory=lambda: dict.fromkeys(KINDS.values, 0))
    disputes_by_severity: dict = field(default_factory=lambda: dict.fromkeys(SEVERITIES.values, 0))
    disputes_resolved: int = 0
    aid_visits: int = 0
    aid_amount: Decimal = Decimal("0")
    aid_households: int = 0
    people_reached: int = 0
    households_reached: int = 0
    value_recovered: Decimal = Decimal("0")

    @property
    def difficulties_solved(self) -> int:
        return self.done_by_kind[KINDS.DIFFICULTY]

    @property
    def cases_handled(self) -> int:
        return self.done_by_kind[KINDS.CASE]

    @property
    def disputes(self) -> int:
        return self.by_kind[KINDS.DISPUTE]

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    def add_sums(self, sums: dict) -> None:
        """Adds a row of the ledger's monthly counts, summed (officers.ledger.selectors.work_sums)."""
        for kind in KINDS.values:
            self.by_kind[kind] += sums[kind]
            self.done_by_kind[kind] += sums[f"{kind}_done"]
        for severity in SEVERITIES.values:
            self.disputes_by_severity[severity] += sums[f"dispute_{severity}"]
        self.disputes_resolved += sums["dispute_resolved"]
        self.aid_visits += sums[KINDS.AID]
        self.aid_amount += sums["aid_amount"]
        self.aid_households += sums["aid_households"]
        self.people_reached += sums["people_reached"]
        self.households_reached += sums["households_reached"]
        self.value_recovered += sums["value_recovered"]

    def add(self, other: Outcomes) -> None:
        for kind in KINDS.values:
            self.by_kind[kind] += other.by_kind[kind]
            self.done_by_kind[kind] += other.done_by_kind[kind]
        for severity in SEVERITIES.values:
            self.disputes_by_severity[severity] += other.disputes_by_severity[severity]
        for name in (
            "disputes_resolved",
            "aid_visits",
            "aid_amount",
            "aid_households",
            "people_reached",
            "households_reached",
            "value_recovered",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Unit:
    """A row of the breakdown: a street (at city level) or a community (at street or community level)."""

    name: str
    street_id: int | None = None
    community_id: int | None = None
    area_id: int | None = None
    communities: int = 0
    covered: int = 0
    officer_names: list = field(default_factory=list)
    outcomes: Outcomes = field(default_factory=Outcomes)
    calls: CallFigures = field(default_factory=CallFigures)


@dataclass
class Dashboard:
    year: int
    level: str  # "city", "street" or "community"
    title: str
    street: object | None
    community: object | None
    units: list[Unit]
    total: Unit
    months_this_year: list  # 12 values, None where no community in the unit has a figure for the month
    months_last_year: list
    talks: TalkCompliance
    streets: list  # the streets in the user's scope (for the level switch)
    communities_in_scope: list
    area: object | None = None  # the node of the organisation tree (at city level), None for a street's staff
    child_areas: list = field(default_factory=list)  # its children in the tree, all of them (the level switch)
    ancestors: list = field(default_factory=list)  # the nodes above it that the user sees (the way back up)
    page: int = 1  # the page of children shown in `units` (CHILDREN_PER_PAGE a page)
    pages: int = 1
    all_units: list = field(default_factory=list)  # every child of the node (the briefing's comparison)

    @property
    def children(self) -> str:
        """What the units are: "areas" (counties, prefectures), "streets" or "communities"."""
        if self.level != "city":
            return "communities"
        return "areas" if self.child_areas else "streets"

    @property
    def unit_label(self) -> str:
        """The name of the units' column: 市（县）, 州, 街道（乡镇）, 社区."""
        if self.children == "areas":
            kinds = {area.kind for area in self.child_areas}
            if kinds <= {Area.Kind.CITY, Area.Kind.COUNTY}:
                return _("市（县）")
            return _("州（市）") if kinds <= {Area.Kind.PREFECTURE, Area.Kind.CITY} else _("下级区域")
        if self.children == "streets":
            county = self.area is not None and self.area.kind == Area.Kind.COUNTY
            return _("街道（乡镇）") if county else str(STREET_LABEL)
        return str(COMMUNITY_LABEL)


@dataclass
class TalkCompliance:
    """Monthly-talk compliance: months with a talk / months due, for the focus month and the year."""

    month: int
    month_held: int
    month_due: int
    year_held: int
    year_due: int
    overdue: int

    @staticmethod
    def _percent(held: int, due: int) -> int | None:
        return round(100 * held / due) if due else None

    @property
    def month_percent(self) -> int | None:
        return self._percent(self.month_held, self.month_due)

    @property
    def year_percent(self) -> int | None:
        return self._percent(self.year_held, self.year_due)


def talk_compliance(
    *,
    user,
    year: int,
    street_id: int | None = None,
    community=None,
    today: date | None = None,
    area_path: str | None = None,
) -> TalkCompliance:
    """Monthly-talk compliance (DOMAIN.md §4.3: at least one talk per serving officer per calendar month)
    at city, street or community level: the talks' own figures (talk_months, 2 queries), summed over the
    officers of the level (for a community, those who served there, within its street); at a node of the tree,
    for an administrator or a bureau reviewer, the node's compliance roll-up (officers/talks/rollup.py: two
    queries whatever the number of officers)."""
    today = today or timezone.localdate()
    rolled = None
    if street_id is None and community is None:  # a node of the tree: its roll-up rows, where they apply
        rolled = node_compliance(user=user, year=year, area_path=area_path, today=today)
    if rolled is not None:
        month, whole_year = rolled
        focus = today.month if year == today.year else 12
        return TalkCompliance(focus, month.held, month.due, whole_year.held, whole_year.due, whole_year.overdue)
    figures = talk_months(user=user, year=year, street_id=street_id, today=today, area_path=area_path, held_only=True)
    officers = None if community is None else [o for o in figures.officers if community.name in o.communities]
    month, whole_year = figures.compliance(officers)
    return TalkCompliance(figures.month, month.held, month.due, whole_year.held, whole_year.due, whole_year.overdue)


def _node(user, area_id: int | None):
    """The area of the organisation tree asked for (?area=, within the scope, else 404), or the user's own: the
    area an administrator or a bureau reviewer is bound to; for one bound to none, the tree's root when there is
    one root. None for the roles bound to a street or a station (their level is their streets)."""
    if role_of(user) not in AREA_ROLES:
        if area_id is not None:
            raise Http404
        return None
    if area_id is not None:
        area = Area.objects.visible_to(user).filter(pk=area_id).first()
        if area is None:
            raise Http404
        return area
    if getattr(user, "area_id", None):
        return user.area
    roots = list(Area.objects.filter(parent=None)[:2])
    return roots[0] if len(roots) == 1 else None


def _level(user, *, street_id: int | None, community_id: int | None, area_id: int | None = None):
    """The level asked for, within the scope (404 outside it): a community, a street, or a node of the tree;
    and the streets of the level switch (the node's own streets, or the street's neighbours; everything in
    scope for street staff). Two or three queries."""
    street = community = area = None
    tree_role = role_of(user) in AREA_ROLES
    streets = Street.objects.visible_to(user).order_by("sort_order", "name")
    if community_id is not None:
        community = Community.objects.visible_to(user).select_related("street__area").filter(pk=community_id).first()
        if community is None:
            raise Http404
        street = community.street
    elif street_id is not None and tree_role:
        street = streets.select_related("area").filter(pk=street_id).first()
    elif street_id is not None:
        # A street's staff and a station's leader see a few streets: the one asked for is among them.
        streets = list(streets)
        street = next((s for s in streets if s.pk == street_id), None)
    else:
        area = _node(user, area_id)
    if street_id is not None and street is None:
        raise Http404
    if street is not None and tree_role:
        streets = streets.filter(area_id=street.area_id)  # the street's neighbours in its city or county
    elif area is not None:
        streets = streets.filter(area=area)
    return list(streets), street, community, area


def _communities(user, *, street, community, area=None, child_areas=()) -> list[Community]:
    """Query 3: the communities of the level asked for (a street's, or one), each with whether a deputy
    secretary serves there and who; at a node of the tree, the count per child (area or street) instead (two
    numbers per child, whatever the number of communities)."""
    serving = Appointment.objects.serving().filter(community=OuterRef("pk"))
    visible = Community.objects.visible_to(user)
    if community is not None:
        visible = visible.filter(pk=community.pk)
    elif street is not None:
        visible = visible.filter(street_id=street.pk)
    else:
        if area is not None:
            visible = visible.filter(street__area__path__startswith=area.path)
        if child_areas:
            visible = visible.annotate(unit=subtree_of(child_areas, "street__area__path"))
        else:
            visible = visible.annotate(unit=F("street_id"))
        return list(
            visible.annotate(has_serving=Exists(serving))
            .values("unit")
            .annotate(n=Count("pk", distinct=True), covered=Count("pk", distinct=True, filter=Q(has_serving=True)))
            .order_by()
        )
    return list(
        visible.select_related("street")
        .annotate(has_serving=Exists(serving), serving_officer_name=Subquery(serving.values("officer__name")[:1]))
        .order_by("sort_order", "name")
    )


def _in_scope_and_level(queryset, user, *, street, community, area=None):
    """Rows of communities the user sees (as the level switch does), at the level asked for."""
    if community is not None:
        return queryset.filter(community_id=community.pk)
    if street is not None:
        queryset = queryset.filter(community__street_id=street.pk)
    if area is not None:
        queryset = queryset.filter(**{f"{AREA_PATH}__startswith": area.path})
    return queryset.filter(community_id__in=Community.objects.visible_to(user).values("pk"))


def _rolled_up_sums(year: int, child_areas):
    """Queries 4 to 6 at a node with child areas, from the roll-ups up the tree (AreaWorkMonth, AreaCallMonth):
    twelve rows per child and year, whatever lies below. The shapes of _work_sums' and _call_sums' answers; each
    child's subtree lies wholly in the user's scope (an area in scope is so with everything under it)."""
    work = work_sums(AreaWorkMonth.objects.filter(area__in=child_areas, year=year), unit="area_id")
    calls = AreaCallMonth.objects.filter(area__in=child_areas).order_by()
    per_month = calls.filter(year__in=[year, year - 1]).values("year", "month", unit=F("area_id"), n=F("calls"))
    compared = (
        calls.filter(year=year)
        .values(unit=F("area_id"))
        .annotate(this=Sum("compared"), last=Sum("compared_before"), months=Sum("compared_months"))
    )
    return work, per_month, compared


def _work_sums(user, year: int, *, unit: str, street, community, area=None):
    """Query 4: the year's work records in scope, summed per unit (street or community) from the ledger's
    monthly counts: a few rows read per community, whatever the number of records."""
    months = work_months_visible_to(user).filter(year=year)
    months = _in_scope_and_level(months, user, street=street, community=community, area=area)
    return work_sums(months, unit=unit)


def _call_sums(user, year: int, *, unit: str, street, community, area=None):
    """Queries 5 and 6 (the police-call figures are already one row per community and month, and are read
    grouped, not row by row): the figures of the year and the year before summed per unit, year and month;
    and, per unit, this year's figures that last year also has a figure for (same community, same month),
    with last year's, joined on the unique (community, year, month)."""
    figures = _in_scope_and_level(
        PoliceCallCount.objects.visible_to(user), user, street=street, community=community, area=area
    ).order_by()
    per_month = figures.filter(year__in=[year, year - 1]).values(unit, "year", "month").annotate(n=Sum("count"))
    last_year = FilteredRelation(
        "community__police_call_counts",
        condition=Q(community__police_call_counts__year=year - 1, community__police_call_counts__month=F("month")),
    )
    compared = (
        figures.filter(year=year)
        .annotate(last_year=last_year)
        .filter(last_year__isnull=False)
        .values(unit)
        .annotate(this=Sum("count"), last=Sum("last_year__count"), months=Count("pk"))
    )
    return per_month, compared


def dashboard(
    *,
    user,
    year: int,
    street_id: int | None = None,
    community_id: int | None = None,
    area_id: int | None = None,
    page: int = 1,
) -> Dashboard:
    """The figures of one year at a node of the organisation tree (the prefecture, a county: the user's own by
    default), or for one street, or one community, within the user's scope. A node compares its children side
    by side (its counties, or its streets), CHILDREN_PER_PAGE at a time; the totals are the node's. A level
    outside the scope answers 404. About ten queries whatever the level (the two of the talks' compliance among
    them); each reads rows per community and month at most, never the records themselves."""
    streets, street, community, area = _level(user, street_id=street_id, community_id=community_id, area_id=area_id)
    child_areas, ancestors = [], []
    if community is not None:
        level, title = "community", f"{community.street.name} · {community.name}"
    elif street is not None:
        level, title = "street", street.name
    else:
        level, title = "city", area.name if area is not None else _("全部地区")
        if area is not None:
            child_areas = list(Area.objects.visible_to(user).filter(parent=area).order_by("sort_order", "name"))
    if role_of(user) in AREA_ROLES and (area is not None or street is not None):
        # The way back up: the nodes above the level that the user sees (his own and those between).
        ids = area.ancestor_ids if area is not None else [*street.area.ancestor_ids, street.area_id]
        if getattr(user, "area_id", None):
            ids = ids[user.area.depth :]  # (those above the user's own area are not his to see)
        if ids:
            ancestors = list(Area.objects.filter(pk__in=ids).order_by("depth"))
    communities = _communities(user, street=street, community=community, area=area, child_areas=child_areas)

    units: dict = {}
    if level == "city" and child_areas:
        for child in child_areas:
            units[child.pk] = Unit(name=child.name, area_id=child.pk)
        for row in communities:
            if row["unit"] in units:
                units[row["unit"]].communities += row["n"]
                units[row["unit"]].covered += row["covered"]
        unit_field, key_field = "unit", "unit"  # grouped by `subtree_of` (_unit_of)
    elif level == "city":
        names = {s.pk: s.name for s in streets}
        for row in communities:
            if row["unit"] not in names:
                continue
            unit = units.setdefault(row["unit"], Unit(name=names[row["unit"]], street_id=row["unit"]))
            unit.communities += row["n"]
            unit.covered += row["covered"]
        units = {key: units[key] for key in names if key in units}  # the streets' order
        unit_field = key_field = "community__street_id"
    else:
        for c in communities:
            unit = units.setdefault(c.pk, Unit(name=c.name, street_id=c.street_id, community_id=c.pk))
            unit.communities += 1
            if c.has_serving:
                unit.covered += 1
                unit.officer_names.append(c.serving_officer_name)
        unit_field = key_field = "community_id"

    if child_areas:
        work, per_month, compared = _rolled_up_sums(year, child_areas)
    else:
        scope = {"street": street, "community": community, "area": area}
        work = _work_sums(user, year, unit=unit_field, **scope)
        per_month, compared = _call_sums(user, year, unit=unit_field, **scope)
    for key, sums in work.items():
        if key in units:
            units[key].outcomes.add_sums(sums)

    months_this = [None] * 12
    months_last = [None] * 12
    for row in per_month:
        unit = units.get(row[key_field])
        if unit is None:
            continue
        month = row["month"] - 1
        if row["year"] == year:
            unit.calls.this_year += row["n"]
            months_this[month] = (months_this[month] or 0) + row["n"]
        else:
            unit.calls.last_year += row["n"]
            months_last[month] = (months_last[month] or 0) + row["n"]
    for row in compared:
        unit = units.get(row[key_field])
        if unit is not None:
            unit.calls.this_compared += row["this"]
            unit.calls.last_compared += row["last"]
            unit.calls.months_compared += row["months"]

    total = Unit(name=title)
    for unit in units.values():
        total.communities += unit.communities
        total.covered += unit.covered
        total.officer_names += unit.officer_names
        total.outcomes.add(unit.outcomes)
        total.calls.add(unit.calls)

    rows = all_units = list(units.values())
    pages = max(1, -(-len(rows) // CHILDREN_PER_PAGE)) if level == "city" else 1
    page = min(max(page, 1), pages)
    if level == "city":
        rows = rows[(page - 1) * CHILDREN_PER_PAGE : page * CHILDREN_PER_PAGE]
    return Dashboard(
        year=year,
        level=level,
        title=title,
        street=street,
        community=community,
        units=rows,
        total=total,
        months_this_year=months_this,
        months_last_year=months_last,
        talks=talk_compliance(
            user=user,
            year=year,
            street_id=street.pk if street is not None else None,
            community=community,
            area_path=area.path if area is not None else None,
        ),
        streets=streets,
        communities_in_scope=communities if level != "city" else [],
        area=area,
        child_areas=child_areas,
        ancestors=ancestors,
        page=page,
        pages=pages,
        all_units=all_units,
    )


def latest_year(user) -> int | None:
    """The latest year with work records in the user's scope (one query, on the ledger's monthly counts): the
    dashboard's default year."""
    return latest_work_year(user)
