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

`request_rates` costs four grouped queries whatever the number of requests (the total, per unit, per officer,
per month): the counts are conditional COUNTs and the median is the database's (yushu_gov/lists/aggregates.py), so
no request is read row by row (at province scale there are tens of thousands). At a node of the organisation tree,
for an administrator or a bureau reviewer, the total, the children and the months are read from the rates'
roll-ups instead (rollup.py: the node's and its children's rows, and the open requests alone for the counts that
depend on the hour); there the median is the histogram's, within 0.05 day of the exact one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, Case, Count, ExpressionWrapper, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import subtree_of
from communities.rollups import path_ids
from yushu_gov.access.rights import area_path_of, can
from yushu_gov.access.roles import AREA_ROLES, role_of
from yushu_gov.input.months import month_start, period_bounds
from yushu_gov.lists.aggregates import Median, Seconds

from . import rollup
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
    median_hours: float | None = None  # the median time to resolve, in hours (computed by the database)

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
    def median_days(self) -> Decimal | None:
        """The median time to resolve in days, one decimal."""
        hours = self.median_hours
        return None if hours is None else (Decimal(hours) / 24).quantize(Decimal("0.1"))


@dataclass
class RateRow:
    """The rates of one street, community or officer."""

    name: str
    rates: Rates
    street_id: int | None = None
    community_id: int | None = None
    officer_id: int | None = None
    area_id: int | None = None


@dataclass
class RateBoard:
    year: int
    level: str  # "city", "street" or "community"
    total: Rates
    units: list[RateRow]  # the streets at city level, the communities below
    officers: list[RateRow]
    months: list[Rates]  # January to December


def _requests(*, user, year: int, street_id=None, community_id=None, officer_id=None, area_path=None):
    """The year's requests in the user's scope (by the Asia/Shanghai time they were submitted)."""
    start, end = period_bounds(year)
    requests = ResidentRequest.objects.visible_to(user).filter(submitted_at__gte=start, submitted_at__lt=end)
    if area_path is not None:
        requests = requests.filter(community__street__area__path__startswith=area_path)
    if street_id is not None:
        requests = requests.filter(community__street_id=street_id)
    if community_id is not None:
        requests = requests.filter(community_id=community_id)
    if officer_id is not None:
        requests = requests.filter(officer_id=officer_id)
    return requests.order_by()


def _submitted_month(year: int) -> Case:
    """The request's month as a CASE over the twelve Asia/Shanghai month boundaries of the year."""
    return Case(
        *[When(submitted_at__lt=month_start(year, month + 1), then=Value(month)) for month in range(1, 12)],
        default=Value(12),
        output_field=IntegerField(),
    )


def _figures(now) -> dict:
    """Rates' counts as aggregates (the same rules as Rates.count, row by row), and the median hours."""
    done = Q(status__in=ResidentRequest.DONE)
    responded = Q(responded_at__isnull=False)
    late = (Q(responded_at__isnull=True) & Q(respond_by__lt=now)) | Q(resolve_by__lt=now)
    return {
        "received": Count("pk"),
        "response_due": Count("pk", filter=responded | Q(respond_by__lte=now)),
        "responded_in_time": Count("pk", filter=responded & Q(responded_at__lte=F("respond_by"))),
        "resolved": Count("pk", filter=done),
        "overdue": Count("pk", filter=~done & late),
        "rated": Count("pk", filter=~Q(rating="")),
        "satisfied": Count("pk", filter=Q(rating__in=ResidentRequest.SATISFIED_RATINGS)),
        "median_seconds": Median(Case(When(done, then=Seconds("resolved_at", "submitted_at")))),
    }


def _rates(row: dict) -> Rates:
    return Rates(
        received=row["received"],
        response_due=row["response_due"],
        responded_in_time=row["responded_in_time"],
        resolved=row["resolved"],
        rated=row["rated"],
        satisfied=row["satisfied"],
        open=row["received"] - row["resolved"],
        overdue=row["overdue"],
        median_hours=None if row["median_seconds"] is None else row["median_seconds"] / 3600,
    )


def request_rates(
    *,
    user,
    year: int,
    street_id=None,
    community_id=None,
    officer_id=None,
    now=None,
    breakdown: bool = True,
    per_officer: bool = True,
    area_path: str | None = None,
    child_areas=None,
) -> RateBoard:
    """The rates of `year` in the user's scope, at city level or for one street, community or officer; the
    breakdown is by street at city level and by community below, plus one row per officer and one per month.
    Four grouped queries (the total; per unit; per officer; per month), whatever the number of requests; three
    with per_officer=False (no officer rows: a province's thousands of officers are not one screen); one with
    breakdown=False (the total alone). At an area of the organisation tree (`area_path`), the breakdown is by
    the given `child_areas` of it (a page of them) when there are any, else by street."""
    now = now or timezone.now()
    level = "community" if community_id is not None else "street" if street_id is not None else "city"
    requests = _requests(
        user=user,
        year=year,
        street_id=street_id,
        community_id=community_id,
        officer_id=officer_id,
        area_path=area_path,
    )
    figures = _figures(now)
    node = None
    if level == "city" and officer_id is None and role_of(user) in AREA_ROLES:
        # A node of the tree: its roll-up rows and its open requests (rollup.py), whatever the requests below.
        node = _node_rates(
            requests, year=year, now=now, path=area_path or area_path_of(user), children=child_areas or [],
            breakdown=breakdown,
        )  # fmt: skip
        total = node[0]
    else:
        total = _rates(requests.aggregate(**figures))
    if not breakdown:
        return RateBoard(year=year, level=level, total=total, units=[], officers=[], months=[])

    units = []
    if node is not None and child_areas:
        for i, area in enumerate(child_areas):
            if area.pk in node[1]:
                units.append(((i, area.name), RateRow(area.name, node[1][area.pk], area_id=area.pk)))
    elif level == "city" and child_areas:
        order = {area.pk: (i, area.name) for i, area in enumerate(child_areas)}
        rows = (
            requests.annotate(child=subtree_of(child_areas, "community__street__area__path"))
            .filter(child__isnull=False)
            .values("child")
            .annotate(**figures)
        )
        for row in rows:
            key = order[row["child"]]
            units.append((key, RateRow(key[1], _rates(row), area_id=row["child"])))
    elif level == "city":
        fields = ("community__street_id", "community__street__name", "community__street__sort_order")
        for row in requests.values(*fields).annotate(**figures):
            key = (row["community__street__sort_order"], row["community__street__name"])
            units.append(
                (key, RateRow(row["community__street__name"], _rates(row), street_id=row["community__street_id"]))
            )
    else:
        fields = ("community_id", "community__name", "community__sort_order", "community__street_id")
        for row in requests.values(*fields).annotate(**figures):
            key = (row["community__sort_order"], row["community__name"])
            unit = RateRow(
                row["community__name"],
                _rates(row),
                street_id=row["community__street_id"],
                community_id=row["community_id"],
            )
            units.append((key, unit))
    officers = per_officer and [
        (
            (row["officer__name"], row["officer_id"]),
            RateRow(row["officer__name"], _rates(row), officer_id=row["officer_id"]),
        )
        for row in requests.filter(officer_id__isnull=False).values("officer_id", "officer__name").annotate(**figures)
    ]
    months = [Rates() for _ in range(12)]
    if node is not None:
        months = node[2]
    else:
        for row in requests.annotate(month=_submitted_month(year)).values("month").annotate(**figures):
            months[row["month"] - 1] = _rates(row)
    return RateBoard(
        year=year,
        level=level,
        total=total,
        units=[unit for _key, unit in sorted(units, key=lambda pair: pair[0])],
        officers=[officer for _key, officer in sorted(officers or [], key=lambda pair: pair[0])],
        months=months,
    )


def _tally_rates(tally: rollup.Tally) -> Rates:
    counts = tally.counts
    received, resolved = counts.get("received", 0), counts.get("resolved", 0)
    return Rates(
        received=received,
        response_due=counts.get("responded", 0) + tally.response_due_open,
        responded_in_time=counts.get("responded_in_time", 0),
        resolved=resolved,
        rated=counts.get("rated", 0),
        satisfied=counts.get("satisfied", 0),
        open=received - resolved,
        overdue=tally.overdue,
        median_hours=tally.median_hours(),
    )


def _node_rates(requests, *, year: int, now, path: str | None, children, breakdown: bool):
    """A node's rates (the area at `path`; None: the roots together): the total, {child area id: Rates} of the
    `children` given, and the twelve months, from the roll-up rows of the node and its children (two queries)
    and the open requests in `requests` (one grouped query: they alone hold the counts that depend on the hour).
    With breakdown=False, the total alone."""
    child_ids = {child.pk for child in children} if breakdown else set()
    total, by_child = rollup.Tally(), {pk: rollup.Tally() for pk in child_ids}
    months = [rollup.Tally() for _ in range(12)]
    # The roots are told apart by their parent (a join); a node is the last area on its own path (no join).
    node = Q(area__parent__isnull=True) if path is None else Q(area_id=path_ids(path)[-1])
    wanted = node | Q(area_id__in=child_ids)
    node_of = ExpressionWrapper(node, output_field=BooleanField())

    def rows(model, *fields):
        """(area id, whether the node's own, month, *fields) of the year's rows of the node and the children."""
        found = model.objects.filter(wanted, year=year).annotate(own=node_of).order_by()
        for area_id, own, month, *values in found.values_list("area_id", "own", "month", *fields):
            yield area_id, own, month, values

    names = rollup.AreaRequestMonth.COUNT_FIELDS
    for area_id, own, month, values in rows(rollup.AreaRequestMonth, *names):
        amounts = dict(zip(names, values, strict=True))
        for tally in (total, months[month - 1]) if own else ():
            tally.add_counts(amounts)
        if area_id in by_child:
            by_child[area_id].add_counts(amounts)
    for area_id, own, month, (tenths, n) in rows(rollup.AreaResolveTime, "tenths", "resolved"):
        for tally in (total, months[month - 1], by_child.get(area_id)) if own else (by_child.get(area_id),):
            if tally is not None:
                tally.add_time(tenths, n)
    late = (Q(responded_at__isnull=True) & Q(respond_by__lt=now)) | Q(resolve_by__lt=now)
    open_requests = requests.exclude(status__in=ResidentRequest.DONE).annotate(month=_submitted_month(year))
    # Grouped by the street's area (a few hundred at most), each mapped to its child by its path: cheaper than
    # matching every open request against every child's path in the database.
    for row in open_requests.values("community__street__area__path", "month").annotate(
        due=Count("pk", filter=Q(responded_at__isnull=True, respond_by__lte=now)), overdue=Count("pk", filter=late)
    ):
        child = next((pk for pk in path_ids(row["community__street__area__path"]) if pk in child_ids), None)
        for tally in (total, months[row["month"] - 1], by_child.get(child)):
            if tally is not None:
                tally.response_due_open += row["due"]
                tally.overdue += row["overdue"]
    return (
        _tally_rates(total),
        {pk: _tally_rates(tally) for pk, tally in by_child.items() if tally.counts},
        [_tally_rates(tally) for tally in months],
    )


def community_month_rates(*, months: list[tuple[int, int]], community_ids, now=None) -> dict:
    """{(community id, year, month): Rates} of the requests received in each of `months` (consecutive, Asia/
    Shanghai, by the time submitted) in each of the communities, with the same figures as `request_rates`
    (the dashboard's and the assessment's): one grouped query, whatever the number of requests. Aggregates only,
    for the open figures (no user scope: nothing of a single request goes out)."""
    now = now or timezone.now()
    first, last = months[0], months[-1]
    start, end = month_start(*first), period_bounds(*last)[1]
    index = Case(
        *[When(submitted_at__lt=period_bounds(*month)[1], then=Value(i)) for i, month in enumerate(months[:-1])],
        default=Value(len(months) - 1),
        output_field=IntegerField(),
    )
    rows = (
        ResidentRequest.objects.filter(community_id__in=community_ids, submitted_at__gte=start, submitted_at__lt=end)
        .order_by()
        .annotate(month_index=index)
        .values("community_id", "month_index")
        .annotate(**_figures(now))
    )
    return {(row["community_id"], *months[row["month_index"]]): _rates(row) for row in rows}


def rates_of(requests, now=None) -> Rates:
    """The rates of a queryset of requests (one aggregate query), whoever asks: the assessment's scoring."""
    return _rates(requests.order_by().aggregate(**_figures(now or timezone.now())))


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


def requests_with_phone(phone: str, *, user=None):
    """The requests that left `phone` (any spelling the officers' numbers accept), newest first, found by the
    keyed hash of the encrypted number; limited to what `user` may see when given. A request whose personal
    data was erased has no phone hash left, so it is never found (the phone-code recovery relies on it)."""
    requests = ResidentRequest.objects.with_phone(phone)
    if user is not None:
        requests = requests.visible_to(user)
    return requests.for_list()


_NUMBER_TAIL = re.compile(r"YS-\d{4}-\d*(\d{4})\b")


def resident_actor(entry) -> str:
    """Who acted on the resident's own steps (the audit entry has no account): 群众（查询码 …0123）, the last
    four digits of the request's number. The code's secret part is never shown to staff."""
    match = _NUMBER_TAIL.search(entry.object_repr or "")
    if match is None:
        return _("群众")
    return _("群众（查询码 …%(tail)s）") % {"tail": match[1]}
