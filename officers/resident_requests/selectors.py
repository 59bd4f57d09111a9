"""Reads of residents' requests: the rates the handling is judged by (the 12345 hotlines' 响应率, 办结率,
满意率 and the median time to resolve), per officer, community, street and city, by month and for the year;
and the available steps of a request for a user.

The rates of the requests received in a period (Asia/Shanghai months, by the time the request was submitted;
a request counts for the community, street and officer that hold it now):

- 响应率 (responded in time): requests responded to (accepted, transferred, a note or the reply) by their
  response deadline / requests whose response was due (responded to, or past the deadline);
- 办结率: requests resolved with a reply (rated or not) / requests received;
- 满意率: requests rated 满意 or 基本满意 / requests rated (the latest rating counts);
- median time to resolve: over the resolved requests, from submission to the reply.

`request_rates` costs one query whatever the level: the year's requests in scope, a few columns each, summed
up in Python at every level at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median

from django.utils import timezone

from yushu_gov.access import can
from yushu_gov.months import SHANGHAI, month_start
from yushu_gov.roles import role_of

from .models import ResidentRequest


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


@dataclass
class Rates:
    received: int = 0
    response_due: int = 0
    responded_in_time: int = 0
    resolved: int = 0
    rated: int = 0
    satisfied: int = 0
    open: int = 0
    overdue: int = 0
    hours_to_resolve: list = field(default_factory=list)

    @property
    def response_rate(self) -> Decimal | None:
        return _percent(self.responded_in_time, self.response_due)

    @property
    def resolve_rate(self) -> Decimal | None:
        return _percent(self.resolved, self.received)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return _percent(self.satisfied, self.rated)

    @property
    def median_hours(self) -> float | None:
        return median(self.hours_to_resolve) if self.hours_to_resolve else None

    @property
    def median_days(self) -> Decimal | None:
        """The median time to resolve in days, one decimal."""
        hours = self.median_hours
        return None if hours is None else (Decimal(hours) / 24).quantize(Decimal("0.1"))

    def count(self, row: dict, now) -> None:
        """Adds one request (a row of `_rows`)."""
        self.received += 1
        responded = row["responded_at"]
        if responded is not None or row["respond_by"] <= now:
            self.response_due += 1
            self.responded_in_time += responded is not None and responded <= row["respond_by"]
        if row["status"] in ResidentRequest.DONE:
            self.resolved += 1
            self.hours_to_resolve.append((row["resolved_at"] - row["submitted_at"]).total_seconds() / 3600)
        else:
            self.open += 1
            late = (responded is None and row["respond_by"] < now) or row["resolve_by"] < now
            self.overdue += late
        if row["rating"]:
            self.rated += 1
            self.satisfied += row["rating"] in ResidentRequest.SATISFIED_RATINGS


@dataclass
class RateRow:
    """The rates of one street, community or officer."""

    name: str
    rates: Rates
    street_id: int | None = None
    community_id: int | None = None
    officer_id: int | None = None


@dataclass
class RateBoard:
    year: int
    level: str  # "city", "street" or "community"
    total: Rates
    units: list[RateRow]  # the streets at city level, the communities below
    officers: list[RateRow]
    months: list[Rates]  # January to December


COLUMNS = [
    "pk",
    "community_id",
    "community__name",
    "community__sort_order",
    "community__street_id",
    "community__street__name",
    "community__street__sort_order",
    "officer_id",
    "officer__name",
    "submitted_at",
    "respond_by",
    "responded_at",
    "resolve_by",
    "resolved_at",
    "status",
    "rating",
]


def _rows(*, user, year: int, street_id=None, community_id=None, officer_id=None):
    """The one query: the year's requests in the user's scope, as dicts of COLUMNS."""
    requests = ResidentRequest.objects.visible_to(user).filter(
        submitted_at__gte=month_start(year, 1), submitted_at__lt=month_start(year + 1, 1)
    )
    if street_id is not None:
        requests = requests.filter(community__street_id=street_id)
    if community_id is not None:
        requests = requests.filter(community_id=community_id)
    if officer_id is not None:
        requests = requests.filter(officer_id=officer_id)
    return requests.order_by().values(*COLUMNS)


def request_rates(*, user, year: int, street_id=None, community_id=None, officer_id=None, now=None) -> RateBoard:
    """The rates of `year` in the user's scope, at city level or for one street, community or officer; the
    breakdown is by street at city level and by community below, plus one row per officer and one per month."""
    now = now or timezone.now()
    level = "community" if community_id is not None else "street" if street_id is not None else "city"
    total, months = Rates(), [Rates() for _ in range(12)]
    units: dict = {}
    officers: dict = {}
    for row in _rows(user=user, year=year, street_id=street_id, community_id=community_id, officer_id=officer_id):
        total.count(row, now)
        months[row["submitted_at"].astimezone(SHANGHAI).month - 1].count(row, now)
        if level == "city":
            key = (row["community__street__sort_order"], row["community__street__name"])
            unit = units.setdefault(
                key, RateRow(row["community__street__name"], Rates(), street_id=row["community__street_id"])
            )
        else:
            key = (row["community__sort_order"], row["community__name"])
            unit = units.setdefault(
                key,
                RateRow(
                    row["community__name"],
                    Rates(),
                    street_id=row["community__street_id"],
                    community_id=row["community_id"],
                ),
            )
        unit.rates.count(row, now)
        if row["officer_id"] is not None:
            key = (row["officer__name"], row["officer_id"])
            officer = officers.setdefault(key, RateRow(row["officer__name"], Rates(), officer_id=row["officer_id"]))
            officer.rates.count(row, now)
    return RateBoard(
        year=year,
        level=level,
        total=total,
        units=[units[key] for key in sorted(units)],
        officers=[officers[key] for key in sorted(officers)],
        months=months,
    )


STEP_RIGHTS = {"accept": "request.accept", "note": "request.handle", "transfer": "request.handle",
               "resolve": "request.handle"}  # fmt: skip


def available_steps(user, resident_request: ResidentRequest) -> list[str]:
    """The steps the user may take on the request now: the right, the state, and who holds it."""
    role = role_of(user)
    return [
        step
        for step, right in STEP_RIGHTS.items()
        if can(user, right)
        and resident_request.status in ResidentRequest.STEP_STARTS[step]
        and role == resident_request.holder
    ]


def shows_personal_data(user) -> bool:
    """Whether the user reads the resident's name and phone in full (the request being in the user's scope):
    the handling officer and the street; everyone else reads them masked."""
    return can(user, "request.personal_data")
