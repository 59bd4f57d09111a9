"""Calendar months as the programme counts them: in Asia/Shanghai time, so that a talk at 00:30 on the 1st
belongs to that month whatever the server's clock."""

import calendar
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext

SHANGHAI = ZoneInfo("Asia/Shanghai")

# The years a clerk may enter or ask for: forms, filters, query strings and the database constraints use these.
MIN_YEAR = 2000
MAX_YEAR = 2100


def month_label(month: int) -> str:
    """A month's name in the active language ("3月")."""
    return gettext("%(m)s月") % {"m": month}


def year_label(year: int) -> str:
    """A year's name in the active language ("2026年")."""
    return gettext("%(year)s年") % {"year": year}


def month_start(year: int, month: int) -> datetime:
    """The first instant of the month in Asia/Shanghai."""
    return datetime(year, month, 1, tzinfo=SHANGHAI)


def next_month_start(year: int, month: int) -> datetime:
    """The first instant of the following month in Asia/Shanghai."""
    return month_start(year + (month == 12), month % 12 + 1)


def period_bounds(year: int, month: int | None = None) -> tuple[datetime, datetime]:
    """The first instant of the month (of the year when `month` is None) and the first instant after it."""
    if month:
        return month_start(year, month), next_month_start(year, month)
    return month_start(year, 1), month_start(year + 1, 1)


def month_end_date(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_of(moment: datetime) -> tuple[int, int]:
    """(year, month) of an aware datetime, in Asia/Shanghai."""
    local = moment.astimezone(SHANGHAI)
    return local.year, local.month


def is_month_closed(moment: datetime, today: date | None = None) -> bool:
    """Whether the month of `moment` (Asia/Shanghai) has ended."""
    today = today or timezone.localdate()
    return month_of(moment) < (today.year, today.month)
