"""Reads for monthly talks (谈心谈话): the compliance grid (serving officers × the 12 months of a year)
and the figures built on it (compliance per street and city-wide, the reminders on the home pages).

The grid costs two queries whatever the number of officers: one for the serving periods (appointments
serving or ended that overlap the year), one aggregate of the talks per officer, street and month, read from
the talks' monthly counts (TalkMonth, kept by the talk services), so that its cost depends on
officers × months, not on talks. Months are counted in Asia/Shanghai time: a talk at 00:30 on the 1st belongs
to that month.

How often a talk is due is a setting of the organisation tree (TalkRule, issue 20: every month by default, or
once every 2 to 6 months counted from January); the serving periods' query reads it for each street's area as
a subquery (communities/settings_tree.nearest_value), so the grid still costs two queries. With a period of
more than one month, the period's first month stands for it: it is due once the period has begun, held when
a talk falls anywhere in the period, overdue once the whole period has passed without one; the other months
of the period are not due (NOT_DUE), and a talk held in one of them shows there.

The figures without the cells, for an administrator or a bureau reviewer where talks are monthly (the grid's
summary, the home page, a node's dashboard and briefing), are read from the compliance roll-ups instead
(rollup.py: per street and per area, kept by the talk and appointment services), so that they cost streets ×
months or a node's own rows, not officers; tests/talks/test_rollup.py holds them equal to talk_months'.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Case, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from communities.models import Area, Street
from communities.settings_tree import nearest_value
from officers.models import Appointment
from yushu_gov.access.rights import area_path_of, can
from yushu_gov.access.roles import AREA_ROLES, role_of
from yushu_gov.input.months import is_month_closed

from . import rollup
from .models import DEFAULT_EVERY_MONTHS, MonthlyTalk, TalkMonth, TalkRule, period_start

MONTHS = range(1, 13)

# A cell's state.
DONE = "done"  # at least one talk held in the month
DUE = "due"  # the current month, no talk yet
OVERDUE = "overdue"  # a past month without a talk
UPCOMING = "upcoming"  # a month still to come
NOT_SERVING = "not_serving"  # the officer did not serve (in this street) in the month
NOT_DUE = "not_due"  # a month inside a period of several months whose talk is due in its first month


def touches_closed_month(talk: MonthlyTalk, *, new_held_at: datetime | None = None) -> bool:
    """Whether the talk's month has ended, or a change would move the talk into an ended month."""
    return is_month_closed(talk.held_at) or (new_held_at is not None and is_month_closed(new_held_at))


def may_change_talk(user, talk: MonthlyTalk, *, new_held_at: datetime | None = None) -> bool:
    """The closed-month rule: street staff change and delete their street's talks while the talk's month is
    open; once it has ended (or when a change would move the talk into an ended month) only the city
    administrator may, giving a reason. Which talks the user sees at all is MonthlyTalk.objects.visible_to."""
    if not can(user, "talk.change"):
        return False
    return not touches_closed_month(talk, new_held_at=new_held_at) or can(user, "talk.change_closed")


@dataclass
class Cell:
    month: int
    state: str
    held: int = 0


@dataclass
class Row:
    officer_id: int
    officer_name: str
    police_number: str
    street_id: int
    street_name: str
    communities: list[str]
    cells: list[Cell] = field(default_factory=list)
    figures: OfficerMonths | None = None  # talk_months' sets, which the cells show

    @property
    def held_months(self) -> int:
        return len(self.figures.held)

    @property
    def due_months(self) -> int:
        return len(self.figures.due)

    @property
    def overdue_months(self) -> int:
        return len(self.figures.overdue)


@dataclass
class Compliance:
    """Talks held / talks due: months with at least one talk over months the officer was due one."""

    held: int = 0
    due: int = 0
    overdue: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.held / self.due) if self.due else None

    def add(self, held: int, due: int, overdue: int = 0) -> None:
        self.held += held
        self.due += due
        self.overdue += overdue


@dataclass
class StreetBlock:
    street_id: int
    street_name: str
    rows: list[Row] = field(default_factory=list)
    month: Compliance = field(default_factory=Compliance)
    year: Compliance = field(default_factory=Compliance)


@dataclass
class Grid:
    year: int
    month: int  # the month the "this month" compliance is given for
    today: date
    streets: list[StreetBlock]
    month_total: Compliance
    year_total: Compliance

    @property
    def rows(self) -> list[Row]:
        return [row for block in self.streets for row in block.rows]


def every_months_of(path: str):
    """An annotation: how often (in months) a talk is due in the area whose path is at `path` (a lookup from the
    query's model), by the TalkRule that applies there; every month without one."""
    return Coalesce(nearest_value(TalkRule.objects.all(), path, "every_months"), Value(DEFAULT_EVERY_MONTHS))


# A month's bit (January 1, February 2, … December 2048): the months with talks of an officer in a street, as
# one number added up in the database (DISTINCT: two communities of one street in the same month count once).
MONTH_BIT = Case(*[When(month=m, then=Value(1 << (m - 1))) for m in range(1, 13)], default=Value(0))


def _grid_queries(*, user, year: int, street_id: int | None, area_path: str | None = None, held_only=False):
    """The grid's two queries: the serving periods overlapping the year, and the talks per officer, street and
    month (from the talks' monthly counts); with `held_only`, the months held per officer and street as one
    bit mask (a row per officer, not per month: what the compliance figures need)."""
    first_day, last_day = date(year, 1, 1), date(year, 12, 31)
    periods = (
        Appointment.objects.visible_to(user)
        .held_between(first_day, last_day)
        .annotate(every=every_months_of("community__street__area__path"))
        .values_list(
            "officer_id",
            "officer__name",
            "officer__police_number",
            "community__street_id",
            "community__street__name",
            "community__street__sort_order",
            "community__name",
            "started_on",
            "ended_on",
            "every",
        )
        .order_by()
    )
    talks = TalkMonth.objects.visible_to(user).filter(year=year, talks__gt=0)
    if held_only:
        talks = talks.values_list("officer_id", "community__street_id").annotate(mask=Sum(MONTH_BIT, distinct=True))
    else:
        talks = talks.values_list("officer_id", "community__street_id", "month").annotate(n=Sum("talks"))
    talks = talks.order_by()
    if street_id is not None:
        periods = periods.filter(community__street_id=street_id)
        talks = talks.filter(community__street_id=street_id)
    if area_path is not None:  # an area of the organisation tree and everything below it
        periods = periods.filter(community__street__area__path__startswith=area_path)
        talks = talks.filter(community__street__area__path__startswith=area_path)
    return periods, talks


@dataclass
class OfficerMonths:
    """One officer in one street during a year, and the months that count for the talks (1-12):

    - serving: the months he served in the street at least one day;
    - held: the months with at least one talk (also a month he did not serve in);
    - due: the months a talk was due, those held and the serving months that have begun (passed or current);
    - overdue: the serving months that have passed without a talk.
    With a talk due every `every` months (TalkRule) each period counts once, as its first month: held, due and
    overdue hold the first months of the periods (a period is served if a month of it is)."""

    officer_id: int
    officer_name: str
    police_number: str
    street_id: int
    street_name: str
    communities: list[str]
    talks: dict[int, int]  # month -> talks held
    serving: set[int]
    held: set[int]
    due: set[int]
    overdue: set[int]
    every: int = DEFAULT_EVERY_MONTHS

    def period(self, month: int) -> int:
        return period_start(month, self.every)


@dataclass
class TalkMonths:
    """talk_months' answer: the officers in order (street, name), the year's current month (None outside the
    current year) and the focus month ("this month" of the figures: the current one, or December)."""

    year: int
    month: int
    today: date
    current: int | None
    officers: list[OfficerMonths]

    def compliance(self, officers: list[OfficerMonths] | None = None) -> tuple[Compliance, Compliance]:
        """The focus month's and the year's figures, summed over `officers` (all of them by default)."""
        month, year = Compliance(), Compliance()
        for o in self.officers if officers is None else officers:
            p = o.period(self.month)  # the focus month's period (the month itself when talks are monthly)
            month.add(int(p in o.held), int(p in o.due), int(p in o.overdue))
            year.add(len(o.held), len(o.due), len(o.overdue))
        return month, year


def _month_span(started_on: date, ended_on: date | None, year: int) -> tuple[int, int]:
    """The first and last month of `year` in which the officer served at least one day (first > last: none)."""
    if started_on.year > year or (ended_on is not None and ended_on.year < year):
        return 1, 0
    first = 1 if started_on.year < year else started_on.month
    last = 12 if ended_on is None or ended_on.year > year else ended_on.month
    return first, last


def talk_months(
    *,
    user,
    year: int,
    street_id: int | None = None,
    today: date | None = None,
    area_path: str | None = None,
    held_only: bool = False,
) -> TalkMonths:
    """THE talk figures (DOMAIN.md §4.3: at least one talk per serving officer per calendar month): for every
    officer serving in the user's scope during `year`, one entry per officer and street, the months served,
    held, due and overdue. The grid, the totals, the dashboard and the home pages all count from here. Two
    queries (see the module docstring). With `held_only` (the figures without the grid's cells), each entry's
    `talks` holds 1 for a month with talks, not their number: a province's officers come as one row each."""
    today = today or timezone.localdate()
    periods, talks = _grid_queries(user=user, year=year, street_id=street_id, area_path=area_path, held_only=held_only)
    entries: dict[tuple[int, int], OfficerMonths] = {}
    street_order: dict[int, tuple[int, str]] = {}
    for officer_id, name, number, s_id, s_name, s_order, community, started_on, ended_on, every in periods:
        entry = entries.get((officer_id, s_id))
        if entry is None:
            entry = OfficerMonths(officer_id, name, number, s_id, s_name, [], {}, set(), set(), set(), set(), every)
            entries[(officer_id, s_id)] = entry
        if community not in entry.communities:
            entry.communities.append(community)
        first, last = _month_span(started_on, ended_on, year)
        entry.serving.update(range(first, last + 1))
        street_order[s_id] = (s_order, s_name)
    if held_only:
        for officer_id, s_id, mask in talks:
            entry = entries.get((officer_id, s_id))
            if entry is not None:
                entry.talks = {m: 1 for m in MONTHS if mask >> (m - 1) & 1}
    else:
        for officer_id, s_id, month, n in talks:
            entry = entries.get((officer_id, s_id))
            if entry is not None and n:
                entry.talks[month] = entry.talks.get(month, 0) + n

    # Months before `past_end` have passed: all of them in a past year, none in a future one.
    past_end = 13 if year < today.year else 1 if year > today.year else today.month
    current = today.month if year == today.year else None
    for entry in entries.values():
        if entry.every == 1:  # every month: each month is its own period (as DOMAIN.md §4.3 has it)
            entry.held, periods_served = set(entry.talks), entry.serving
        else:
            entry.held = {entry.period(m) for m in entry.talks}
            periods_served = {entry.period(m) for m in entry.serving}
        begun = {p for p in periods_served if p < past_end or p == current}
        entry.due = entry.held | begun
        # A period has passed when its last month has.
        entry.overdue = {p for p in periods_served - entry.held if min(p + entry.every - 1, 12) < past_end}
    officers = sorted(entries.values(), key=lambda e: (street_order[e.street_id], e.officer_name, e.officer_id))
    return TalkMonths(year, current or 12, today, current, officers)


def _street_blocks(figures: TalkMonths, rows: dict[tuple[int, int], Row] | None = None) -> list[StreetBlock]:
    """The figures per street, in the streets' order (with the grid's rows, when given)."""
    blocks: dict[int, StreetBlock] = {}
    for o in figures.officers:
        block = blocks.setdefault(o.street_id, StreetBlock(o.street_id, o.street_name))
        p = o.period(figures.month)  # as TalkMonths.compliance counts, without two objects per officer
        block.month.add(int(p in o.held), int(p in o.due), int(p in o.overdue))
        block.year.add(len(o.held), len(o.due), len(o.overdue))
        if rows is not None:
            block.rows.append(rows[(o.officer_id, o.street_id)])
    return list(blocks.values())


@dataclass
class Totals:
    """The grid's figures without its cells (compliance_totals): per street and in total, and the rows whose
    current month is still due (for the street's reminder)."""

    year: int
    month: int
    today: date
    streets: list[StreetBlock]
    month_total: Compliance
    year_total: Compliance
    due_now: list[Row]


def _rolled_scope(user, area_path: str | None = None) -> tuple[bool, str | None]:
    """Whether figures may be read from the compliance roll-ups (rollup.py) for an administrator or a bureau
    reviewer, who sees whole streets, at the node at `area_path` (None: his own area or the whole deployment):
    where a talk is due every month throughout it; and the node's path."""
    if role_of(user) not in AREA_ROLES:
        return False, None
    path = area_path if area_path is not None else area_path_of(user)
    return rollup.monthly_rule(path), path


def _compliance(f: rollup.Figures) -> tuple[Compliance, Compliance]:
    return Compliance(*f.month), Compliance(*f.year)


def node_compliance(*, user, year: int, area_path: str | None = None, today: date | None = None):
    """The focus month's and the year's compliance of a node of the tree (the area at `area_path`, within the
    user's scope; None: his whole scope), read from its own roll-up rows (two queries); None where they do not
    apply (the monthly rule not throughout, or a role bound to streets): the caller counts from the rows then."""
    usable, path = _rolled_scope(user, area_path)
    if not usable:
        return None
    today = today or timezone.localdate()
    areas = Area.objects.filter(parent__isnull=True) if path is None else Area.objects.filter(path=path)
    return _compliance(rollup.node_figures(areas=areas, year=year, today=today))


def _rolled_totals(*, path: str | None, year: int, today: date) -> Totals:
    """compliance_totals from the streets' roll-up rows (one query)."""
    streets = Street.objects.all() if path is None else Street.objects.under_path(path)
    by_street = rollup.street_figures(streets=streets, year=year, today=today)
    blocks, month_total, year_total = [], Compliance(), Compliance()
    for street_id, name, order in sorted(by_street, key=lambda street: (street[2], street[1], street[0])):
        block = StreetBlock(street_id, name)
        block.month, block.year = _compliance(by_street[(street_id, name, order)])
        month_total.add(block.month.held, block.month.due, block.month.overdue)
        year_total.add(block.year.held, block.year.due, block.year.overdue)
        blocks.append(block)
    month = today.month if year == today.year else 12
    return Totals(year, month, today, blocks, month_total, year_total, due_now=[])


def compliance_totals(*, user, year: int, street_id: int | None = None, today: date | None = None) -> Totals:
    """The compliance figures (talk_months) per street and in total, without a row of twelve cells per officer,
    and the officers whose current month is still due: for the dashboard and the home pages. For an
    administrator or a bureau reviewer where talks are monthly, read from the streets' roll-up (rollup.py):
    two queries whatever the number of officers, and no officer listed as due (they record no talk)."""
    today = today or timezone.localdate()
    usable, path = _rolled_scope(user) if street_id is None else (False, None)
    if usable:
        return _rolled_totals(path=path, year=year, today=today)
    figures = talk_months(user=user, year=year, street_id=street_id, today=today, held_only=True)
    month_total, year_total = figures.compliance()
    due_now = [
        Row(o.officer_id, o.officer_name, o.police_number, o.street_id, o.street_name, o.communities)
        for o in figures.officers
        if figures.current is not None and o.period(figures.current) in o.due - o.held
    ]
    return Totals(year, figures.month, figures.today, _street_blocks(figures), month_total, year_total, due_now)


def _state(o: OfficerMonths, month: int) -> str:
    first = o.period(month)
    if month in o.talks or (month == first and first in o.held):
        return DONE
    if month != first:  # inside a period of several months: its talk is due in its first month
        return NOT_DUE if month in o.serving else NOT_SERVING
    if not any(o.period(m) == first for m in o.serving):
        return NOT_SERVING
    if month in o.overdue:
        return OVERDUE
    if month in o.due:
        return DUE
    return UPCOMING


def compliance_grid(*, user, year: int, street_id: int | None = None, today: date | None = None) -> Grid:
    """The grid of the officers serving in the user's scope during `year`, one row per officer and street,
    with the compliance per street and in total (talk_months' figures, cell by cell). Two queries."""
    figures = talk_months(user=user, year=year, street_id=street_id, today=today)
    rows = {
        (o.officer_id, o.street_id): Row(
            o.officer_id,
            o.officer_name,
            o.police_number,
            o.street_id,
            o.street_name,
            o.communities,
            [Cell(m, _state(o, m), o.talks.get(m, 0)) for m in MONTHS],
            o,
        )
        for o in figures.officers
    }
    month_total, year_total = figures.compliance()
    return Grid(year, figures.month, figures.today, _street_blocks(figures, rows), month_total, year_total)
