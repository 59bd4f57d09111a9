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
from django.utils.translation import gettext as _

from communities.models import Community, PoliceCallCount, Street
from officers.ledger.models import WorkRecord
from officers.ledger.selectors import latest_work_year, work_months_visible_to, work_sums
from officers.models import Appointment
from officers.talks.selectors import talk_months

KINDS = WorkRecord.Kind
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
    *, user, year: int, street_id: int | None = None, community=None, today: date | None = None
) -> TalkCompliance:
    """Monthly-talk compliance (DOMAIN.md §4.3: at least one talk per serving officer per calendar month)
    at city, street or community level: the talks' own figures (talk_months, 2 queries), summed over the
    officers of the level (for a community, those who served there, within its street)."""
    figures = talk_months(user=user, year=year, street_id=street_id, today=today)
    officers = None if community is None else [o for o in figures.officers if community.name in o.communities]
    month, whole_year = figures.compliance(officers)
    return TalkCompliance(figures.month, month.held, month.due, whole_year.held, whole_year.due, whole_year.overdue)


def _level(user, *, street_id: int | None, community_id: int | None):
    """Queries 1 and 2: the streets in scope (the level switch), and the level asked for. A street or community
    outside the scope answers 404."""
    streets = list(Street.objects.visible_to(user).order_by("sort_order", "name"))
    street = community = None
    if community_id is not None:
        community = Community.objects.visible_to(user).select_related("street").filter(pk=community_id).first()
        if community is None:
            raise Http404
        street = community.street
    elif street_id is not None:
        street = next((s for s in streets if s.pk == street_id), None)
        if street is None:
            raise Http404
    return streets, street, community


def _communities(user, *, street, community) -> list[Community]:
    """Query 3: the communities of the level asked for (a street's, or one), each with whether a deputy
    secretary serves there and who; at city level (no street), the count per street instead (two numbers
    per street, whatever the number of communities)."""
    serving = Appointment.objects.serving().filter(community=OuterRef("pk"))
    visible = Community.objects.visible_to(user)
    if community is not None:
        visible = visible.filter(pk=community.pk)
    elif street is not None:
        visible = visible.filter(street_id=street.pk)
    else:
        return list(
            visible.annotate(has_serving=Exists(serving))
            .values("street_id")
            .annotate(n=Count("pk", distinct=True), covered=Count("pk", distinct=True, filter=Q(has_serving=True)))
            .order_by()
        )
    return list(
        visible.select_related("street")
        .annotate(has_serving=Exists(serving), serving_officer_name=Subquery(serving.values("officer__name")[:1]))
        .order_by("sort_order", "name")
    )


def _in_scope_and_level(queryset, user, *, street, community):
    """Rows of communities the user sees (as the level switch does), at the level asked for."""
    if community is not None:
        return queryset.filter(community_id=community.pk)
    if street is not None:
        queryset = queryset.filter(community__street_id=street.pk)
    return queryset.filter(community_id__in=Community.objects.visible_to(user).values("pk"))


def _work_sums(user, year: int, *, unit: str, street, community):
    """Query 4: the year's work records in scope, summed per unit (street or community) from the ledger's
    monthly counts: a few rows read per community, whatever the number of records."""
    months = work_months_visible_to(user).filter(year=year)
    return work_sums(_in_scope_and_level(months, user, street=street, community=community), unit=unit)


def _call_sums(user, year: int, *, unit: str, street, community):
    """Queries 5 and 6 (the police-call figures are already one row per community and month, and are read
    grouped, not row by row): the figures of the year and the year before summed per unit, year and month;
    and, per unit, this year's figures that last year also has a figure for (same community, same month),
    with last year's, joined on the unique (community, year, month)."""
    figures = _in_scope_and_level(
        PoliceCallCount.objects.visible_to(user), user, street=street, community=community
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


def dashboard(*, user, year: int, street_id: int | None = None, community_id: int | None = None) -> Dashboard:
    """The figures of one year at city level, or for one street, or one community, within the user's scope.
    A street or community outside the scope answers 404. Eight queries (the two of the talks' compliance
    among them; one more for a community); each reads rows per community and month at most, never the
    records themselves."""
    streets, street, community = _level(user, street_id=street_id, community_id=community_id)
    if community is not None:
        level, title = "community", f"{community.street.name} · {community.name}"
    elif street is not None:
        level, title = "street", street.name
    else:
        # The user's node of the tree (玉树市 for the city's administrator); the whole deployment if unbound.
        level, title = "city", user.area.name if getattr(user, "area_id", None) else _("全部地区")
    communities = _communities(user, street=street, community=community)

    units: dict = {}
    if level == "city":
        names = {s.pk: s.name for s in streets}
        for row in communities:
            unit = units.setdefault(row["street_id"], Unit(name=names[row["street_id"]], street_id=row["street_id"]))
            unit.communities += row["n"]
            unit.covered += row["covered"]
        units = {key: units[key] for key in names if key in units}  # the streets' order
        unit_field = "community__street_id"
    else:
        for c in communities:
            unit = units.setdefault(c.pk, Unit(name=c.name, street_id=c.street_id, community_id=c.pk))
            unit.communities += 1
            if c.has_serving:
                unit.covered += 1
                unit.officer_names.append(c.serving_officer_name)
        unit_field = "community_id"

    for key, sums in _work_sums(user, year, unit=unit_field, street=street, community=community).items():
        if key in units:
            units[key].outcomes.add_sums(sums)

    months_this = [None] * 12
    months_last = [None] * 12
    per_month, compared = _call_sums(user, year, unit=unit_field, street=street, community=community)
    for row in per_month:
        unit = units.get(row[unit_field])
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
        unit = units.get(row[unit_field])
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

    return Dashboard(
        year=year,
        level=level,
        title=title,
        street=street,
        community=community,
        units=list(units.values()),
        total=total,
        months_this_year=months_this,
        months_last_year=months_last,
        talks=talk_compliance(
            user=user, year=year, street_id=street.pk if street is not None else None, community=community
        ),
        streets=streets,
        communities_in_scope=communities if level != "city" else [],
    )


def latest_year(user) -> int | None:
    """The latest year with work records in the user's scope (one query, on the ledger's monthly counts): the
    dashboard's default year."""
    return latest_work_year(user)
