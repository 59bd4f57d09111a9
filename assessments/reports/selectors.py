"""Selectors for the dashboard and the year-end briefing (DOMAIN.md §5). Every figure is computed from
the records in the user's scope with a constant number of queries, whatever the amount of data:

1. the communities in scope, each annotated with whether a deputy secretary serves there and who;
2. the year's work records grouped by community, type, severity, status and outcome (counts and sums);
3. the police-call figures of the year and the year before.

Everything else (levels, totals, percentages) is arithmetic in Python over those three results.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, Subquery, Sum
from django.http import Http404

from communities.models import Community, PoliceCallCount
from officers.ledger.models import WorkRecord
from officers.models import Appointment
from officers.talks.selectors import DONE, DUE, OVERDUE, compliance_grid

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

    def add_group(self, row: dict) -> None:
        kind, n = row["kind"], row["n"]
        self.by_kind[kind] += n
        if row["status"] == WorkRecord.Status.DONE:
            self.done_by_kind[kind] += n
        if kind == KINDS.DISPUTE:
            self.disputes_by_severity[row["severity"]] += n
            if row["status"] == WorkRecord.Status.DONE and row["outcome"] == WorkRecord.Outcome.RESOLVED:
                self.disputes_resolved += n
        if kind == KINDS.AID:
            self.aid_visits += n
            self.aid_amount += row["aid"] or 0
            self.aid_households += row["households"] or 0
        self.people_reached += row["people"] or 0
        self.households_reached += row["households"] or 0
        self.value_recovered += row["recovered"] or 0

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

    @property
    def coverage_percent(self) -> Decimal | None:
        if not self.total.communities:
            return None
        return (Decimal(self.total.covered) * 100 / self.total.communities).quantize(Decimal("0.1"))


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


def talk_compliance(*, user, year: int, street_id: int | None = None, community=None) -> TalkCompliance:
    """Monthly-talk compliance (DOMAIN.md §4.3: at least one talk per serving officer per calendar month)
    at city, street or community level, from the talks' compliance grid (2 queries)."""
    grid = compliance_grid(user=user, year=year, street_id=street_id)
    if community is None:
        month, whole_year = grid.month_total, grid.year_total
        return TalkCompliance(grid.month, month.held, month.due, whole_year.held, whole_year.due, whole_year.overdue)
    result = TalkCompliance(grid.month, 0, 0, 0, 0, 0)
    for row in grid.rows:
        if community.name not in row.communities:
            continue
        focus = row.cells[grid.month - 1]
        result.month_due += focus.state in (DONE, DUE, OVERDUE)
        result.month_held += focus.state == DONE
        result.year_held += row.held_months
        result.year_due += row.due_months
        result.overdue += row.overdue_months
    return result


def _communities(user) -> list[Community]:
    """Query 1: the communities in scope, with their serving deputy secretary (if any)."""
    serving = Appointment.objects.serving().filter(community=OuterRef("pk"))
    return list(
        Community.objects.visible_to(user)
        .select_related("street")
        .annotate(
            has_serving=Exists(serving),
            serving_officer_name=Subquery(serving.values("officer__name")[:1]),
        )
        .order_by("street__sort_order", "street__name", "sort_order", "name")
    )


def _work_groups(user, year: int, community_ids: list[int]):
    """Query 2: the year's work records in scope, grouped; a few hundred rows at most."""
    return (
        WorkRecord.objects.visible_to(user)
        .in_year(year)
        .filter(community_id__in=community_ids)
        .values("community_id", "kind", "severity", "status", "outcome")
        .annotate(
            n=Count("id"),
            people=Sum("people_reached"),
            households=Sum("households_reached"),
            recovered=Sum("value_recovered"),
            aid=Sum("aid_amount"),
        )
        .order_by()
    )


def _call_figures(user, year: int, community_ids: list[int]) -> dict:
    """Query 3: {(community_id, year, month): count} for the year and the year before."""
    rows = (
        PoliceCallCount.objects.visible_to(user)
        .filter(year__in=[year, year - 1], community_id__in=community_ids)
        .values_list("community_id", "year", "month", "count")
        .order_by()
    )
    return {(c, y, m): n for c, y, m, n in rows}


def dashboard(*, user, year: int, street_id: int | None = None, community_id: int | None = None) -> Dashboard:
    """The figures of one year at city level, or for one street, or one community, within the user's scope.
    A street or community outside the scope answers 404."""
    communities = _communities(user)
    streets = list({c.street_id: c.street for c in communities}.values())
    street = community = None
    if community_id is not None:
        community = next((c for c in communities if c.pk == community_id), None)
        if community is None:
            raise Http404
        street, chosen, level = community.street, [community], "community"
        title = f"{community.street.name} · {community.name}"
    elif street_id is not None:
        street = next((s for s in streets if s.pk == street_id), None)
        if street is None:
            raise Http404
        chosen, level, title = [c for c in communities if c.street_id == street_id], "street", street.name
    else:
        chosen, level, title = communities, "city", "玉树市"

    ids = [c.pk for c in chosen]
    per_community_outcomes = defaultdict(Outcomes)
    for row in _work_groups(user, year, ids):
        per_community_outcomes[row["community_id"]].add_group(row)
    figures = _call_figures(user, year, ids)

    months_this = [None] * 12
    months_last = [None] * 12
    per_community_calls = {}
    for c in chosen:
        calls = CallFigures()
        for m in range(1, 13):
            this, last = figures.get((c.pk, year, m)), figures.get((c.pk, year - 1, m))
            if this is not None:
                calls.this_year += this
                months_this[m - 1] = (months_this[m - 1] or 0) + this
            if last is not None:
                calls.last_year += last
                months_last[m - 1] = (months_last[m - 1] or 0) + last
            if this is not None and last is not None:
                calls.this_compared += this
                calls.last_compared += last
                calls.months_compared += 1
        per_community_calls[c.pk] = calls

    units: dict = {}
    for c in chosen:
        if level == "city":
            unit = units.setdefault(c.street_id, Unit(name=c.street.name, street_id=c.street_id))
        else:
            unit = units.setdefault(c.pk, Unit(name=c.name, street_id=c.street_id, community_id=c.pk))
        unit.communities += 1
        if c.has_serving:
            unit.covered += 1
            unit.officer_names.append(c.serving_officer_name)
        unit.outcomes.add(per_community_outcomes[c.pk])
        unit.calls.add(per_community_calls[c.pk])

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
        communities_in_scope=communities,
    )


def latest_year(user) -> int | None:
    """The latest year with work records in the user's scope (one query): the dashboard's default year."""
    latest = WorkRecord.objects.visible_to(user).order_by().aggregate(latest=Max("occurred_on"))["latest"]
    return latest.year if latest else None
