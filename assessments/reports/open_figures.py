"""The open figures (公开数据): each community's monthly counts over the last 24 complete months, for anyone,
as a page, CSV and JSON. Aggregates only: no personal data, no free text, nothing of a single request.

The residents' requests' figures are computed by `community_month_rates` on the same aggregates as the
dashboard's and the assessment's `request_rates` (officers/resident_requests/selectors.py), so the three agree
(tests/reports/test_open_figures.py compares them); the police calls' change on a year earlier is the
dashboard's `CallFigures.change_percent` for one community and month.

Three queries per page whatever the number of requests: the page's communities; the requests' figures grouped
by community and month; the police-call figures of the page's communities over the 24 months and the year
before. A page holds COMMUNITIES_PER_PAGE communities × 24 months ≤ 1,000 rows."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community, PoliceCallCount
from officers.resident_requests.selectors import Rates, community_month_rates

from .selectors import CallFigures

MONTHS = 24
COMMUNITIES_PER_PAGE = 41  # × 24 months = 984 rows, within the 1,000 of every list
# The columns of the CSV and the keys of the JSON rows, in order.
COLUMNS = ("month", "street", "community", "community_code", "requests_received", "response_due",
           "responded_in_time", "response_rate", "resolved", "resolve_rate", "rated", "satisfied",
           "satisfaction_rate", "median_resolve_hours", "police_calls", "police_calls_year_before",
           "police_calls_change_percent")  # fmt: skip

# How each figure is computed: the page shows it and the JSON carries it (the dashboard's definitions).
DEFINITIONS = {
    "month": _("统计月份（北京时间），按诉求提交时间归月；只含已结束的月份。"),
    "requests_received": _("当月提交、现由该社区办理的群众诉求数（转办的诉求计入转入社区）。"),
    "response_due": _("应响应的诉求：已响应的，或响应期限已过的。"),
    "responded_in_time": _("在响应期限内受理、转办、记录办理或答复的诉求。"),
    "response_rate": _("响应率（%）= 按时响应 / 应响应。"),
    "resolved": _("已办结答复的诉求（无论是否已评价）。"),
    "resolve_rate": _("办结率（%）= 已办结 / 收到。"),
    "rated": _("群众已评价的诉求。"),
    "satisfied": _("评价为满意或基本满意的诉求。"),
    "satisfaction_rate": _("满意率（%）= 满意和基本满意 / 已评价。"),
    "median_resolve_hours": _("办结用时中位数（小时）：已办结诉求从提交到答复的用时的中位数。"),
    "police_calls": _("当月警情接报数（市公安局提供）。"),
    "police_calls_year_before": _("上年同月警情接报数。"),
    "police_calls_change_percent": _("警情同比（%）=（当月 − 上年同月）/ 上年同月，两月都有数据时计算。"),
}


def last_months(today=None, count: int = MONTHS) -> list[tuple[int, int]]:
    """The `count` complete months before this one (Asia/Shanghai), oldest first."""
    today = today or timezone.localdate()
    year, month = today.year, today.month
    found = []
    for _n in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        found.append((year, month))
    return found[::-1]


@dataclass
class FigureRow:
    year: int
    month: int
    street: str
    community: str
    community_code: str
    rates: Rates
    calls: int | None
    calls_year_before: int | None

    @property
    def calls_change_percent(self) -> Decimal | None:
        if self.calls is None or self.calls_year_before is None:
            return None
        return CallFigures(this_compared=self.calls, last_compared=self.calls_year_before,
                           months_compared=1).change_percent  # fmt: skip

    def as_dict(self) -> dict:
        r = self.rates

        def number(value):
            return None if value is None else float(value)

        median = None if r.median_hours is None else round(r.median_hours, 1)
        values = (f"{self.year}-{self.month:02d}", self.street, self.community, self.community_code, r.received,
                  r.response_due, r.responded_in_time, number(r.response_rate), r.resolved, number(r.resolve_rate),
                  r.rated, r.satisfied, number(r.satisfaction_rate), median, self.calls, self.calls_year_before,
                  number(self.calls_change_percent))  # fmt: skip
        return dict(zip(COLUMNS, values, strict=True))


@dataclass
class FiguresPage:
    months: list[tuple[int, int]]
    rows: list[FigureRow]
    page: int
    has_next: bool


def communities_in_order():
    return Community.objects.order_by("street__sort_order", "sort_order", "pk")


def open_figures(*, page: int = 1, community_code: str | None = None, today=None, now=None) -> FiguresPage:
    """One page of rows (community × month, communities in the directory's order, months oldest first); or
    one community's 24 months when `community_code` names one (an unknown code: no rows)."""
    months = last_months(today)
    communities = communities_in_order().values("pk", "code", "name", "street__name")
    if community_code is not None:
        chosen, has_next = list(communities.filter(code=community_code)), False
    else:
        start = (page - 1) * COMMUNITIES_PER_PAGE
        chosen = list(communities[start : start + COMMUNITIES_PER_PAGE + 1])
        has_next = len(chosen) > COMMUNITIES_PER_PAGE
        chosen = chosen[:COMMUNITIES_PER_PAGE]
    ids = [c["pk"] for c in chosen]
    rates = community_month_rates(months=months, community_ids=ids, now=now) if ids else {}
    first_year = months[0][0] - 1
    calls = {
        (row["community_id"], row["year"], row["month"]): row["count"]
        for row in PoliceCallCount.objects.filter(community_id__in=ids, year__gte=first_year)
        .order_by()
        .values("community_id", "year", "month", "count")
    }
    rows = [
        FigureRow(
            year=year,
            month=month,
            street=c["street__name"],
            community=c["name"],
            community_code=c["code"],
            rates=rates.get((c["pk"], year, month)) or Rates(),
            calls=calls.get((c["pk"], year, month)),
            calls_year_before=calls.get((c["pk"], year - 1, month)),
        )
        for c in chosen
        for year, month in months
    ]
    return FiguresPage(months=months, rows=rows, page=page, has_next=has_next)
