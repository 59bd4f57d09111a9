"""Reads for monthly talks (谈心谈话): the compliance grid (serving officers × the 12 months of a year)
and the figures built on it (compliance per street and city-wide, the reminders on the home pages).

The grid costs two queries whatever the number of officers: one for the serving periods (appointments
serving or ended that overlap the year), one aggregate of the talks per officer, street and month, read from
the monthly summaries (communities.MonthlySummary, kept by the talk services), so that its cost depends on
officers × months, not on talks. Months are counted in Asia/Shanghai time: a talk at 00:30 on the 1st belongs
to that month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Sum
from django.utils import timezone

from communities.models import MonthlySummary
from officers.models import Appointment, Officer
from yushu_gov.access.rights import can
from yushu_gov.input.months import is_month_closed, month_end_date

from .models import MonthlyTalk

MONTHS = range(1, 13)

# A cell's state.
DONE = "done"  # at least one talk held in the month
DUE = "due"  # the current month, no talk yet
OVERDUE = "overdue"  # a past month without a talk
UPCOMING = "upcoming"  # a month still to come
NOT_SERVING = "not_serving"  # the officer did not serve (in this street) in the month


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

    @property
    def held_months(self) -> int:
        return sum(1 for c in self.cells if c.state == DONE)

    @property
    def due_months(self) -> int:
        return sum(1 for c in self.cells if c.state in (DONE, DUE, OVERDUE))

    @property
    def overdue_months(self) -> int:
        return sum(1 for c in self.cells if c.state == OVERDUE)


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


def _serving_months(started_on: date, ended_on: date | None, year: int) -> set[int]:
    """The months of `year` in which the officer served at least one day."""
    months = set()
    for month in MONTHS:
        first, last = date(year, month, 1), month_end_date(year, month)
        if started_on <= last and (ended_on is None or ended_on >= first):
            months.add(month)
    return months


def summaries_visible_to(user):
    """The monthly summaries of the records the user sees (the talks' and the work records' scope)."""
    return MonthlySummary.objects.visible_to(
        user, station_officers=lambda station_id: Officer.objects.filter(station_id=station_id).values("pk")
    )


def _grid_queries(*, user, year: int, street_id: int | None):
    """The grid's two queries: the serving periods overlapping the year, and the talks per officer, street and
    month (from the monthly summaries)."""
    first_day, last_day = date(year, 1, 1), date(year, 12, 31)
    periods = (
        Appointment.objects.visible_to(user)
        .held_between(first_day, last_day)
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
        )
        .order_by()
    )
    talks = (
        summaries_visible_to(user)
        .filter(year=year, talks__gt=0)
        .values_list("officer_key", "community__street_id", "month")
        .annotate(n=Sum("talks"))
        .order_by()
    )
    if street_id is not None:
        periods = periods.filter(community__street_id=street_id)
        talks = talks.filter(community__street_id=street_id)
    return periods, talks


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


def _month_span(started_on: date, ended_on: date | None, year: int) -> tuple[int, int]:
    """The first and last month of `year` in which the officer served at least one day (first > last: none);
    the same months as _serving_months."""
    if started_on.year > year or (ended_on is not None and ended_on.year < year):
        return 1, 0
    first = 1 if started_on.year < year else started_on.month
    last = 12 if ended_on is None or ended_on.year > year else ended_on.month
    return first, last


def compliance_totals(*, user, year: int, street_id: int | None = None, today: date | None = None) -> Totals:
    """The compliance figures of compliance_grid (the same two queries, the same rules), counted with month
    sets instead of building a row of twelve cells per officer: for the dashboard and the home pages, whose
    cost must not grow with a province's thousands of officers faster than the queries do."""
    today = today or timezone.localdate()
    focus = today.month if year == today.year else 12
    periods, talks = _grid_queries(user=user, year=year, street_id=street_id)
    serving: dict[tuple[int, int], set[int]] = {}
    names: dict[tuple[int, int], tuple[str, str, list[str]]] = {}
    street_order: dict[int, tuple[int, str]] = {}
    for officer_id, name, number, s_id, s_name, s_order, community, started_on, ended_on in periods:
        key = (officer_id, s_id)
        first, last = _month_span(started_on, ended_on, year)
        serving.setdefault(key, set()).update(range(first, last + 1))
        entry = names.setdefault(key, (name, number, []))
        if community not in entry[2]:
            entry[2].append(community)
        street_order[s_id] = (s_order, s_name)
    held: dict[tuple[int, int], set[int]] = {}
    for officer_id, s_id, month, n in talks:
        if n:
            held.setdefault((officer_id, s_id), set()).add(month)

    # Months before `past_end` have passed: all of them in a past year, none in a future one.
    past_end = 13 if year < today.year else 1 if year > today.year else today.month
    current = today.month if year == today.year else None
    blocks: dict[int, StreetBlock] = {}
    due_now = []
    for key in sorted(serving, key=lambda k: street_order[k[1]]):
        months, done = serving[key], held.get(key, set())
        missed = months - done
        overdue = sum(1 for m in missed if m < past_end)
        due = len(done | {m for m in months if m < past_end or m == current})
        s_order, s_name = street_order[key[1]]
        block = blocks.setdefault(key[1], StreetBlock(key[1], s_name))
        block.year.add(len(done), due, overdue)
        if focus in done:
            block.month.add(1, 1, 0)
        elif focus in months and (focus < past_end or focus == current):
            block.month.add(0, 1, int(focus < past_end))
        if current is not None and current in missed:
            name, number, communities = names[key]
            due_now.append(Row(key[0], name, number, key[1], s_name, communities))
    month_total, year_total = Compliance(), Compliance()
    for block in blocks.values():
        month_total.add(block.month.held, block.month.due, block.month.overdue)
        year_total.add(block.year.held, block.year.due, block.year.overdue)
    due_now.sort(key=lambda row: (street_order[row.street_id], row.officer_name, row.officer_id))
    return Totals(year, focus, today, list(blocks.values()), month_total, year_total, due_now)


def compliance_grid(*, user, year: int, street_id: int | None = None, today: date | None = None) -> Grid:
    """The grid of the officers serving in the user's scope during `year`, one row per officer and street,
    with the compliance per street and in total. Two queries (see the module docstring)."""
    today = today or timezone.localdate()
    focus_month = today.month if year == today.year else 12
    periods, talks = _grid_queries(user=user, year=year, street_id=street_id)

    # Query 1: serving periods, merged per (officer, street).
    rows: dict[tuple[int, int], Row] = {}
    months_of: dict[tuple[int, int], set[int]] = {}
    street_order: dict[int, tuple[int, str]] = {}
    for officer_id, name, number, s_id, s_name, s_order, community, started_on, ended_on in periods:
        key = (officer_id, s_id)
        if key not in rows:
            rows[key] = Row(officer_id, name, number, s_id, s_name, [])
            months_of[key] = set()
        if community not in rows[key].communities:
            rows[key].communities.append(community)
        months_of[key] |= _serving_months(started_on, ended_on, year)
        street_order[s_id] = (s_order, s_name)

    # Query 2: talks per (officer, street, month).
    held = {(officer_id, s_id, month): n for officer_id, s_id, month, n in talks}

    current = (today.year, today.month)
    blocks: dict[int, StreetBlock] = {}
    for key, row in sorted(rows.items(), key=lambda kv: (street_order[kv[0][1]], kv[1].officer_name, kv[0][0])):
        serving = months_of[key]
        for month in MONTHS:
            n = held.get((key[0], key[1], month), 0)
            if month not in serving:
                state = DONE if n else NOT_SERVING
            elif n:
                state = DONE
            elif (year, month) < current:
                state = OVERDUE
            elif (year, month) == current:
                state = DUE
            else:
                state = UPCOMING
            row.cells.append(Cell(month, state, n))
        block = blocks.setdefault(row.street_id, StreetBlock(row.street_id, row.street_name))
        block.rows.append(row)
        focus = row.cells[focus_month - 1]
        if focus.state in (DONE, DUE, OVERDUE):
            block.month.add(int(focus.state == DONE), 1, int(focus.state == OVERDUE))
        block.year.add(row.held_months, row.due_months, row.overdue_months)

    month_total, year_total = Compliance(), Compliance()
    for block in blocks.values():
        month_total.add(block.month.held, block.month.due, block.month.overdue)
        year_total.add(block.year.held, block.year.due, block.year.overdue)
    return Grid(year, focus_month, today, list(blocks.values()), month_total, year_total)
